//! End-to-end tests of the ingest against the simulated Hub on 127.0.0.1.
#![allow(clippy::unwrap_used)]

mod bench;
mod common;
mod failures;
mod full;
mod lake;
mod quota;
mod resume;
mod secrets;
mod storage;
mod top;
