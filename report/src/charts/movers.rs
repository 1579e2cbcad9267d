//! Chart 6: this week's biggest rank gains and new entrants to the top 20.

use super::{Chart, common_notes, country_cell};
use crate::columns::{
    COUNTRY, KIND, KIND_GAIN, KIND_NEW_ENTRANT, MOVERS, ORG, PREVIOUS_RANK, RANK, RANK_CHANGE,
};
use crate::data::{Mover, ReportData};
use crate::figure::{Climb, Figure, Movers, Plot};
use crate::table::{Cell, Table};
use crate::theme::country_color;

/// How many climbers the chart shows.
const TOP: usize = 10;

/// Movers: rank gains and new entrants.
pub(crate) struct MoversChart;

impl Chart for MoversChart {
    fn name(&self) -> &'static str {
        "movers"
    }

    fn mart(&self) -> &'static str {
        MOVERS
    }

    fn doc(&self) -> &'static str {
        "Biggest rank gains by 30-day downloads and new entrants to the top 20 this week"
    }

    fn figure(&self, data: &ReportData) -> Figure {
        let mut gains: Vec<&Mover> = data
            .movers
            .iter()
            .filter(|m| m.kind == KIND_GAIN && m.previous_rank.is_some())
            .collect();
        let gained = |m: &Mover| m.previous_rank.map_or(0, |p| p - m.rank);
        gains.sort_by(|a, b| {
            gained(b)
                .cmp(&gained(a))
                .then(a.rank.cmp(&b.rank))
                .then(a.org.cmp(&b.org))
        });
        gains.truncate(TOP);
        let mut entrants: Vec<&Mover> = data
            .movers
            .iter()
            .filter(|m| m.kind == KIND_NEW_ENTRANT)
            .collect();
        entrants.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.org.cmp(&b.org)));
        let names: Vec<String> = entrants
            .iter()
            .take(5)
            .map(|m| format!("{} (#{})", m.org, m.rank))
            .collect();
        let entrants_text = if entrants.is_empty() {
            String::from("no new entrants to the top 20")
        } else {
            format!("{} new in the top 20: {}", entrants.len(), names.join(", "))
        };
        let (title, alt) = match gains.first() {
            Some(top) => (
                format!(
                    "{} climbed {} places to #{} by 30-day downloads",
                    top.org,
                    gained(top),
                    top.rank
                ),
                format!(
                    "Bars of the biggest rank gains by 30-day downloads in {}: {} rose from #{} to #{}. {}.",
                    data.week,
                    top.org,
                    top.previous_rank.unwrap_or(top.rank),
                    top.rank,
                    capitalise(&entrants_text)
                ),
            ),
            None if !entrants.is_empty() => (
                format!(
                    "{} organisations entered the top 20 in {}",
                    entrants.len(),
                    data.week
                ),
                format!(
                    "No rank gains recorded in {}. {}.",
                    data.week,
                    capitalise(&entrants_text)
                ),
            ),
            None => (
                format!("No big movers in {}", data.week),
                format!(
                    "No rank gains and no new entrants to the top 20 in {}.",
                    data.week
                ),
            ),
        };
        let table = Table {
            columns: vec![KIND, RANK, ORG, COUNTRY, PREVIOUS_RANK, RANK_CHANGE],
            rows: data
                .movers
                .iter()
                .map(|m| {
                    vec![
                        Cell::Text(m.kind.clone()),
                        Cell::Int(m.rank),
                        Cell::Text(m.org.clone()),
                        country_cell(m.country.as_deref()),
                        Cell::opt_int(m.previous_rank),
                        Cell::opt_int(m.rank_change),
                    ]
                })
                .collect(),
        };
        let plot = Plot::Movers(Movers {
            gains: gains
                .iter()
                .map(|m| Climb {
                    label: m.org.clone(),
                    color: country_color(m.country.as_deref()),
                    previous: m.previous_rank.unwrap_or(m.rank),
                    rank: m.rank,
                })
                .collect(),
            entrants: entrants
                .iter()
                .map(|m| (m.rank, m.org.clone(), country_color(m.country.as_deref())))
                .collect(),
            entrants_title: String::from("New in the top 20"),
        });
        let codes = gains
            .iter()
            .chain(entrants.iter())
            .map(|m| m.country.as_deref());
        Figure {
            title,
            subtitle: format!(
                "Organisations' rank by 30-day downloads, {} against the week before; new entrants are in the top 20 for the first time",
                data.week
            ),
            alt,
            legend: super::top_orgs_downloads::country_legend(codes),
            plot,
            notes: common_notes(data),
            table,
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::data::sample;

    #[test]
    fn names_the_biggest_climber_and_the_new_entrants() {
        let data = sample();
        let fig = MoversChart.figure(&data);
        // sample(): org-07 rose from #30 to #8; org-19 and org-18 are new at #19 and #18.
        assert!(
            fig.title.starts_with("org-07 climbed 22 places to #8"),
            "{}",
            fig.title
        );
        assert!(fig.alt.contains("from #30 to #8"), "{}", fig.alt);
        assert!(
            fig.alt
                .contains("2 new in the top 20: org-18 (#18), org-19 (#19)"),
            "{}",
            fig.alt
        );
        assert_eq!(fig.table.rows.len(), data.movers.len());
        assert_eq!(capitalise("abc"), "Abc");
    }
}
