//! Publishing a staged directory, recovering an interrupted publication, swapping a symlink.

use std::fs;
use std::io::ErrorKind;
use std::path::Path;

use crate::crash::crash_point;
use crate::error::AtomicError;
use crate::fsync::sync_parent;
use crate::rename::{Outcome, exchange, rename_noreplace};

/// Crash point: the staged directory is complete and synced, nothing is renamed yet.
pub const BEFORE_PUBLISH: &str = "before-publish";
/// Crash point: the new directory is in place (exchange) or the old one is aside (fallback).
pub const BETWEEN_SWAP: &str = "between-swap";
/// Crash point: the destination is published and synced; leftovers are not cleaned yet.
pub const AFTER_PUBLISH: &str = "after-publish";
/// Crash point: the new symlink exists under its temporary name, not renamed over the old one.
pub const BEFORE_SYMLINK_SWAP: &str = "before-symlink-swap";

/// What [`publish_dir`] does when the destination already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Fail with [`AtomicError::Exists`] and leave both directories as they are.
    Refuse,
    /// Replace it in one step; the old directory is deleted afterwards.
    Replace,
}

/// Moves the complete, synced directory `staged` to `dest` atomically.
///
/// `staged` and `dest` must be on one file system (the lake's `.staging/` is). A new `dest` is a
/// no-replace rename. An existing one is [`Existing::Refuse`]d, or [`Existing::Replace`]d by an
/// exchange (Linux; the old directory lands at `staged` and is removed), else by renaming the old
/// one to `aside` first (restored if the second rename fails; [`recover`] restores it after a
/// crash). The parent directories are fsynced before returning.
pub fn publish_dir(
    staged: &Path,
    dest: &Path,
    aside: &Path,
    existing: Existing,
) -> Result<(), AtomicError> {
    publish_with(staged, dest, aside, existing, true)
}

/// [`publish_dir`], with the Linux primitives (`native`) or the portable fallback only.
pub(crate) fn publish_with(
    staged: &Path,
    dest: &Path,
    aside: &Path,
    existing: Existing,
    native: bool,
) -> Result<(), AtomicError> {
    crash_point(BEFORE_PUBLISH);
    if !dest.exists() {
        match rename_new(staged, dest, native) {
            Ok(()) => return finish(staged, dest),
            // Appeared since the check: fall through to the replace rules.
            Err(AtomicError::Exists { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    if existing == Existing::Refuse {
        return Err(AtomicError::Exists {
            path: dest.to_path_buf(),
        });
    }
    let outcome = if native {
        exchange(staged, dest).map_err(AtomicError::io("exchange", dest))?
    } else {
        Outcome::Unsupported
    };
    match outcome {
        Outcome::Done => {
            sync_parent(dest)?;
            sync_parent(staged)?;
            crash_point(BETWEEN_SWAP);
            // `staged` now holds the old directory.
            remove_dir_if_exists(staged)?;
        }
        Outcome::Unsupported => {
            tracing::debug!(dest = %dest.display(), "rename exchange unsupported: renaming aside");
            remove_dir_if_exists(aside)?;
            fs::rename(dest, aside).map_err(AtomicError::io("rename", dest))?;
            crash_point(BETWEEN_SWAP);
            if let Err(e) = fs::rename(staged, dest) {
                // Put the old directory back rather than leave none.
                let _ = fs::rename(aside, dest);
                return Err(AtomicError::io("rename", staged)(e));
            }
            sync_parent(dest)?;
            remove_dir_if_exists(aside)?;
        }
    }
    finish(staged, dest)
}

fn finish(staged: &Path, dest: &Path) -> Result<(), AtomicError> {
    sync_parent(dest)?;
    sync_parent(staged)?;
    crash_point(AFTER_PUBLISH);
    Ok(())
}

/// A rename that never replaces: `Exists` if `dest` is there.
fn rename_new(staged: &Path, dest: &Path, native: bool) -> Result<(), AtomicError> {
    let exists = || AtomicError::Exists {
        path: dest.to_path_buf(),
    };
    let outcome = if native {
        rename_noreplace(staged, dest)
    } else {
        Ok(Outcome::Unsupported)
    };
    match outcome {
        Ok(Outcome::Done) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(exists()),
        // ENOTEMPTY: a non-empty directory is in the way.
        Err(e) if dest.exists() => {
            tracing::debug!(error = %e, "no-replace rename refused: destination exists");
            Err(exists())
        }
        Err(e) => Err(AtomicError::io("rename", staged)(e)),
        Ok(Outcome::Unsupported) => {
            // Check-then-rename: the caller's lake lock keeps other writers out meanwhile.
            if dest.exists() {
                return Err(exists());
            }
            fs::rename(staged, dest).map_err(AtomicError::io("rename", staged))
        }
    }
}

/// Finishes what a crash interrupted between the two renames of the fallback swap: if `dest` is
/// missing and `aside` holds the old directory, puts it back. A leftover `aside` next to an
/// existing `dest` is removed. Returns whether the old directory was restored.
pub fn recover(dest: &Path, aside: &Path) -> Result<bool, AtomicError> {
    if !aside.exists() {
        return Ok(false);
    }
    if dest.exists() {
        remove_dir_if_exists(aside)?;
        return Ok(false);
    }
    tracing::warn!(dest = %dest.display(), aside = %aside.display(),
        "restoring the previous version after an interrupted publication");
    fs::rename(aside, dest).map_err(AtomicError::io("rename", aside))?;
    sync_parent(dest)?;
    Ok(true)
}

/// Cleans the leftovers of interrupted runs in `staging`: every entry whose name starts with
/// `prefix`, except `keep`. An entry ending in `-old` (the fallback swap's aside) is first
/// offered to [`recover`] for `dest`. Safe only under the lake lock. Returns how many went.
pub fn clean_staging(
    staging: &Path,
    prefix: &str,
    dest: &Path,
    keep: &[&Path],
) -> Result<usize, AtomicError> {
    let entries = match fs::read_dir(staging) {
        Ok(entries) => entries,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(AtomicError::io("list", staging)(e)),
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let path = entry.path();
        if !name.starts_with(prefix) || keep.contains(&path.as_path()) {
            continue;
        }
        if name.ends_with("-old") && recover(dest, &path)? {
            continue;
        }
        tracing::warn!(path = %path.display(), "removing a leftover of an interrupted run");
        // file_type does not follow symlinks: a leftover link is removed, never its target.
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            remove_dir_if_exists(&path)?;
        } else {
            fs::remove_file(&path).map_err(AtomicError::io("remove", &path))?;
        }
        removed += 1;
    }
    Ok(removed)
}

/// Points the symlink `link` at `target` (relative to the link's directory) atomically: a new
/// link is made at `tmp` (same directory) and renamed over `link`. Without symlinks (not Unix),
/// `link` becomes a file holding `target`.
pub fn swap_symlink(link: &Path, target: &str, tmp: &Path) -> Result<(), AtomicError> {
    match fs::remove_file(tmp) {
        Err(e) if e.kind() != ErrorKind::NotFound => {
            return Err(AtomicError::io("remove", tmp)(e));
        }
        _ => {}
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink(target, tmp).map_err(AtomicError::io("symlink", tmp))?;
    #[cfg(not(unix))]
    fs::write(tmp, target).map_err(AtomicError::io("write", tmp))?;
    crash_point(BEFORE_SYMLINK_SWAP);
    if let Err(e) = fs::rename(tmp, link) {
        let _ = fs::remove_file(tmp);
        return Err(AtomicError::io("rename", link)(e));
    }
    sync_parent(link)
}

/// Removes a directory tree; a missing one is fine.
pub fn remove_dir_if_exists(dir: &Path) -> Result<(), AtomicError> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != ErrorKind::NotFound => Err(AtomicError::io("remove", dir)(e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
#[path = "publish_tests.rs"]
mod tests;
