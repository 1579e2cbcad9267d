//! The transform stage: reads every snapshot partition of the lake and writes the marts
//! (DESIGN.md "Marts (schema v1)", columns documented in `transform/README.md`).
//!
//! Days are processed one at a time with Polars lazy queries (projection pushdown on each
//! partition, bounded memory), their pieces cached under `{lake}/.staging/transform-cache/`, so
//! a rerun after a new snapshot recomputes only that day; the weekly marts are derived from the
//! cached daily pieces. Output is byte-identical for the same lake, registry and filter.
//!
//! - [`run`] with a [`TransformConfig`] builds everything; [`MARTS`] lists the marts ([`Mart`]).
//! - [`unattributed`] and [`coverage`]: the registry's blind spots on the latest snapshot.
//! - [`TransformError`]: every failure names its partition, file or mart.
#![deny(missing_docs)]

mod attribution;
mod cache;
mod columns;
mod config;
mod day;
mod downloads;
mod error;
mod exprs;
mod history;
mod inspect;
mod lake;
mod lineage;
mod marts;
mod run;
mod stats;
mod write;

pub use config::{Filter, MART_SCHEMA_VERSION, TransformConfig, TransformSummary};
pub use day::Day;
pub use error::TransformError;
pub use history::History;
pub use inspect::{Coverage, UnattributedRow, coverage, unattributed};
pub use marts::{Grain, MARTS, Mart};
pub use run::run;
