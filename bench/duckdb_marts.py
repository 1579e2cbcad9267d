#!/usr/bin/env python3
"""Runs bench/duckdb_marts.sql on a lake: DuckDB's version of the daily marts.

Usage: bench/duckdb_marts.py --lake LAKE --out DIR [--orgs data/orgs.csv] [--threads N]
                             [--memory-limit 9GB --temp-dir /var/tmp/duckdb-tmp]
On a shared machine pass --memory-limit (DuckDB's default is 80% of RAM) and a --temp-dir on
the local disk, where DuckDB spills what does not fit.
"""
import argparse, os, time

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lake", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--orgs", default=os.path.join(HERE, "..", "data", "orgs.csv"))
    ap.add_argument("--threads", type=int)
    ap.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 9GB (default: DuckDB's 80%% of RAM)")
    ap.add_argument("--temp-dir", help="DuckDB temp_directory for spilling")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    sql = open(os.path.join(HERE, "duckdb_marts.sql")).read()
    sql = sql.replace("{lake}", a.lake).replace("{orgs}", os.path.abspath(a.orgs)).replace("{out}", a.out)
    t0 = time.perf_counter()
    con = duckdb.connect()
    if a.threads:
        con.execute(f"SET threads = {a.threads}")
    if a.memory_limit:
        con.execute(f"SET memory_limit = '{a.memory_limit}'")
    if a.temp_dir:
        os.makedirs(a.temp_dir, exist_ok=True)
        con.execute(f"SET temp_directory = '{a.temp_dir}'")
    con.execute(sql)
    print(f"duckdb {duckdb.__version__} seconds {time.perf_counter() - t0:.2f}")


if __name__ == "__main__":
    main()
