//! `lineage_credit`: downloads credited to the uploader and, through lineage, to the roots.

use polars::prelude::DataFrame;

use super::{Grain, Mart};
use crate::day::Day;
use crate::error::TransformError;

/// The `lineage_credit` mart.
pub(crate) struct LineageCredit;

impl Mart for LineageCredit {
    fn name(&self) -> &'static str {
        "lineage_credit"
    }
    fn doc(&self) -> &'static str {
        "per organisation and day: downloads_30d credited directly and through lineage, derivatives"
    }
    fn grain(&self) -> Grain {
        Grain::Daily
    }
    fn uses_lineage(&self) -> bool {
        true
    }
    fn build_day(&self, day: &Day) -> Result<Option<DataFrame>, TransformError> {
        Ok(Some(day.lineage()?.0.clone()))
    }
}
