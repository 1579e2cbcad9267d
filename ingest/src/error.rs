//! The one error type of the crate, and the coarse kind the binary maps to an exit code.

use std::path::PathBuf;

/// What class of failure an [`IngestError`] is; the binary maps each to a documented exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Another run holds the lake lock.
    LockHeld,
    /// The Hub (or the simulator) failed: HTTP errors or dropped connections outlasted the retries.
    Upstream,
    /// A flag, a date, a file or the lake layout is wrong; nothing was written.
    BadInput,
    /// Local I/O or encoding failed.
    Io,
    /// A file does not match its manifest, or a schema version is unknown.
    Integrity,
}

/// Everything that can go wrong while taking, writing or verifying a snapshot.
///
/// No variant ever carries the Hub token: URLs never contain it and bodies are the server's.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The lake lock is held by another process.
    #[error(
        "the lake {lake} is locked by another hubtrends run ({holder}); use --wait to wait for it"
    )]
    LockHeld {
        /// The lake directory.
        lake: PathBuf,
        /// What the lock file says about its holder (pid and start time), if readable.
        holder: String,
    },
    /// The partition for this date already exists and `force` is off.
    #[error("partition {path} already exists; use --force to replace it")]
    PartitionExists {
        /// The existing partition directory.
        path: PathBuf,
    },
    /// The server answered with a status that is not retried (e.g. 401, 404).
    #[error("GET {url} failed with HTTP {status}: {body_snippet}")]
    Http {
        /// The request URL.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// The first few hundred bytes of the body.
        body_snippet: String,
    },
    /// A retryable failure persisted through every retry.
    #[error("GET {url} failed after {attempts} attempts: {last_error}")]
    RetriesExhausted {
        /// The request URL.
        url: String,
        /// How many attempts were made.
        attempts: u32,
        /// The last failure (status or transport error).
        last_error: String,
    },
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {source}")]
    Client {
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// A file or directory operation failed.
    #[error("I/O error on {path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Encoding or decoding a Parquet file failed.
    #[error("Parquet error on {path}: {source}")]
    Parquet {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// Writing or reading back a spill run (an Arrow IPC file) failed.
    #[error("Arrow IPC error on spill run {path}: {source}")]
    SpillRun {
        /// The run file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: arrow_schema::ArrowError,
    },
    /// Building an Arrow record batch failed (a bug: records are validated before).
    #[error("Arrow error while building {what}: {source}")]
    Arrow {
        /// Which table was being built.
        what: &'static str,
        /// The underlying error.
        #[source]
        source: arrow_schema::ArrowError,
    },
    /// A response that must be JSON of a known shape was not (after retries for whole pages).
    #[error("unexpected JSON from {url}: {source}")]
    Json {
        /// The request URL.
        url: String,
        /// The underlying error.
        #[source]
        source: serde_json::Error,
    },
    /// A response parsed as JSON but has the wrong shape.
    #[error("unexpected response shape from {url}: expected {expected}")]
    Shape {
        /// The request URL.
        url: String,
        /// What was expected.
        expected: &'static str,
    },
    /// A local JSON file (manifest, state) could not be read or written.
    #[error("bad JSON file {path}: {source}")]
    JsonFile {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: serde_json::Error,
    },
    /// The caller's input is invalid.
    #[error("invalid {what}: {message}")]
    BadInput {
        /// Which input (flag, file, date...).
        what: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A file does not match what its manifest records.
    #[error("{path}: manifest says {expected}, found {found}")]
    ManifestMismatch {
        /// The file that does not match.
        path: PathBuf,
        /// What the manifest records.
        expected: String,
        /// What is on disk.
        found: String,
    },
    /// A manifest declares a schema version this build does not know.
    #[error("{path}: unknown schema version {found} (this build reads {expected})")]
    UnknownSchemaVersion {
        /// The manifest.
        path: PathBuf,
        /// The version this build supports.
        expected: u32,
        /// The version found.
        found: u32,
    },
}

impl IngestError {
    /// The class of this error, which the binary turns into an exit code.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::LockHeld { .. } => ErrorKind::LockHeld,
            Self::Http { .. }
            | Self::RetriesExhausted { .. }
            | Self::Json { .. }
            | Self::Shape { .. } => ErrorKind::Upstream,
            Self::PartitionExists { .. } | Self::BadInput { .. } => ErrorKind::BadInput,
            Self::Client { .. }
            | Self::Io { .. }
            | Self::Parquet { .. }
            | Self::SpillRun { .. }
            | Self::Arrow { .. }
            | Self::JsonFile { .. } => ErrorKind::Io,
            Self::ManifestMismatch { .. } | Self::UnknownSchemaVersion { .. } => {
                ErrorKind::Integrity
            }
        }
    }

    /// Wraps an I/O error with the path it happened on.
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }

    /// Wraps a Parquet error with the file it happened on.
    pub(crate) fn parquet(
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(parquet::errors::ParquetError) -> Self {
        let path = path.into();
        move |source| Self::Parquet { path, source }
    }
}
