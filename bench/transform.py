#!/usr/bin/env python3
"""Benchmark 5: `hubtrends transform --full-rebuild` vs DuckDB SQL on the same snapshot files.

Usage: bench/transform.py --models 1000000 --days 10 20 30 [--lake DIR] [--keep]
Writes one lake of max(days) days with `hubtrends sim lake` (or reuses --lake), then for each day
count k builds a lake of the first k partitions (hard links, no copy), and times
  hubtrends transform --full-rebuild      (wall, peak RSS)
  bench/duckdb_marts.py                    (DuckDB: model_daily, org_daily, country_daily, concentration)
and checks the shared marts are equal (bench/compare_marts.py).
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
    a = ap.parse_args()
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
        dd = run_timed([sys.executable, os.path.join(HERE, "duckdb_marts.py"), "--lake", lake, "--out", out])
        print(f"  {n} days: duckdb {dd['wall']:.1f} s, {dd['rss_mb']:.0f} MB (load {dd['load']})", flush=True)
        cmp = subprocess.run([sys.executable, os.path.join(HERE, "compare_marts.py"), f"{lake}/marts", out, a.compare],
                             capture_output=True, text=True)
        print(cmp.stdout, flush=True)
        res.append(dict(days=n, snap=snap_bytes, ht=ht, dd=dd, equal=cmp.returncode == 0))
        shutil.rmtree(work)
    if a.lake is None and not a.keep:
        shutil.rmtree(src)
    print(f"\nmodels per day: {a.models:,} (first day; the simulated Hub grows)")
    print("\n| days | snapshots GB | hubtrends wall s | s/day | hubtrends peak RSS MB | hubtrends CPU s | DuckDB wall s | s/day | DuckDB peak RSS MB | DuckDB CPU s | hubtrends / DuckDB | shared marts equal | load before (ht / duckdb) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for r in res:
        h, d = r["ht"], r["dd"]
        print(f"| {r['days']} | {r['snap']/1e9:.2f} | {h['wall']:.1f} | {h['wall']/r['days']:.2f} | {h['rss_mb']:.0f} | {h['user']+h['sys']:.0f} | "
              f"{d['wall']:.1f} | {d['wall']/r['days']:.2f} | {d['rss_mb']:.0f} | {d['user']+d['sys']:.0f} | {h['wall']/d['wall']:.2f}x | "
              f"{'yes' if r['equal'] else 'NO'} | {h['load']} / {d['load']} |")
    big = res[-1]
    ratio = big["ht"]["wall"] / big["dd"]["wall"]
    print(f"\n| measure | goal | measured ({big['days']} days) | verdict |\n|---|---|---|---|")
    print(f"| hubtrends / DuckDB wall | <= 1.0x | {ratio:.2f}x | {'PASS' if ratio <= 1.0 else 'MISS'} |")
    print(f"| hubtrends peak RSS | <= 2048 MB | {big['ht']['rss_mb']:.0f} MB | {'PASS' if big['ht']['rss_mb'] <= 2048 else 'MISS'} |")


if __name__ == "__main__":
    main()
