//! Snapshot progress: an `indicatif` spinner on a terminal, periodic log lines otherwise.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use hubtrends_ingest::{PageProgress, Progress};
use indicatif::{ProgressBar, ProgressStyle};

/// Shows the ingest's progress to a person or to a log.
pub enum SnapshotProgress {
    /// A spinner on standard error (a terminal).
    Bar(ProgressBar),
    /// A log line at most every `every`, for cron.
    Log {
        /// When the last line was written.
        last: Mutex<Option<Instant>>,
        /// Minimum time between lines.
        every: Duration,
    },
}

impl SnapshotProgress {
    /// A bar when `bars` (a terminal), else log lines every 10 seconds.
    pub fn new(bars: bool) -> Self {
        if bars {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            SnapshotProgress::Bar(bar)
        } else {
            SnapshotProgress::Log {
                last: Mutex::new(None),
                every: Duration::from_secs(10),
            }
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let SnapshotProgress::Bar(bar) = self {
            bar.finish_and_clear();
        }
    }
}

fn describe(p: &PageProgress, rate: f64) -> String {
    let mut text = format!(
        "{}: {} pages, {} models, {:.0} models/s",
        p.listing, p.pages, p.models, rate
    );
    if let Some(remaining) = p.remaining_calls {
        text.push_str(&format!(", {remaining} calls left"));
    }
    if let Some(reset) = p.reset_secs {
        text.push_str(&format!(", quota resets in {reset}s"));
    }
    text
}

impl Progress for SnapshotProgress {
    fn page(&self, p: &PageProgress) {
        match self {
            SnapshotProgress::Bar(bar) => {
                let rate = p.models as f64 / bar.elapsed().as_secs_f64().max(1e-3);
                bar.set_message(describe(p, rate));
            }
            SnapshotProgress::Log { last, every } => {
                let Ok(mut last) = last.lock() else { return };
                let now = Instant::now();
                if last.is_none_or(|t| now.duration_since(t) >= *every) {
                    *last = Some(now);
                    tracing::info!(
                        listing = p.listing,
                        pages = p.pages,
                        models = p.models,
                        remaining_calls = p.remaining_calls,
                        reset_secs = p.reset_secs,
                        "snapshot progress"
                    );
                }
            }
        }
    }

    fn message(&self, msg: &str) {
        match self {
            SnapshotProgress::Bar(bar) => bar.println(msg),
            SnapshotProgress::Log { .. } => tracing::info!("{msg}"),
        }
    }
}
