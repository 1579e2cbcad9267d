//! One request: rate limit, token, injected fault, then the route.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Value, json};

use super::Shared;
use super::faults::FaultKind;
use super::fields::{
    H_LINK, H_RATELIMIT, H_RATELIMIT_POLICY, H_RETRY_AFTER, ROUTE_MODELS, ROUTE_TRENDING,
};
use super::query::{Cursor, ModelsQuery, parse_trending, without_cursor};
use super::ratelimit::{Limiter, Verdict};
use super::{render, write};
use crate::error::SimError;

/// The response body type: whole, or cut short by a fault.
pub(crate) type Body = UnsyncBoxBody<Bytes, std::io::Error>;

/// A reply's body: a JSON value still to serialise, or JSON already written.
enum Payload {
    Json(Value),
    Raw(Vec<u8>),
}

/// A response before it is serialised.
struct Reply {
    status: StatusCode,
    body: Payload,
    headers: Vec<(&'static str, String)>,
}

impl Reply {
    fn ok(body: Value) -> Reply {
        Reply {
            status: StatusCode::OK,
            body: Payload::Json(body),
            headers: Vec::new(),
        }
    }

    fn error(status: StatusCode, message: &str) -> Reply {
        Reply {
            status,
            body: Payload::Json(json!({ "error": message })),
            headers: Vec::new(),
        }
    }
}

/// Room reserved per expanded item of a page (they are ~600 bytes).
const ITEM_BYTES_HINT: usize = 640;

/// Serves one request; an `Err` makes hyper close the connection without a response.
pub(crate) async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Body>, SimError> {
    let seq = shared.counters.requests.fetch_add(1, Ordering::Relaxed);
    let verdict = shared.limiter.as_ref().map(Limiter::check);
    let mut cut = None;
    let reply = 'reply: {
        if let Some(v) = verdict.filter(|v| !v.allowed) {
            shared.counters.rate_limited.fetch_add(1, Ordering::Relaxed);
            let mut r = Reply::error(
                StatusCode::TOO_MANY_REQUESTS,
                "You have exceeded the rate limit for this endpoint",
            );
            r.headers.push((H_RETRY_AFTER, v.reset_secs.to_string()));
            break 'reply r;
        }
        if let Some(token) = &shared.config.require_token {
            let expected = format!("Bearer {token}");
            let given = req.headers().get(AUTHORIZATION).map(HeaderValue::as_bytes);
            if given != Some(expected.as_bytes()) {
                break 'reply Reply::error(
                    StatusCode::UNAUTHORIZED,
                    "Invalid credentials in Authorization header",
                );
            }
        }
        let mut malformed = None;
        if let Some((kind, bits)) = shared.config.faults.decide(seq) {
            shared.counters.faults.fetch_add(1, Ordering::Relaxed);
            shared.counters.faults_by_kind[kind.index()].fetch_add(1, Ordering::Relaxed);
            tracing::debug!(fault = kind.as_str(), seq, "injecting a fault");
            match kind {
                FaultKind::RateLimited => {
                    let mut r = Reply::error(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests");
                    r.headers.push((H_RETRY_AFTER, "1".into()));
                    break 'reply r;
                }
                FaultKind::ServerError => {
                    let status = [
                        StatusCode::INTERNAL_SERVER_ERROR,
                        StatusCode::BAD_GATEWAY,
                        StatusCode::SERVICE_UNAVAILABLE,
                    ][(bits % 3) as usize];
                    break 'reply Reply::error(
                        status,
                        "Internal Error - We're working hard to fix this as soon as possible!",
                    );
                }
                FaultKind::Drop => return Err(SimError::DroppedConnection),
                FaultKind::Slow => {
                    tokio::time::sleep(Duration::from_millis(shared.config.faults.slow_ms)).await
                }
                FaultKind::Truncate => cut = Some(Cut::Abort),
                FaultKind::Garble => cut = Some(Cut::Short),
                FaultKind::Malformed => malformed = Some(bits),
            }
        }
        route(&shared, &req, malformed).await
    };
    Ok(finish(&shared, reply, verdict, cut))
}

async fn route(shared: &Shared, req: &Request<Incoming>, malformed: Option<u64>) -> Reply {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Reply::error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed");
    }
    let query = req.uri().query().unwrap_or("");
    let result = match req.uri().path() {
        ROUTE_MODELS => models(shared, query, malformed).await,
        ROUTE_TRENDING => trending(shared, query, malformed).await,
        path => {
            return Reply::error(
                StatusCode::NOT_FOUND,
                &format!("Sorry, we can't find the page {path}"),
            );
        }
    };
    result.unwrap_or_else(|e| Reply::error(StatusCode::BAD_REQUEST, &e.to_string()))
}

async fn models(shared: &Shared, query: &str, malformed: Option<u64>) -> Result<Reply, SimError> {
    let q = ModelsQuery::parse(query)?;
    let day = shared.day().await;
    {
        // The first request of a day for a sort order sorts the whole day: off the async threads.
        let day = Arc::clone(&day);
        let sort = q.sort;
        let _ = tokio::task::spawn_blocking(move || day.sorted(sort).len()).await;
    }
    let order = day.sorted(q.sort);
    let start = q
        .cursor
        .map_or(0, |c| day.position_after(q.sort, c.key, c.index));
    let matches = |i: u32| {
        q.author.as_deref().is_none_or(|a| day.author_is(i, a))
            && q.pipeline_tag
                .as_deref()
                .is_none_or(|p| day.model(i as usize).pipeline_tag == Some(p))
    };
    let mut picked = Vec::with_capacity(q.limit.min(order.len()));
    let mut rest = order.iter().skip(start);
    for &i in rest.by_ref() {
        if matches(i) {
            picked.push(i);
            if picked.len() == q.limit {
                break;
            }
        }
    }
    let more = rest.any(|&i| matches(i));
    let seed = shared.config.sim.seed;
    // The item a malformed fault corrupts goes through the `Value` path (the writer makes the
    // same bytes for the others).
    let corrupted = malformed
        .filter(|_| !picked.is_empty())
        .map(|bits| (bits % picked.len() as u64) as usize);
    let fields = write::ItemFields::new(q.expand.as_deref());
    let mut body = Vec::with_capacity(picked.len() * ITEM_BYTES_HINT + 2);
    body.push(b'[');
    for (k, &i) in picked.iter().enumerate() {
        if k > 0 {
            body.push(b',');
        }
        let m = day.model(i as usize);
        if corrupted == Some(k) {
            let mut item = render::model_item(seed, i, &m, q.expand.as_deref());
            render::corrupt(&mut item);
            body.extend_from_slice(&serde_json::to_vec(&item).unwrap_or_default());
        } else {
            write::model_item(&mut body, &fields, seed, i, &m);
        }
    }
    body.push(b']');
    let mut reply = Reply {
        status: StatusCode::OK,
        body: Payload::Raw(body),
        headers: Vec::new(),
    };
    if let (true, Some(&last)) = (more, picked.last()) {
        let cursor = Cursor {
            sort: q.sort.slot() as u8,
            key: day.key(q.sort, last),
            index: last,
        };
        let rest = without_cursor(query);
        let sep = if rest.is_empty() { "" } else { "&" };
        let url = format!(
            "{}{ROUTE_MODELS}?{rest}{sep}cursor={}",
            shared.base_url,
            cursor.encode()
        );
        reply
            .headers
            .push((H_LINK, format!("<{url}>; rel=\"next\"")));
    }
    Ok(reply)
}

async fn trending(shared: &Shared, query: &str, malformed: Option<u64>) -> Result<Reply, SimError> {
    let Some(limit) = parse_trending(query)? else {
        return Ok(Reply::ok(json!({ "recentlyTrending": [] })));
    };
    let day = shared.day().await;
    let mut body = render::trending(shared.config.sim.seed, &day, limit);
    if let (Some(bits), Some(list)) = (
        malformed,
        body.get_mut("recentlyTrending")
            .and_then(Value::as_array_mut),
    ) && !list.is_empty()
    {
        let n = list.len() as u64;
        render::corrupt(&mut list[(bits % n) as usize]);
    }
    Ok(Reply::ok(body))
}

/// How a fault cuts a body short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// Half the body, then the connection aborts (`truncate`).
    Abort,
    /// Half the body, sent whole with a matching `Content-Length` (`garble`).
    Short,
}

/// Serialises a reply, adds the rate-limit headers, and cuts the body short for `truncate`
/// and `garble`.
fn finish(
    shared: &Shared,
    reply: Reply,
    verdict: Option<Verdict>,
    cut: Option<Cut>,
) -> Response<Body> {
    let mut bytes = Bytes::from(match reply.body {
        Payload::Json(value) => serde_json::to_vec(&value).unwrap_or_default(),
        Payload::Raw(bytes) => bytes,
    });
    if cut == Some(Cut::Short) && bytes.len() > 1 {
        bytes.truncate(bytes.len() / 2);
    }
    let len = bytes.len();
    let body: Body = if cut == Some(Cut::Abort) && len > 1 {
        let half = bytes.slice(..len / 2);
        // The pause lets the headers and the first half reach the client before the abort, so
        // the client sees a 200 whose body breaks (not a connection that never answered).
        let abort = futures_util::stream::once(async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionAborted,
                "body truncated by fault injection",
            ))
        });
        let frames = futures_util::stream::iter([Ok(Frame::data(half))]).chain(abort);
        StreamBody::new(frames).boxed_unsync()
    } else {
        Full::new(bytes)
            .map_err(|never| match never {})
            .boxed_unsync()
    };
    let mut response = Response::new(body);
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(CONTENT_LENGTH, HeaderValue::from(len));
    let mut extra = reply.headers;
    if let (Some(limiter), Some(v)) = (&shared.limiter, verdict) {
        extra.push((H_RATELIMIT, Limiter::header(&v)));
        extra.push((H_RATELIMIT_POLICY, limiter.policy()));
    }
    for (name, value) in extra {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    }
    response
}
