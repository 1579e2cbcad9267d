//! Every injectable fault is observable by a client.

use std::time::{Duration, Instant};

use hubtrends_hubsim::{FaultConfig, FaultKind, SimServer};
use serde_json::Value;

use crate::{JsonExt, client, server};

async fn always(kind: FaultKind) -> SimServer {
    server(1_000, |c| {
        c.faults = FaultConfig {
            rate: 1.0,
            kinds: vec![kind],
            seed: 3,
            slow_ms: 400,
        }
    })
    .await
}

fn page(srv: &SimServer) -> String {
    format!(
        "{}/api/models?sort=downloads&limit=50&expand[]=downloads&expand[]=likes",
        srv.url()
    )
}

#[tokio::test]
async fn injected_429_and_5xx_are_statuses() {
    let srv = always(FaultKind::RateLimited).await;
    let resp = client().get(page(&srv)).send().await.unwrap();
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["retry-after"], "1");
    srv.shutdown().await;
    let srv = always(FaultKind::ServerError).await;
    for _ in 0..5 {
        let status = client()
            .get(page(&srv))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        assert!([500, 502, 503].contains(&status), "{status}");
    }
    assert_eq!(srv.stats().faults, 5);
    srv.shutdown().await;
}

#[tokio::test]
async fn drop_closes_the_connection() {
    let srv = always(FaultKind::Drop).await;
    let err = client().get(page(&srv)).send().await.unwrap_err();
    assert!(err.is_request() || err.is_connect(), "{err:?}");
    srv.shutdown().await;
}

#[tokio::test]
async fn truncate_cuts_the_body() {
    let srv = always(FaultKind::Truncate).await;
    let resp = client().get(page(&srv)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.bytes().await.is_err());
    srv.shutdown().await;
}

#[tokio::test]
async fn garble_sends_a_whole_body_that_does_not_parse() {
    let srv = always(FaultKind::Garble).await;
    let resp = client().get(page(&srv)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let declared: usize = resp.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    // The transfer completes: every declared byte arrives...
    let body = resp.bytes().await.unwrap();
    assert_eq!(body.len(), declared);
    assert!(body.starts_with(b"[{"));
    // ...but it is half a page, not JSON.
    assert!(serde_json::from_slice::<Value>(&body).is_err());
    srv.shutdown().await;
}

#[tokio::test]
async fn malformed_has_a_wrong_typed_field() {
    let srv = always(FaultKind::Malformed).await;
    let items: Vec<Value> = client()
        .get(page(&srv))
        .send()
        .await
        .unwrap()
        .json_body()
        .await;
    let bad = items
        .iter()
        .filter(|i| !i["downloads"].is_i64() || !i["likes"].is_i64())
        .count();
    assert_eq!(bad, 1);
    let body: Value = client()
        .get(format!("{}/api/trending", srv.url()))
        .send()
        .await
        .unwrap()
        .json_body()
        .await;
    let list = body["recentlyTrending"].as_array().unwrap();
    assert_eq!(
        list.iter()
            .filter(|e| !e["repoData"]["downloads"].is_i64())
            .count(),
        1
    );
    srv.shutdown().await;
}

#[tokio::test]
async fn slow_delays_the_response() {
    let srv = always(FaultKind::Slow).await;
    let started = Instant::now();
    let resp = client().get(page(&srv)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(400));
    srv.shutdown().await;
}

#[tokio::test]
async fn a_fault_rate_hits_about_that_share_of_requests() {
    let srv = server(1_000, |c| {
        c.faults = FaultConfig {
            rate: 0.3,
            kinds: vec![FaultKind::ServerError, FaultKind::RateLimited],
            seed: 5,
            slow_ms: 0,
        }
    })
    .await;
    let http = client();
    let mut failed = 0;
    for _ in 0..100 {
        if !http
            .get(format!("{}/api/trending", srv.url()))
            .send()
            .await
            .unwrap()
            .status()
            .is_success()
        {
            failed += 1;
        }
    }
    assert!((15..=45).contains(&failed), "{failed} of 100 failed");
    assert_eq!(srv.stats().faults, failed);
    srv.shutdown().await;
}
