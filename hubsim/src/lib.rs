//! A simulated Hugging Face Hub for tests, the demo and benchmarks.
//!
//! - [`Population`]: a seeded, deterministic population of models with the real Hub's shape
//!   (big labs' bases, quantisers, thousands of users, lineage trees, heavy-tailed downloads)
//!   and its day-by-day evolution ([`Population::day`], [`Population::days`] -> [`Day`] ->
//!   [`SimModel`]).
//! - [`start`]: an HTTP server on 127.0.0.1 with the Hub API's surface (`/api/models` with
//!   sorting, `expand[]` and cursor paging; `/api/trending`), rate limits, an optional token and
//!   injectable faults ([`ServerConfig`], [`SimServer`]).
//! - [`SimError`]: every failure, with its context.
#![deny(missing_docs)]

mod authors;
mod error;
mod hash;
mod population;
mod server;
mod words;

pub use error::SimError;
pub use population::{Day, Gated, Population, Relation, SimConfig, SimModel, SortKey};
pub use server::{FaultConfig, FaultKind, RateQuota, ServerConfig, ServerStats, SimServer, start};
