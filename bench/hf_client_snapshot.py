#!/usr/bin/env python3
"""The official-client baseline for benchmark 1: the same snapshot job in huggingface_hub.

Usage: HF_ENDPOINT=http://127.0.0.1:PORT bench/hf_client_snapshot.py OUT.parquet
Lists every model sorted by downloads with the same expand[] fields hubtrends asks for,
puts the rows in a pandas DataFrame and writes Parquet (pyarrow, its default codec).
Prints one line: rows and seconds.
"""
import os, sys, time

if "HF_ENDPOINT" not in os.environ:
    sys.exit("set HF_ENDPOINT before running (huggingface_hub reads it at import)")

import pandas as pd  # noqa: E402
from huggingface_hub import HfApi  # noqa: E402

EXPAND = ["author", "downloads", "downloadsAllTime", "likes", "trendingScore", "createdAt",
          "lastModified", "pipeline_tag", "library_name", "gated", "safetensors", "tags"]


def main():
    out = sys.argv[1]
    t0 = time.perf_counter()
    api = HfApi(endpoint=os.environ["HF_ENDPOINT"])
    rows = []
    for m in api.list_models(sort="downloads", expand=EXPAND, limit=None):
        st = m.safetensors
        rows.append({
            "id": m.id, "author": m.author, "downloads_30d": m.downloads,
            "downloads_all_time": m.downloads_all_time, "likes": m.likes,
            "trending_score": m.trending_score, "created_at": m.created_at,
            "last_modified": m.last_modified, "pipeline_tag": m.pipeline_tag,
            "library_name": m.library_name, "gated": None if m.gated is None else str(m.gated),
            "num_parameters": st.total if st is not None else None, "tags": m.tags,
        })
    df = pd.DataFrame(rows)
    df.to_parquet(out, index=False)
    print(f"rows {len(df)} seconds {time.perf_counter() - t0:.2f}")


if __name__ == "__main__":
    main()
