//! Time in the simulation: creation times (monotone in the model index, so index order is
//! creation order) and how many models are listed on a date.

use chrono::{DateTime, NaiveDate, Utc};

/// Seconds since the Unix epoch of 2020-01-01T00:00:00Z, the zero of the compact timestamps.
pub(crate) const EPOCH_UNIX: i64 = 1_577_836_800;
/// The simulated history starts here (seconds since [`EPOCH_UNIX`]): 2021-01-01.
const HISTORY_START: i64 = 366 * 86_400;
/// The Hub grew about this many times faster at the start date than at the history's start.
const GROWTH: f64 = 25.0;
/// Seconds per day.
pub(crate) const DAY: i64 = 86_400;

/// Days since 2020-01-01 of a date.
pub(crate) fn day_number(date: NaiveDate) -> i64 {
    let zero = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();
    (date - zero).num_days()
}

/// Compact seconds back to a UTC time.
pub(crate) fn to_utc(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(EPOCH_UNIX + secs, 0).unwrap_or_default()
}

/// The population's calendar.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    /// Models listed on the start date.
    pub initial: usize,
    /// New models per day after the start date.
    pub per_day: usize,
    /// Day number of the start date.
    pub start_day: i64,
}

impl Clock {
    /// The calendar of a population of `initial` models on `start`.
    pub(crate) fn new(initial: usize, start: NaiveDate) -> Clock {
        Clock {
            initial: initial.max(1),
            per_day: (initial / 200).max(1),
            start_day: day_number(start),
        }
    }

    /// End of a day (the next midnight), compact seconds: a day's snapshot is taken then.
    pub(crate) fn end_of(day: i64) -> i64 {
        (day + 1) * DAY
    }

    /// Creation time of model `i`, compact seconds; strictly increasing in `i` in practice.
    pub(crate) fn created(&self, i: usize) -> i64 {
        if i < self.initial {
            // Exponential growth: the inverse CDF of a density growing GROWTH-fold over the span.
            let span = (Clock::end_of(self.start_day) - HISTORY_START) as f64;
            let x = (i as f64 + 0.5) / self.initial as f64;
            let f = (1.0 + x * (GROWTH - 1.0)).ln() / GROWTH.ln();
            HISTORY_START + (f * span) as i64
        } else {
            let k = i - self.initial;
            let day = self.start_day + 1 + (k / self.per_day) as i64;
            let slot = (k % self.per_day) as f64 + 0.5;
            day * DAY + (slot / self.per_day as f64 * DAY as f64) as i64
        }
    }

    /// Number of models listed on a day (created before its end).
    pub(crate) fn count(&self, day: i64) -> usize {
        if day >= self.start_day {
            self.initial + self.per_day * (day - self.start_day) as usize
        } else {
            let end = Clock::end_of(day);
            let (mut lo, mut hi) = (0usize, self.initial);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if self.created(mid) < end {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            lo
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creation_is_monotone_and_counts_match_creation_times() {
        let start = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default();
        let c = Clock::new(10_000, start);
        let day = day_number(start);
        assert_eq!(c.count(day), 10_000);
        assert_eq!(c.count(day + 3), 10_000 + 3 * 50);
        for i in 1..(c.count(day + 5)) {
            assert!(c.created(i) > c.created(i - 1), "not increasing at {i}");
        }
        for d in [day - 400, day - 30, day - 1] {
            let n = c.count(d);
            assert!(n < 10_000);
            assert!(c.created(n - 1) < Clock::end_of(d));
            assert!(c.created(n) >= Clock::end_of(d));
        }
        // New models of a day are created on that day.
        let first_new = c.created(10_000);
        assert_eq!(first_new / DAY, day + 1);
    }
}
