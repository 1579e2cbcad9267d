//! `movers`: per week, the biggest rank gains among the leading organisations and the new
//! entrants to the top 20.

use polars::prelude::*;

use super::{Grain, Mart};
use crate::columns as c;
use crate::error::TransformError;
use crate::history::History;

/// Only organisations ranked this high (or better) this week can be "gain" movers: a jump from
/// rank 40,000 to 20,000 is noise, not news.
pub(crate) const GAIN_RANK_LIMIT: i64 = 100;

/// Gain movers listed per week.
pub(crate) const GAINS_PER_WEEK: u32 = 10;

/// The `movers` mart.
pub(crate) struct Movers;

impl Mart for Movers {
    fn name(&self) -> &'static str {
        "movers"
    }
    fn doc(&self) -> &'static str {
        "per ISO week: top-10 rank gains within the top 100, and new entrants to the top 20"
    }
    fn grain(&self) -> Grain {
        Grain::History
    }
    fn build_history(&self, history: &History) -> Result<Option<DataFrame>, TransformError> {
        let q = |e| TransformError::query("movers", "all", e);
        let weekly = history.org_weekly()?.clone().lazy();
        let columns = |kind: &str| {
            [
                col(c::WEEK),
                col(c::ORG),
                col(c::COUNTRY),
                lit(kind).alias(c::KIND),
                col(c::WEEK_RANK),
                (col(c::WEEK_RANK) + col(c::RANK_CHANGE)).alias(c::PREVIOUS_RANK),
                col(c::RANK_CHANGE),
            ]
        };
        let gains = weekly
            .clone()
            .filter(
                col(c::RANK_CHANGE)
                    .gt(lit(0i64))
                    .and(col(c::WEEK_RANK).lt_eq(lit(GAIN_RANK_LIMIT))),
            )
            .sort_by_exprs(
                [col(c::WEEK), col(c::RANK_CHANGE), col(c::WEEK_RANK)],
                SortMultipleOptions::default()
                    .with_order_descending_multi([false, true, false])
                    .with_maintain_order(true),
            )
            .group_by_stable([col(c::WEEK)])
            .head(Some(GAINS_PER_WEEK as usize))
            .select(columns(c::MOVER_GAIN));
        let entrants = weekly
            .filter(col(c::NEW_ENTRANT))
            .select(columns(c::MOVER_NEW_ENTRANT));
        let df = concat([gains, entrants], UnionArgs::default())
            .map_err(q)?
            .sort(
                [c::WEEK, c::KIND, c::WEEK_RANK],
                SortMultipleOptions::default().with_maintain_order(true),
            )
            .collect()
            .map_err(q)?;
        Ok(Some(df))
    }
}
