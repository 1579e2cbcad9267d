//! Paths of the lake and the atomic publication of a sealed partition directory.

use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::error::IngestError;

pub(super) const STAGING_DIR: &str = ".staging";
pub(crate) const SNAPSHOTS_DIR: &str = "snapshots";
const REPLACED_DIR: &str = "replaced";

/// `{lake}/snapshots/date=YYYY-MM-DD`: where a date's partition lives once published.
pub fn partition_path(lake: &Path, date: NaiveDate) -> PathBuf {
    lake.join(SNAPSHOTS_DIR).join(format!("date={date}"))
}

/// `{lake}/.staging/date=YYYY-MM-DD`: the date's work directory (runs, state, future partition).
pub(crate) fn work_path(lake: &Path, date: NaiveDate) -> PathBuf {
    lake.join(STAGING_DIR).join(format!("date={date}"))
}

/// Fsyncs a directory, so renames and new entries in it are durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), IngestError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(IngestError::io(dir))
}

/// `create_dir_all` with the path in the error.
pub(crate) fn create_dir_all(dir: &Path) -> Result<(), IngestError> {
    std::fs::create_dir_all(dir).map_err(IngestError::io(dir))
}

/// Removes a directory tree; a missing one is fine.
pub(crate) fn remove_dir_if_exists(dir: &Path) -> Result<(), IngestError> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(IngestError::io(dir)(e)),
        _ => Ok(()),
    }
}

/// Refuses an existing partition unless `force`.
pub(crate) fn check_absent(lake: &Path, date: NaiveDate, force: bool) -> Result<(), IngestError> {
    let target = partition_path(lake, date);
    if !force && target.exists() {
        return Err(IngestError::PartitionExists { path: target });
    }
    Ok(())
}

/// Renames the sealed `out` directory into place; with `force`, swaps out the old partition.
pub(crate) fn publish(
    lake: &Path,
    date: NaiveDate,
    out: &Path,
    work: &Path,
    force: bool,
) -> Result<PathBuf, IngestError> {
    let target = partition_path(lake, date);
    let parent = lake.join(SNAPSHOTS_DIR);
    create_dir_all(&parent)?;
    if target.exists() {
        if !force {
            return Err(IngestError::PartitionExists { path: target });
        }
        let aside = work.join(REPLACED_DIR);
        remove_dir_if_exists(&aside)?;
        std::fs::rename(&target, &aside).map_err(IngestError::io(&target))?;
        if let Err(e) = std::fs::rename(out, &target) {
            // Put the old partition back rather than leave the date empty.
            let _ = std::fs::rename(&aside, &target);
            return Err(IngestError::io(&target)(e));
        }
        sync_dir(&parent)?;
        remove_dir_if_exists(&aside)?;
    } else {
        std::fs::rename(out, &target).map_err(IngestError::io(&target))?;
        sync_dir(&parent)?;
    }
    Ok(target)
}
