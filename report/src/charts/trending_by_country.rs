//! Chart 1: each country's share of the trending list, week by week, unattributed shown.

use std::collections::BTreeMap;

use super::{Chart, common_notes, country_cell, window_label};
use crate::columns::{
    COUNTRY, COUNTRY_WEEKLY, COVERAGE_TRENDING, TRENDING_ENTRIES, TRENDING_SHARE, WEEK,
};
use crate::data::ReportData;
use crate::figure::{Columns, Figure, Plot, Series};
use crate::format::percent;
use crate::table::{Cell, Table};
use crate::theme::{
    OTHER_COUNTRIES, OTHER_COUNTRIES_LABEL, UNATTRIBUTED_GREY, UNATTRIBUTED_LABEL, country_color,
    country_name, has_own_color,
};

/// Share of the trending top N by country.
pub(crate) struct TrendingByCountry;

/// A stack group: a country with its own colour, all others, or unattributed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Country(String),
    Other,
    Unattributed,
}

fn group_of(code: Option<&str>) -> Group {
    match code {
        None => Group::Unattributed,
        Some(c) if has_own_color(Some(c)) => Group::Country(c.to_string()),
        Some(_) => Group::Other,
    }
}

impl Chart for TrendingByCountry {
    fn name(&self) -> &'static str {
        "trending_by_country"
    }

    fn mart(&self) -> &'static str {
        COUNTRY_WEEKLY
    }

    fn doc(&self) -> &'static str {
        "Share of the trending list by the organisation's country, week by week, no known country shown"
    }

    fn figure(&self, data: &ReportData) -> Figure {
        let weeks = &data.window;
        let mut shares: BTreeMap<Group, Vec<f64>> = BTreeMap::new();
        // Unattributed is always a series, even at zero: it is never hidden.
        shares.insert(Group::Unattributed, vec![0.0; weeks.len()]);
        for r in &data.country_weeks {
            let Some(i) = weeks.iter().position(|w| *w == r.week) else {
                continue;
            };
            shares
                .entry(group_of(r.country.as_deref()))
                .or_insert_with(|| vec![0.0; weeks.len()])[i] += r.trending_share;
        }
        let mut groups: Vec<(Group, Vec<f64>)> = shares
            .into_iter()
            .filter(|(g, v)| *g == Group::Unattributed || v.iter().any(|x| *x > 0.0))
            .collect();
        // Biggest countries at the bottom, then all others, then unattributed on top.
        groups.sort_by(|(ga, va), (gb, vb)| {
            let rank = |g: &Group| match g {
                Group::Country(_) => 0,
                Group::Other => 1,
                Group::Unattributed => 2,
            };
            let total = |v: &Vec<f64>| v.iter().sum::<f64>();
            rank(ga)
                .cmp(&rank(gb))
                .then(total(vb).total_cmp(&total(va)))
                .then(ga.cmp(gb))
        });
        let series: Vec<Series> = groups
            .iter()
            .map(|(g, values)| {
                let (label, color) = match g {
                    Group::Country(c) => (country_name(Some(c)), country_color(Some(c))),
                    Group::Other => (OTHER_COUNTRIES_LABEL.to_string(), OTHER_COUNTRIES),
                    Group::Unattributed => (UNATTRIBUTED_LABEL.to_string(), UNATTRIBUTED_GREY),
                };
                Series {
                    label,
                    color,
                    values: values.clone(),
                }
            })
            .collect();

        let last = weeks.len().saturating_sub(1);
        let now = |s: &Series| s.values.get(last).copied().unwrap_or(0.0);
        let mut ranked: Vec<&Series> = series
            .iter()
            .filter(|s| s.color != UNATTRIBUTED_GREY)
            .collect();
        ranked.sort_by(|a, b| now(b).total_cmp(&now(a)).then(a.label.cmp(&b.label)));
        let unattributed = series
            .iter()
            .find(|s| s.color == UNATTRIBUTED_GREY)
            .map_or(0.0, now);
        let title = match ranked.first() {
            Some(top) if now(top) > 0.0 && top.label != OTHER_COUNTRIES_LABEL => format!(
                "{} held {} of the trending list in {}",
                top.label,
                percent(now(top), 0),
                data.week
            ),
            _ => format!("Trending by country in {}", data.week),
        };
        let mut parts: Vec<String> = ranked
            .iter()
            .take(3)
            .map(|s| format!("{} {}", s.label, percent(now(s), 0)))
            .collect();
        parts.push(format!("no known country {}", percent(unattributed, 0)));
        let alt = format!(
            "Stacked columns of each country's share of trending entries per week, {}. In {}: {}.",
            window_label(data),
            data.week,
            parts.join(", ")
        );

        let mut rows: Vec<_> = data.country_weeks.iter().collect();
        rows.sort_by_key(|a| a.week);
        let table = Table {
            columns: vec![
                WEEK,
                COUNTRY,
                "country_name",
                TRENDING_ENTRIES,
                TRENDING_SHARE,
                COVERAGE_TRENDING,
            ],
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::Text(r.week.to_string()),
                        country_cell(r.country.as_deref()),
                        Cell::Text(country_name(r.country.as_deref())),
                        Cell::Int(r.trending_entries),
                        Cell::Share(r.trending_share),
                        Cell::Share(r.coverage_trending),
                    ]
                })
                .collect(),
        };
        Figure {
            title,
            subtitle: format!(
                "Share of trending-list entries by the organisation's country, weekly, {}",
                window_label(data)
            ),
            alt,
            legend: Vec::new(),
            plot: Plot::Columns(Columns {
                categories: weeks.iter().map(|w| w.short()).collect(),
                series,
            }),
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
    fn alt_text_states_the_latest_shares_and_unattributed_is_a_series() {
        let data = sample();
        let fig = TrendingByCountry.figure(&data);
        // sample(): in the last week US 50%, CN 30%, JP 5% (other), unattributed 15%.
        assert!(fig.alt.contains("United States 50%"), "{}", fig.alt);
        assert!(fig.alt.contains("China 30%"), "{}", fig.alt);
        assert!(fig.alt.contains("no known country 15%"), "{}", fig.alt);
        assert!(
            fig.title.starts_with("United States held 50%"),
            "{}",
            fig.title
        );
        let Plot::Columns(c) = &fig.plot else {
            panic!("not columns")
        };
        assert_eq!(c.series.last().unwrap().label, UNATTRIBUTED_LABEL);
        assert_eq!(c.categories.len(), data.window.len());
        for i in 0..c.categories.len() {
            let total: f64 = c.series.iter().map(|s| s.values[i]).sum();
            assert!((total - 1.0).abs() < 1e-9, "week {i} sums to {total}");
        }
        assert_eq!(fig.table.rows.len(), data.country_weeks.len());
    }
}
