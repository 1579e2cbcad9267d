#!/usr/bin/env python3
"""Benchmark 6: a year of marts -> the whole weekly report.

Usage: bench/report.py [--days 365] [--models 2000] [--runs 3]
Builds a lake of `--days` days (`hubtrends sim lake`), runs `hubtrends transform`, then times
`hubtrends report` (best of --runs) and lists what it wrote.
"""
import argparse, datetime, glob, os, shutil, subprocess, tempfile

from common import HUBTRENDS, load, machine, run_timed

GOAL_S = 2.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--models", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    print(machine())
    lake = tempfile.mkdtemp(prefix="bench-report-", dir="/var/tmp")
    # The simulator refuses days in the future: end the year yesterday.
    start = datetime.date.today() - datetime.timedelta(days=a.days)
    g = run_timed([HUBTRENDS, "sim", "lake", "--lake", lake, "--start", start.isoformat(),
                   "--days", str(a.days), "--models", str(a.models), "-q"])
    t = run_timed([HUBTRENDS, "transform", "--lake", lake, "-q"])
    marts = {os.path.basename(p): os.path.getsize(p) for p in glob.glob(f"{lake}/marts/*.parquet")}
    print(f"sim lake: {g['wall']:.1f} s; transform: {t['wall']:.1f} s, {t['rss_mb']:.0f} MB; "
          f"marts {sum(marts.values())/1e6:.1f} MB in {len(marts)} files")
    runs = []
    for i in range(a.runs):
        r = run_timed([HUBTRENDS, "report", "--lake", lake, "-q"], stdout=subprocess.PIPE)
        print(f"  report run {i+1}: {r['wall']:.2f} s, {r['rss_mb']:.0f} MB (load {r['load']})", flush=True)
        runs.append(r)
    latest = os.path.realpath(f"{lake}/reports/latest")
    files = [p for p in glob.glob(f"{latest}/**/*", recursive=True) if os.path.isfile(p)]
    kinds = {}
    for p in files:
        ext = os.path.splitext(p)[1] or "(none)"
        kinds[ext] = kinds.get(ext, 0) + 1
    print(f"\nreport {os.path.basename(latest)}: {len(files)} files "
          f"({', '.join(f'{v} {k}' for k, v in sorted(kinds.items()))}), "
          f"{sum(os.path.getsize(p) for p in files)/1e6:.1f} MB")
    print("\n| run | wall s | user s | sys s | peak RSS MB | load before |\n|---:|---:|---:|---:|---:|---|")
    for i, r in enumerate(runs):
        print(f"| {i+1} | {r['wall']:.2f} | {r['user']:.2f} | {r['sys']:.2f} | {r['rss_mb']:.0f} | {r['load']} |")
    best = min(r["wall"] for r in runs)
    print(f"\n| measure | goal | measured (best of {a.runs}) | verdict |\n|---|---|---|---|")
    print(f"| `hubtrends report` on {a.days} days of marts | <= {GOAL_S:.1f} s | {best:.2f} s | {'PASS' if best <= GOAL_S else 'MISS'} |")
    if not a.keep:
        shutil.rmtree(lake)


if __name__ == "__main__":
    main()
