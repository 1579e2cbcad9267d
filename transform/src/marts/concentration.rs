//! `concentration`: HHI, top-k shares and Gini per day, by organisation and by country.

use polars::prelude::*;

use super::{Grain, Mart};
use crate::columns as c;
use crate::day::Day;
use crate::error::TransformError;
use crate::exprs::epoch_days;
use crate::stats::concentration;

/// The `concentration` mart.
pub(crate) struct ConcentrationMart;

impl Mart for ConcentrationMart {
    fn name(&self) -> &'static str {
        "concentration"
    }
    fn doc(&self) -> &'static str {
        "per day, dimension (org/country) and measure: HHI, top-1/5/10 shares, Gini"
    }
    fn grain(&self) -> Grain {
        Grain::Daily
    }
    fn build_day(&self, day: &Day) -> Result<Option<DataFrame>, TransformError> {
        let q = |e| TransformError::query("concentration", day.date(), e);
        let orgs = day.orgs()?;
        let countries = day.countries()?;
        let mut dims = Vec::new();
        let mut measures = Vec::new();
        let mut values: [Vec<Option<f64>>; 5] = Default::default();
        // Sorted by dimension then measure, as the grain says.
        for (dim, frame) in [(c::DIM_COUNTRY, countries), (c::DIM_ORG, orgs)] {
            for measure in [c::DOWNLOADS_30D, c::TRENDING_ENTRIES] {
                let mut column = frame.clone().lazy();
                if dim == c::DIM_COUNTRY {
                    // The unattributed remainder is not a country.
                    column = column.filter(col(c::COUNTRY).is_not_null());
                }
                let column = column
                    .select([col(measure).cast(DataType::Float64)])
                    .collect()
                    .map_err(q)?;
                let v: Vec<f64> = column
                    .column(measure)
                    .map_err(q)?
                    .f64()
                    .map_err(q)?
                    .iter()
                    .flatten()
                    .collect();
                let stats = concentration(&v);
                dims.push(dim);
                measures.push(measure);
                values[0].push(stats.map(|s| s.hhi));
                values[1].push(stats.map(|s| s.top1));
                values[2].push(stats.map(|s| s.top5));
                values[3].push(stats.map(|s| s.top10));
                values[4].push(stats.map(|s| s.gini));
            }
        }
        let [hhi, top1, top5, top10, gini] = values;
        let dates = Column::new(c::DATE.into(), vec![epoch_days(day.date()); dims.len()])
            .cast(&DataType::Date)
            .map_err(q)?;
        let df = DataFrame::new_infer_height(vec![
            dates,
            Column::new(c::DIMENSION.into(), dims),
            Column::new(c::MEASURE.into(), measures),
            Column::new(c::HHI.into(), hhi),
            Column::new(c::TOP1_SHARE.into(), top1),
            Column::new(c::TOP5_SHARE.into(), top5),
            Column::new(c::TOP10_SHARE.into(), top10),
            Column::new(c::GINI.into(), gini),
        ])
        .map_err(q)?;
        Ok(Some(df))
    }
}
