//! `org_weekly`: ISO-week rollup of `org_daily` with ranks and changes.

use polars::prelude::DataFrame;

use super::{Grain, Mart};
use crate::error::TransformError;
use crate::history::History;

/// The `org_weekly` mart.
pub(crate) struct OrgWeekly;

impl Mart for OrgWeekly {
    fn name(&self) -> &'static str {
        "org_weekly"
    }
    fn doc(&self) -> &'static str {
        "per organisation and ISO week: mean downloads_30d, weekly downloads, ranks, changes, new entrants"
    }
    fn grain(&self) -> Grain {
        Grain::History
    }
    fn build_history(&self, history: &History) -> Result<Option<DataFrame>, TransformError> {
        Ok(Some(history.org_weekly()?.clone()))
    }
}
