//! The stage's input and output.

use std::path::PathBuf;

/// What to report on; plain data the binary fills from flags, environment and defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportConfig {
    /// The lake's root directory (holds `marts/`, gets `reports/`).
    pub lake: PathBuf,
    /// The ISO week to report (`2026-W47`); `None` = the last complete week in the marts.
    pub week: Option<String>,
    /// This tool's version, printed in every chart's source line.
    pub tool_version: String,
}

/// What a report run wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSummary {
    /// The week reported (`2026-W47`).
    pub week: String,
    /// The report directory (`{lake}/reports/2026-W47`).
    pub dir: PathBuf,
    /// The report's page.
    pub index_html: PathBuf,
    /// How many charts were drawn (each as PNG and SVG).
    pub charts: usize,
    /// How many tables were written (each as CSV and Markdown).
    pub tables: usize,
    /// True when the week has fewer than 7 snapshot days and is not yet over.
    pub partial_week: bool,
}
