//! The resumable state of an interrupted full-scope run: `{lake}/.staging/date=D/state.json`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::IngestError;
use crate::http::client::Counters;
use crate::manifest::write_synced;
use crate::writer::{Checkpoint, sync_dir, work_path};

const STATE_FILE: &str = "state.json";
/// A state older than this is stale: the listing has moved on, start over.
const MAX_AGE_HOURS: i64 = 24;

/// Who wrote a state: a resume must match it field for field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Identity {
    /// Schema version.
    pub schema_version: u32,
    /// Tool version.
    pub tool_version: String,
    /// Endpoint.
    pub endpoint: String,
    /// Scope name.
    pub scope: String,
    /// Snapshot date.
    pub date: NaiveDate,
    /// The first listing query (page size and fields included).
    pub query: String,
}

/// Everything a resumed run needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct State {
    /// Must match the new run's.
    pub identity: Identity,
    /// When the interrupted run started.
    pub started_at: DateTime<Utc>,
    /// When the state was last written.
    pub updated_at: DateTime<Utc>,
    /// The full URL of the next page (cursors are opaque).
    pub next_url: String,
    /// Pages fetched up to the checkpoint.
    pub pages: u64,
    /// Requests made so far.
    pub requests: u64,
    /// Retries made so far.
    pub retries: u64,
    /// 429s received so far.
    pub rate_limited: u64,
    /// What the writer has made durable.
    pub checkpoint: Checkpoint,
}

impl State {
    /// Adds `c` to the counters the state carries over.
    pub(crate) fn add_counters(&mut self, c: Counters) {
        self.requests += c.requests;
        self.retries += c.retries;
        self.rate_limited += c.rate_limited;
    }
}

fn state_path(lake: &Path, date: NaiveDate) -> PathBuf {
    work_path(lake, date).join(STATE_FILE)
}

/// The state of `identity`'s date if it exists, is readable, matches, and is fresh.
pub(crate) fn load(lake: &Path, identity: &Identity, now: DateTime<Utc>) -> Option<State> {
    let path = state_path(lake, identity.date);
    let bytes = std::fs::read(&path).ok()?;
    let state: State = match serde_json::from_slice(&bytes) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "unreadable resume state; starting over");
            return None;
        }
    };
    if &state.identity != identity {
        tracing::warn!(path = %path.display(), "resume state from another run (endpoint, scope, version or query differ); starting over");
        return None;
    }
    if now - state.updated_at > chrono::Duration::hours(MAX_AGE_HOURS) {
        tracing::warn!(path = %path.display(), "resume state older than {MAX_AGE_HOURS} h; starting over");
        return None;
    }
    Some(state)
}

/// Writes the state atomically (temporary file, fsync, rename, fsync the directory).
pub(crate) fn save(lake: &Path, state: &State) -> Result<(), IngestError> {
    let path = state_path(lake, state.identity.date);
    let tmp = path.with_extension("json.tmp");
    let json = serde_json::to_vec_pretty(state).map_err(|source| IngestError::JsonFile {
        path: path.clone(),
        source,
    })?;
    write_synced(&tmp, &json)?;
    std::fs::rename(&tmp, &path).map_err(IngestError::io(&path))?;
    sync_dir(&work_path(lake, state.identity.date))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn identity() -> Identity {
        Identity {
            schema_version: 1,
            tool_version: "0.1.0".into(),
            endpoint: "http://127.0.0.1:1/".into(),
            scope: "full".into(),
            date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            query: "/api/models?sort=downloads".into(),
        }
    }

    fn state(updated_at: DateTime<Utc>) -> State {
        State {
            identity: identity(),
            started_at: updated_at,
            updated_at,
            next_url: "http://127.0.0.1:1/api/models?cursor=abc".into(),
            pages: 3,
            requests: 4,
            retries: 1,
            rate_limited: 0,
            checkpoint: Checkpoint::default(),
        }
    }

    #[test]
    fn saved_state_loads_only_when_matching_and_fresh() {
        let lake = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(work_path(lake.path(), identity().date)).unwrap();
        let now = Utc::now();
        save(lake.path(), &state(now)).unwrap();
        let got = load(lake.path(), &identity(), now).unwrap();
        assert_eq!(got.next_url, "http://127.0.0.1:1/api/models?cursor=abc");
        assert_eq!(got.pages, 3);

        let mut other = identity();
        other.endpoint = "https://huggingface.co/".into();
        assert!(load(lake.path(), &other, now).is_none(), "foreign endpoint");
        let mut other = identity();
        other.tool_version = "0.2.0".into();
        assert!(load(lake.path(), &other, now).is_none(), "other version");
        let later = now + chrono::Duration::hours(25);
        assert!(load(lake.path(), &identity(), later).is_none(), "stale");
    }

    #[test]
    fn garbage_state_is_ignored() {
        let lake = tempfile::tempdir().unwrap();
        let dir = work_path(lake.path(), identity().date);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(STATE_FILE), "{not json").unwrap();
        assert!(load(lake.path(), &identity(), Utc::now()).is_none());
    }
}
