//! `country_weekly`: ISO-week rollup of `country_daily` with ranks and changes.

use polars::prelude::DataFrame;

use super::{Grain, Mart};
use crate::error::TransformError;
use crate::history::History;

/// The `country_weekly` mart.
pub(crate) struct CountryWeekly;

impl Mart for CountryWeekly {
    fn name(&self) -> &'static str {
        "country_weekly"
    }
    fn doc(&self) -> &'static str {
        "per country and ISO week: mean downloads_30d, trending, coverage, ranks, changes"
    }
    fn grain(&self) -> Grain {
        Grain::History
    }
    fn build_history(&self, history: &History) -> Result<Option<DataFrame>, TransformError> {
        Ok(Some(history.country_weekly()?))
    }
}
