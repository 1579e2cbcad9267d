//! Paths of the lake and the atomic publication of a sealed partition directory.
//!
//! The publication itself (fsync, no-replace rename, exchange with an old partition, recovery of
//! an interrupted swap, crash points) is `hubtrends_atomic`'s, shared with transform and report.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use hubtrends_atomic::{AtomicError, Existing};

use crate::error::IngestError;

pub(super) const STAGING_DIR: &str = ".staging";
pub(crate) const SNAPSHOTS_DIR: &str = "snapshots";
/// Where a replaced partition waits while the fallback swap runs (inside the date's work dir).
const REPLACED_DIR: &str = "replaced";

/// `{lake}/snapshots/date=YYYY-MM-DD`: where a date's partition lives once published.
pub fn partition_path(lake: &Path, date: NaiveDate) -> PathBuf {
    lake.join(SNAPSHOTS_DIR).join(format!("date={date}"))
}

/// `{lake}/.staging/date=YYYY-MM-DD`: the date's work directory (runs, state, future partition).
pub(crate) fn work_path(lake: &Path, date: NaiveDate) -> PathBuf {
    lake.join(STAGING_DIR).join(format!("date={date}"))
}

fn io(e: AtomicError) -> IngestError {
    let (_, path, source) = e.into_parts();
    IngestError::Io { path, source }
}

/// Fsyncs a directory, so renames and new entries in it are durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), IngestError> {
    hubtrends_atomic::sync_dir(dir).map_err(io)
}

/// `create_dir_all` with the path in the error.
pub(crate) fn create_dir_all(dir: &Path) -> Result<(), IngestError> {
    std::fs::create_dir_all(dir).map_err(IngestError::io(dir))
}

/// Removes a directory tree; a missing one is fine.
pub(crate) fn remove_dir_if_exists(dir: &Path) -> Result<(), IngestError> {
    hubtrends_atomic::remove_dir_if_exists(dir).map_err(io)
}

/// Refuses an existing partition unless `force`.
///
/// First puts back a partition that an interrupted `--force` swap left aside (only possible
/// where the atomic exchange is unavailable), before the work directory holding it is reset.
pub(crate) fn check_absent(lake: &Path, date: NaiveDate, force: bool) -> Result<(), IngestError> {
    let target = partition_path(lake, date);
    hubtrends_atomic::recover(&target, &work_path(lake, date).join(REPLACED_DIR)).map_err(io)?;
    if !force && target.exists() {
        return Err(IngestError::PartitionExists { path: target });
    }
    Ok(())
}

/// Moves the sealed `out` directory into place; with `force`, swaps out the old partition.
pub(crate) fn publish(
    lake: &Path,
    date: NaiveDate,
    out: &Path,
    work: &Path,
    force: bool,
) -> Result<PathBuf, IngestError> {
    let target = partition_path(lake, date);
    create_dir_all(&lake.join(SNAPSHOTS_DIR))?;
    let existing = if force {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    match hubtrends_atomic::publish_dir(out, &target, &work.join(REPLACED_DIR), existing) {
        Ok(()) => Ok(target),
        Err(AtomicError::Exists { path }) => Err(IngestError::PartitionExists { path }),
        Err(e) => Err(io(e)),
    }
}
