//! The whole lake's daily pieces, for marts computed across days (weekly rollups, movers).

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::columns as c;
use crate::error::TransformError;
use crate::exprs::{iso_week, null_aware_sum};
use crate::lake;

/// Rank at or under which an organisation is "in the top 20".
pub(crate) const TOP_RANK: i64 = 20;

/// The cached daily pieces of every snapshot day, read by the weekly marts.
pub struct History {
    /// Directory of a day's pieces, by date (ascending).
    days: Vec<(NaiveDate, PathBuf)>,
    org_weekly: OnceCell<DataFrame>,
}

impl History {
    /// History over `days` (date, directory holding `<mart>.parquet` pieces), sorted by date.
    pub(crate) fn new(days: Vec<(NaiveDate, PathBuf)>) -> History {
        History {
            days,
            org_weekly: OnceCell::new(),
        }
    }

    /// ISO weeks present in the lake, in order, each with the piece files of `mart` of its days.
    fn weeks(&self, mart: &str) -> Vec<(String, Vec<PathBuf>)> {
        let mut weeks: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
        for (date, dir) in &self.days {
            weeks
                .entry(iso_week(*date))
                .or_default()
                .push(dir.join(format!("{mart}.parquet")));
        }
        weeks.into_iter().collect()
    }

    /// The `org_weekly` mart (computed once; `movers` reads it too).
    pub(crate) fn org_weekly(&self) -> Result<&DataFrame, TransformError> {
        if let Some(df) = self.org_weekly.get() {
            return Ok(df);
        }
        let df = weekly(self.weeks("org_daily"), Dim::Org)?;
        Ok(self.org_weekly.get_or_init(|| df))
    }

    /// The `country_weekly` mart.
    pub(crate) fn country_weekly(&self) -> Result<DataFrame, TransformError> {
        weekly(self.weeks("country_daily"), Dim::Country)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dim {
    Org,
    Country,
}

impl Dim {
    fn key(self) -> &'static str {
        match self {
            Dim::Org => c::ORG,
            Dim::Country => c::COUNTRY,
        }
    }
    fn mart(self) -> &'static str {
        match self {
            Dim::Org => "org_weekly",
            Dim::Country => "country_weekly",
        }
    }
}

/// One week's aggregate of the daily pieces, ranked.
fn aggregate_week(week: &str, files: &[PathBuf], dim: Dim) -> Result<DataFrame, TransformError> {
    let q = |e| TransformError::query(dim.mart(), week, e);
    let key = dim.key();
    let mut scans = Vec::with_capacity(files.len());
    for f in files {
        scans.push(lake::scan(f)?);
    }
    let n_days = files.len() as f64;
    let mut attrs = vec![col(c::REGION).last()];
    if dim == Dim::Org {
        attrs.extend([
            col(c::COUNTRY).last(),
            col(c::KIND).last(),
            col(c::ATTRIBUTED).last(),
        ]);
    }
    attrs.extend([
        len().cast(DataType::Int64).alias(c::DAYS),
        col(c::DOWNLOADS_30D).sum().alias(c::DOWNLOADS_30D_SUM),
        col(c::TRENDING_ENTRIES).sum(),
    ]);
    if dim == Dim::Org {
        attrs.extend([
            null_aware_sum(c::DOWNLOADS_DAY),
            col(c::BEST_TRENDING_RANK).min(),
        ]);
    }
    let rows = concat(scans, UnionArgs::default()).map_err(q)?;
    let agg = rows
        .sort(
            [key, c::DATE],
            SortMultipleOptions::default()
                .with_nulls_last(true)
                .with_maintain_order(true),
        )
        .group_by_stable([col(key)])
        .agg(attrs)
        .collect()
        .map_err(q)?;
    let sum_of = |name: &str| -> Result<f64, TransformError> {
        let s = agg
            .column(name)
            .map_err(q)?
            .cast(&DataType::Float64)
            .map_err(q)?;
        Ok(s.f64().map_err(q)?.sum().unwrap_or(0.0))
    };
    let total_dl = sum_of(c::DOWNLOADS_30D_SUM)?;
    let total_tr = sum_of(c::TRENDING_ENTRIES)?;
    let div = |name: &str, total: f64| {
        if total > 0.0 {
            col(name).cast(DataType::Float64) / lit(total)
        } else {
            lit(NULL).cast(DataType::Float64)
        }
    };
    let mut out = vec![lit(week).alias(c::WEEK), col(key), col(c::REGION)];
    if dim == Dim::Org {
        out = vec![
            lit(week).alias(c::WEEK),
            col(key),
            col(c::COUNTRY),
            col(c::REGION),
            col(c::KIND),
            col(c::ATTRIBUTED),
        ];
    }
    out.extend([
        col(c::DAYS),
        (col(c::DOWNLOADS_30D_SUM).cast(DataType::Float64) / lit(n_days)).alias(c::DOWNLOADS_30D),
    ]);
    if dim == Dim::Org {
        out.push(col(c::DOWNLOADS_DAY).alias(c::DOWNLOADS_WEEK));
    }
    out.extend([
        div(c::DOWNLOADS_30D_SUM, total_dl).alias(c::DOWNLOADS_30D_SHARE),
        col(c::TRENDING_ENTRIES),
        div(c::TRENDING_ENTRIES, total_tr).alias(c::TRENDING_SHARE),
    ]);
    if dim == Dim::Org {
        out.push(col(c::BEST_TRENDING_RANK));
    } else {
        let covered = |name: &str, total: f64| {
            if total > 0.0 {
                col(name)
                    .filter(col(c::COUNTRY).is_not_null())
                    .sum()
                    .cast(DataType::Float64)
                    / lit(total)
            } else {
                lit(NULL).cast(DataType::Float64)
            }
        };
        out.extend([
            covered(c::DOWNLOADS_30D_SUM, total_dl).alias(c::COVERAGE_DOWNLOADS_30D),
            covered(c::TRENDING_ENTRIES, total_tr).alias(c::COVERAGE_TRENDING),
        ]);
    }
    // Rank by downloads_30d (desc), ties by key; the unattributed country row is not ranked.
    agg.lazy()
        .select(out)
        .sort_by_exprs(
            [col(key).is_null(), col(c::DOWNLOADS_30D), col(key)],
            SortMultipleOptions::default()
                .with_order_descending_multi([false, true, false])
                .with_maintain_order(true),
        )
        .collect()
        .map_err(q)
}

/// Builds a weekly mart: per-week aggregates, ranks, changes against the previous week present
/// in the lake, and (orgs) the trending rank and new-entrant flag.
fn weekly(weeks: Vec<(String, Vec<PathBuf>)>, dim: Dim) -> Result<DataFrame, TransformError> {
    let key = dim.key();
    let mut prev: HashMap<Option<String>, (i64, Option<f64>)> = HashMap::new();
    let mut ever_top: HashSet<String> = HashSet::new();
    let mut frames = Vec::with_capacity(weeks.len());
    for (i, (week, files)) in weeks.iter().enumerate() {
        let q = |e| TransformError::query(dim.mart(), week, e);
        let mut df = aggregate_week(week, files, dim)?;
        let keys: Vec<Option<String>> = df
            .column(key)
            .map_err(q)?
            .str()
            .map_err(q)?
            .iter()
            .map(|k| k.map(str::to_owned))
            .collect();
        let shares: Vec<Option<f64>> = df
            .column(c::DOWNLOADS_30D_SHARE)
            .map_err(q)?
            .f64()
            .map_err(q)?
            .iter()
            .collect();
        let n = keys.len();
        let mut rank = Vec::with_capacity(n);
        let mut rank_change = Vec::with_capacity(n);
        let mut share_change = Vec::with_capacity(n);
        let mut next_rank = 0i64;
        for (k, share) in keys.iter().zip(&shares) {
            // The null country (unattributed) is listed last and not ranked.
            let r = k.as_ref().map(|_| {
                next_rank += 1;
                next_rank
            });
            rank.push(r);
            match (r, prev.get(k)) {
                (Some(r), Some((p, p_share))) => {
                    rank_change.push(Some(p - r));
                    share_change.push(share.zip(*p_share).map(|(s, p)| s - p));
                }
                _ => {
                    rank_change.push(None);
                    share_change.push(match (k, prev.get(k)) {
                        (None, Some((_, p_share))) => share.zip(*p_share).map(|(s, p)| s - p),
                        _ => None,
                    });
                }
            }
        }
        let mut columns = vec![
            Column::new(c::WEEK_RANK.into(), &rank),
            Column::new(c::RANK_CHANGE.into(), rank_change),
            Column::new(c::SHARE_CHANGE.into(), share_change),
        ];
        if dim == Dim::Org {
            columns.push(trending_rank(&df).map_err(q)?);
            // The first week of the lake has no earlier week to be new against.
            let entrant: Vec<bool> = keys
                .iter()
                .zip(&rank)
                .map(|(k, r)| {
                    i > 0
                        && r.is_some_and(|r| r <= TOP_RANK)
                        && k.as_ref().is_some_and(|k| !ever_top.contains(k))
                })
                .collect();
            columns.push(Column::new(c::NEW_ENTRANT.into(), entrant));
        }
        prev.clear();
        for ((k, r), s) in keys.into_iter().zip(&rank).zip(shares) {
            if let (Some(name), Some(r)) = (&k, r)
                && *r <= TOP_RANK
            {
                ever_top.insert(name.clone());
            }
            prev.insert(k, (r.unwrap_or(0), s));
        }
        df.hstack_mut(&columns).map_err(q)?;
        frames.push(df);
    }
    let mut frames = frames.into_iter();
    let mut out = match frames.next() {
        Some(df) => df,
        None => {
            return Err(TransformError::query(
                dim.mart(),
                "all",
                PolarsError::NoData("no weeks".into()),
            ));
        }
    };
    for df in frames {
        out.vstack_mut_owned(df)
            .map_err(|e| TransformError::query(dim.mart(), "all", e))?;
    }
    out.rechunk_mut();
    Ok(out)
}

/// Rank by trending entries (desc), ties by best trending rank then org; null without entries.
fn trending_rank(df: &DataFrame) -> PolarsResult<Column> {
    let orgs = df.column(c::ORG)?.str()?;
    let entries = df.column(c::TRENDING_ENTRIES)?.i64()?;
    let best = df.column(c::BEST_TRENDING_RANK)?.i32()?;
    let mut idx: Vec<usize> = (0..df.height())
        .filter(|&i| entries.get(i).unwrap_or(0) > 0)
        .collect();
    idx.sort_by(|&a, &b| {
        entries
            .get(b)
            .cmp(&entries.get(a))
            .then(
                best.get(a)
                    .unwrap_or(i32::MAX)
                    .cmp(&best.get(b).unwrap_or(i32::MAX)),
            )
            .then(orgs.get(a).cmp(&orgs.get(b)))
    });
    let mut rank: Vec<Option<i64>> = vec![None; df.height()];
    for (r, i) in idx.into_iter().enumerate() {
        rank[i] = Some(r as i64 + 1);
    }
    Ok(Column::new(c::TRENDING_RANK.into(), rank))
}
