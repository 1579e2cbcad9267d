//! Progress reporting: the binary implements [`Progress`] (a bar on a TTY, log lines under cron).

/// One page fetched, as the progress display sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageProgress {
    /// Which listing: `models`, `trending`, or `top:<sort>` in top scope.
    pub listing: &'static str,
    /// Pages fetched so far in this listing (including pages of a resumed run).
    pub pages: u64,
    /// Models received so far in this listing (including a resumed run's).
    pub models: u64,
    /// Calls left in the current rate-limit window, when the server says.
    pub remaining_calls: Option<u32>,
    /// Seconds until the rate-limit window resets, when the server says.
    pub reset_secs: Option<u64>,
}

/// Receives progress events; implementations must be cheap (called once per page).
pub trait Progress: Send + Sync {
    /// A page arrived and was processed.
    fn page(&self, p: &PageProgress);
    /// A notable event in words (resuming, waiting for the quota, retrying, publishing).
    fn message(&self, msg: &str) {
        let _ = msg;
    }
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn page(&self, _p: &PageProgress) {}
}
