//! `model_daily`: per model and day, the downloads derived from `downloads_all_time`.

use polars::prelude::DataFrame;

use super::{Grain, Mart};
use crate::day::Day;
use crate::error::TransformError;

/// The `model_daily` mart.
pub(crate) struct ModelDaily;

impl Mart for ModelDaily {
    fn name(&self) -> &'static str {
        "model_daily"
    }
    fn doc(&self) -> &'static str {
        "per model and day: downloads_day from downloads_all_time differences, gap_days, flag"
    }
    fn grain(&self) -> Grain {
        Grain::Daily
    }
    fn build_day(&self, day: &Day) -> Result<Option<DataFrame>, TransformError> {
        Ok(Some(day.model_daily().clone()))
    }
}
