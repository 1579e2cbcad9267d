//! ISO weeks (`2026-W47`) and the choice of the week to report.

use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::error::ReportError;

/// The flag a user sets to pick a week; errors name it.
pub(crate) const WEEK_FLAG: &str = "--week";

/// An ISO 8601 week, written `YYYY-Www`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    year: i32,
    week: u32,
}

impl IsoWeek {
    /// Parses `YYYY-Www` (e.g. `2026-W47`); `None` unless the week exists in that ISO year.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, week) = text.split_once("-W")?;
        if year.len() != 4
            || week.len() != 2
            || !year.bytes().chain(week.bytes()).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let week: u32 = week.parse().ok()?;
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
        Some(Self { year, week })
    }

    /// The ISO week a date falls in.
    pub fn of(date: NaiveDate) -> Self {
        let iso = date.iso_week();
        Self {
            year: iso.year(),
            week: iso.week(),
        }
    }

    /// The week's Monday.
    pub fn monday(self) -> NaiveDate {
        // Constructed only from valid weeks, so the date exists.
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon).unwrap_or_default()
    }

    /// The week's Sunday.
    pub fn sunday(self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Sun).unwrap_or_default()
    }

    /// The short label used on chart axes (`W47`).
    pub fn short(self) -> String {
        format!("W{:02}", self.week)
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

/// One week the marts hold, with how many snapshot days it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WeekDays {
    pub week: IsoWeek,
    pub days: i64,
}

/// The chosen week and whether it is still incomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Chosen {
    pub week: IsoWeek,
    pub partial: bool,
}

/// A week is complete with 7 snapshot days, or once its Sunday is before the latest snapshot.
fn complete(w: &WeekDays, latest: NaiveDate) -> bool {
    w.days >= 7 || w.week.sunday() < latest
}

/// Picks the week to report: `requested` when given (it must exist), else the last complete
/// week, else the latest week (flagged partial). `weeks` is sorted oldest first.
pub(crate) fn choose(
    weeks: &[WeekDays],
    latest: NaiveDate,
    requested: Option<&str>,
) -> Result<Chosen, ReportError> {
    let available = || weeks.iter().map(|w| w.week.to_string()).collect::<Vec<_>>();
    if let Some(text) = requested {
        let week = IsoWeek::parse(text.trim()).ok_or_else(|| ReportError::BadWeek {
            flag: WEEK_FLAG,
            value: text.to_string(),
        })?;
        let found =
            weeks
                .iter()
                .find(|w| w.week == week)
                .ok_or_else(|| ReportError::WeekNotFound {
                    flag: WEEK_FLAG,
                    value: week.to_string(),
                    available: available(),
                })?;
        return Ok(Chosen {
            week,
            partial: !complete(found, latest),
        });
    }
    if let Some(w) = weeks.iter().rev().find(|w| complete(w, latest)) {
        return Ok(Chosen {
            week: w.week,
            partial: false,
        });
    }
    weeks
        .last()
        .map(|w| Chosen {
            week: w.week,
            partial: true,
        })
        .ok_or_else(|| ReportError::WeekNotFound {
            flag: WEEK_FLAG,
            value: String::from("(default)"),
            available: Vec::new(),
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn wd(s: &str, days: i64) -> WeekDays {
        WeekDays {
            week: IsoWeek::parse(s).unwrap(),
            days,
        }
    }

    #[test]
    fn parses_and_prints_iso_weeks() {
        let w = IsoWeek::parse("2026-W47").unwrap();
        assert_eq!(w.to_string(), "2026-W47");
        assert_eq!(w.monday(), d("2026-11-16"));
        assert_eq!(w.sunday(), d("2026-11-22"));
        assert_eq!(IsoWeek::of(d("2026-11-22")), w);
        // 2026 has 53 ISO weeks, 2025 has 52.
        assert!(IsoWeek::parse("2026-W53").is_some());
        assert!(IsoWeek::parse("2025-W53").is_none());
        for bad in [
            "2026-47", "2026-W7", "26-W47", "2026-W00", "2026-w47", "2026-W4a", "",
        ] {
            assert!(IsoWeek::parse(bad).is_none(), "{bad}");
        }
        assert!(IsoWeek::parse("2026-W09") < IsoWeek::parse("2026-W10"));
        assert!(IsoWeek::parse("2025-W52") < IsoWeek::parse("2026-W01"));
    }

    #[test]
    fn default_is_last_complete_week() {
        let weeks = [wd("2026-W45", 7), wd("2026-W46", 7), wd("2026-W47", 3)];
        // Latest snapshot on Wednesday of W47: W47 is partial, W46 is the last complete.
        let c = choose(&weeks, d("2026-11-18"), None).unwrap();
        assert_eq!(c.week.to_string(), "2026-W46");
        assert!(!c.partial);
        // A week with a missed day counts as complete once the next week has a snapshot.
        let weeks = [wd("2026-W46", 6), wd("2026-W47", 1)];
        let c = choose(&weeks, d("2026-11-16"), None).unwrap();
        assert_eq!(c.week.to_string(), "2026-W46");
    }

    #[test]
    fn default_falls_back_to_latest_partial_week() {
        let weeks = [wd("2026-W47", 3)];
        let c = choose(&weeks, d("2026-11-18"), None).unwrap();
        assert_eq!(c.week.to_string(), "2026-W47");
        assert!(c.partial);
    }

    #[test]
    fn requested_week_must_exist_and_parse() {
        let weeks = [wd("2026-W46", 7), wd("2026-W47", 7)];
        let c = choose(&weeks, d("2026-11-22"), Some("2026-W46")).unwrap();
        assert_eq!(c.week.to_string(), "2026-W46");
        let err = choose(&weeks, d("2026-11-22"), Some("2026-W40")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("--week") && msg.contains("2026-W40"), "{msg}");
        assert!(msg.contains("2026-W46, 2026-W47"), "{msg}");
        let msg = choose(&weeks, d("2026-11-22"), Some("last week"))
            .unwrap_err()
            .to_string();
        assert!(msg.contains("--week") && msg.contains("last week"), "{msg}");
    }
}
