//! Chart 2: the top 15 organisations by 30-day downloads this week, coloured by country.

use super::{Chart, common_notes, country_cell};
use crate::columns::{
    ATTRIBUTED, COUNTRY, DOWNLOADS_30D, DOWNLOADS_30D_SHARE, ORG, ORG_WEEKLY, RANK, RANK_CHANGE,
};
use crate::data::{OrgWeek, ReportData};
use crate::figure::{BarRow, Bars, Figure, Plot};
use crate::format::{compact, percent};
use crate::table::{Cell, Table};
use crate::theme::{OTHER_COUNTRIES_LABEL, country_color, country_name, has_own_color};

/// How many organisations the chart shows.
const TOP: i64 = 15;

/// Top organisations by 30-day downloads.
pub(crate) struct TopOrgsDownloads;

/// The colour key for the countries among `rows`, one entry per colour, in order of appearance.
pub(crate) fn country_legend<'a>(
    codes: impl Iterator<Item = Option<&'a str>>,
) -> Vec<(String, plotters::style::RGBColor)> {
    let mut legend: Vec<(String, plotters::style::RGBColor)> = Vec::new();
    for code in codes {
        let color = country_color(code);
        if legend.iter().any(|(_, c)| *c == color) {
            continue;
        }
        let label = if code.is_none() || has_own_color(code) {
            country_name(code)
        } else {
            OTHER_COUNTRIES_LABEL.to_string()
        };
        legend.push((label, color));
    }
    legend
}

fn change_note(r: &OrgWeek) -> String {
    match r.rank_change {
        None => String::from("new"),
        Some(0) => String::from("="),
        Some(c) if c > 0 => format!("▲{c}"),
        Some(c) => format!("▼{}", -c),
    }
}

impl Chart for TopOrgsDownloads {
    fn name(&self) -> &'static str {
        "top_orgs_downloads"
    }

    fn mart(&self) -> &'static str {
        ORG_WEEKLY
    }

    fn doc(&self) -> &'static str {
        "Top 15 organisations by 30-day downloads in the reported week, coloured by country"
    }

    fn figure(&self, data: &ReportData) -> Figure {
        let mut rows: Vec<&OrgWeek> = data
            .org_weeks
            .iter()
            .filter(|r| r.week == data.week && r.rank <= TOP)
            .collect();
        rows.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.org.cmp(&b.org)));
        let bars = rows
            .iter()
            .map(|r| BarRow {
                label: r.org.clone(),
                chip: None,
                values: vec![(r.downloads_30d, country_color(r.country.as_deref()))],
                note: format!(
                    "{}  {}  {}",
                    compact(r.downloads_30d),
                    percent(r.downloads_30d_share, 1),
                    change_note(r)
                ),
            })
            .collect();
        let described: Vec<String> = rows
            .iter()
            .take(3)
            .map(|r| {
                format!(
                    "{} ({}, {} of all downloads)",
                    r.org,
                    compact(r.downloads_30d),
                    percent(r.downloads_30d_share, 1)
                )
            })
            .collect();
        let (title, alt) = match rows.first() {
            Some(top) => (
                format!("{} led 30-day downloads in {}", top.org, data.week),
                format!(
                    "Horizontal bars of the {} organisations with the most 30-day downloads in {}, coloured by country. Leading: {}.",
                    rows.len(),
                    data.week,
                    described.join("; ")
                ),
            ),
            None => (
                format!("No organisation downloads in {}", data.week),
                format!("No organisation has download data in {}.", data.week),
            ),
        };
        let plot = if rows.is_empty() {
            Plot::Empty(String::from("No download data for this week."))
        } else {
            Plot::Bars(Bars {
                rows: bars,
                axis: String::from("30-day downloads (mean of the week's daily snapshots)"),
            })
        };
        let table = Table {
            columns: vec![
                RANK,
                ORG,
                COUNTRY,
                ATTRIBUTED,
                DOWNLOADS_30D,
                DOWNLOADS_30D_SHARE,
                RANK_CHANGE,
            ],
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::Int(r.rank),
                        Cell::Text(r.org.clone()),
                        country_cell(r.country.as_deref()),
                        Cell::Text(r.attributed.to_string()),
                        Cell::Num(r.downloads_30d, 0),
                        Cell::Share(r.downloads_30d_share),
                        Cell::opt_int(r.rank_change),
                    ]
                })
                .collect(),
        };
        Figure {
            title,
            subtitle: format!(
                "Top {TOP} organisations by 30-day downloads, {} (share of all downloads; rank change on the week before)",
                data.week
            ),
            alt,
            legend: country_legend(rows.iter().map(|r| r.country.as_deref())),
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
    fn shows_the_top_fifteen_in_rank_order_with_numbers_in_the_alt_text() {
        let data = sample();
        let fig = TopOrgsDownloads.figure(&data);
        assert_eq!(fig.table.rows.len(), 15);
        assert_eq!(fig.table.rows[0][0], Cell::Int(1));
        assert_eq!(fig.table.rows[14][0], Cell::Int(15));
        // sample(): org-00 leads with 20M downloads and a 20% share.
        assert!(fig.title.starts_with("org-00 led"), "{}", fig.title);
        assert!(
            fig.alt.contains("org-00 (20M, 20.0% of all downloads)"),
            "{}",
            fig.alt
        );
        let colors: Vec<_> = fig.legend.iter().map(|l| l.1).collect();
        let mut unique = colors.clone();
        unique.dedup();
        assert_eq!(colors.len(), unique.len());
    }
}
