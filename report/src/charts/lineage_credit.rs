//! Chart 4: direct vs lineage download credit for the top 10 base-model organisations.

use super::{Chart, common_notes, country_cell};
use crate::columns::{
    COUNTRY, DATE, DERIVATIVE_MODELS, DIRECT_DOWNLOADS_30D, LINEAGE_CREDIT, LINEAGE_DOWNLOADS_30D,
    ORG,
};
use crate::data::{Lineage, ReportData};
use crate::figure::{BarRow, Bars, Figure, Plot};
use crate::format::compact;
use crate::table::{Cell, Table};
use crate::theme::{DIRECT, LINEAGE, country_color};

/// How many organisations the chart shows.
const TOP: usize = 10;

/// Direct vs lineage credit.
pub(crate) struct LineageCredit;

impl Chart for LineageCredit {
    fn name(&self) -> &'static str {
        "lineage_credit"
    }

    fn mart(&self) -> &'static str {
        LINEAGE_CREDIT
    }

    fn doc(&self) -> &'static str {
        "30-day downloads credited directly vs through lineage, top 10 base-model organisations"
    }

    fn figure(&self, data: &ReportData) -> Figure {
        let mut rows: Vec<&Lineage> = data.lineage.iter().collect();
        rows.sort_by(|a, b| b.lineage.total_cmp(&a.lineage).then(a.org.cmp(&b.org)));
        rows.truncate(TOP);
        let date = rows
            .first()
            .map_or_else(|| data.last_date.to_string(), |r| r.date.to_string());
        let describe = |r: &Lineage| {
            format!(
                "{} {} through lineage vs {} direct",
                r.org,
                compact(r.lineage),
                compact(r.direct as f64)
            )
        };
        let (title, alt) = match rows.first() {
            Some(top) => {
                let ratio = if top.direct > 0 {
                    top.lineage / top.direct as f64
                } else {
                    f64::INFINITY
                };
                let title = if ratio.is_finite() && ratio >= 1.05 {
                    format!(
                        "Derivatives carry {}'s models: {:.1}x its direct downloads",
                        top.org, ratio
                    )
                } else {
                    format!("{} gets the most download credit through lineage", top.org)
                };
                let more: Vec<String> = rows.iter().skip(1).take(2).map(|r| describe(r)).collect();
                (
                    title,
                    format!(
                        "Paired bars of direct and lineage 30-day download credit for the top {} base-model organisations on {date}. {}{}.",
                        rows.len(),
                        describe(top),
                        if more.is_empty() {
                            String::new()
                        } else {
                            format!("; {}", more.join("; "))
                        }
                    ),
                )
            }
            None => (
                String::from("No lineage credit this week"),
                String::from("The lineage mart has no rows for this week."),
            ),
        };
        let plot = if rows.is_empty() {
            Plot::Empty(String::from("No lineage credit for this week."))
        } else {
            Plot::Bars(Bars {
                rows: rows
                    .iter()
                    .map(|r| BarRow {
                        label: r.org.clone(),
                        chip: Some(country_color(r.country.as_deref())),
                        values: vec![(r.direct as f64, DIRECT), (r.lineage, LINEAGE)],
                        note: format!("{} / {}", compact(r.direct as f64), compact(r.lineage)),
                    })
                    .collect(),
                axis: String::from("30-day downloads"),
            })
        };
        let table = Table {
            columns: vec![
                DATE,
                ORG,
                COUNTRY,
                DIRECT_DOWNLOADS_30D,
                LINEAGE_DOWNLOADS_30D,
                DERIVATIVE_MODELS,
            ],
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::Date(r.date),
                        Cell::Text(r.org.clone()),
                        country_cell(r.country.as_deref()),
                        Cell::Int(r.direct),
                        Cell::Num(r.lineage, 1),
                        Cell::Int(r.derivative_models),
                    ]
                })
                .collect(),
        };
        Figure {
            title,
            subtitle: format!(
                "30-day downloads credited directly (to the uploader) and through lineage (to the root model's organisation), top {TOP} by lineage credit, {date}"
            ),
            alt,
            legend: vec![
                (
                    String::from("Direct: the organisation's own uploads"),
                    DIRECT,
                ),
                (
                    String::from(
                        "Lineage: models derived from its base models (merges split evenly)",
                    ),
                    LINEAGE,
                ),
            ],
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
    fn orders_by_lineage_credit_and_states_the_ratio() {
        let data = sample();
        let fig = LineageCredit.figure(&data);
        assert!(fig.table.rows.len() <= TOP);
        // sample(): base-a has 9M direct and 27M through lineage.
        assert_eq!(fig.table.rows[0][1], Cell::Text("base-a".into()));
        assert!(fig.title.contains("3.0x"), "{}", fig.title);
        assert!(
            fig.alt.contains("base-a 27M through lineage vs 9M direct"),
            "{}",
            fig.alt
        );
    }
}
