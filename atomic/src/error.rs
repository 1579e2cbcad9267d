//! The crate's one error type.

use std::path::{Path, PathBuf};

/// A failed step of a publication, naming the path it failed on.
#[derive(Debug, thiserror::Error)]
pub enum AtomicError {
    /// A file system operation failed.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done (`rename`, `sync`, `remove`...).
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The destination exists and the caller asked not to replace it.
    #[error("{path} already exists")]
    Exists {
        /// The existing destination.
        path: PathBuf,
    },
}

impl AtomicError {
    /// Wraps an I/O error with its action and path.
    pub(crate) fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.to_path_buf();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }

    /// The path the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::Io { path, .. } | Self::Exists { path } => path,
        }
    }

    /// The action, the path and an I/O error, for callers that fold this into their own `Io`
    /// variant (`Exists` becomes [`std::io::ErrorKind::AlreadyExists`]).
    pub fn into_parts(self) -> (&'static str, PathBuf, std::io::Error) {
        match self {
            Self::Io {
                action,
                path,
                source,
            } => (action, path, source),
            Self::Exists { path } => (
                "publish",
                path,
                std::io::Error::from(std::io::ErrorKind::AlreadyExists),
            ),
        }
    }
}
