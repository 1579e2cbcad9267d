//! One snapshot run's listings: the full listing (resumable), the top scope, the trending list.

use std::collections::HashSet;

use chrono::{NaiveDate, Utc};
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

/// Why fetching ends before the listing does.
enum Stop {
    /// An error for the writer to report.
    Failed(IngestError),
    /// Nothing to report: the writer stopped (it reports its own error), or the runtime is
    /// shutting down.
    Quiet,
}

impl From<IngestError> for Stop {
    fn from(e: IngestError) -> Stop {
        Stop::Failed(e)
    }
}

/// What parsing the current page's body gave.
// Returned once per page and unpacked at once: boxing the page would only add an allocation.
#[allow(clippy::large_enum_variant)]
enum Parsed {
    /// The page, ready for the writer.
    Page(Fetched),
    /// Garbled in transit: why, for fetching it again.
    Garbled(String),
}

/// Fetches the full listing's pages and sends them, in order, to the writer.
///
/// It pipelines: once page n's body has been read, its `Link` header already names page n+1,
/// so page n is parsed on a blocking thread while the request for page n+1 is on the wire
/// (parsing is the client's main CPU cost; the server renders meanwhile instead of idling).
/// Requests stay one at a time, so pacing is unaffected.
struct Fetcher<'c, 'p> {
    client: &'c mut HubClient<'p>,
    tx: tokio::sync::mpsc::Sender<Result<Fetched, IngestError>>,
    date: NaiveDate,
    /// The current page's URL and its retry budget (for when its body turns out unparseable).
    url: Url,
    tries: Tries,
    /// The page after the current one, once fetched.
    ahead: Option<Ahead>,
}

impl<'c, 'p> Fetcher<'c, 'p> {
    /// A fetcher starting at `url`, under a fresh retry budget.
    fn new(
        client: &'c mut HubClient<'p>,
        tx: tokio::sync::mpsc::Sender<Result<Fetched, IngestError>>,
        date: NaiveDate,
        url: Url,
    ) -> Fetcher<'c, 'p> {
        let tries = client.tries();
        Fetcher {
            client,
            tx,
            date,
            url,
            tries,
            ahead: None,
        }
    }

    /// Fetches from the current page to the end of the listing; an error goes down the
    /// channel, for the writer to report.
    async fn run(mut self) {
        if let Err(Stop::Failed(e)) = self.fetch_all().await {
            // The writer reports the error; a closed channel means it already stopped.
            let _ = self.tx.send(Err(e)).await;
        }
    }

    /// The loop of [`Self::run`]: each page parsed (fetched again while garbled), then sent.
    async fn fetch_all(&mut self) -> Result<(), Stop> {
        let mut raw = self.client.get_raw(&self.url, &mut self.tries).await?;
        loop {
            let fetched = match self.parse_current(raw).await? {
                Parsed::Page(fetched) => fetched,
                // Fetched again under this URL's retry budget, then parsed again.
                Parsed::Garbled(reason) => {
                    raw = self.refetch_current(reason).await?;
                    continue;
                }
            };
            // A closed channel means the writer stopped (on an error): stop fetching.
            if self.tx.send(Ok(fetched)).await.is_err() {
                return Err(Stop::Quiet);
            }
            // No page ahead means this page had no next link: the listing is done.
            let Some(ahead) = self.ahead.take() else {
                return Ok(());
            };
            self.url = ahead.url;
            self.tries = ahead.tries;
            raw = ahead.result?;
        }
    }

    /// Parses the current page on a blocking thread, meanwhile fetching the page after it
    /// (unless that is already fetched).
    async fn parse_current(&mut self, raw: RawPage) -> Result<Parsed, Stop> {
        let RawPage {
            body,
            next,
            limit,
            status,
        } = raw;
        let len = body.len();
        let date = self.date;
        let parsing = tokio::task::spawn_blocking(move || {
            let parsed = parse_models_page(date, &body);
            (parsed, body)
        });
        if self.ahead.is_none()
            && let Some(next_url) = &next
        {
            self.ahead = Some(self.prefetch_next(next_url).await);
        }
        let (parsed, body) = match parsing.await {
            Ok(done) => done,
            Err(e) => match e.try_into_panic() {
                // A panic in the parser is a bug: let it surface as one.
                Ok(panic) => std::panic::resume_unwind(panic),
                // Cancelled: the runtime is shutting down.
                Err(_) => return Err(Stop::Quiet),
            },
        };
        self.client.recycle(body);
        match parsed {
            Ok(page) => Ok(Parsed::Page(Fetched {
                url: self.url.clone(),
                page: Page {
                    body: page,
                    next,
                    limit,
                },
                counters: self.counters(),
            })),
            Err(PageError::Unparseable(e)) => {
                Ok(Parsed::Garbled(unparseable_reason(status, len, &e)))
            }
            Err(PageError::NotArray) => Err(Stop::Failed(IngestError::Shape {
                url: self.url.to_string(),
                expected: "a JSON array of models",
            })),
            Err(PageError::Batch(e)) => Err(Stop::Failed(e)),
        }
    }

    /// Fetches `url`, the page after the current one, under a fresh retry budget, noting what
    /// its requests added to the counters; its error, if any, waits its turn (after the
    /// current page is sent).
    async fn prefetch_next(&mut self, url: &Url) -> Ahead {
        let before = self.client.counters;
        let mut tries = self.client.tries();
        let result = self.client.get_raw(url, &mut tries).await;
        Ahead {
            url: url.clone(),
            result,
            tries,
            spent: self.client.counters - before,
        }
    }

    /// Fetches the current page again (its body was garbled in transit), under its URL's retry
    /// budget.
    async fn refetch_current(&mut self, reason: String) -> Result<RawPage, IngestError> {
        self.client
            .retry_wait(&self.url, &mut self.tries, reason, None)
            .await?;
        let raw = self.client.get_raw(&self.url, &mut self.tries).await?;
        // The page ahead is kept (its requests were made once, as sequentially) unless the
        // refetched page links elsewhere.
        if self
            .ahead
            .as_ref()
            .is_some_and(|a| raw.next.as_ref() != Some(&a.url))
        {
            self.ahead = None;
        }
        Ok(raw)
    }

    /// The counters as of the current page's arrival: without the requests made for the page
    /// ahead (a resume from a state saved after this page sends those again).
    fn counters(&self) -> Counters {
        match &self.ahead {
            Some(a) => self.client.counters - a.spent,
            None => self.client.counters,
        }
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

    /// The full listing's starting point: the saved state and staged partition of an
    /// interrupted run of the same identity if there is a usable one (its counters carried
    /// over, a warning noted), else a fresh state at the first page and a new partition.
    fn start_or_resume_full(&mut self) -> Result<(State, PartitionWriter), IngestError> {
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
        if let Some(saved) = state::load(&cfg.lake, &identity, Utc::now()) {
            match PartitionWriter::resume(&cfg.lake, cfg.date, cfg.force, saved.checkpoint.clone())
            {
                Ok(writer) => {
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
                    return Ok((saved, writer));
                }
                Err(e @ IngestError::PartitionExists { .. }) => return Err(e),
                Err(e) => {
                    tracing::warn!(error = %e, "resume state unusable; starting over");
                }
            }
        }
        let state = State {
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
        let writer = PartitionWriter::create(&cfg.lake, cfg.date, cfg.force)?;
        Ok((state, writer))
    }

    /// Pages through the whole listing by downloads (resuming an interrupted run where it
    /// can), fetch and write overlapped; returns the writer with every page in it, unsealed.
    pub(super) async fn full(
        &mut self,
        client: &mut HubClient<'_>,
    ) -> Result<PartitionWriter, IngestError> {
        let cfg = self.config;
        let (state, writer) = self.start_or_resume_full()?;
        let mut writer = writer.with_spill_rows(cfg.spill_rows);
        let url = Url::parse(&state.next_url).map_err(|e| IngestError::BadInput {
            what: "resume state",
            message: format!("next URL: {e}"),
        })?;
        let pages = state.pages;
        let base = client.counters;
        // Pages go to the writer in order; at most PREFETCH_PAGES parsed pages wait in the
        // channel.
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Fetched, IngestError>>(PREFETCH_PAGES);
        let fetch = Fetcher::new(client, tx, cfg.date, url).run();
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
                saved.add_counters(c - base);
                state::save(&cfg.lake, &saved)?;
            }
            let Some(next) = next else { break };
            if outcome.started {
                pending = Some((next.to_string(), pages, counters));
            }
        }
        Ok(())
    }

    /// The top `n` of each of the top scope's sorts, merged without duplicates.
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
