//! Small shared pieces of the daily queries: typed literals, null-aware sums, shares, dates.

use chrono::NaiveDate;
use polars::prelude::*;

use crate::error::TransformError;

/// Days since 1970-01-01 (the Date32 representation).
pub(crate) fn epoch_days(date: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (date - epoch).num_days() as i32
}

/// The ISO week of a date, `YYYY-Www`.
pub(crate) fn iso_week(date: NaiveDate) -> String {
    let w = chrono::Datelike::iso_week(&date);
    format!("{}-W{:02}", w.year(), w.week())
}

/// An Int64 literal (a bare `lit(1i64)` is a "dynamic int" that Polars may resolve to Int32).
pub(crate) fn int(v: i64) -> Expr {
    lit(v).cast(DataType::Int64)
}

/// Sum of a column, null when every value is null (Polars' plain sum would say 0).
pub(crate) fn null_aware_sum(name: &str) -> Expr {
    when(col(name).count().gt(lit(0)))
        .then(col(name).sum())
        .otherwise(lit(NULL).cast(DataType::Int64))
        .alias(name)
}

/// `name / total` as Float64, null when the total is 0.
pub(crate) fn share(name: &str, total: f64) -> Expr {
    if total > 0.0 {
        col(name).cast(DataType::Float64) / lit(total)
    } else {
        lit(NULL).cast(DataType::Float64)
    }
}

/// `part / total` as a Float64 literal, null when the total is 0.
pub(crate) fn ratio(part: f64, total: f64) -> Expr {
    if total > 0.0 {
        lit(part / total)
    } else {
        lit(NULL).cast(DataType::Float64)
    }
}

/// Returns `df` sorted by `key` (stable); a no-op when the snapshot already honours its sort
/// contract, which is checked in one pass.
pub(crate) fn sorted_by(
    df: DataFrame,
    key: &'static str,
    scope: &str,
) -> Result<DataFrame, TransformError> {
    let q = |e| TransformError::query("snapshot order", scope, e);
    let column = df.column(key).map_err(q)?.as_materialized_series().clone();
    let sorted = match column.dtype() {
        DataType::String => {
            let s = column.str().map_err(q)?;
            s.iter().zip(s.iter().skip(1)).all(|(a, b)| a <= b)
        }
        _ => {
            let s = column.cast(&DataType::Int64).map_err(q)?;
            let s = s.i64().map_err(q)?;
            s.iter().zip(s.iter().skip(1)).all(|(a, b)| a <= b)
        }
    };
    if sorted {
        return Ok(df);
    }
    tracing::warn!(%scope, key, "snapshot rows not sorted as DESIGN.md says; sorting");
    df.sort(
        [key],
        SortMultipleOptions::default().with_maintain_order(true),
    )
    .map_err(q)
}
