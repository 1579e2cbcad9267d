#!/usr/bin/env python3
"""Checks hubtrends marts equal DuckDB's: same rows (EXCEPT ALL both ways), doubles to 9 significant digits after rounding to 1e-15 (a difference of nearly equal shares loses relative precision).

Usage: bench/compare_marts.py HUBTRENDS_MARTS_DIR DUCKDB_OUT_DIR [mart,mart,...]
                              [--memory-limit 9GB --temp-dir /var/tmp/duckdb-tmp]
Prints one table row per mart; exit code 1 when any differs.
"""
import argparse, os, sys

import duckdb

MARTS = ["model_daily", "org_daily", "country_daily", "concentration", "org_weekly"]


def compare(con, a, b):
    """(rows in a, rows in b, rows only in a, rows only in b) over the columns of b."""
    cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{b}')").fetchall()]
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{a}'))").fetchall())
    def proj(path):
        out = []
        for c in cols:
            t = types.get(c, "")
            if t in ("DOUBLE", "FLOAT"):
                out.append(f"printf('%.9g', round({c}, 15)) AS {c}")
            else:
                out.append(f"{c}::VARCHAR AS {c}")
        return f"SELECT {', '.join(out)} FROM read_parquet('{path}')"
    na = con.execute(f"SELECT count(*) FROM read_parquet('{a}')").fetchone()[0]
    nb = con.execute(f"SELECT count(*) FROM read_parquet('{b}')").fetchone()[0]
    only_a = con.execute(f"SELECT count(*) FROM ({proj(a)} EXCEPT ALL {proj(b)})").fetchone()[0]
    only_b = con.execute(f"SELECT count(*) FROM ({proj(b)} EXCEPT ALL {proj(a)})").fetchone()[0]
    return na, nb, only_a, only_b, cols


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("hubtrends_marts")
    ap.add_argument("duckdb_out")
    ap.add_argument("marts", nargs="?", default=",".join(MARTS))
    ap.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 9GB")
    ap.add_argument("--temp-dir", help="DuckDB temp_directory for spilling")
    a = ap.parse_args()
    ht, dd, marts = a.hubtrends_marts, a.duckdb_out, a.marts.split(",")
    con = duckdb.connect()
    if a.memory_limit:
        con.execute(f"SET memory_limit = '{a.memory_limit}'")
    if a.temp_dir:
        os.makedirs(a.temp_dir, exist_ok=True)
        con.execute(f"SET temp_directory = '{a.temp_dir}'")
    bad = 0
    print("| mart | hubtrends rows | duckdb rows | only in hubtrends | only in duckdb | equal |")
    print("|---|---:|---:|---:|---:|---|")
    for m in marts:
        a, b = os.path.join(ht, f"{m}.parquet"), os.path.join(dd, f"{m}.parquet")
        if not (os.path.exists(a) and os.path.exists(b)):
            print(f"| {m} | missing | | | | no |")
            bad += 1
            continue
        na, nb, oa, ob, _ = compare(con, a, b)
        ok = na == nb and oa == 0 and ob == 0
        bad += not ok
        print(f"| {m} | {na:,} | {nb:,} | {oa:,} | {ob:,} | {'yes' if ok else 'NO'} |")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
