#!/usr/bin/env python3
"""Benchmark 2: pacing efficiency against a fixed-window quota.

Usage: bench/pacing.py [--configs N:Q:W ...]
For each config, starts `hubtrends sim serve --models N --quota Q --window W` and runs a full
`hubtrends snapshot`. The simulator's windows start when it starts, so besides the brief's bound
(calls / Q x W) we report the phase-exact minimum: with the first call at phase p into a fresh
window, the last batch can start no earlier than (ceil(calls/Q) - 1) x W - p.
"""
import argparse, glob, json, math, os, shutil, subprocess, sys, tempfile, time

from common import HUBTRENDS, load, machine, run_timed

DATE = "2026-10-01"


def one(models, quota, window, delay):
    p = subprocess.Popen([HUBTRENDS, "sim", "serve", "--models", str(models), "--date", DATE,
                          "--quota", str(quota), "--window", str(window), "-q"],
                         stdout=subprocess.PIPE, text=True)
    url = p.stdout.readline().strip()
    t_sim = time.perf_counter()
    lake = tempfile.mkdtemp(prefix="bench-pacing-", dir="/var/tmp")
    try:
        time.sleep(delay)
        phase = (time.perf_counter() - t_sim) % window
        r = run_timed([HUBTRENDS, "snapshot", "--endpoint", url, "--date", DATE, "--lake", lake, "-q"])
        man = json.load(open(glob.glob(f"{lake}/snapshots/date=*/_manifest.json")[0]))
    finally:
        p.terminate()
        p.wait()
        shutil.rmtree(lake, ignore_errors=True)
    calls = man["requests"]
    ok_calls = calls - man["rate_limited"]
    bound = ok_calls / quota * window
    exact = (math.ceil(ok_calls / quota) - 1) * window - phase
    windows = math.ceil((r["wall"] + phase) / window)
    return dict(models=models, quota=quota, window=window, calls=calls, ok=ok_calls,
                rl=man["rate_limited"], retries=man["retries"], wall=r["wall"], bound=bound,
                exact=exact, phase=phase, windows=windows, rss=r["rss_mb"], load=r["load"],
                rows=man["files"]["models.parquet"]["rows"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--configs", nargs="*", default=["29000:5:2", "47000:8:3", "59000:10:5"],
                    help="N:Q:W triples (models, quota, window seconds)")
    ap.add_argument("--delay", type=float, default=0.3, help="seconds after the simulator starts")
    a = ap.parse_args()
    print(machine())
    res = []
    for c in a.configs:
        n, q, w = (int(x) for x in c.split(":"))
        r = one(n, q, w, a.delay)
        print(f"  {c}: {r['wall']:.2f} s", flush=True)
        res.append(r)
    print("\n| models | quota Q | window W s | calls (ok + 429) | windows used | bound calls/Q x W s | phase-exact min s | wall s | wall / bound | wall - exact min s | 429s | 429s per window | retries | peak RSS MB | load |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in res:
        print(f"| {r['models']:,} | {r['quota']} | {r['window']} | {r['calls']} ({r['ok']} + {r['rl']}) | {r['windows']} | "
              f"{r['bound']:.2f} | {r['exact']:.2f} | {r['wall']:.2f} | {r['wall']/r['bound']:.3f} | "
              f"{r['wall']-r['exact']:+.2f} | {r['rl']} | {r['rl']/r['windows']:.2f} | {r['retries']} | {r['rss']:.0f} | {r['load']} |")
    worst = max(r["wall"] / r["bound"] for r in res)
    worst_rl = max(r["rl"] / r["windows"] for r in res)
    print(f"\n| measure | goal | measured (worst config) | verdict |\n|---|---|---|---|")
    print(f"| wall vs quota bound | <= 1.05x | {worst:.3f}x | {'PASS' if worst <= 1.05 else 'MISS'} |")
    print(f"| 429s per window | <= 1 | {worst_rl:.2f} | {'PASS' if worst_rl <= 1 else 'MISS'} |")


if __name__ == "__main__":
    main()
