//! The report's one error type.

use std::path::PathBuf;

/// Everything that can stop a report, with what failed and where.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A mart file is absent.
    #[error("mart `{mart}` not found at {path}: run `hubtrends transform` first")]
    MartMissing {
        /// The mart's name.
        mart: &'static str,
        /// Where it was expected.
        path: PathBuf,
    },
    /// A mart could not be read or queried.
    #[error("cannot read mart `{mart}` at {path}: {source}")]
    MartRead {
        /// The mart's name.
        mart: &'static str,
        /// The Parquet file.
        path: PathBuf,
        /// What Polars said.
        #[source]
        source: polars::error::PolarsError,
    },
    /// A mart lacks a column, or has it with another type.
    #[error(
        "mart `{mart}` at {path}: column `{column}` expected {expected}, found {found}; \
         rerun `hubtrends transform` with this version"
    )]
    MartSchema {
        /// The mart's name.
        mart: &'static str,
        /// The Parquet file.
        path: PathBuf,
        /// The column.
        column: &'static str,
        /// The expected type.
        expected: String,
        /// What the file has (`missing` when absent).
        found: String,
    },
    /// The marts hold no week at all.
    #[error(
        "mart `{mart}` at {path} has no rows: run `hubtrends snapshot` and `hubtrends transform` first"
    )]
    NoWeeks {
        /// The mart's name.
        mart: &'static str,
        /// The Parquet file.
        path: PathBuf,
    },
    /// `--week` is not of the form `YYYY-Www`.
    #[error("{flag} {value:?} is not an ISO week like 2026-W47")]
    BadWeek {
        /// The flag's name.
        flag: &'static str,
        /// The value given.
        value: String,
    },
    /// `--week` names a week the marts do not hold.
    #[error("{flag} {value} is not in the marts; available weeks: {}", available.join(", "))]
    WeekNotFound {
        /// The flag's name.
        flag: &'static str,
        /// The value given.
        value: String,
        /// The weeks the marts hold, oldest first.
        available: Vec<String>,
    },
    /// The marts manifest exists but is not valid JSON.
    #[error("marts manifest {path} is not valid JSON: {source}")]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
    /// A file or directory operation failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done (`write`, `rename`, ...).
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The shipped font could not be registered with plotters.
    #[error("the shipped font {name} could not be loaded")]
    Font {
        /// The font file's name.
        name: &'static str,
    },
    /// Plotters failed while drawing a chart.
    #[error("drawing chart `{chart}` as {format}: {message}")]
    Draw {
        /// The chart's name.
        chart: &'static str,
        /// `png` or `svg`.
        format: &'static str,
        /// The backend's message.
        message: String,
    },
    /// A PNG could not be encoded.
    #[error("encoding {path}: {source}")]
    Png {
        /// The PNG file.
        path: PathBuf,
        /// The encoder's error.
        #[source]
        source: image::ImageError,
    },
    /// A CSV table could not be written.
    #[error("writing CSV {path}: {source}")]
    Csv {
        /// The CSV file.
        path: PathBuf,
        /// The writer's error.
        #[source]
        source: ::csv::Error,
    },
}

impl ReportError {
    /// True when the user can fix it: a bad `--week`, or marts that are missing (exit code 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            Self::BadWeek { .. }
                | Self::WeekNotFound { .. }
                | Self::MartMissing { .. }
                | Self::NoWeeks { .. }
        )
    }

    /// True when a mart's schema is not the one this version reads (exit code 5).
    pub fn is_integrity(&self) -> bool {
        matches!(self, Self::MartSchema { .. } | Self::Manifest { .. })
    }

    /// An I/O error with what was being done and on which path.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Self::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
