#!/usr/bin/env python3
"""Benchmark 3: peak RSS of a full `hubtrends snapshot` as the Hub grows (300k, 1M, 3M models).

Usage: bench/rss.py [--models 300000 1000000 3000000]
The simulator runs as its own process (its memory is not counted); quota off.
"""
import argparse, glob, json, os, shutil, subprocess, tempfile

from common import HUBTRENDS, load, machine, proc_cpu_seconds, run_timed
from ingest import DATE, start_sim

GOAL_MB = 256


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", type=int, nargs="*", default=[300_000, 1_000_000, 3_000_000])
    a = ap.parse_args()
    print(machine())
    res = []
    for n in a.models:
        sim, url = start_sim(n)
        lake = tempfile.mkdtemp(prefix="bench-rss-", dir="/var/tmp")
        try:
            c0 = proc_cpu_seconds(sim.pid)
            r = run_timed([HUBTRENDS, "snapshot", "--endpoint", url, "--date", DATE, "--lake", lake, "-q"])
            r["sim_cpu"] = proc_cpu_seconds(sim.pid) - c0
            man = json.load(open(glob.glob(f"{lake}/snapshots/date=*/_manifest.json")[0]))
            r["rows"] = man["files"]["models.parquet"]["rows"]
            r["bytes"] = man["files"]["models.parquet"]["bytes"]
        finally:
            sim.terminate()
            sim.wait()
            shutil.rmtree(lake, ignore_errors=True)
        print(f"  {n:,}: {r['rss_mb']:.0f} MB, {r['wall']:.1f} s", flush=True)
        res.append((n, r))
    print("\n| simulated models | rows written | wall s | models/s | peak RSS MB | client CPU s | simulator CPU s | Parquet MB | load before |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for n, r in res:
        print(f"| {n:,} | {r['rows']:,} | {r['wall']:.1f} | {r['rows']/r['wall']:,.0f} | {r['rss_mb']:.0f} | "
              f"{r['user']+r['sys']:.1f} | {r['sim_cpu']:.1f} | {r['bytes']/1e6:.1f} | {r['load']} |")
    big = max(res, key=lambda x: x[0])
    print(f"\n| measure | goal | measured | verdict |\n|---|---|---|---|")
    print(f"| peak RSS at {big[0]:,} models | <= {GOAL_MB} MB | {big[1]['rss_mb']:.0f} MB | "
          f"{'PASS' if big[1]['rss_mb'] <= GOAL_MB else 'MISS'} |")


if __name__ == "__main__":
    main()
