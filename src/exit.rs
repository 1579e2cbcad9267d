//! Exit codes, documented in `hubtrends --help`, picked from the error chain.

use hubtrends_ingest::{ErrorKind, IngestError};

/// A user mistake: a flag, file, variable or date that cannot be used as given (exit code 2).
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// Data that does not match its manifest (exit code 5).
#[derive(Debug)]
pub struct Integrity(pub String);

impl std::fmt::Display for Integrity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Integrity {}

/// Failure not covered by another code.
pub const FAILURE: u8 = 1;
/// Bad input: a flag, file, date or lake layout is wrong.
pub const BAD_INPUT: u8 = 2;
/// The lake lock is held by another run.
pub const LOCK_HELD: u8 = 3;
/// The Hub failed past the retries.
pub const UPSTREAM: u8 = 4;
/// A file does not match its manifest or a schema version is unknown.
pub const INTEGRITY: u8 = 5;

/// The exit code for an error: the first classified error in its chain decides.
pub fn code_for(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if cause.downcast_ref::<BadInput>().is_some() {
            return BAD_INPUT;
        }
        if cause.downcast_ref::<Integrity>().is_some() {
            return INTEGRITY;
        }
        if let Some(ingest) = cause.downcast_ref::<IngestError>() {
            return match ingest.kind() {
                ErrorKind::LockHeld => LOCK_HELD,
                ErrorKind::Upstream => UPSTREAM,
                ErrorKind::BadInput => BAD_INPUT,
                ErrorKind::Integrity => INTEGRITY,
                ErrorKind::Io => FAILURE,
            };
        }
        if let Some(transform) = cause.downcast_ref::<hubtrends_transform::TransformError>() {
            if transform.is_integrity() {
                return INTEGRITY;
            }
            if transform.is_bad_input() {
                return BAD_INPUT;
            }
        }
        if let Some(report) = cause.downcast_ref::<hubtrends_report::ReportError>() {
            if report.is_bad_input() {
                return BAD_INPUT;
            }
            if report.is_integrity() {
                return INTEGRITY;
            }
        }
    }
    FAILURE
}
