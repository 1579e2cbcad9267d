//! The Hub client: one paced, retried GET of a JSON page at a time.

use std::time::{Duration, Instant};

use backon::BackoffBuilder;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, LINK, RETRY_AFTER};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use url::Url;

use crate::config::SnapshotConfig;
use crate::error::IngestError;
use crate::http::link::next_link;
use crate::http::ratelimit::{Pacer, RateLimit, retry_after_value};
use crate::progress::Progress;
use crate::token::Token;

const RATELIMIT: &str = "ratelimit";
const RATELIMIT_POLICY: &str = "ratelimit-policy";
/// Longest wait a 429 may ask for before we treat it as a failure to report.
const MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(3600);
const SNIPPET_BYTES: usize = 300;
/// Largest response body read (a Hub page of 1,000 expanded models is a few MB).
const MAX_BODY_BYTES: usize = 256 << 20;
/// Largest read buffer kept for the next response (a normal page needs under 1 MB).
const MAX_KEPT_BUFFER: usize = 8 << 20;

/// Request counters, for the manifest and the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counters {
    /// Requests sent (each attempt counts).
    pub requests: u64,
    /// Attempts that were retries.
    pub retries: u64,
    /// 429 responses.
    pub rate_limited: u64,
}

impl std::ops::Add for Counters {
    type Output = Counters;

    fn add(self, other: Counters) -> Counters {
        Counters {
            requests: self.requests + other.requests,
            retries: self.retries + other.retries,
            rate_limited: self.rate_limited + other.rate_limited,
        }
    }
}

impl std::ops::Sub for Counters {
    type Output = Counters;

    /// Field by field, saturating: `other` is an earlier reading of the same counters (they
    /// only grow), or a part of them.
    fn sub(self, other: Counters) -> Counters {
        Counters {
            requests: self.requests.saturating_sub(other.requests),
            retries: self.retries.saturating_sub(other.retries),
            rate_limited: self.rate_limited.saturating_sub(other.rate_limited),
        }
    }
}

/// A JSON page and what came with it.
#[derive(Debug)]
pub(crate) struct Page<T = Value> {
    /// The parsed body.
    pub body: T,
    /// The `rel="next"` link, if any.
    pub next: Option<Url>,
    /// The quota state the response reported.
    pub limit: RateLimit,
}

/// A successful response read in full, its body not yet parsed.
pub(crate) struct RawPage {
    /// The body bytes (hand the buffer back with [`HubClient::recycle`] once parsed).
    pub body: Vec<u8>,
    /// The `rel="next"` link, if any (from the headers: known before the body is parsed).
    pub next: Option<Url>,
    /// The quota state the response reported.
    pub limit: RateLimit,
    /// The (2xx) status, for messages.
    pub status: StatusCode,
}

/// One URL's retry budget: attempts so far and the backoff schedule.
pub(crate) struct Tries {
    backoff: backon::ExponentialBackoff,
    pub attempts: u32,
}

/// Why an attempt failed, and whether to try again.
enum Failure {
    Retry {
        reason: String,
        wait: Option<Duration>,
    },
    Fatal(IngestError),
}

/// A paced, retrying HTTP client for the Hub's JSON endpoints.
pub(crate) struct HubClient<'p> {
    client: Client,
    endpoint: Url,
    token: Option<Token>,
    max_retries: u32,
    min_backoff: Duration,
    max_backoff: Duration,
    pacer: Pacer,
    pub counters: Counters,
    progress: &'p dyn Progress,
    /// The response body buffer, reused from one request to the next.
    scratch: Vec<u8>,
}

impl<'p> HubClient<'p> {
    /// Builds the client (installs the ring TLS provider once per process).
    pub(crate) fn new(
        config: &SnapshotConfig,
        progress: &'p dyn Progress,
    ) -> Result<HubClient<'p>, IngestError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = Client::builder()
            .user_agent(format!("hubtrends/{}", config.tool_version))
            .timeout(config.request_timeout)
            .connect_timeout(config.request_timeout.min(Duration::from_secs(30)))
            .build()
            .map_err(|source| IngestError::Client { source })?;
        Ok(HubClient {
            client,
            endpoint: config.endpoint.clone(),
            token: config.token.clone(),
            max_retries: config.max_retries,
            min_backoff: config.min_backoff,
            max_backoff: config.max_backoff,
            pacer: Pacer::default(),
            counters: Counters::default(),
            progress,
            scratch: Vec::new(),
        })
    }

    /// GETs `url` and parses its JSON body, pacing and retrying as needed (a body that does
    /// not parse is fetched again, like a failed transfer).
    pub(crate) async fn get_json(&mut self, url: &Url) -> Result<Page, IngestError> {
        let mut tries = self.tries();
        loop {
            let raw = self.get_raw(url, &mut tries).await?;
            let parsed = serde_json::from_slice::<Value>(&raw.body);
            let RawPage {
                body,
                next,
                limit,
                status,
            } = raw;
            let reason = match parsed {
                Ok(value) => {
                    self.recycle(body);
                    return Ok(Page {
                        body: value,
                        next,
                        limit,
                    });
                }
                Err(e) => unparseable_reason(status, body.len(), &e),
            };
            self.recycle(body);
            self.retry_wait(url, &mut tries, reason, None).await?;
        }
    }

    /// A fresh retry budget for one URL.
    pub(crate) fn tries(&self) -> Tries {
        Tries {
            backoff: backon::ExponentialBuilder::default()
                .with_min_delay(self.min_backoff)
                .with_max_delay(self.max_backoff)
                .with_factor(2.0)
                .with_jitter()
                .without_max_times()
                .build(),
            attempts: 0,
        }
    }

    /// Hands a body buffer back for the next response to reuse (a fresh 600 KB buffer per page
    /// meant fresh pages from the kernel, zeroed, every time: 7% of a snapshot's CPU).
    pub(crate) fn recycle(&mut self, body: Vec<u8>) {
        if body.capacity() <= MAX_KEPT_BUFFER && body.capacity() > self.scratch.capacity() {
            self.scratch = body;
        }
    }

    /// GETs `url` until a successful response has been read in full, pacing and retrying
    /// (transport errors, 408, 429, 5xx) against `tries`; the body is not parsed, so the
    /// caller can parse it while the next request is on the wire. A body the caller then finds
    /// unparseable goes through [`Self::retry_wait`] with the same `tries`, so it is fetched
    /// again under the same budget as any other failed attempt.
    pub(crate) async fn get_raw(
        &mut self,
        url: &Url,
        tries: &mut Tries,
    ) -> Result<RawPage, IngestError> {
        loop {
            let wait = self.pacer.delay(Instant::now());
            if !wait.is_zero() {
                self.progress.message(&format!(
                    "rate-limit window spent: waiting {:.1}s for it to reset",
                    wait.as_secs_f64()
                ));
                tracing::info!(
                    wait_secs = wait.as_secs_f64(),
                    "waiting for the rate-limit window"
                );
                tokio::time::sleep(wait).await;
                self.pacer.waited();
            }
            tries.attempts += 1;
            self.counters.requests += 1;
            self.pacer.sent();
            let (reason, wait) = match self.attempt(url).await {
                Ok(page) => return Ok(page),
                Err(Failure::Fatal(e)) => return Err(e),
                Err(Failure::Retry { reason, wait }) => (reason, wait),
            };
            self.retry_wait(url, tries, reason, wait).await?;
        }
    }

    /// After a failed attempt at `url`: fails the run once the retry budget is spent, else
    /// counts the retry and sleeps for `wait` (a server's ask) or the next backoff delay.
    pub(crate) async fn retry_wait(
        &mut self,
        url: &Url,
        tries: &mut Tries,
        reason: String,
        wait: Option<Duration>,
    ) -> Result<(), IngestError> {
        if tries.attempts > self.max_retries {
            return Err(IngestError::RetriesExhausted {
                url: url.to_string(),
                attempts: tries.attempts,
                last_error: reason,
            });
        }
        // Jitter may double the delay: keep the cap a cap.
        let backoff_wait = tries
            .backoff
            .next()
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        let delay = wait.unwrap_or(backoff_wait);
        self.counters.retries += 1;
        tracing::warn!(%url, attempt = tries.attempts, %reason, delay_ms = delay.as_millis() as u64, "retrying");
        self.progress.message(&format!(
            "retrying in {:.1}s: {reason}",
            delay.as_secs_f64()
        ));
        tokio::time::sleep(delay).await;
        Ok(())
    }

    async fn attempt(&mut self, url: &Url) -> Result<RawPage, Failure> {
        let mut req = self.client.get(url.clone());
        // The token only ever goes to the configured endpoint, never to a host a link points to.
        if let Some(token) = &self.token
            && url.origin() == self.endpoint.origin()
        {
            let mut value =
                HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
                    Failure::Fatal(IngestError::BadInput {
                        what: "token",
                        message: "contains characters not allowed in an HTTP header".into(),
                    })
                })?;
            value.set_sensitive(true);
            req = req.header(AUTHORIZATION, value);
        }
        let sent = Instant::now();
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) if e.is_builder() => {
                return Err(Failure::Fatal(IngestError::BadInput {
                    what: "URL",
                    message: format!("{url}: {}", without_url(&e)),
                }));
            }
            Err(e) => {
                return Err(Failure::Retry {
                    reason: transport_reason(&e),
                    wait: None,
                });
            }
        };
        let status = resp.status();
        let headers = resp.headers().clone();
        let limit = RateLimit::parse(
            header(&headers, RATELIMIT),
            header(&headers, RATELIMIT_POLICY),
        );
        self.pacer.observe(&limit, sent, Instant::now());
        // The body is read into a buffer kept between requests (see `recycle`).
        let mut body = std::mem::take(&mut self.scratch);
        body.clear();
        let outcome = match read_body(resp, &mut body, url, status).await {
            Ok(()) => self.judge(url, status, &headers, &limit, &body),
            Err(failure) => Err(failure),
        };
        match outcome {
            Ok(()) => {
                let next = header(&headers, LINK.as_str()).and_then(|h| next_link(h, url));
                Ok(RawPage {
                    body,
                    next,
                    limit,
                    status,
                })
            }
            Err(failure) => {
                self.recycle(body);
                Err(failure)
            }
        }
    }

    /// What a fully read response means: a body to parse, a retry or a failure.
    fn judge(
        &mut self,
        url: &Url,
        status: StatusCode,
        headers: &HeaderMap,
        limit: &RateLimit,
        body: &[u8],
    ) -> Result<(), Failure> {
        if status == StatusCode::TOO_MANY_REQUESTS {
            self.counters.rate_limited += 1;
            let wait = retry_after(headers)
                .or(limit.reset_secs.map(Duration::from_secs_f64))
                .map(|w| w.min(MAX_RATE_LIMIT_WAIT));
            return Err(Failure::Retry {
                reason: format!("HTTP {status}"),
                wait,
            });
        }
        if status == StatusCode::REQUEST_TIMEOUT || status.is_server_error() {
            return Err(Failure::Retry {
                reason: format!("HTTP {status}"),
                wait: None,
            });
        }
        if !status.is_success() {
            return Err(Failure::Fatal(IngestError::Http {
                url: url.to_string(),
                status: status.as_u16(),
                body_snippet: snippet(body),
            }));
        }
        Ok(())
    }
}

/// Why a successful (2xx) body that did not parse is retried: it was cut short or garbled in
/// transit.
pub(crate) fn unparseable_reason(status: StatusCode, len: usize, e: &serde_json::Error) -> String {
    format!("HTTP {status}, unparseable body ({len} bytes): {e}")
}

/// Reads the body, refusing one over [`MAX_BODY_BYTES`] (no Hub page comes near it: a hostile or
/// broken server must not exhaust memory).
async fn read_body(
    mut resp: reqwest::Response,
    body: &mut Vec<u8>,
    url: &Url,
    status: StatusCode,
) -> Result<(), Failure> {
    let too_big = || {
        Failure::Fatal(IngestError::Shape {
            url: url.to_string(),
            expected: "a response body under 256 MiB",
        })
    };
    if resp
        .content_length()
        .is_some_and(|n| n > MAX_BODY_BYTES as u64)
    {
        return Err(too_big());
    }
    // Reserved once: growing a 600 KB page chunk by chunk copies it several times.
    body.reserve(
        resp.content_length()
            .map_or(0, |n| n as usize)
            .min(MAX_BODY_BYTES),
    );
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(too_big());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(()),
            Err(e) => {
                return Err(Failure::Retry {
                    reason: format!("HTTP {status}, body cut off: {}", transport_reason(&e)),
                    wait: None,
                });
            }
        }
    }
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    retry_after_value(
        header(headers, RETRY_AFTER.as_str())?,
        chrono::Utc::now().timestamp_millis(),
    )
}

/// A transport error in words, without the URL (callers add it once).
fn transport_reason(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "body read failed"
    } else {
        "request failed"
    };
    format!("{kind}: {}", without_url(e))
}

/// The error's cause chain; the top-level message only repeats the URL.
fn without_url(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    if parts.is_empty() {
        parts.push(e.to_string());
    }
    parts.join(": ")
}

fn snippet(body: &[u8]) -> String {
    let end = body.len().min(SNIPPET_BYTES);
    String::from_utf8_lossy(&body[..end]).into_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("3"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h), None);
        // Absurd values must not panic (Duration::from_secs_f64 would on overflow).
        h.insert(RETRY_AFTER, HeaderValue::from_static("1e300"));
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn snippet_is_bounded() {
        assert_eq!(snippet(&[b'a'; 1000]).len(), SNIPPET_BYTES);
    }
}
