#!/usr/bin/env python3
"""Benchmark 5: `hubtrends transform --full-rebuild` vs DuckDB SQL on the same snapshot files.

Usage: bench/transform.py --models 1000000 --days 10 20 30 [--lake DIR] [--keep]
                          [--duckdb-memory-limit 9GB] [--duckdb-temp-dir DIR]
Writes one lake of max(days) days with `hubtrends sim lake` (or reuses --lake), then for each day
count k builds a lake of the first k partitions (hard links, no copy), and times
  hubtrends transform --full-rebuild      (wall, peak RSS)
  bench/duckdb_marts.py                    (DuckDB: model_daily, org_daily, country_daily, concentration)
and checks the shared marts are equal (bench/compare_marts.py). DuckDB (the run and the
comparison) gets a memory_limit and a temp_directory to spill to, so it cannot take the shared
machine's memory; if it fails anyway, the failure is recorded and the next day count runs.
"""
import argparse, glob, os, shutil, subprocess, sys, tempfile

from common import HUBTRENDS, load, machine, run_timed

HERE = os.path.dirname(os.path.abspath(__file__))


def sub_lake(src, k, dst):
    parts = sorted(glob.glob(f"{src}/snapshots/date=*"))[:k]
    os.makedirs(f"{dst}/snapshots")
    for p in parts:
        shutil.copytree(p, f"{dst}/snapshots/{os.path.basename(p)}", copy_function=os.link)
    return len(parts)


def du(path):
    return int(subprocess.run(["du", "-sb", path], capture_output=True, text=True).stdout.split()[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, nargs="+", default=[10, 20, 30])
    ap.add_argument("--lake", help="existing lake to reuse (its first k days are used)")
    ap.add_argument("--keep", action="store_true", help="keep the generated lake")
    ap.add_argument("--compare", default="model_daily,org_daily,country_daily,concentration,org_weekly",
                    help="marts to check equal (comma-separated; model_daily is the slow one)")
    ap.add_argument("--duckdb-memory-limit", default="9GB",
                    help="DuckDB memory_limit for the marts and the comparison (default 9GB)")
    ap.add_argument("--duckdb-temp-dir", default="/var/tmp/bench-duckdb-tmp",
                    help="DuckDB temp_directory (spill files; removed afterwards)")
    a = ap.parse_args()
    duck = ["--memory-limit", a.duckdb_memory_limit, "--temp-dir", a.duckdb_temp_dir]
    print(machine())
    src = a.lake
    if src is None:
        src = tempfile.mkdtemp(prefix="bench-transform-", dir="/var/tmp")
        r = run_timed([HUBTRENDS, "sim", "lake", "--lake", src, "--days", str(max(a.days)),
                       "--models", str(a.models), "-q"])
        print(f"sim lake {max(a.days)} days x {a.models:,}: wall {r['wall']:.0f} s, "
              f"{du(src)/1e9:.2f} GB, load {r['load']}", flush=True)
    res = []
    for k in a.days:
        work = tempfile.mkdtemp(prefix=f"bench-t{k}-", dir="/var/tmp")
        lake, out = f"{work}/lake", f"{work}/duckdb"
        n = sub_lake(src, k, lake)
        snap_bytes = du(f"{lake}/snapshots")
        ht = run_timed([HUBTRENDS, "transform", "--full-rebuild", "--lake", lake, "-q"])
        print(f"  {n} days: hubtrends {ht['wall']:.1f} s, {ht['rss_mb']:.0f} MB (load {ht['load']})", flush=True)
        print(f"  {n} days: hubtrends CPU {ht['user']+ht['sys']:.1f} s", flush=True)
        try:
            dd = run_timed([sys.executable, os.path.join(HERE, "duckdb_marts.py"), "--lake", lake, "--out", out] + duck)
            print(f"  {n} days: duckdb {dd['wall']:.1f} s, CPU {dd['user']+dd['sys']:.1f} s, {dd['rss_mb']:.0f} MB (load {dd['load']})", flush=True)
        except SystemExit as e:
            # Recorded, not fatal: the table says DuckDB failed at this size.
            print(f"  {n} days: duckdb FAILED: {str(e)[-1500:]}", flush=True)
            dd = None
        equal = None
        if dd is not None:
            cmp = subprocess.run([sys.executable, os.path.join(HERE, "compare_marts.py"), f"{lake}/marts", out, a.compare] + duck,
                                 capture_output=True, text=True)
            print(cmp.stdout, cmp.stderr[-1500:], flush=True)
            equal = cmp.returncode == 0
        res.append(dict(days=n, snap=snap_bytes, ht=ht, dd=dd, equal=equal))
        shutil.rmtree(work)
        shutil.rmtree(a.duckdb_temp_dir, ignore_errors=True)
    if a.lake is None and not a.keep:
        shutil.rmtree(src)
    print(f"\nmodels per day: {a.models:,} (first day; the simulated Hub grows)")
    print("\n| days | snapshots GB | hubtrends wall s | s/day | hubtrends peak RSS MB | hubtrends CPU s | DuckDB wall s | s/day | DuckDB peak RSS MB | DuckDB CPU s | hubtrends / DuckDB | shared marts equal | load before (ht / duckdb) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for r in res:
        h, d = r["ht"], r["dd"]
        head = (f"| {r['days']} | {r['snap']/1e9:.2f} | {h['wall']:.1f} | {h['wall']/r['days']:.2f} | {h['rss_mb']:.0f} | "
                f"{h['user']+h['sys']:.0f} | ")
        if d is None:
            print(head + f"failed | | | | | not compared | {h['load']} / |")
            continue
        print(head + f"{d['wall']:.1f} | {d['wall']/r['days']:.2f} | {d['rss_mb']:.0f} | {d['user']+d['sys']:.0f} | {h['wall']/d['wall']:.2f}x | "
              f"{'yes' if r['equal'] else 'NO'} | {h['load']} / {d['load']} |")
    big = res[-1]
    print(f"\n| measure | goal | measured ({big['days']} days) | verdict |\n|---|---|---|---|")
    if big["dd"] is None:
        print("| hubtrends / DuckDB wall | <= 1.0x | DuckDB failed | n/a |")
    else:
        ratio = big["ht"]["wall"] / big["dd"]["wall"]
        print(f"| hubtrends / DuckDB wall | <= 1.0x | {ratio:.2f}x | {'PASS' if ratio <= 1.0 else 'MISS'} |")
    print(f"| hubtrends peak RSS | <= 2048 MB | {big['ht']['rss_mb']:.0f} MB | {'PASS' if big['ht']['rss_mb'] <= 2048 else 'MISS'} |")


if __name__ == "__main__":
    main()
