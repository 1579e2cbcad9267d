//! The one error type of the crate: every variant says what failed and where.

use std::path::PathBuf;

use polars::prelude::PolarsError;

/// Everything that can go wrong while turning snapshots into marts.
#[derive(Debug, thiserror::Error)]
pub enum TransformError {
    /// The lake has no `snapshots/date=*` partition.
    #[error("no snapshot partitions under {dir}")]
    NoSnapshots {
        /// The `snapshots` directory that was searched.
        dir: PathBuf,
    },
    /// A partition directory has no `_manifest.json`: it is being written or was left broken.
    #[error(
        "partition {partition} has no _manifest.json (in progress or corrupt); finish or remove it"
    )]
    MissingManifest {
        /// The partition directory.
        partition: PathBuf,
    },
    /// A partition's manifest is not valid JSON of the expected shape.
    #[error("manifest {path} is not a valid snapshot manifest: {source}")]
    BadManifest {
        /// The manifest file.
        path: PathBuf,
        /// The parse error.
        source: serde_json::Error,
    },
    /// A partition was written with a schema version this build does not know.
    #[error("partition {partition} has schema_version {found}, this build reads only {expected}")]
    UnsupportedSchema {
        /// The partition directory.
        partition: PathBuf,
        /// The version this build reads.
        expected: u32,
        /// The version in the manifest.
        found: u64,
    },
    /// A partition's manifest disagrees with its directory name.
    #[error("partition {partition} holds snapshot_date {found} in its manifest")]
    DateMismatch {
        /// The partition directory.
        partition: PathBuf,
        /// The date in the manifest.
        found: String,
    },
    /// A file listed by the layout is missing from a partition.
    #[error("partition {partition} lacks {file}")]
    MissingFile {
        /// The partition directory.
        partition: PathBuf,
        /// The missing file's name.
        file: &'static str,
    },
    /// A Parquet file cannot be opened or decoded.
    #[error("cannot read Parquet file {path}: {source}")]
    CorruptParquet {
        /// The file.
        path: PathBuf,
        /// Polars' error.
        source: PolarsError,
    },
    /// A Parquet file lacks a column of the schema.
    #[error("{path} lacks column {column}")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The missing column.
        column: &'static str,
    },
    /// A query of a mart failed.
    #[error("building {mart} for {scope}: {source}")]
    Query {
        /// The mart or step.
        mart: &'static str,
        /// The day or week (or `all`) being built.
        scope: String,
        /// Polars' error.
        source: PolarsError,
    },
    /// Writing a Parquet file failed.
    #[error("cannot write {path}: {source}")]
    WriteParquet {
        /// The file.
        path: PathBuf,
        /// Polars' error.
        source: PolarsError,
    },
    /// Copying cached pieces' column chunks into a mart file failed.
    #[error("cannot concatenate Parquet pieces at {path}: {source}")]
    CopyParquet {
        /// The piece read or the mart written.
        path: PathBuf,
        /// The Parquet library's error.
        source: parquet::errors::ParquetError,
    },
    /// A file-system operation failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was attempted (`creating`, `renaming`, ...).
        action: &'static str,
        /// The path concerned.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The thread reading snapshots ahead stopped before handing over a day (a bug: it stops
    /// early only after sending an error, which is reported instead).
    #[error("the snapshot reader stopped before reading {date}; rerun, and report it if it recurs")]
    ReaderStopped {
        /// The day that was not read.
        date: chrono::NaiveDate,
    },
    /// Serialising the marts manifest failed.
    #[error("cannot serialise {path}: {source}")]
    Json {
        /// The file being written.
        path: PathBuf,
        /// The serde error.
        source: serde_json::Error,
    },
}

impl TransformError {
    /// A partition does not match the layout, its manifest or a known schema version (the
    /// binary's exit code 5).
    pub fn is_integrity(&self) -> bool {
        matches!(
            self,
            TransformError::MissingManifest { .. }
                | TransformError::BadManifest { .. }
                | TransformError::UnsupportedSchema { .. }
                | TransformError::DateMismatch { .. }
                | TransformError::MissingFile { .. }
                | TransformError::CorruptParquet { .. }
                | TransformError::MissingColumn { .. }
        )
    }

    /// The lake given is not usable as one (the binary's exit code 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(self, TransformError::NoSnapshots { .. })
    }

    /// Shorthand for an I/O error with its action and path.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        TransformError::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// Shorthand for a failed query of `mart` over `scope`.
    pub(crate) fn query(mart: &'static str, scope: impl ToString, source: PolarsError) -> Self {
        TransformError::Query {
            mart,
            scope: scope.to_string(),
            source,
        }
    }
}
