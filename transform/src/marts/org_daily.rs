//! `org_daily`: per organisation and day, models, downloads, likes and trending entries.

use polars::prelude::DataFrame;

use super::{Grain, Mart};
use crate::day::Day;
use crate::error::TransformError;

/// The `org_daily` mart.
pub(crate) struct OrgDaily;

impl Mart for OrgDaily {
    fn name(&self) -> &'static str {
        "org_daily"
    }
    fn doc(&self) -> &'static str {
        "per organisation and day: models, new models, downloads, likes, trending entries, shares"
    }
    fn grain(&self) -> Grain {
        Grain::Daily
    }
    fn build_day(&self, day: &Day) -> Result<Option<DataFrame>, TransformError> {
        Ok(Some(day.orgs()?.clone()))
    }
}
