//! What a snapshot run needs to know: plain data, filled by the binary's settings.

use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;

use crate::token::Token;

/// Which models a snapshot lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every model, paging through `/api/models?sort=downloads`.
    Full,
    /// The top N by trending score, by 30-day downloads and by likes, merged without duplicates.
    Top(usize),
}

impl Scope {
    /// The manifest's `scope` value: `full` or `top`.
    pub fn name(&self) -> &'static str {
        match self {
            Scope::Full => "full",
            Scope::Top(_) => "top",
        }
    }

    /// N for `top`, `None` for `full`.
    pub fn top(&self) -> Option<usize> {
        match self {
            Scope::Full => None,
            Scope::Top(n) => Some(*n),
        }
    }
}

/// Configuration of one snapshot run. `Debug` is safe to log: the token prints redacted.
#[derive(Debug, Clone)]
pub struct SnapshotConfig {
    /// Hub endpoint, e.g. `https://huggingface.co` (no trailing path).
    pub endpoint: url::Url,
    /// Full listing or top N.
    pub scope: Scope,
    /// Snapshot date (UTC); at most one day after today.
    pub date: NaiveDate,
    /// Lake directory; the partition goes to `{lake}/snapshots/date=YYYY-MM-DD`.
    pub lake: PathBuf,
    /// Bearer token for the Hub, if any.
    pub token: Option<Token>,
    /// `limit` per listing page (the Hub caps it at 1000).
    pub page_limit: u32,
    /// `limit` of the trending request.
    pub trending_limit: u32,
    /// Replace an existing partition for the date (atomically).
    pub force: bool,
    /// Retries per request before the run fails.
    pub max_retries: u32,
    /// First retry delay (doubles each retry, plus jitter).
    pub min_backoff: Duration,
    /// Cap of a single retry delay (a 429's `Retry-After`/`t=` may exceed it).
    pub max_backoff: Duration,
    /// Timeout of one request, body included.
    pub request_timeout: Duration,
    /// Records buffered before a sorted run is spilled to the staging dir (bounds memory).
    pub spill_rows: usize,
    /// Version of the tool, for the manifest, the state file and the User-Agent.
    pub tool_version: String,
}

impl SnapshotConfig {
    /// A config with the documented defaults for everything but endpoint, date and lake.
    pub fn new(endpoint: url::Url, date: NaiveDate, lake: PathBuf) -> SnapshotConfig {
        SnapshotConfig {
            endpoint,
            scope: Scope::Full,
            date,
            lake,
            token: None,
            page_limit: 1000,
            trending_limit: 100,
            force: false,
            max_retries: 8,
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
            request_timeout: Duration::from_secs(60),
            spill_rows: crate::DEFAULT_SPILL_ROWS,
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}
