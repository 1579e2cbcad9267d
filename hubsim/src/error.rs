//! The crate's one error type.

use std::net::SocketAddr;

/// Everything that can fail in the simulator, with the context to act on it.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The server could not bind its loopback port.
    #[error("cannot bind the simulated Hub to {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A fault kind name is not one of the accepted ones.
    #[error(
        "unknown fault kind `{found}` (expected one of: 429, 5xx, drop, truncate, garble, slow, malformed, or all)"
    )]
    UnknownFault {
        /// The value that was given.
        found: String,
    },
    /// A query parameter has a value the API refuses.
    #[error("invalid value `{found}` for `{param}` (expected {expected})")]
    InvalidParam {
        /// The parameter name.
        param: &'static str,
        /// The value that was sent.
        found: String,
        /// What the API accepts.
        expected: &'static str,
    },
    /// An `expand` value that the API does not know.
    #[error("invalid expand value `{found}`")]
    UnknownExpand {
        /// The value that was sent.
        found: String,
    },
    /// A cursor that this server did not issue (or for another sort order).
    #[error("invalid cursor `{found}`")]
    BadCursor {
        /// The cursor as sent.
        found: String,
    },
    /// Building the population on a worker thread failed (it panicked).
    #[error("building the simulated population failed: {reason}")]
    Build {
        /// The join error's message.
        reason: String,
    },
    /// A connection dropped on purpose by fault injection (hyper closes it on this error).
    #[error("connection dropped by fault injection")]
    DroppedConnection,
}
