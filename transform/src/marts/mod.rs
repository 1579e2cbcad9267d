//! The marts: one file per mart, each a small [`Mart`] implementation, listed in [`MARTS`].

use polars::prelude::DataFrame;

use crate::day::Day;
use crate::error::TransformError;
use crate::history::History;

mod concentration;
mod country_daily;
mod country_weekly;
mod lineage_credit;
mod model_daily;
mod movers;
mod org_daily;
mod org_weekly;

/// How a mart is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    /// One piece per snapshot day, from that day alone (cached; recomputed only when the day
    /// or an earlier one changes); the mart file is the pieces in date order.
    Daily,
    /// Computed from the daily pieces of the whole lake (weeks, ranks against earlier weeks).
    History,
}

/// A mart: a name (file, CLI value, table heading), a one-line doc, and how to build it.
pub trait Mart: Sync {
    /// The mart's name: `{lake}/marts/<name>.parquet`.
    fn name(&self) -> &'static str;
    /// One line for `--help` and the README.
    fn doc(&self) -> &'static str;
    /// Whether it is built per day or from the whole history.
    fn grain(&self) -> Grain;
    /// Whether a daily mart reads the day's lineage walk (its piece is built after the walk,
    /// while the other pieces are written during it).
    fn uses_lineage(&self) -> bool {
        false
    }
    /// A daily mart's rows for one day (`Grain::Daily` marts only).
    fn build_day(&self, _day: &Day) -> Result<Option<DataFrame>, TransformError> {
        Ok(None)
    }
    /// A history mart's rows (`Grain::History` marts only).
    fn build_history(&self, _history: &History) -> Result<Option<DataFrame>, TransformError> {
        Ok(None)
    }
}

/// Every mart, in build and listing order (daily marts first: the history marts read them).
pub static MARTS: &[&dyn Mart] = &[
    &model_daily::ModelDaily,
    &org_daily::OrgDaily,
    &country_daily::CountryDaily,
    &lineage_credit::LineageCredit,
    &concentration::ConcentrationMart,
    &org_weekly::OrgWeekly,
    &country_weekly::CountryWeekly,
    &movers::Movers,
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn names_are_unique_and_history_marts_come_after_daily_ones() {
        let names: HashSet<_> = MARTS.iter().map(|m| m.name()).collect();
        assert_eq!(names.len(), MARTS.len());
        let first_history = MARTS
            .iter()
            .position(|m| m.grain() == Grain::History)
            .unwrap_or(MARTS.len());
        assert!(
            MARTS[first_history..]
                .iter()
                .all(|m| m.grain() == Grain::History)
        );
        assert!(MARTS.iter().all(|m| !m.doc().is_empty()));
    }
}
