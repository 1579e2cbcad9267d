//! Durability: fsync a file, a directory, a parent directory.

use std::fs::File;
use std::path::Path;

use crate::error::AtomicError;

/// Fsyncs a file's contents and metadata.
pub fn sync_file(path: &Path) -> Result<(), AtomicError> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(AtomicError::io("sync", path))
}

/// Fsyncs a directory, so entries created, renamed or removed in it are durable.
///
/// Directories can be opened and fsynced on Unix only; elsewhere this is a no-op and rename
/// durability is the OS's.
pub fn sync_dir(path: &Path) -> Result<(), AtomicError> {
    #[cfg(unix)]
    {
        sync_file(path)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Fsyncs the directory holding `path` (a no-op for a bare file name).
pub fn sync_parent(path: &Path) -> Result<(), AtomicError> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => sync_dir(parent),
        _ => Ok(()),
    }
}
