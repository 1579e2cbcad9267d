"""Interoperability of the lake (issue 9): every snapshot and mart Parquet file must read in
DuckDB, pandas (pyarrow engine) and Polars with the column names and types of DESIGN.md, the hive
key `date` must work as a filter, and the totals must agree across the three engines, with the
partition manifests / `hubtrends verify`, and between the snapshots and the marts.

The lake is `HUBTRENDS_LAKE` (default: the demo's `data/demo-lake`); the whole module is skipped,
with a message, when it does not exist. `HUBTRENDS_BIN` names the hubtrends binary for the
`verify` comparison (default: `hubtrends` on PATH, else the CI build directory); that test is
skipped when no binary is found.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parents[2]
LAKE = Path(os.environ.get("HUBTRENDS_LAKE") or REPO / "data" / "demo-lake").expanduser().resolve()
SNAPSHOTS = LAKE / "snapshots"
MARTS_DIR = LAKE / "marts"

if not SNAPSHOTS.is_dir() or not MARTS_DIR.is_dir():
    pytest.skip(
        f"no hubtrends lake at {LAKE} (needs snapshots/ and marts/): run `cargo run --release -- demo` "
        "or set HUBTRENDS_LAKE to a lake",
        allow_module_level=True,
    )

# ---------------------------------------------------------------------------------------------
# The contract (DESIGN.md, schema version 1). Type codes:
#   str  Utf8 (pyarrow string/large_string/string_view)   i64 Int64   i32 Int32
#   int  any integer (ranks/days the contract leaves unspecified)   f64 Float64
#   bool Boolean   date Date32   ts Timestamp(ms, UTC)
#   bases List<Struct<relation: Utf8, id: Utf8>>   strs List<Utf8>
SNAPSHOT_SCHEMAS = {
    "models": [
        ("snapshot_date", "date", False), ("id", "str", False), ("author", "str", False),
        ("downloads_30d", "i64", False), ("downloads_all_time", "i64", True), ("likes", "i64", False),
        ("trending_score", "i64", True), ("created_at", "ts", True), ("last_modified", "ts", True),
        ("pipeline_tag", "str", True), ("library_name", "str", True), ("license", "str", True),
        ("gated", "str", True), ("num_parameters", "i64", True), ("base_models", "bases", False),
        ("tags", "strs", False),
    ],
    "trending": [
        ("snapshot_date", "date", False), ("rank", "i32", False), ("id", "str", False),
        ("author", "str", False), ("trending_score", "i64", True), ("likes", "i64", False),
        ("downloads_30d", "i64", False),
    ],
}
MART_SCHEMAS = {
    "org_daily": dict(date="date", org="str", country="str", region="str", kind="str", attributed="bool",
                      models="i64", new_models="i64", downloads_30d="i64", downloads_day="i64", likes="i64",
                      trending_entries="i64", best_trending_rank="i32", downloads_30d_share="f64"),
    "country_daily": dict(date="date", country="str", region="str", models="i64", downloads_30d="i64",
                          downloads_30d_share="f64", likes="i64", trending_entries="i64", trending_share="f64",
                          coverage_downloads_30d="f64", coverage_trending="f64"),
    "org_weekly": dict(week="str", org="str", country="str", region="str", kind="str", attributed="bool",
                       days="int", downloads_30d="f64", downloads_week="i64", downloads_30d_share="f64",
                       trending_entries="i64", trending_share="f64", best_trending_rank="int", rank="int",
                       rank_change="int", share_change="f64", trending_rank="int", new_entrant="bool"),
    "country_weekly": dict(week="str", country="str", region="str", days="int", downloads_30d="f64",
                           downloads_30d_share="f64", trending_entries="i64", trending_share="f64",
                           coverage_downloads_30d="f64", coverage_trending="f64", rank="int",
                           rank_change="int", share_change="f64"),
    "model_daily": dict(date="date", id="str", org="str", downloads_all_time="i64", downloads_day="i64",
                        gap_days="i32", flag="str"),
    "lineage_credit": dict(date="date", org="str", country="str", direct_downloads_30d="i64",
                           lineage_downloads_30d="f64", derivative_models="i64"),
    "concentration": dict(date="date", dimension="str", measure="str", hhi="f64", top1_share="f64",
                          top5_share="f64", top10_share="f64", gini="f64"),
    "movers": dict(week="str", org="str", country="str", kind="str", rank="int", previous_rank="int",
                   rank_change="int"),
}
REGIONS = {"us", "china", "eu", "other"}
FLAGS = {"ok", "gap_spread", "negative_dropped", "first_seen", "no_all_time"}


def _arrow_ok(code: str, t: pa.DataType) -> bool:
    is_str = lambda x: pa.types.is_string(x) or pa.types.is_large_string(x) or pa.types.is_string_view(x)
    is_list = lambda x: pa.types.is_list(x) or pa.types.is_large_list(x) or pa.types.is_list_view(x)
    return {
        "str": lambda: is_str(t),
        "i64": lambda: t == pa.int64(),
        "i32": lambda: t == pa.int32(),
        "int": lambda: pa.types.is_integer(t),
        "f64": lambda: t == pa.float64(),
        "bool": lambda: pa.types.is_boolean(t),
        "date": lambda: t == pa.date32(),
        "ts": lambda: t == pa.timestamp("ms", tz="UTC"),
        "strs": lambda: is_list(t) and is_str(t.value_type),
        "bases": lambda: is_list(t) and pa.types.is_struct(t.value_type)
        and [f.name for f in t.value_type] == ["relation", "id"]
        and all(is_str(f.type) for f in t.value_type),
    }[code]()


def _polars_ok(code: str, t: pl.DataType) -> bool:
    return {
        "str": lambda: t == pl.String,
        "i64": lambda: t == pl.Int64,
        "i32": lambda: t == pl.Int32,
        "int": lambda: t.is_integer(),
        "f64": lambda: t == pl.Float64,
        "bool": lambda: t == pl.Boolean,
        "date": lambda: t == pl.Date,
        "ts": lambda: t == pl.Datetime("ms", "UTC"),
        "strs": lambda: t == pl.List(pl.String),
        "bases": lambda: t == pl.List(pl.Struct({"relation": pl.String, "id": pl.String})),
    }[code]()


def _duckdb_ok(code: str, t: str) -> bool:
    t = t.upper()
    return {
        "str": lambda: t == "VARCHAR",
        "i64": lambda: t == "BIGINT",
        "i32": lambda: t == "INTEGER",
        "int": lambda: t in {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT",
                             "UINTEGER", "UBIGINT", "HUGEINT"},
        "f64": lambda: t == "DOUBLE",
        "bool": lambda: t == "BOOLEAN",
        "date": lambda: t == "DATE",
        "ts": lambda: t == "TIMESTAMP WITH TIME ZONE",
        "strs": lambda: t == "VARCHAR[]",
        "bases": lambda: re.sub(r"\s+", " ", t) in {"STRUCT(RELATION VARCHAR, ID VARCHAR)[]",
                                                     'STRUCT("RELATION" VARCHAR, "ID" VARCHAR)[]'},
    }[code]()


def _sql_path(p: Path | str) -> str:
    return "'" + str(p).replace("'", "''") + "'"


def _partitions() -> list[Path]:
    return sorted(p for p in SNAPSHOTS.glob("date=*") if p.is_dir())


def _snapshot_files() -> list[tuple[str, str, Path]]:
    out = []
    for part in _partitions():
        for table in SNAPSHOT_SCHEMAS:
            out.append((part.name.split("=", 1)[1], table, part / f"{table}.parquet"))
    return out


def _expected(kind: str, name: str) -> list[tuple[str, str]]:
    if kind == "snapshot":
        return [(c, t) for c, t, _ in SNAPSHOT_SCHEMAS[name]]
    return list(MART_SCHEMAS[name].items())


FILES = [pytest.param("snapshot", t, p, id=f"snapshots/{d}/{t}") for d, t, p in _snapshot_files()] + [
    pytest.param("mart", m, MARTS_DIR / f"{m}.parquet", id=f"marts/{m}") for m in MART_SCHEMAS
]


def test_lake_has_snapshots():
    assert _partitions(), f"no snapshots/date=YYYY-MM-DD partitions in {SNAPSHOTS}"


# ---------------------------------------------------------------------------------------------
# Every file, three engines: names, types, rows and downloads_30d totals agree.


@pytest.mark.parametrize("kind,name,path", FILES)
def test_file_reads_alike_in_three_engines(kind, name, path):
    assert path.is_file(), f"{path} is missing"
    expected = _expected(kind, name)
    names = [c for c, _ in expected]

    # pyarrow (what pandas reads through)
    arrow_schema = pq.read_schema(path)
    if kind == "snapshot":
        assert arrow_schema.names == names, f"{path}: columns {arrow_schema.names}, DESIGN.md says {names}"
    else:
        assert sorted(arrow_schema.names) == sorted(names), (
            f"{path}: columns {arrow_schema.names}; DESIGN.md lists {names} "
            f"(missing {sorted(set(names) - set(arrow_schema.names))}, "
            f"extra {sorted(set(arrow_schema.names) - set(names))})")
    bad = [(c, code, str(arrow_schema.field(c).type)) for c, code in expected
           if not _arrow_ok(code, arrow_schema.field(c).type)]
    assert not bad, f"{path}: pyarrow types differ from DESIGN.md (column, expected, found): {bad}"

    # pandas with the pyarrow engine
    pdf = pd.read_parquet(path, engine="pyarrow")
    assert sorted(pdf.columns) == sorted(names), f"{path}: pandas columns {list(pdf.columns)}"

    # Polars
    lf = pl.scan_parquet(path)
    pschema = lf.collect_schema()
    bad = [(c, code, str(pschema[c])) for c, code in expected if not _polars_ok(code, pschema[c])]
    assert not bad, f"{path}: Polars types differ from DESIGN.md (column, expected, found): {bad}"
    pdf_pl = lf.collect()

    # DuckDB
    con = duckdb.connect()
    described = con.sql(f"DESCRIBE SELECT * FROM read_parquet({_sql_path(path)})").fetchall()
    dtypes = {r[0]: r[1] for r in described}
    bad = [(c, code, dtypes.get(c)) for c, code in expected if not _duckdb_ok(code, dtypes.get(c, "missing"))]
    assert not bad, f"{path}: DuckDB types differ from DESIGN.md (column, expected, found): {bad}"
    duck_rows = con.sql(f"SELECT count(*) FROM read_parquet({_sql_path(path)})").fetchall()[0][0]

    meta_rows = pq.ParquetFile(path).metadata.num_rows
    rows = {"parquet footer": meta_rows, "pandas": len(pdf), "polars": pdf_pl.height, "duckdb": duck_rows}
    assert len(set(rows.values())) == 1, f"{path}: row counts differ: {rows}"

    if "downloads_30d" in names:
        sums = {
            "pandas": int(pdf["downloads_30d"].sum()),
            "polars": int(pdf_pl["downloads_30d"].sum() or 0),
            "duckdb": int(con.sql(f"SELECT coalesce(sum(downloads_30d), 0) FROM read_parquet({_sql_path(path)})"
                                  ).fetchall()[0][0]),
        }
        assert len(set(sums.values())) == 1, f"{path}: sum(downloads_30d) differs: {sums}"

    if kind == "snapshot":
        nulls = [c for c, _, nullable in SNAPSHOT_SCHEMAS[name] if not nullable and pdf_pl[c].null_count()]
        assert not nulls, f"{path}: nulls in non-nullable columns {nulls}"
        part_date = path.parent.name.split("=", 1)[1]
        dates = {str(d) for d in pdf_pl["snapshot_date"].unique().to_list()}
        assert dates <= {part_date}, f"{path}: snapshot_date {dates} differs from the partition key {part_date}"
    if "region" in names:
        regions = set(pdf_pl["region"].drop_nulls().unique().to_list())
        assert regions <= REGIONS, f"{path}: unknown regions {regions - REGIONS}"
    if name == "model_daily":
        flags = set(pdf_pl["flag"].unique().to_list())
        assert flags <= FLAGS, f"{path}: unknown flags {flags - FLAGS}"


# ---------------------------------------------------------------------------------------------
# Hive partitioning: the key `date` is recognised and usable as a filter in every engine.


def _partition_truth(table: str) -> dict[str, tuple[int, int]]:
    """Per partition date: (rows, sum of downloads_30d), read file by file with pyarrow."""
    out = {}
    for d, t, p in _snapshot_files():
        if t == table:
            tab = pq.read_table(p, columns=["downloads_30d"])
            out[d] = (tab.num_rows, int(pa.compute.sum(tab["downloads_30d"]).as_py() or 0))
    return out


@pytest.mark.parametrize("table", list(SNAPSHOT_SCHEMAS))
def test_hive_partition_key_filters_in_three_engines(table):
    truth = _partition_truth(table)
    assert truth
    glob = SNAPSHOTS / "date=*" / f"{table}.parquet"

    # DuckDB
    con = duckdb.connect()
    src = f"read_parquet({_sql_path(glob)}, hive_partitioning = true)"
    dtypes = {r[0]: r[1] for r in con.sql(f"DESCRIBE SELECT * FROM {src}").fetchall()}
    assert "date" in dtypes, f"DuckDB did not recognise the hive key `date` ({list(dtypes)})"
    mismatched = con.sql(f"SELECT count(*) FROM {src} WHERE CAST(date AS DATE) <> snapshot_date").fetchall()[0][0]
    assert mismatched == 0, "DuckDB: hive key `date` differs from snapshot_date in some rows"
    duck = {str(d): (n, int(s or 0)) for d, n, s in con.sql(
        f"SELECT CAST(date AS DATE), count(*), sum(downloads_30d) FROM {src} GROUP BY 1").fetchall()}
    assert duck == truth, f"DuckDB per-date totals {duck} != per-file totals {truth}"

    # Polars
    lf = pl.scan_parquet(glob, hive_partitioning=True)
    assert "date" in lf.collect_schema(), "Polars did not recognise the hive key `date`"
    polars_totals = (lf.group_by(pl.col("date").cast(pl.Date))
                     .agg(pl.len(), pl.col("downloads_30d").sum()).collect())
    pol = {str(d): (int(n), int(s)) for d, n, s in polars_totals.iter_rows()}
    assert pol == truth, f"Polars per-date totals {pol} != per-file totals {truth}"

    # pandas through a pyarrow hive dataset (the key typed as a date)
    files = [str(p) for d, t, p in _snapshot_files() if t == table]
    dataset = ds.dataset(files, format="parquet", partition_base_dir=str(SNAPSHOTS),
                         partitioning=ds.partitioning(pa.schema([("date", pa.date32())]), flavor="hive"))
    pdf = dataset.to_table(columns=["date", "snapshot_date", "downloads_30d"]).to_pandas()
    assert (pdf["date"] == pdf["snapshot_date"]).all(), "pandas: hive key `date` differs from snapshot_date"
    grouped = pdf.groupby("date")["downloads_30d"].agg(["count", "sum"])
    pan = {str(d): (int(r["count"]), int(r["sum"])) for d, r in grouped.iterrows()}
    assert pan == truth, f"pandas per-date totals {pan} != per-file totals {truth}"

    # A filter on the key equals the one partition's rows, in every engine; same for snapshot_date.
    for d, (n, _) in list(truth.items())[:: max(1, len(truth) // 5)]:
        day = pd.Timestamp(d).date()
        assert con.sql(f"SELECT count(*) FROM {src} WHERE date = DATE '{d}'").fetchall()[0][0] == n
        assert con.sql(f"SELECT count(*) FROM {src} WHERE snapshot_date = DATE '{d}'").fetchall()[0][0] == n
        assert lf.filter(pl.col("date") == day).select(pl.len()).collect().item() == n
        assert lf.filter(pl.col("snapshot_date") == day).select(pl.len()).collect().item() == n
        assert dataset.count_rows(filter=ds.field("date") == pa.scalar(day, pa.date32())) == n
        assert len(pd.read_parquet(files, engine="pyarrow", filters=[("snapshot_date", "==", day)])) == n


# ---------------------------------------------------------------------------------------------
# Totals: the manifests, `hubtrends verify`, and the marts agree with the snapshots.


def _manifest(part: Path) -> dict:
    return json.loads((part / "_manifest.json").read_text())


def test_partition_manifests_match_files():
    for part in _partitions():
        man = _manifest(part)
        assert man.get("schema_version") == 1, f"{part}: schema_version {man.get('schema_version')}"
        assert man.get("snapshot_date") == part.name.split("=", 1)[1], f"{part}: snapshot_date in manifest"
        for table in SNAPSHOT_SCHEMAS:
            entry = man["files"][f"{table}.parquet"]
            rows = pq.ParquetFile(part / f"{table}.parquet").metadata.num_rows
            assert entry["rows"] == rows, f"{part}/{table}.parquet: manifest rows {entry['rows']}, file {rows}"
            size = (part / f"{table}.parquet").stat().st_size
            assert entry.get("bytes", size) == size, f"{part}/{table}.parquet: manifest bytes differ"


def _hubtrends_bin() -> str | None:
    for cand in (os.environ.get("HUBTRENDS_BIN"), shutil.which("hubtrends"),
                 str(REPO / "target" / "release" / "hubtrends"),
                 os.environ.get("CARGO_TARGET_DIR", "/var/tmp/hubtrends-target") + "/release/hubtrends"):
        if cand and Path(cand).is_file() and os.access(cand, os.X_OK):
            return cand
    return None


def test_hubtrends_verify_agrees():
    binary = _hubtrends_bin()
    if binary is None:
        pytest.skip("no hubtrends binary (set HUBTRENDS_BIN, or build it): verify comparison not run")
    proc = subprocess.run([binary, "verify", "--lake", str(LAKE)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"hubtrends verify failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    # verify prints one line per file it re-hashed: `ok  snapshots/date=D/<file>.parquet  rows=N bytes=B`.
    printed = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"ok\s+snapshots/date=(\d{4}-\d{2}-\d{2})/(models|trending)\.parquet\s+rows=(\d+)", line)
        if m:
            printed[(m.group(1), m.group(2))] = int(m.group(3))
    truth = {(d, t): pq.ParquetFile(p).metadata.num_rows for d, t, p in _snapshot_files()}
    assert set(printed) == set(truth), f"hubtrends verify did not list {sorted(set(truth) - set(printed))}"
    assert printed == truth, "hubtrends verify's row counts differ from the files"


def _mart_filter() -> dict[str, str]:
    path = MARTS_DIR / "_manifest.json"
    man = json.loads(path.read_text()) if path.is_file() else {}
    assert man.get("schema_version", 1) == 1, f"{path}: schema_version {man.get('schema_version')}"
    f = man.get("filter", "none")
    if isinstance(f, dict):
        return {k: v for k, v in f.items() if v}
    if not f or f == "none":
        return {}
    return dict(part.split("=", 1) for part in str(f).split(","))


def _snapshot_totals() -> pl.DataFrame:
    """Per date: the sum of downloads_30d over the models the transform kept (its filter)."""
    f = _mart_filter()
    lf = pl.scan_parquet(SNAPSHOTS / "date=*" / "models.parquet", hive_partitioning=False)
    if "pipeline" in f:
        lf = lf.filter(pl.col("pipeline_tag") == f["pipeline"])
    if "library" in f:
        lf = lf.filter(pl.col("library_name") == f["library"])
    return (lf.group_by(pl.col("snapshot_date").alias("date"))
            .agg(pl.col("downloads_30d").sum().alias("snapshots"), pl.len().alias("models_snap"))
            .collect())


@pytest.mark.parametrize("mart,column", [
    ("org_daily", "downloads_30d"),
    ("country_daily", "downloads_30d"),
    ("lineage_credit", "direct_downloads_30d"),
])
def test_daily_mart_downloads_equal_snapshot_totals(mart, column):
    snap = _snapshot_totals()
    m = (pl.scan_parquet(MARTS_DIR / f"{mart}.parquet").group_by("date")
         .agg(pl.col(column).sum().alias("mart")).collect())
    joined = snap.join(m, on="date", how="full", coalesce=True).sort("date")
    bad = joined.filter(pl.col("snapshots").fill_null(-1) != pl.col("mart").fill_null(-1))
    assert bad.height == 0, (
        f"{mart}.{column} per date differs from the snapshots' sum of downloads_30d "
        f"(filter {_mart_filter() or 'none'}):\n{bad}")
    # DuckDB agrees on the mart side too.
    duck = dict(duckdb.sql(
        f"SELECT date, sum({column}) FROM read_parquet({_sql_path(MARTS_DIR / f'{mart}.parquet')}) GROUP BY 1"
    ).fetchall())
    assert {d: int(v) for d, v in duck.items()} == {d: int(v) for d, v in m.iter_rows()}


def test_org_daily_models_equal_snapshot_models():
    snap = _snapshot_totals()
    m = pl.read_parquet(MARTS_DIR / "org_daily.parquet").group_by("date").agg(pl.col("models").sum())
    joined = snap.join(m, on="date", how="full", coalesce=True)
    bad = joined.filter(pl.col("models_snap").fill_null(-1) != pl.col("models").fill_null(-1))
    assert bad.height == 0, f"org_daily.models per date differs from the snapshots' model count:\n{bad}"


def test_lineage_credit_is_conserved():
    """Lineage credit moves downloads between organisations; it neither creates nor loses them."""
    lc = pl.read_parquet(MARTS_DIR / "lineage_credit.parquet").group_by("date").agg(
        pl.col("direct_downloads_30d").sum().cast(pl.Float64).alias("direct"),
        pl.col("lineage_downloads_30d").sum().alias("lineage"))
    bad = lc.filter((pl.col("direct") - pl.col("lineage")).abs() > 1e-6 * pl.col("direct").abs() + 1.0)
    assert bad.height == 0, f"sum of lineage_downloads_30d differs from sum of direct_downloads_30d:\n{bad}"


def test_shares_are_fractions_and_add_up():
    cd = pl.read_parquet(MARTS_DIR / "country_daily.parquet")
    od = pl.read_parquet(MARTS_DIR / "org_daily.parquet")
    for name, df, cols in (("country_daily", cd, ["downloads_30d_share", "trending_share",
                                                   "coverage_downloads_30d", "coverage_trending"]),
                           ("org_daily", od, ["downloads_30d_share"])):
        for c in cols:
            v = df[c].drop_nulls()
            assert v.is_between(-1e-9, 1 + 1e-9).all(), f"{name}.{c} has values outside [0, 1]"
    sums = cd.group_by("date").agg(pl.col("downloads_30d_share").sum())
    nonzero = cd.group_by("date").agg(pl.col("downloads_30d").sum()).filter(pl.col("downloads_30d") > 0)
    sums = sums.join(nonzero.select("date"), on="date")
    assert (sums["downloads_30d_share"] - 1).abs().max() < 1e-6, "country shares do not add up to 1 per date"
    assert cd.group_by("date").agg(pl.col("country").is_null().sum().alias("n"))["n"].max() <= 1, \
        "more than one unattributed row on a date"
