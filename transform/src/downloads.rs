//! Daily downloads from `downloads_all_time` differences between a model's consecutive snapshots.
//!
//! The state carried from day to day is, per model id, the date and value of its last non-null
//! `downloads_all_time`. Day D's `model_daily` rows need only D's models and that state, so the
//! days are processed one at a time in bounded memory (one day of models plus the state), and an
//! appended day needs only the state saved after the previous one.

use std::collections::BTreeMap;

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

/// One day's step of the daily downloads: its `model_daily` rows, the state after it, and
/// its rows per flag.
pub(crate) struct Step {
    /// date, id, org, downloads_all_time, downloads_day, gap_days, flag; in `models`' order.
    pub model_daily: DataFrame,
    /// The state after the day (id, last_date, last_all_time), sorted by id, one row per id.
    pub next_state: DataFrame,
    /// `model_daily` rows per flag.
    pub flags: BTreeMap<String, u64>,
}

/// Computes one day's [`Step`] from `models` (id, org, downloads_all_time; sorted by id) and
/// `state` (sorted by id, unique ids); `day` is the date as days since 1970-01-01.
///
/// Rules (first match wins): all-time null -> `no_all_time`; no earlier value -> `first_seen`;
/// negative difference -> `negative_dropped`; gap of k > 1 days -> `gap_spread` with the
/// difference spread evenly over the k days, the observed day carrying floor(delta / k) plus
/// the remainder; else `ok` with the difference. The state after the day: every model with a
/// non-null all-time value that day takes that value and date (the last row when a snapshot
/// repeats an id); the others keep theirs.
///
/// Both inputs are sorted by id, so this is one merge pass in plain Rust: no hashing of the
/// million string ids a day (a Polars hash join, anti join and re-sort cost several times more).
pub(crate) fn step(models: &DataFrame, state: &DataFrame, day: i32) -> PolarsResult<Step> {
    let ids = models.column(c::ID)?.str()?;
    let ids: Vec<&str> = ids.iter().map(Option::unwrap_or_default).collect();
    let all_time: Vec<Option<i64>> = models
        .column(c::DOWNLOADS_ALL_TIME)?
        .i64()?
        .iter()
        .collect();
    let state_ids = state.column(c::ID)?.str()?;
    let state_ids: Vec<&str> = state_ids.iter().map(Option::unwrap_or_default).collect();
    let state_dates = state.column(c::LAST_DATE)?.cast(&DataType::Int32)?;
    let state_dates: Vec<Option<i32>> = state_dates.i32()?.iter().collect();
    let state_values: Vec<Option<i64>> = state.column(c::LAST_ALL_TIME)?.i64()?.iter().collect();

    let n = ids.len();
    let mut downloads_day: Vec<Option<i64>> = Vec::with_capacity(n);
    let mut gap_days: Vec<Option<i32>> = Vec::with_capacity(n);
    let mut flags: Vec<&'static str> = Vec::with_capacity(n);
    let mut j = 0usize;
    for (id, &value) in ids.iter().zip(&all_time) {
        while j < state_ids.len() && state_ids[j] < *id {
            j += 1;
        }
        let (last_date, last_value) = if j < state_ids.len() && state_ids[j] == *id {
            (state_dates[j], state_values[j])
        } else {
            (None, None)
        };
        let (flag, daily, gap) = classify(value, last_date, last_value, day);
        flags.push(flag);
        downloads_day.push(daily);
        gap_days.push(gap);
    }
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for flag in [
        c::FLAG_FIRST_SEEN,
        c::FLAG_GAP_SPREAD,
        c::FLAG_NEGATIVE_DROPPED,
        c::FLAG_NO_ALL_TIME,
        c::FLAG_OK,
    ] {
        let k = flags.iter().filter(|f| **f == flag).count() as u64;
        if k > 0 {
            counts.insert(flag.to_owned(), k);
        }
    }
    let dates = Column::new(c::DATE.into(), vec![day; n]).cast(&DataType::Date)?;
    let model_daily = DataFrame::new(
        n,
        vec![
            dates,
            models.column(c::ID)?.clone(),
            models.column(c::ORG)?.clone(),
            models.column(c::DOWNLOADS_ALL_TIME)?.clone(),
            Column::new(c::DOWNLOADS_DAY.into(), downloads_day),
            Column::new(c::GAP_DAYS.into(), gap_days),
            Column::new(c::FLAG.into(), flags),
        ],
    )?;
    let next_state = merge_state(
        &ids,
        &all_time,
        &state_ids,
        &state_dates,
        &state_values,
        day,
    )?;
    Ok(Step {
        model_daily,
        next_state,
        flags: counts,
    })
}

/// One row's flag, downloads_day and gap_days (see [`step`]).
fn classify(
    value: Option<i64>,
    last_date: Option<i32>,
    last_value: Option<i64>,
    day: i32,
) -> (&'static str, Option<i64>, Option<i32>) {
    let Some(value) = value else {
        return (c::FLAG_NO_ALL_TIME, None, None);
    };
    let Some(last_value) = last_value else {
        return (c::FLAG_FIRST_SEEN, None, None);
    };
    // Wrapping like Polars' integer arithmetic (counts never come near i64::MAX).
    let delta = value.wrapping_sub(last_value);
    let gap = last_date.map(|d| day.wrapping_sub(d));
    if delta < 0 {
        return (c::FLAG_NEGATIVE_DROPPED, None, gap);
    }
    match gap {
        Some(k) if k > 1 => {
            let k = i64::from(k);
            // The observed day's part: floor(delta / k) + delta mod k (delta >= 0 here).
            let part = delta - (k - 1) * delta.div_euclid(k);
            (c::FLAG_GAP_SPREAD, Some(part), gap)
        }
        _ => (c::FLAG_OK, Some(delta), gap),
    }
}

/// The state after a day, by merging the sorted previous state with the day's sorted rows that
/// have an all-time value (today's row wins for an id in both; the last of a repeated id wins).
fn merge_state(
    ids: &[&str],
    all_time: &[Option<i64>],
    state_ids: &[&str],
    state_dates: &[Option<i32>],
    state_values: &[Option<i64>],
    day: i32,
) -> PolarsResult<DataFrame> {
    let cap = ids.len() + state_ids.len();
    let mut out_ids: Vec<&str> = Vec::with_capacity(cap);
    let mut out_dates: Vec<Option<i32>> = Vec::with_capacity(cap);
    let mut out_values: Vec<Option<i64>> = Vec::with_capacity(cap);
    // Today's rows with a value, one per id (the last one).
    let mut today = ids
        .iter()
        .zip(all_time)
        .enumerate()
        .filter_map(|(i, (id, v))| {
            let v = (*v)?;
            let repeated_later = ids[i + 1..]
                .iter()
                .zip(&all_time[i + 1..])
                .take_while(|(next, _)| *next == id)
                .any(|(_, next_v)| next_v.is_some());
            (!repeated_later).then_some((*id, v))
        })
        .peekable();
    let mut j = 0usize;
    loop {
        match (today.peek(), state_ids.get(j)) {
            (Some(&(id, v)), Some(&sid)) if id <= sid => {
                if id == sid {
                    j += 1;
                }
                out_ids.push(id);
                out_dates.push(Some(day));
                out_values.push(Some(v));
                today.next();
            }
            (Some(&(id, v)), None) => {
                out_ids.push(id);
                out_dates.push(Some(day));
                out_values.push(Some(v));
                today.next();
            }
            (_, Some(&sid)) => {
                out_ids.push(sid);
                out_dates.push(state_dates[j]);
                out_values.push(state_values[j]);
                j += 1;
            }
            (None, None) => break,
        }
    }
    let n = out_ids.len();
    DataFrame::new(
        n,
        vec![
            Column::new(c::ID.into(), out_ids),
            Column::new(c::LAST_DATE.into(), out_dates).cast(&DataType::Date)?,
            Column::new(c::LAST_ALL_TIME.into(), out_values),
        ],
    )
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
            let step = step(m, &state, *day).unwrap();
            out.push(step.model_daily);
            state = step.next_state;
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

    // The Polars queries this module replaced (a left join, an anti join and a sort on the ids),
    // kept as the reference the merge must agree with.
    /// `model_daily` rows of one day: date, id, org, downloads_all_time, downloads_day, gap_days,
    /// flag; in `models`' order (sorted by id).
    ///
    /// `models` holds id, org, downloads_all_time; `day` is the date as days since 1970-01-01.
    /// Rules (first match wins): all-time null -> `no_all_time`; no earlier value -> `first_seen`;
    /// negative difference -> `negative_dropped`; gap of k > 1 days -> `gap_spread` with the
    /// difference spread evenly over the k days, the observed day carrying floor(delta / k) plus
    /// the remainder; else `ok` with the difference.
    fn model_daily(models: &DataFrame, state: &DataFrame, day: i32) -> PolarsResult<DataFrame> {
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
        let left =
            models
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
    fn next_state(state: &DataFrame, models: &DataFrame, day: i32) -> PolarsResult<DataFrame> {
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

    /// A small deterministic generator (no dependency): xorshift64.
    fn next(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn the_merge_agrees_with_the_polars_queries_it_replaced() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut state = empty_state();
        let mut reference_state = empty_state();
        let mut day = 20_000;
        let mut values: Vec<i64> = vec![0; 60];
        for _ in 0..25 {
            // Skip 0-2 days: gaps; a random subset of 60 ids, some repeated, some values null,
            // some lower than before (resets).
            day += 1 + (next(&mut seed) % 3) as i32;
            let mut ids = Vec::new();
            let mut all_time = Vec::new();
            for (k, v) in values.iter_mut().enumerate() {
                let r = next(&mut seed) % 10;
                if r < 3 {
                    continue;
                }
                *v += (next(&mut seed) % 50) as i64 - if r == 9 { 40 } else { 0 };
                let repeats = if r == 8 { 2 } else { 1 };
                for _ in 0..repeats {
                    ids.push(format!("m{k:03}"));
                    all_time.push((!next(&mut seed).is_multiple_of(7)).then_some(*v));
                }
            }
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            let m = models(&ids, &all_time);
            let got = step(&m, &state, day).unwrap();
            let want = model_daily(&m, &reference_state, day).unwrap();
            assert!(got.model_daily.equals_missing(&want), "day {day}");
            let want_state = next_state(&reference_state, &m, day).unwrap();
            assert!(got.next_state.equals_missing(&want_state), "day {day}");
            let mut counts = BTreeMap::new();
            for f in flags(&want) {
                *counts.entry(f).or_insert(0u64) += 1;
            }
            assert_eq!(got.flags, counts);
            state = got.next_state;
            reference_state = want_state;
        }
    }
}
