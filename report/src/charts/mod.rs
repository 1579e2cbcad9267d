//! The chart registry: one file per chart, each implementing [`Chart`], listed once in
//! [`CHARTS`] (the build loop, the page and the tests all read it).

mod concentration;
mod lineage_credit;
mod movers;
mod top_orgs_downloads;
mod trending_by_country;
mod trending_presence;

use crate::data::ReportData;
use crate::figure::Figure;
use crate::format::percent;

/// One chart of the weekly report.
pub trait Chart: Sync {
    /// The chart's file name stem (`charts/<name>.png`, `tables/<name>.csv`).
    fn name(&self) -> &'static str;
    /// The mart the chart reads.
    fn mart(&self) -> &'static str;
    /// One line saying what the chart shows.
    fn doc(&self) -> &'static str;
    /// The chart's words, table and plot for the reported week.
    fn figure(&self, data: &ReportData) -> Figure;
}

/// Every chart, in the order of the report.
pub static CHARTS: &[&dyn Chart] = &[
    &trending_by_country::TrendingByCountry,
    &top_orgs_downloads::TopOrgsDownloads,
    &trending_presence::TrendingPresence,
    &lineage_credit::LineageCredit,
    &concentration::ConcentrationChart,
    &movers::MoversChart,
];

/// The period the time series cover: `2026-W36 to 2026-W47`.
pub(crate) fn window_label(data: &ReportData) -> String {
    match data.window.first() {
        Some(first) if *first != data.week => format!("{first} to {}", data.week),
        _ => data.week.to_string(),
    }
}

/// The line under every chart naming the source, the snapshot period and the tool.
pub(crate) fn source_line(data: &ReportData) -> String {
    let registry = data
        .registry_version
        .as_deref()
        .map(|v| format!("; organisation registry {v}"))
        .unwrap_or_default();
    format!(
        "Source: Hugging Face Hub API, snapshots {} to {}; hubtrends v{}{registry}",
        data.first_date, data.last_date, data.tool_version
    )
}

/// Notes every chart carries: attribution coverage, and a warning for an incomplete week.
pub(crate) fn common_notes(data: &ReportData) -> Vec<String> {
    let (downloads, trending) = data.coverage();
    let mut notes = vec![format!(
        "Attribution coverage, {}: {} of 30-day downloads and {} of trending entries are attributed to \
         an organisation with a known country; the rest (unregistered namespaces, individuals whose \
         country is not public) is shown as \"No known country\".",
        data.week,
        percent(downloads, 0),
        percent(trending, 0)
    )];
    if data.partial {
        notes.push(format!(
            "{} is incomplete: it has fewer than 7 daily snapshots so far.",
            data.week
        ));
    }
    notes
}

/// A country code for tables: the code, or `unattributed`.
pub(crate) fn country_cell(code: Option<&str>) -> crate::table::Cell {
    crate::table::Cell::Text(code.unwrap_or(crate::columns::UNATTRIBUTED).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::MARTS;

    #[test]
    fn names_are_unique_and_marts_exist() {
        let mut names: Vec<&str> = CHARTS.iter().map(|c| c.name()).collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "duplicate chart names");
        for c in CHARTS {
            assert!(
                MARTS.contains(&c.mart()),
                "{} reads unknown mart {}",
                c.name(),
                c.mart()
            );
            assert!(!c.doc().is_empty());
            assert!(
                c.name()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{}",
                c.name()
            );
        }
    }
}
