//! `snapshot`: list the Hub, map, stream into a partition, publish atomically.

mod run;

use std::path::PathBuf;

use chrono::{NaiveDate, Utc};
use url::Url;

use crate::config::{Scope, SnapshotConfig};
use crate::error::IngestError;
use crate::http::client::{Counters, HubClient};
use crate::progress::Progress;
use crate::writer::{PartitionMeta, partition_path};
use run::Run;

const MODELS_PATH: &str = "api/models";
const TRENDING_PATH: &str = "api/trending";
const LISTING_MODELS: &str = "models";
const LISTING_TRENDING: &str = "trending";
/// Sorts of the top scope, with their progress labels.
const TOP_SORTS: [(&str, &str); 3] = [
    ("trendingScore", "top:trendingScore"),
    ("downloads", "top:downloads"),
    ("likes", "top:likes"),
];
const FULL_SORT: &str = "downloads";

/// What a finished snapshot did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotSummary {
    /// The published partition directory.
    pub partition: PathBuf,
    /// Rows in `models.parquet`.
    pub models: u64,
    /// Rows in `trending.parquet`.
    pub trending: u64,
    /// Records quarantined.
    pub quarantined: u64,
    /// HTTP requests (including retries and a resumed run's).
    pub requests: u64,
    /// Retries.
    pub retries: u64,
    /// 429 responses.
    pub rate_limited: u64,
    /// Whether an interrupted run was resumed.
    pub resumed: bool,
}

/// Takes one snapshot of the Hub into `{lake}/snapshots/date=D`, as configured.
///
/// The caller should hold the [`LakeLock`](crate::LakeLock). On error nothing is published;
/// a full-scope run leaves resumable state under `{lake}/.staging/`.
pub async fn snapshot(
    config: &SnapshotConfig,
    progress: &dyn Progress,
) -> Result<SnapshotSummary, IngestError> {
    validate(config, Utc::now().date_naive())?;
    let started_at = Utc::now();
    let target = partition_path(&config.lake, config.date);
    if !config.force && target.exists() {
        // A run killed after publishing leaves its work dir (spill runs) behind: the partition
        // is complete, so that state can only waste disk.
        crate::writer::remove_dir_if_exists(&crate::writer::work_path(&config.lake, config.date))?;
        return Err(IngestError::PartitionExists { path: target });
    }
    let endpoint = normalized_endpoint(&config.endpoint);
    let mut client = HubClient::new(config, progress)?;
    let mut run = Run {
        config,
        progress,
        endpoint,
        queries: Vec::new(),
        warnings: Vec::new(),
        prior: Counters::default(),
        resumed: false,
    };
    let mut writer = match config.scope {
        Scope::Full => run.full(&mut client).await?,
        Scope::Top(n) => run.top(&mut client, n).await?,
    };
    let trending = run.trending(&mut client, &mut writer).await?;
    let trending_rows = trending.len() as u64;
    writer.set_trending(trending);
    let counters = run.prior + client.counters;
    progress.message("sealing the partition");
    let quarantined = writer.quarantined();
    let published = writer.finish(PartitionMeta {
        tool_version: config.tool_version.clone(),
        endpoint: config.endpoint.to_string(),
        scope: config.scope.name().to_owned(),
        top: config.scope.top(),
        queries: run.queries,
        started_at,
        requests: counters.requests,
        retries: counters.retries,
        rate_limited: counters.rate_limited,
        warnings: run.warnings,
    })?;
    Ok(SnapshotSummary {
        models: published
            .manifest
            .files
            .get(crate::schema::MODELS_FILE)
            .map_or(0, |f| f.rows),
        partition: published.path,
        trending: trending_rows,
        quarantined,
        requests: counters.requests,
        retries: counters.retries,
        rate_limited: counters.rate_limited,
        resumed: run.resumed,
    })
}

/// Refuses what cannot work before anything is fetched or written.
fn validate(config: &SnapshotConfig, today: NaiveDate) -> Result<(), IngestError> {
    let bad = |what, message: String| Err(IngestError::BadInput { what, message });
    if let Some(max) = today.succ_opt()
        && config.date > max
    {
        return bad(
            "date",
            format!("{} is in the future (today is {today} UTC)", config.date),
        );
    }
    if !matches!(config.endpoint.scheme(), "http" | "https") || config.endpoint.cannot_be_a_base() {
        return bad(
            "endpoint",
            format!("{} is not an http(s) URL", config.endpoint),
        );
    }
    if config.page_limit == 0 || config.trending_limit == 0 {
        return bad(
            "limit",
            "page and trending limits must be at least 1".into(),
        );
    }
    if config.scope == Scope::Top(0) {
        return bad("top", "--top must be at least 1".into());
    }
    Ok(())
}

/// The endpoint with a trailing slash, so `join("api/...")` keeps any path prefix of a mirror.
fn normalized_endpoint(endpoint: &Url) -> Url {
    let mut e = endpoint.clone();
    if !e.path().ends_with('/') {
        let path = format!("{}/", e.path());
        e.set_path(&path);
    }
    e.set_query(None);
    e.set_fragment(None);
    e
}

/// Path and query of a URL, for the manifest (the endpoint is recorded separately).
fn path_and_query(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::map::EXPAND;

    fn cfg(date: NaiveDate) -> SnapshotConfig {
        SnapshotConfig::new(
            Url::parse("http://127.0.0.1:9").unwrap(),
            date,
            PathBuf::from("/nonexistent"),
        )
    }

    #[test]
    fn future_dates_beyond_tomorrow_are_bad_input() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert!(validate(&cfg(today), today).is_ok());
        assert!(validate(&cfg(today.succ_opt().unwrap()), today).is_ok());
        let err = validate(&cfg(NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()), today).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::BadInput);
        let mut c = cfg(today);
        c.scope = Scope::Top(0);
        assert!(validate(&c, today).is_err());
        let mut c = cfg(today);
        c.endpoint = Url::parse("ftp://x").unwrap();
        assert!(validate(&c, today).is_err());
    }

    #[test]
    fn endpoint_prefix_is_kept_and_fields_are_expanded() {
        let mirror = normalized_endpoint(&Url::parse("http://h:1/mirror").unwrap());
        assert_eq!(
            mirror.join(MODELS_PATH).unwrap().as_str(),
            "http://h:1/mirror/api/models"
        );
        let c = cfg(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        let run = Run {
            config: &c,
            progress: &crate::NoProgress,
            endpoint: normalized_endpoint(&c.endpoint),
            queries: vec![],
            warnings: vec![],
            prior: Counters::default(),
            resumed: false,
        };
        let url = run.listing_url("downloads", 1000).unwrap();
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(pairs[0], ("sort".into(), "downloads".into()));
        assert_eq!(pairs[1], ("limit".into(), "1000".into()));
        let expanded: Vec<&str> = pairs[2..].iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(expanded, EXPAND);
        assert!(pairs[2..].iter().all(|(k, _)| k == "expand[]"));
    }
}
