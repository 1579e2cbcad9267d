//! Chart 5: concentration (top-5 share and HHI) of downloads and trending, by org and country.

use super::{Chart, common_notes};
use crate::columns::*;
use crate::data::{Concentration, ReportData};
use crate::figure::{Figure, Line, Lines, Panel, Plot};
use crate::format::percent;
use crate::table::{Cell, Table};
use crate::theme::{DOWNLOADS_INK, TRENDING_INK};

/// Concentration over time.
pub(crate) struct ConcentrationChart;

/// (dimension, measure, label, colour, dashed) of each line.
const SERIES: [(&str, &str, &str, plotters::style::RGBColor, bool); 4] = [
    (
        DIM_ORG,
        MEASURE_DOWNLOADS,
        "Orgs · downloads",
        DOWNLOADS_INK,
        false,
    ),
    (
        DIM_ORG,
        MEASURE_TRENDING,
        "Orgs · trending",
        DOWNLOADS_INK,
        true,
    ),
    (
        DIM_COUNTRY,
        MEASURE_DOWNLOADS,
        "Countries · downloads",
        TRENDING_INK,
        false,
    ),
    (
        DIM_COUNTRY,
        MEASURE_TRENDING,
        "Countries · trending",
        TRENDING_INK,
        true,
    ),
];

fn latest<'a>(
    rows: &'a [Concentration],
    dimension: &str,
    measure: &str,
) -> Option<&'a Concentration> {
    rows.iter()
        .filter(|r| r.dimension == dimension && r.measure == measure)
        .max_by_key(|r| r.date)
}

impl Chart for ConcentrationChart {
    fn name(&self) -> &'static str {
        "concentration"
    }

    fn mart(&self) -> &'static str {
        CONCENTRATION
    }

    fn doc(&self) -> &'static str {
        "Concentration (top-5 share and HHI) of downloads and trending, by organisation and by country, daily"
    }

    fn figure(&self, data: &ReportData) -> Figure {
        let mut rows: Vec<&Concentration> = data.concentration.iter().collect();
        rows.sort_by(|a, b| {
            a.date
                .cmp(&b.date)
                .then(a.dimension.cmp(&b.dimension))
                .then(a.measure.cmp(&b.measure))
        });
        let panel = |title: &str, percent: bool, value: fn(&Concentration) -> f64| Panel {
            title: title.to_string(),
            percent,
            lines: SERIES
                .iter()
                .map(|(dim, measure, label, color, dashed)| Line {
                    label: (*label).to_string(),
                    color: *color,
                    dashed: *dashed,
                    points: rows
                        .iter()
                        .filter(|r| r.dimension == *dim && r.measure == *measure)
                        .map(|r| (r.date, value(r)))
                        .collect(),
                })
                .filter(|l| !l.points.is_empty())
                .collect(),
        };
        let od = latest(&data.concentration, DIM_ORG, MEASURE_DOWNLOADS);
        let ot = latest(&data.concentration, DIM_ORG, MEASURE_TRENDING);
        let (title, alt) = match (od, ot) {
            (Some(d), Some(t)) => {
                let which = if d.top5_share >= t.top5_share {
                    "Downloads are more concentrated than trending"
                } else {
                    "Trending is more concentrated than downloads"
                };
                (
                    format!(
                        "{which}: the top 5 organisations hold {} of downloads, {} of trending entries",
                        percent(d.top5_share, 0),
                        percent(t.top5_share, 0)
                    ),
                    format!(
                        "Line charts of concentration from {} to {}. On {}, the top 5 organisations held {} of 30-day downloads and {} of trending entries; the HHI by organisation was {:.3} for downloads and {:.3} for trending.",
                        data.first_date,
                        data.last_date,
                        d.date,
                        percent(d.top5_share, 1),
                        percent(t.top5_share, 1),
                        d.hhi,
                        t.hhi
                    ),
                )
            }
            _ => (
                String::from("Concentration of downloads and trending"),
                String::from("The concentration mart has no rows by organisation for this period."),
            ),
        };
        let plot = if rows.is_empty() {
            Plot::Empty(String::from("No concentration data for this period."))
        } else {
            Plot::Lines(Lines {
                panels: vec![
                    panel("Top-5 share", true, |r| r.top5_share),
                    panel("Herfindahl-Hirschman index (0-1)", false, |r| r.hhi),
                ],
            })
        };
        let table = Table {
            columns: vec![
                DATE,
                DIMENSION,
                MEASURE,
                HHI,
                TOP1_SHARE,
                TOP5_SHARE,
                TOP10_SHARE,
                GINI,
            ],
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::Date(r.date),
                        Cell::Text(r.dimension.clone()),
                        Cell::Text(r.measure.clone()),
                        Cell::Num(r.hhi, 6),
                        Cell::Share(r.top1_share),
                        Cell::Share(r.top5_share),
                        Cell::Share(r.top10_share),
                        r.gini.map_or(Cell::Null, |g| Cell::Num(g, 6)),
                    ]
                })
                .collect(),
        };
        Figure {
            title,
            subtitle: format!(
                "Top-5 share and HHI of 30-day downloads and trending entries, by organisation and by country, daily, {} to {}",
                data.first_date, data.last_date
            ),
            alt,
            legend: Vec::new(),
            plot,
            notes: common_notes(data),
            table,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::data::sample;

    #[test]
    fn compares_download_and_trending_concentration() {
        let data = sample();
        let fig = ConcentrationChart.figure(&data);
        // sample(): on the last day top-5 org shares are 60% (downloads) and 40% (trending).
        assert!(
            fig.title.starts_with("Downloads are more concentrated"),
            "{}",
            fig.title
        );
        assert!(
            fig.alt
                .contains("60.0% of 30-day downloads and 40.0% of trending"),
            "{}",
            fig.alt
        );
        assert_eq!(fig.table.rows.len(), data.concentration.len());
        let Plot::Lines(l) = &fig.plot else {
            panic!("not lines")
        };
        assert_eq!(l.panels.len(), 2);
        assert_eq!(l.panels[0].lines.len(), 4);
    }
}
