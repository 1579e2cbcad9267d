"""Small helpers shared by the hubtrends notebooks: where the lake is, the contract checks a
reader owes it (DESIGN.md), ISO weeks, and chart furniture (source line, number formats).

Everything here reads files only; nothing writes into the lake.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import matplotlib.pyplot as plt
import polars as pl

REPO = Path(__file__).resolve().parent.parent
DEFAULT_LAKE = REPO / "data" / "demo-lake"
SCHEMA_VERSION = 1
MARTS = (
    "org_daily",
    "country_daily",
    "org_weekly",
    "country_weekly",
    "model_daily",
    "lineage_credit",
    "concentration",
    "movers",
)
REGION_ORDER = ["us", "china", "eu", "other", "unattributed"]
REGION_COLORS = {
    "us": "#3b6fb6",
    "china": "#d1495b",
    "eu": "#edae49",
    "other": "#66a182",
    "unattributed": "#b0b0b0",
}


def lake_path() -> Path:
    """The lake: `HUBTRENDS_LAKE` if set, else the demo's lake (`data/demo-lake`)."""
    lake = Path(os.environ.get("HUBTRENDS_LAKE") or DEFAULT_LAKE).expanduser()
    if not (lake / "marts").is_dir() or not (lake / "snapshots").is_dir():
        raise FileNotFoundError(
            f"no hubtrends lake at {lake} (expected snapshots/ and marts/ in it). "
            "Run `cargo run --release -- demo` from the repository root, or point "
            "HUBTRENDS_LAKE at a lake written by `hubtrends run`."
        )
    return lake


def marts_manifest(lake: Path) -> dict:
    """`marts/_manifest.json`, refusing a schema version this notebook does not know."""
    path = lake / "marts" / "_manifest.json"
    manifest = json.loads(path.read_text()) if path.is_file() else {}
    version = manifest.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise RuntimeError(
            f"{path} has schema_version {version}; these notebooks read version {SCHEMA_VERSION}"
        )
    return manifest


def describe_filter(manifest: dict) -> str:
    """The transform's pipeline/library filter as recorded in the manifest (`none` = all models)."""
    f = manifest.get("filter", "none")
    if isinstance(f, dict):
        parts = [f"{k}={v}" for k, v in f.items() if v]
        return ",".join(parts) or "none"
    return str(f) if f else "none"


def mart(lake: Path, name: str) -> pl.LazyFrame:
    """A lazy Polars scan of one mart."""
    return pl.scan_parquet(lake / "marts" / f"{name}.parquet")


def snapshots(lake: Path, table: str) -> pl.LazyFrame:
    """A lazy scan of every partition's `models` or `trending` table; the hive key `date`
    duplicates `snapshot_date`, so only the file's own column is kept."""
    return pl.scan_parquet(
        lake / "snapshots" / f"date=*/{table}.parquet", hive_partitioning=False
    )


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_bounds(week: str) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of an ISO week `YYYY-Www`; ValueError when it is not one."""
    try:
        year, num = week.split("-W")
        monday = dt.date.fromisocalendar(int(year), int(num), 1)
    except (ValueError, AttributeError) as e:
        raise ValueError(f"{week!r} is not an ISO week like 2026-W47") from e
    return monday, monday + dt.timedelta(days=6)


def latest_complete_week(days: list[dt.date]) -> tuple[str, bool]:
    """The report's rule: a week is complete with 7 snapshot days or once its Sunday is before
    the latest snapshot. Returns (week, partial): the last complete week, else the latest week."""
    if not days:
        raise ValueError("the lake has no snapshot days")
    latest = max(days)
    counts: dict[str, int] = {}
    for d in days:
        counts[iso_week(d)] = counts.get(iso_week(d), 0) + 1
    for week in sorted(counts, reverse=True):
        if counts[week] >= 7 or week_bounds(week)[1] < latest:
            return week, False
    return max(counts), True


def source_line(lake: Path, manifest: dict | None = None) -> str:
    """The source line printed under every chart."""
    f = describe_filter(manifest or {})
    extra = "" if f == "none" else f"; models filtered: {f}"
    return f"Source: Hugging Face Hub API snapshots, hubtrends lake {lake.name}{extra}"


def finish(fig, ax, title: str, subtitle: str, source: str) -> None:
    """Title, subtitle and source line, the chart-pack convention."""
    fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
    ax.set_title(subtitle, loc="left", fontsize=10, color="#444444")
    fig.text(0.01, 0.005, source, fontsize=8, color="#666666", ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.03, 1, 0.97))
    plt.show()


def human(n: float) -> str:
    """12345678 -> '12.3M'."""
    n = float(n)
    for unit, div in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(n) >= div:
            return f"{n / div:.1f}{unit}"
    return f"{n:.0f}"


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"
