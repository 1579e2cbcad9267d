//! The per-day cache that makes reruns incremental.
//!
//! `{lake}/.staging/transform-cache/<filter>/date=YYYY-MM-DD/` holds one day's piece of every
//! daily mart, that day's statistics and its key; `state.parquet` holds the download state after
//! the last cached day. A day's key chains the previous day's key with the day's input hashes
//! (from the snapshot manifest), the registry version, the filter and the code's cache format,
//! so a changed day invalidates itself and every later day (their daily downloads depend on it),
//! and an appended day recomputes alone. The marts are always assembled from these files, so an
//! incremental run and a full rebuild write the same bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::DataFrame;
use serde::{Deserialize, Serialize};

use crate::config::Filter;
use crate::error::TransformError;
use crate::lake::Partition;
use crate::lineage::LineageStats;
use crate::write;

/// Bumped whenever the pieces' content or layout changes, to invalidate old caches.
const CACHE_FORMAT: &str = "hubtrends-transform-cache-1";
const KEY_FILE: &str = "_key";
const STATS_FILE: &str = "_stats.json";
const STATE_FILE: &str = "state.parquet";
const STATE_KEY_FILE: &str = "state.key";

/// Per-day counts kept beside the pieces, summed into the marts manifest.
#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct DayStats {
    /// Lineage walk counts.
    pub lineage: LineageStats,
    /// `model_daily` rows per flag.
    pub flags: BTreeMap<String, u64>,
}

/// The cache directory of one filter.
pub(crate) struct Cache {
    dir: PathBuf,
}

/// Cache directory name of a filter: `all`, or the filter with unsafe characters replaced.
fn slug(filter: &Filter) -> String {
    if filter.is_empty() {
        return "all".to_owned();
    }
    filter
        .describe()
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || "-_.=".contains(ch) {
                ch
            } else {
                '_'
            }
        })
        .collect::<String>()
        + "-"
        + &write::sha256_text(&filter.describe())[..8]
}

/// The chained key of every partition (see the module doc).
pub(crate) fn chain_keys(
    parts: &[Partition],
    registry_version: &str,
    filter: &Filter,
) -> Vec<String> {
    let mut prev = String::new();
    parts
        .iter()
        .map(|p| {
            let text = format!(
                "{CACHE_FORMAT}\n{}\n{registry_version}\n{:?}\n{prev}\n{}\n{}\n{}\n",
                env!("CARGO_PKG_VERSION"),
                (&filter.pipeline, &filter.library),
                p.date,
                p.models_sha256,
                p.trending_sha256
            );
            prev = write::sha256_text(&text);
            prev.clone()
        })
        .collect()
}

impl Cache {
    /// The cache of `filter` in `lake` (created on first use).
    pub(crate) fn new(lake: &Path, filter: &Filter) -> Result<Cache, TransformError> {
        let dir = lake
            .join(".staging")
            .join("transform-cache")
            .join(slug(filter));
        std::fs::create_dir_all(&dir).map_err(|e| TransformError::io("creating", &dir, e))?;
        Ok(Cache { dir })
    }

    /// The directory of a cached day.
    pub(crate) fn day_dir(&self, date: NaiveDate) -> PathBuf {
        self.dir.join(format!("date={date}"))
    }

    /// Index of the first partition whose cached key is missing or different (`len` when the
    /// whole lake is cached).
    pub(crate) fn first_stale(&self, parts: &[Partition], keys: &[String]) -> usize {
        parts
            .iter()
            .zip(keys)
            .position(|(p, key)| {
                std::fs::read_to_string(self.day_dir(p.date).join(KEY_FILE))
                    .ok()
                    .as_deref()
                    != Some(key)
            })
            .unwrap_or(parts.len())
    }

    /// A fresh temporary directory for a day's pieces.
    pub(crate) fn begin_day(&self, date: NaiveDate) -> Result<PathBuf, TransformError> {
        let tmp = self.dir.join(format!("date={date}.tmp"));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| TransformError::io("removing", &tmp, e))?;
        }
        std::fs::create_dir_all(&tmp).map_err(|e| TransformError::io("creating", &tmp, e))?;
        Ok(tmp)
    }

    /// Seals a day: writes its stats and key, then renames the temporary directory into place.
    pub(crate) fn commit_day(
        &self,
        date: NaiveDate,
        key: &str,
        stats: &DayStats,
        tmp: &Path,
    ) -> Result<(), TransformError> {
        let stats_path = tmp.join(STATS_FILE);
        let bytes = serde_json::to_vec(stats).map_err(|source| TransformError::Json {
            path: stats_path.clone(),
            source,
        })?;
        write::write_bytes(&stats_path, &bytes)?;
        write::write_bytes(&tmp.join(KEY_FILE), key.as_bytes())?;
        let dir = self.day_dir(date);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| TransformError::io("removing", &dir, e))?;
        }
        std::fs::rename(tmp, &dir).map_err(|e| TransformError::io("renaming", tmp, e))
    }

    /// A cached day's statistics.
    pub(crate) fn stats(&self, date: NaiveDate) -> Result<DayStats, TransformError> {
        let path = self.day_dir(date).join(STATS_FILE);
        let bytes = std::fs::read(&path).map_err(|e| TransformError::io("reading", &path, e))?;
        serde_json::from_slice(&bytes).map_err(|source| TransformError::Json { path, source })
    }

    /// The saved download state, if it was saved after the day whose key is `key`.
    pub(crate) fn load_state(&self, key: &str) -> Result<Option<DataFrame>, TransformError> {
        let saved = std::fs::read_to_string(self.dir.join(STATE_KEY_FILE)).ok();
        if saved.as_deref() != Some(key) {
            return Ok(None);
        }
        write::read_frame(&self.dir.join(STATE_FILE)).map(Some)
    }

    /// Saves the download state after the day whose key is `key`.
    pub(crate) fn save_state(&self, state: DataFrame, key: &str) -> Result<(), TransformError> {
        let key_path = self.dir.join(STATE_KEY_FILE);
        // Key removed first: a crash between the two writes leaves no key, never a wrong one.
        if key_path.exists() {
            std::fs::remove_file(&key_path)
                .map_err(|e| TransformError::io("removing", &key_path, e))?;
        }
        write::write_frame(&self.dir.join(STATE_FILE), state, &[])?;
        write::write_bytes(&key_path, key.as_bytes())
    }

    /// Removes cached days that are no longer in the lake, and leftovers of interrupted runs.
    pub(crate) fn prune(&self, parts: &[Partition]) -> Result<(), TransformError> {
        let keep: std::collections::HashSet<PathBuf> =
            parts.iter().map(|p| self.day_dir(p.date)).collect();
        let entries = std::fs::read_dir(&self.dir)
            .map_err(|e| TransformError::io("listing", &self.dir, e))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let is_day = entry.file_name().to_string_lossy().starts_with("date=");
            if is_day && !keep.contains(&path) {
                std::fs::remove_dir_all(&path)
                    .map_err(|e| TransformError::io("removing", &path, e))?;
            }
        }
        Ok(())
    }
}
