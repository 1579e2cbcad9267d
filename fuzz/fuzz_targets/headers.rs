//! The response-header parsers: `Link` (next page), `RateLimit` / `RateLimit-Policy` and the
//! pacer fed from them, and `Retry-After`. They are crate-private, so their source files are
//! compiled in here as they are (they depend on nothing else of the crate).
#![no_main]

use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../ingest/src/http/link.rs"]
mod link;
#[allow(dead_code)]
#[path = "../../ingest/src/http/ratelimit.rs"]
mod ratelimit;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(4, '\n');
    let (a, b, c, d) = (parts.next(), parts.next(), parts.next(), parts.next());
    let base = url::Url::parse("http://127.0.0.1:1/api/models?limit=1").unwrap();
    let _ = link::next_link(a.unwrap_or(""), &base);
    let limit = ratelimit::RateLimit::parse(b, c);
    let mut pacer = ratelimit::Pacer::default();
    let now = Instant::now();
    pacer.observe(&limit, now, now + Duration::from_millis(3));
    pacer.sent();
    let _ = pacer.delay(now);
    let _ = ratelimit::retry_after_value(d.unwrap_or(""), 1_700_000_000_000);
});
