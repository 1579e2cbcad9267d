//! `country_daily`: per country and day, with the unattributed (null country) row and coverage.

use polars::prelude::DataFrame;

use super::{Grain, Mart};
use crate::day::Day;
use crate::error::TransformError;

/// The `country_daily` mart.
pub(crate) struct CountryDaily;

impl Mart for CountryDaily {
    fn name(&self) -> &'static str {
        "country_daily"
    }
    fn doc(&self) -> &'static str {
        "per country and day (null country = unattributed): downloads, trending, shares, coverage"
    }
    fn grain(&self) -> Grain {
        Grain::Daily
    }
    fn build_day(&self, day: &Day) -> Result<Option<DataFrame>, TransformError> {
        Ok(Some(day.countries()?.clone()))
    }
}
