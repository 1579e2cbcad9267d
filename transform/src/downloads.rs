//! Daily downloads from `downloads_all_time` differences between a model's consecutive snapshots.
//!
//! The state carried from day to day is, per model id, the date and value of its last non-null
//! `downloads_all_time`. Day D's `model_daily` rows need only D's models and that state, so the
//! days are processed one at a time in bounded memory (one day of models plus the state), and an
//! appended day needs only the state saved after the previous one.

use polars::prelude::*;

use crate::columns as c;

/// An empty state: no model seen yet.
pub(crate) fn empty_state() -> DataFrame {
    DataFrame::new_infer_height(vec![
        Column::new_empty(c::ID.into(), &DataType::String),
        Column::new_empty(c::LAST_DATE.into(), &DataType::Date),
        Column::new_empty(c::LAST_ALL_TIME.into(), &DataType::Int64),
    ])
    .unwrap_or_default()
}

/// `model_daily` rows of one day: date, id, org, downloads_all_time, downloads_day, gap_days,
/// flag; in `models`' order (sorted by id).
///
/// `models` holds id, org, downloads_all_time; `day` is the date as days since 1970-01-01.
/// Rules (first match wins): all-time null -> `no_all_time`; no earlier value -> `first_seen`;
/// negative difference -> `negative_dropped`; gap of k > 1 days -> `gap_spread` with the
/// difference spread evenly over the k days, the observed day carrying floor(delta / k) plus
/// the remainder; else `ok` with the difference.
pub(crate) fn model_daily(
    models: &DataFrame,
    state: &DataFrame,
    day: i32,
) -> PolarsResult<DataFrame> {
    let delta = col(c::DOWNLOADS_ALL_TIME) - col(c::LAST_ALL_TIME);
    let gap = lit(day) - col(c::LAST_DATE).cast(DataType::Int32);
    let flag = when(col(c::DOWNLOADS_ALL_TIME).is_null())
        .then(lit(c::FLAG_NO_ALL_TIME))
        .when(col(c::LAST_ALL_TIME).is_null())
        .then(lit(c::FLAG_FIRST_SEEN))
        .when(delta.clone().lt(lit(0i64)))
        .then(lit(c::FLAG_NEGATIVE_DROPPED))
        .when(gap.clone().gt(lit(1i32)))
        .then(lit(c::FLAG_GAP_SPREAD))
        .otherwise(lit(c::FLAG_OK));
    let gap64 = col(c::GAP_DAYS).cast(DataType::Int64);
    let spread = col("_delta") - (gap64.clone() - lit(1i64)) * col("_delta").floor_div(gap64);
    let downloads_day = when(col(c::FLAG).eq(lit(c::FLAG_OK)))
        .then(col("_delta"))
        .when(col(c::FLAG).eq(lit(c::FLAG_GAP_SPREAD)))
        .then(spread)
        .otherwise(lit(NULL).cast(DataType::Int64));
    let left = models
        .clone()
        .lazy()
        .select([col(c::ID), col(c::ORG), col(c::DOWNLOADS_ALL_TIME)]);
    crate::attribution::left_join_ordered(left, state.clone().lazy(), c::ID)
        .with_columns([
            delta.alias("_delta"),
            gap.clone().alias(c::GAP_DAYS),
            flag.alias(c::FLAG),
        ])
        .with_columns([
            downloads_day.alias(c::DOWNLOADS_DAY),
            when(
                col(c::LAST_ALL_TIME)
                    .is_null()
                    .or(col(c::DOWNLOADS_ALL_TIME).is_null()),
            )
            .then(lit(NULL).cast(DataType::Int32))
            .otherwise(col(c::GAP_DAYS))
            .alias(c::GAP_DAYS),
        ])
        .select([
            lit(day).cast(DataType::Date).alias(c::DATE),
            col(c::ID),
            col(c::ORG),
            col(c::DOWNLOADS_ALL_TIME),
            col(c::DOWNLOADS_DAY),
            col(c::GAP_DAYS),
            col(c::FLAG),
        ])
        .collect()
}

/// The state after a day: every model with a non-null all-time value that day takes that value
/// and date; the others keep theirs. Sorted by id.
pub(crate) fn next_state(
    state: &DataFrame,
    models: &DataFrame,
    day: i32,
) -> PolarsResult<DataFrame> {
    let today = models
        .clone()
        .lazy()
        .filter(col(c::DOWNLOADS_ALL_TIME).is_not_null())
        .select([
            col(c::ID),
            lit(day).cast(DataType::Date).alias(c::LAST_DATE),
            col(c::DOWNLOADS_ALL_TIME).alias(c::LAST_ALL_TIME),
        ])
        // One state row per id even if a snapshot repeated a model.
        .unique_stable(Some(cols([c::ID])), UniqueKeepStrategy::Last);
    let kept = state.clone().lazy().join(
        today.clone(),
        [col(c::ID)],
        [col(c::ID)],
        JoinArgs::new(JoinType::Anti),
    );
    concat([kept, today], UnionArgs::default())?
        .sort(
            [c::ID],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn models(ids: &[&str], all_time: &[Option<i64>]) -> DataFrame {
        DataFrame::new_infer_height(vec![
            Column::new(c::ID.into(), ids),
            Column::new(c::ORG.into(), vec!["o"; ids.len()]),
            Column::new(c::DOWNLOADS_ALL_TIME.into(), all_time),
        ])
        .unwrap()
    }

    fn run(days: &[(i32, DataFrame)]) -> Vec<DataFrame> {
        let mut state = empty_state();
        let mut out = Vec::new();
        for (day, m) in days {
            out.push(model_daily(m, &state, *day).unwrap());
            state = next_state(&state, m, *day).unwrap();
        }
        out
    }

    fn flags(df: &DataFrame) -> Vec<String> {
        df.column(c::FLAG)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|s| s.unwrap().to_owned())
            .collect()
    }

    fn daily(df: &DataFrame) -> Vec<Option<i64>> {
        df.column(c::DOWNLOADS_DAY)
            .unwrap()
            .i64()
            .unwrap()
            .iter()
            .collect()
    }

    #[test]
    fn first_ok_gap_negative_and_missing_values() {
        let out = run(&[
            (100, models(&["a", "b", "c"], &[Some(10), Some(50), None])),
            (101, models(&["a", "b", "c"], &[Some(15), Some(40), None])),
            // a: gap of 3 days, 10 downloads -> 3 + remainder 1 on the observed day = 4.
            (104, models(&["a", "b"], &[Some(25), Some(41)])),
        ]);
        assert_eq!(flags(&out[0]), ["first_seen", "first_seen", "no_all_time"]);
        assert_eq!(daily(&out[0]), [None, None, None]);
        assert_eq!(flags(&out[1]), ["ok", "negative_dropped", "no_all_time"]);
        assert_eq!(daily(&out[1]), [Some(5), None, None]);
        assert_eq!(flags(&out[2]), ["gap_spread", "gap_spread"]);
        assert_eq!(daily(&out[2]), [Some(4), Some(1)]);
        let gaps: Vec<_> = out[2]
            .column(c::GAP_DAYS)
            .unwrap()
            .i32()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(gaps, [Some(3), Some(3)]);
    }
}
