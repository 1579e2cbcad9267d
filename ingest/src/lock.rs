//! The lake lock: one hubtrends run per lake at a time.
//!
//! An advisory `flock` on `{lake}/.hubtrends.lock` (std's `File::try_lock`, which is what fs4
//! wraps). The OS drops it when the process dies, so a crashed run never leaves a stale lock;
//! the file's content (pid, start time) only feeds the error message.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::error::IngestError;

/// File name of the lock inside the lake.
pub const LOCK_FILE: &str = ".hubtrends.lock";

/// Holds the lake lock until dropped.
#[derive(Debug)]
pub struct LakeLock {
    path: PathBuf,
    // Kept open: closing the file releases the lock.
    _file: File,
}

impl LakeLock {
    /// Takes the lock on `lake` (creating the directory). If another run holds it: fails with
    /// [`IngestError::LockHeld`] naming the holder, or blocks until it is free when `wait`.
    pub fn acquire(lake: &Path, wait: bool) -> Result<LakeLock, IngestError> {
        std::fs::create_dir_all(lake).map_err(IngestError::io(lake))?;
        let path = lake.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(IngestError::io(&path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = read_holder(&mut file);
                if !wait {
                    return Err(IngestError::LockHeld {
                        lake: lake.to_owned(),
                        holder,
                    });
                }
                tracing::info!(lake = %lake.display(), %holder, "waiting for the lake lock");
                file.lock().map_err(IngestError::io(&path))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(IngestError::io(&path)(e)),
        }
        let stamp = format!(
            "pid {} since {}\n",
            std::process::id(),
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        );
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(stamp.as_bytes()))
            .and_then(|()| file.flush())
            .map_err(IngestError::io(&path))?;
        Ok(LakeLock { path, _file: file })
    }

    /// The lock file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn read_holder(file: &mut File) -> String {
    let mut s = String::new();
    match file.rewind().and_then(|()| file.read_to_string(&mut s)) {
        Ok(_) if !s.trim().is_empty() => s.trim().to_owned(),
        _ => "holder unknown".to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn second_acquire_fails_with_the_holder_and_drop_releases() {
        let lake = tempfile::tempdir().unwrap();
        let first = LakeLock::acquire(lake.path(), false).unwrap();
        let err = LakeLock::acquire(lake.path(), false).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::LockHeld);
        let msg = err.to_string();
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        drop(first);
        let again = LakeLock::acquire(lake.path(), false).unwrap();
        assert!(again.path().ends_with(LOCK_FILE));
    }

    #[test]
    fn wait_blocks_until_the_holder_releases() {
        let lake = tempfile::tempdir().unwrap();
        let first = LakeLock::acquire(lake.path(), false).unwrap();
        let dir = lake.path().to_owned();
        let waiter = std::thread::spawn(move || LakeLock::acquire(&dir, true).map(|_| ()));
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(!waiter.is_finished(), "must wait while the lock is held");
        drop(first);
        waiter.join().unwrap().unwrap();
    }
}
