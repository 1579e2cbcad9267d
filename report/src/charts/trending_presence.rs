//! Chart 3: the top 10 organisations' trending entries per week, as a heat grid.

use std::collections::BTreeMap;

use super::{Chart, common_notes, country_cell, window_label};
use crate::columns::{COUNTRY, ORG, ORG_WEEKLY, TRENDING_ENTRIES, TRENDING_SHARE, WEEK};
use crate::data::{OrgWeek, ReportData};
use crate::figure::{Figure, Heat, Plot};
use crate::format::thousands;
use crate::table::{Cell, Table};
use crate::theme::country_color;

/// How many organisations the grid shows.
const TOP: usize = 10;

/// Organisations' presence in trending over time.
pub(crate) struct TrendingPresence;

impl Chart for TrendingPresence {
    fn name(&self) -> &'static str {
        "trending_presence"
    }

    fn mart(&self) -> &'static str {
        ORG_WEEKLY
    }

    fn doc(&self) -> &'static str {
        "Trending entries per week of the 10 organisations most present in trending over the period"
    }

    fn figure(&self, data: &ReportData) -> Figure {
        let mut totals: BTreeMap<&str, (i64, Option<&str>)> = BTreeMap::new();
        for r in &data.org_weeks {
            let e = totals.entry(r.org.as_str()).or_insert((0, None));
            e.0 += r.trending_entries;
            if r.week == data.week || e.1.is_none() {
                e.1 = r.country.as_deref().or(e.1);
            }
        }
        let mut top: Vec<(&str, i64, Option<&str>)> = totals
            .into_iter()
            .filter(|(_, (t, _))| *t > 0)
            .map(|(o, (t, c))| (o, t, c))
            .collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        top.truncate(TOP);
        let weeks = &data.window;
        let mut cells = vec![vec![0.0; weeks.len()]; top.len()];
        let mut rows: Vec<&OrgWeek> = Vec::new();
        for r in &data.org_weeks {
            let (Some(i), Some(j)) = (
                top.iter().position(|t| t.0 == r.org),
                weeks.iter().position(|w| *w == r.week),
            ) else {
                continue;
            };
            cells[i][j] += r.trending_entries as f64;
            rows.push(r);
        }
        rows.sort_by(|a, b| {
            a.week
                .cmp(&b.week)
                .then(b.trending_entries.cmp(&a.trending_entries))
                .then(a.org.cmp(&b.org))
        });
        let weeks_present = |i: usize| cells[i].iter().filter(|v| **v > 0.0).count();
        let (title, alt) = match top.first() {
            Some(first) => {
                let others: Vec<String> = top
                    .iter()
                    .skip(1)
                    .take(2)
                    .map(|t| format!("{} ({})", t.0, thousands(t.1)))
                    .collect();
                (
                    format!(
                        "{} had the most trending entries over {} weeks",
                        first.0,
                        weeks.len()
                    ),
                    format!(
                        "Grid of weekly trending entries for the {} organisations most present in trending, {}. {} leads with {} entries in {} of {} weeks{}.",
                        top.len(),
                        window_label(data),
                        first.0,
                        thousands(first.1),
                        weeks_present(0),
                        weeks.len(),
                        if others.is_empty() {
                            String::new()
                        } else {
                            format!(", then {}", others.join(" and "))
                        }
                    ),
                )
            }
            None => (
                format!("No organisation trended in {}", window_label(data)),
                String::from("No organisation had trending entries in the period."),
            ),
        };
        let plot = if top.is_empty() {
            Plot::Empty(String::from("No trending entries in the period."))
        } else {
            Plot::Heat(Heat {
                rows: top
                    .iter()
                    .map(|t| (t.0.to_string(), country_color(t.2)))
                    .collect(),
                columns: weeks.iter().map(|w| w.short()).collect(),
                cells,
            })
        };
        let table = Table {
            columns: vec![WEEK, ORG, COUNTRY, TRENDING_ENTRIES, TRENDING_SHARE],
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::Text(r.week.to_string()),
                        Cell::Text(r.org.clone()),
                        country_cell(r.country.as_deref()),
                        Cell::Int(r.trending_entries),
                        Cell::Share(r.trending_share),
                    ]
                })
                .collect(),
        };
        Figure {
            title,
            subtitle: format!(
                "Trending-list entries per week (daily appearances summed), top {TOP} organisations, {}; chip = country",
                window_label(data)
            ),
            alt,
            legend: super::top_orgs_downloads::country_legend(top.iter().map(|t| t.2)),
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
    fn ranks_organisations_by_entries_over_the_window() {
        let data = sample();
        let fig = TrendingPresence.figure(&data);
        let Plot::Heat(h) = &fig.plot else {
            panic!("not a heat grid")
        };
        assert!(h.rows.len() <= TOP);
        let totals: Vec<f64> = h.cells.iter().map(|r| r.iter().sum()).collect();
        assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
        let first = &h.rows[0].0;
        assert!(
            fig.alt
                .contains(&format!("{first} leads with {} entries", totals[0] as i64)),
            "{}",
            fig.alt
        );
        let table_total: i64 = fig
            .table
            .rows
            .iter()
            .map(|r| match r[3] {
                Cell::Int(v) => v,
                _ => 0,
            })
            .sum();
        assert_eq!(table_total as f64, totals.iter().sum::<f64>());
    }
}
