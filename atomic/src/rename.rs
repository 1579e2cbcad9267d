//! The two rename primitives: exchange two paths, and rename without replacing.
//!
//! On Linux both are one `renameat2` call. `Unsupported` means the OS or the file system refuses
//! the flag (old kernels, some network and FUSE file systems): the caller falls back.

use std::io;
use std::path::Path;

/// What a primitive did.
pub(crate) enum Outcome {
    /// Done, atomically.
    Done,
    /// Not available here: use the portable fallback.
    Unsupported,
}

/// Swaps `a` and `b` (both must exist) in one atomic step.
#[cfg(target_os = "linux")]
pub(crate) fn exchange(a: &Path, b: &Path) -> io::Result<Outcome> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(Outcome::Done),
        Err(e) if unsupported(e) => Ok(Outcome::Unsupported),
        Err(e) => Err(e.into()),
    }
}

/// Swaps `a` and `b`: not available on this OS.
#[cfg(not(target_os = "linux"))]
pub(crate) fn exchange(_a: &Path, _b: &Path) -> io::Result<Outcome> {
    Ok(Outcome::Unsupported)
}

/// Renames `from` to `to`, failing with `AlreadyExists` if `to` exists (even if it appears
/// concurrently).
#[cfg(target_os = "linux")]
pub(crate) fn rename_noreplace(from: &Path, to: &Path) -> io::Result<Outcome> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(Outcome::Done),
        Err(e) if unsupported(e) => Ok(Outcome::Unsupported),
        Err(e) => Err(e.into()),
    }
}

/// Renames without replacing: not available on this OS.
#[cfg(not(target_os = "linux"))]
pub(crate) fn rename_noreplace(_from: &Path, _to: &Path) -> io::Result<Outcome> {
    Ok(Outcome::Unsupported)
}

#[cfg(target_os = "linux")]
fn unsupported(e: rustix::io::Errno) -> bool {
    use rustix::io::Errno;
    e == Errno::INVAL || e == Errno::NOSYS || e == Errno::OPNOTSUPP
}
