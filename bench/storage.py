#!/usr/bin/env python3
"""Benchmark 4: bytes per model-day of a snapshot, with a per-column breakdown.

Usage: bench/storage.py [--models N] [--lake DIR] [--keep]
Writes one simulated day with `hubtrends sim lake` (unless --lake already holds one),
then reads the Parquet footer: total_compressed_size per column chunk, summed over row groups.
"""
import argparse, glob, os, shutil, subprocess, sys, tempfile, time
import pyarrow.parquet as pq

from common import HUBTRENDS, machine, run_timed

GOAL = 30.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", type=int, default=1_000_000)
    ap.add_argument("--lake", help="existing lake with one snapshot (skip generation)")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    print(machine())
    lake = a.lake
    if lake is None:
        lake = tempfile.mkdtemp(prefix="bench-storage-", dir="/var/tmp")
        r = run_timed([HUBTRENDS, "sim", "lake", "--lake", lake, "--days", "1",
                       "--models", str(a.models), "-q"])
        print(f"sim lake: wall {r['wall']:.1f} s, peak RSS {r['rss_mb']:.0f} MB")
    path = sorted(glob.glob(f"{lake}/snapshots/date=*/models.parquet"))[0]
    pf = pq.ParquetFile(path)
    md = pf.metadata
    rows = md.num_rows
    size = os.path.getsize(path)
    cols = {}
    for rg in range(md.num_row_groups):
        g = md.row_group(rg)
        for c in range(g.num_columns):
            cc = g.column(c)
            name = cc.path_in_schema
            e = cols.setdefault(name, [0, 0, set()])
            e[0] += cc.total_compressed_size
            e[1] += cc.total_uncompressed_size
            e[2].add(str(cc.compression))
            e[2].update(str(x) for x in cc.encodings)
    print(f"\nfile {path}\nrows {rows:,}, row groups {md.num_row_groups}, file bytes {size:,}")
    print(f"\n| column | compressed bytes | B/model | uncompressed B/model | share | codec / encodings |")
    print("|---|---:|---:|---:|---:|---|")
    total = sum(v[0] for v in cols.values())
    for name, (comp, unc, enc) in sorted(cols.items(), key=lambda kv: -kv[1][0]):
        print(f"| {name} | {comp:,} | {comp/rows:.2f} | {unc/rows:.2f} | {100*comp/total:.1f}% | {', '.join(sorted(enc))} |")
    print(f"| **all column chunks** | {total:,} | {total/rows:.2f} | | 100% | |")
    print(f"| footer + headers | {size-total:,} | {(size-total)/rows:.2f} | | | |")
    bpm = size / rows
    print(f"\n| measure | goal | measured | verdict |\n|---|---|---|---|")
    print(f"| models.parquet bytes / model-day | <= {GOAL:.0f} B | {bpm:.2f} B | {'PASS' if bpm <= GOAL else 'MISS'} |")
    tr = glob.glob(f"{lake}/snapshots/date=*/trending.parquet")
    if tr:
        print(f"| + trending.parquet + manifest | | {(size + sum(os.path.getsize(p) for p in tr) + sum(os.path.getsize(p) for p in glob.glob(f'{lake}/snapshots/date=*/_manifest.json')))/rows:.2f} B | |")
    if a.lake is None and not a.keep:
        shutil.rmtree(lake)


if __name__ == "__main__":
    main()
