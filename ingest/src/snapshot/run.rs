//! One snapshot run's listings: the full listing (resumable), the top scope, the trending list.

use std::collections::HashSet;

use chrono::Utc;
use serde_json::Value;
use url::Url;

use super::{
    FULL_SORT, LISTING_MODELS, LISTING_TRENDING, MODELS_PATH, TOP_SORTS, TRENDING_PATH,
    path_and_query,
};
use crate::config::SnapshotConfig;
use crate::error::IngestError;
use crate::http::client::{Counters, HubClient, Page, RawPage, Tries, unparseable_reason};
use crate::map::{EXPAND, field, map_model, map_trending};
use crate::page::{PageError, ParsedPage, parse_models_page};
use crate::progress::{PageProgress, Progress};
use crate::record::{ModelRecord, TrendingRecord};
use crate::state::{self, Identity, State};
use crate::writer::PartitionWriter;

/// Parsed pages the fetcher may hold ready while the writer is busy (each ~0.5 MB as Arrow).
const PREFETCH_PAGES: usize = 2;

/// One fetched, parsed page, with the request counters as of its arrival (what a resume
/// state saved after this page must carry).
struct Fetched {
    url: Url,
    page: Page<ParsedPage>,
    counters: Counters,
}

/// The page after the one being parsed, fetched while it parsed.
struct Ahead {
    url: Url,
    result: Result<RawPage, IngestError>,
    /// Its URL's retry budget, for when its body turns out unparseable.
    tries: Tries,
    /// The counter increments its requests made.
    spent: Counters,
}

/// `a - b`, field by field (`b` is an earlier reading of the same counters, or a part of them).
fn minus(a: Counters, b: Counters) -> Counters {
    Counters {
        requests: a.requests.saturating_sub(b.requests),
        retries: a.retries.saturating_sub(b.retries),
        rate_limited: a.rate_limited.saturating_sub(b.rate_limited),
    }
}

/// The state of one run, shared by its listings.
pub(super) struct Run<'a> {
    pub(super) config: &'a SnapshotConfig,
    pub(super) progress: &'a dyn Progress,
    pub(super) endpoint: Url,
    pub(super) queries: Vec<String>,
    pub(super) warnings: Vec<String>,
    /// Counters of the interrupted run this one resumes.
    pub(super) prior: Counters,
    pub(super) resumed: bool,
}

impl Run<'_> {
    pub(super) fn listing_url(&self, sort: &str, limit: u32) -> Result<Url, IngestError> {
        let mut url = self
            .endpoint
            .join(MODELS_PATH)
            .map_err(|e| IngestError::BadInput {
                what: "endpoint",
                message: format!("{}: {e}", self.endpoint),
            })?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("sort", sort);
            q.append_pair("limit", &limit.to_string());
            for f in EXPAND {
                q.append_pair("expand[]", f);
            }
        }
        Ok(url)
    }

    /// Maps a page's items into the writer (bad ones quarantined); returns the records.
    fn map_page(
        &self,
        url: &Url,
        items: &[Value],
        writer: &mut PartitionWriter,
    ) -> Result<Vec<ModelRecord>, IngestError> {
        let mut records = Vec::with_capacity(items.len());
        for item in items {
            match map_model(item) {
                Ok(r) => records.push(r),
                Err(q) => {
                    tracing::debug!(%url, reason = %q, "quarantined a record");
                    writer.quarantine(url.as_str(), item, &q.reason)?;
                }
            }
        }
        Ok(records)
    }

    pub(super) async fn full(
        &mut self,
        client: &mut HubClient<'_>,
    ) -> Result<PartitionWriter, IngestError> {
        let cfg = self.config;
        let first = self.listing_url(FULL_SORT, cfg.page_limit)?;
        self.queries.push(path_and_query(&first));
        let identity = Identity {
            schema_version: crate::SCHEMA_VERSION,
            tool_version: cfg.tool_version.clone(),
            endpoint: self.endpoint.to_string(),
            scope: cfg.scope.name().to_owned(),
            date: cfg.date,
            query: path_and_query(&first),
        };
        let mut state = State {
            identity,
            started_at: Utc::now(),
            updated_at: Utc::now(),
            next_url: first.to_string(),
            pages: 0,
            requests: 0,
            retries: 0,
            rate_limited: 0,
            checkpoint: Default::default(),
        };
        let mut writer = None;
        if let Some(saved) = state::load(&cfg.lake, &state.identity, Utc::now()) {
            match PartitionWriter::resume(&cfg.lake, cfg.date, cfg.force, saved.checkpoint.clone())
            {
                Ok(w) => {
                    self.progress.message(&format!(
                        "resuming an interrupted run after page {} ({} models)",
                        saved.pages, saved.checkpoint.rows
                    ));
                    tracing::info!(
                        pages = saved.pages,
                        rows = saved.checkpoint.rows,
                        "resuming"
                    );
                    self.warnings.push(format!(
                        "resumed an interrupted run after page {}",
                        saved.pages
                    ));
                    self.prior = Counters {
                        requests: saved.requests,
                        retries: saved.retries,
                        rate_limited: saved.rate_limited,
                    };
                    self.resumed = true;
                    writer = Some(w);
                    state = saved;
                }
                Err(IngestError::PartitionExists { path }) => {
                    return Err(IngestError::PartitionExists { path });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "resume state unusable; starting over");
                }
            }
        }
        let mut writer = match writer {
            Some(w) => w,
            None => PartitionWriter::create(&cfg.lake, cfg.date, cfg.force)?,
        }
        .with_spill_rows(cfg.spill_rows);
        let mut url = Url::parse(&state.next_url).map_err(|e| IngestError::BadInput {
            what: "resume state",
            message: format!("next URL: {e}"),
        })?;
        let pages = state.pages;
        let base = client.counters;
        let date = cfg.date;
        // The fetcher pipelines: once page n's body has been read, its `Link` header already
        // names page n+1, so page n is parsed on a blocking thread while the request for page
        // n+1 is on the wire (parsing is the client's main CPU cost; the server renders
        // meanwhile instead of idling). Requests stay one at a time, so pacing is as before.
        // Pages go to the writer in order; at most PREFETCH_PAGES parsed pages wait in the
        // channel.
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Fetched, IngestError>>(PREFETCH_PAGES);
        let fetch = async move {
            let mut tries = client.tries();
            let mut raw = match client.get_raw(&url, &mut tries).await {
                Ok(raw) => raw,
                Err(e) => {
                    // The writer reports the error; a closed channel means it already stopped.
                    let _ = tx.send(Err(e)).await;
                    return;
                }
            };
            // The page after the one being parsed, once fetched.
            let mut ahead: Option<Ahead> = None;
            loop {
                let RawPage {
                    body,
                    next,
                    limit,
                    status,
                } = raw;
                let len = body.len();
                let parsing = tokio::task::spawn_blocking(move || {
                    let parsed = parse_models_page(date, &body);
                    (parsed, body)
                });
                if ahead.is_none()
                    && let Some(next_url) = &next
                {
                    let before = client.counters;
                    let mut next_tries = client.tries();
                    let result = client.get_raw(next_url, &mut next_tries).await;
                    ahead = Some(Ahead {
                        url: next_url.clone(),
                        result,
                        tries: next_tries,
                        spent: minus(client.counters, before),
                    });
                }
                let (parsed, body) = match parsing.await {
                    Ok(done) => done,
                    Err(e) => match e.try_into_panic() {
                        // A panic in the parser is a bug: let it surface as one.
                        Ok(panic) => std::panic::resume_unwind(panic),
                        // Cancelled: the runtime is shutting down.
                        Err(_) => return,
                    },
                };
                client.recycle(body);
                // As of this page's arrival: without the requests made for the page ahead (a
                // resume from a state saved after this page sends those again).
                let counters = match &ahead {
                    Some(a) => minus(client.counters, a.spent),
                    None => client.counters,
                };
                let reason = match parsed {
                    Ok(page) => {
                        let fetched = Fetched {
                            url: url.clone(),
                            page: Page {
                                body: page,
                                next,
                                limit,
                            },
                            counters,
                        };
                        // A closed channel means the writer stopped (on an error): stop fetching.
                        if tx.send(Ok(fetched)).await.is_err() {
                            return;
                        }
                        // No page ahead means this page had no next link: the listing is done.
                        let Some(a) = ahead.take() else { return };
                        match a.result {
                            Ok(r) => {
                                url = a.url;
                                raw = r;
                                tries = a.tries;
                                continue;
                            }
                            Err(e) => {
                                let _ = tx.send(Err(e)).await;
                                return;
                            }
                        }
                    }
                    // Garbled in transit: fetched again below, under this URL's retry budget.
                    Err(PageError::Unparseable(e)) => unparseable_reason(status, len, &e),
                    Err(PageError::NotArray) => {
                        let _ = tx
                            .send(Err(IngestError::Shape {
                                url: url.to_string(),
                                expected: "a JSON array of models",
                            }))
                            .await;
                        return;
                    }
                    Err(PageError::Batch(e)) => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                };
                let refetched = match client.retry_wait(&url, &mut tries, reason, None).await {
                    Ok(()) => client.get_raw(&url, &mut tries).await,
                    Err(e) => Err(e),
                };
                raw = match refetched {
                    Ok(raw) => raw,
                    Err(e) => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                };
                // The page ahead is kept (its requests were made once, as sequentially) unless
                // the refetched page links elsewhere.
                if ahead
                    .as_ref()
                    .is_some_and(|a| raw.next.as_ref() != Some(&a.url))
                {
                    ahead = None;
                }
            }
        };
        {
            let write = self.write_pages(rx, &mut writer, state, pages, base);
            tokio::pin!(fetch, write);
            let mut fetching = true;
            // The writer finishes when the fetcher has sent its last page (or on the first
            // error, which drops the fetcher mid-request).
            loop {
                tokio::select! {
                    () = &mut fetch, if fetching => fetching = false,
                    done = &mut write => {
                        done?;
                        break;
                    }
                }
            }
        }
        Ok(writer)
    }

    /// Writes fetched pages in order: quarantines, buffers and spills (on a background thread);
    /// whenever a run is durable, saves the resume state pointing at the page after the last
    /// one in it.
    async fn write_pages(
        &self,
        mut rx: tokio::sync::mpsc::Receiver<Result<Fetched, IngestError>>,
        writer: &mut PartitionWriter,
        state: State,
        mut pages: u64,
        base: Counters,
    ) -> Result<(), IngestError> {
        let cfg = self.config;
        // Where the background run in flight ends: the next link, page count and counters of
        // the page whose push started it (what the state saved once it is durable holds).
        let mut pending: Option<(String, u64, Counters)> = None;
        while let Some(fetched) = rx.recv().await {
            let Fetched {
                url,
                page: Page { body, next, limit },
                counters,
            } = fetched?;
            for (raw, reason) in &body.quarantined {
                tracing::debug!(%url, %reason, "quarantined a record");
                writer.quarantine(url.as_str(), raw, reason)?;
            }
            let outcome = writer.push_batch_background(body.batch)?;
            pages += 1;
            self.progress.page(&PageProgress {
                listing: LISTING_MODELS,
                pages,
                models: writer.rows() + writer.quarantined(),
                remaining_calls: limit.remaining,
                reset_secs: limit.reset_secs.map(|t| t.ceil() as u64),
            });
            if let Some(checkpoint) = outcome.durable
                && let Some((next_url, at_page, c)) = pending.take()
            {
                let mut saved = state.clone();
                saved.next_url = next_url;
                saved.pages = at_page;
                saved.updated_at = Utc::now();
                saved.checkpoint = checkpoint;
                saved.add_counters(Counters {
                    requests: c.requests - base.requests,
                    retries: c.retries - base.retries,
                    rate_limited: c.rate_limited - base.rate_limited,
                });
                state::save(&cfg.lake, &saved)?;
            }
            let Some(next) = next else { break };
            if outcome.started {
                pending = Some((next.to_string(), pages, counters));
            }
        }
        Ok(())
    }

    pub(super) async fn top(
        &mut self,
        client: &mut HubClient<'_>,
        n: usize,
    ) -> Result<PartitionWriter, IngestError> {
        let cfg = self.config;
        let mut writer = PartitionWriter::create(&cfg.lake, cfg.date, cfg.force)?
            .with_spill_rows(cfg.spill_rows);
        let limit = u32::try_from(n).unwrap_or(u32::MAX).min(cfg.page_limit);
        let mut seen: HashSet<String> = HashSet::new();
        for (sort, label) in TOP_SORTS {
            let first = self.listing_url(sort, limit)?;
            self.queries.push(path_and_query(&first));
            let mut url = first;
            let (mut got, mut pages) = (0usize, 0u64);
            loop {
                let Page { body, next, limit } = client.get_json(&url).await?;
                let Value::Array(mut items) = body else {
                    return Err(IngestError::Shape {
                        url: url.to_string(),
                        expected: "a JSON array of models",
                    });
                };
                items.truncate(n - got);
                got += items.len();
                pages += 1;
                let records = self.map_page(&url, &items, &mut writer)?;
                let fresh: Vec<ModelRecord> = records
                    .into_iter()
                    .filter(|r| seen.insert(r.id.clone()))
                    .collect();
                writer.push_owned(fresh)?;
                self.progress.page(&PageProgress {
                    listing: label,
                    pages,
                    models: got as u64,
                    remaining_calls: limit.remaining,
                    reset_secs: limit.reset_secs.map(|t| t.ceil() as u64),
                });
                match next {
                    Some(next) if got < n && !items.is_empty() => url = next,
                    _ => break,
                }
            }
        }
        Ok(writer)
    }

    /// The day's trending list; bad entries are quarantined like bad models.
    pub(super) async fn trending(
        &mut self,
        client: &mut HubClient<'_>,
        writer: &mut PartitionWriter,
    ) -> Result<Vec<TrendingRecord>, IngestError> {
        let mut url = self
            .endpoint
            .join(TRENDING_PATH)
            .map_err(|e| IngestError::BadInput {
                what: "endpoint",
                message: format!("{}: {e}", self.endpoint),
            })?;
        url.query_pairs_mut()
            .append_pair("type", field::MODEL)
            .append_pair("limit", &self.config.trending_limit.to_string());
        self.queries.push(path_and_query(&url));
        let page = client.get_json(&url).await?;
        let Some(Value::Array(entries)) = page.body.get(field::RECENTLY_TRENDING) else {
            return Err(IngestError::Shape {
                url: url.to_string(),
                expected: "an object with a recentlyTrending array",
            });
        };
        let mut out = Vec::with_capacity(entries.len());
        // Ranks are positions among the model entries in the endpoint's order; a quarantined
        // entry keeps its position (a gap), so the other ranks stay true.
        let mut rank: i32 = 0;
        for entry in entries {
            let next = rank.saturating_add(1);
            match map_trending(entry, next) {
                Ok(Some(t)) => {
                    out.push(t);
                    rank = next;
                }
                Ok(None) => {}
                Err(q) => {
                    writer.quarantine(url.as_str(), entry, &q.reason)?;
                    rank = next;
                }
            }
        }
        self.progress.page(&PageProgress {
            listing: LISTING_TRENDING,
            pages: 1,
            models: out.len() as u64,
            remaining_calls: page.limit.remaining,
            reset_secs: page.limit.reset_secs.map(|t| t.ceil() as u64),
        });
        Ok(out)
    }
}
