//! End-to-end tests of the `hubtrends` binary against the simulated Hub on loopback.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod cli;
mod contract;
mod demo;
mod reliability;
mod util;
