//! Atomic publication in the lake, shared by every stage that writes.
//!
//! A stage writes its output under `{lake}/.staging/`, fsyncs it ([`sync_file`], [`sync_dir`]),
//! then [`publish_dir`] moves it into place in one step: a plain rename when the destination is
//! new, and on Linux `renameat2(RENAME_EXCHANGE)` when it replaces an old one (the old one comes
//! back at the staged path and is deleted), so a reader or a crash sees the old or the new
//! directory, never neither. Elsewhere (or on file systems that refuse the exchange) the old one
//! is renamed aside first; [`recover`] and [`clean_staging`] put an interrupted swap back.
//! [`swap_symlink`] repoints a symlink atomically. [`crash_point`] is the kill-test hook.
#![deny(missing_docs)]

mod crash;
mod error;
mod fsync;
mod publish;
mod rename;

pub use crash::{CRASH_ENV, crash_point};
pub use error::AtomicError;
pub use fsync::{sync_dir, sync_file, sync_parent};
pub use publish::{
    AFTER_PUBLISH, BEFORE_PUBLISH, BEFORE_SYMLINK_SWAP, BETWEEN_SWAP, Existing, clean_staging,
    publish_dir, recover, remove_dir_if_exists, swap_symlink,
};
