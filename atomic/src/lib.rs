//! Atomic publication in the lake (placeholder: the reliability work fills it in).
#![deny(missing_docs)]
