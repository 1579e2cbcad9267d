//! hubtrends-ingest: the Hub API client and the atomic Parquet snapshot writer.
//!
//! [`snapshot`] lists the Hub (every model, or the top N by three sorts) and the day's trending
//! ranking, maps each item to schema v1 ([`map_model`]), streams the rows through a
//! [`PartitionWriter`] (sorted spill runs, k-way merge, ZSTD Parquet) and publishes
//! `{lake}/snapshots/date=D/` atomically with a `_manifest.json`. It paces itself from the
//! `RateLimit` headers, retries transient failures, quarantines bad records, resumes an
//! interrupted run, and never shows the token. [`LakeLock`] keeps runs apart; [`verify`]
//! re-hashes a lake against its manifests.
#![deny(missing_docs)]

mod batch;
mod config;
mod error;
mod http;
mod lock;
mod manifest;
mod map;
mod page;
mod progress;
mod record;
pub mod schema;
mod snapshot;
mod state;
mod stats;
mod token;
mod verify;
mod writer;

/// Version of the snapshot tables' schema (see DESIGN.md).
pub const SCHEMA_VERSION: u32 = 1;

pub use batch::{models_batch, models_from_batch, trending_batch};
pub use config::{Scope, SnapshotConfig};
pub use error::{ErrorKind, IngestError};
pub use lock::{LOCK_FILE, LakeLock};
pub use manifest::{FileEntry, Manifest};
pub use map::{Quarantine, map_model, map_trending, stored_tags};
pub use progress::{NoProgress, PageProgress, Progress};
pub use record::{BaseModel, ModelRecord, TrendingRecord};
pub use snapshot::{SnapshotSummary, snapshot};
pub use stats::{ColumnSize, column_sizes};
pub use token::Token;
pub use verify::{VerifiedFile, VerifyReport, verify};
pub use writer::{DEFAULT_SPILL_ROWS, PartitionMeta, PartitionWriter, Published, partition_path};
