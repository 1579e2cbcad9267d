//! Faults: retried to the same result; exhausted retries fail cleanly; bad records quarantined.

use hubtrends_hubsim::{FaultConfig, FaultKind};
use hubtrends_ingest::{ErrorKind, IngestError, NoProgress, snapshot};

use crate::common::*;

fn faults(rate: f64, kinds: Vec<FaultKind>) -> FaultConfig {
    FaultConfig {
        rate,
        kinds,
        seed: 3,
        slow_ms: 30,
    }
}

#[tokio::test]
async fn faults_are_retried_to_the_same_bytes_as_a_clean_run() {
    let clean_server = serve(sim(1_500), |_| {}).await;
    let clean = tempfile::tempdir().unwrap();
    snapshot(&config(&clean_server, clean.path()), &NoProgress)
        .await
        .unwrap();

    let kinds = vec![
        FaultKind::RateLimited,
        FaultKind::ServerError,
        FaultKind::Drop,
        FaultKind::Truncate,
        FaultKind::Garble,
        FaultKind::Slow,
    ];
    let server = serve(sim(1_500), |c| c.faults = faults(0.2, kinds)).await;
    let lake = tempfile::tempdir().unwrap();
    let mut c = config(&server, lake.path());
    c.request_timeout = std::time::Duration::from_secs(5);
    let summary = snapshot(&c, &NoProgress).await.unwrap();

    let stats = server.stats();
    let faulted = stats.faults;
    assert!(faulted > 0, "faults were injected");
    // The draw (fault seed 3) garbles a page while the one after it is already fetched: the
    // refetch keeps that page ahead.
    assert!(stats.faults_of(FaultKind::Garble) > 0, "{stats:?}");
    // Every fault but `slow` (under the timeout) costs one retry.
    assert!(
        summary.retries > 0 && summary.retries <= faulted,
        "{summary:?}"
    );
    assert_eq!(summary.requests, server.stats().requests);
    assert_eq!(summary.quarantined, 0);
    assert_eq!(models_sha(lake.path()), models_sha(clean.path()));
    let (m, mc) = (manifest(lake.path()), manifest(clean.path()));
    assert_eq!(m.files["trending.parquet"], mc.files["trending.parquet"]);
    assert_eq!(m.retries, summary.retries);
    assert_eq!(m.rate_limited, summary.rate_limited);
}

#[tokio::test]
async fn a_garbled_page_is_fetched_again_under_its_urls_retry_budget() {
    // Every response a whole 200 whose JSON breaks half-way: the page is fetched again until
    // its retries run out, then the run fails naming the URL and why.
    let server = serve(sim(300), |c| {
        c.faults = faults(1.0, vec![FaultKind::Garble])
    })
    .await;
    let lake = tempfile::tempdir().unwrap();
    let mut c = config(&server, lake.path());
    c.max_retries = 2;
    let err = snapshot(&c, &NoProgress).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Upstream);
    let msg = err.to_string();
    assert!(
        msg.contains("/api/models") && msg.contains("3 attempts") && msg.contains("unparseable"),
        "{msg}"
    );
    // The first page, three times; the page ahead fetched while each parsed is kept, once.
    assert_eq!(server.stats().requests, 4, "{msg}");
    assert!(!partition(lake.path()).exists());
}

#[tokio::test]
async fn exhausted_retries_fail_naming_the_url_and_publish_nothing() {
    let server = serve(sim(300), |c| {
        c.faults = faults(1.0, vec![FaultKind::ServerError, FaultKind::Drop]);
    })
    .await;
    let lake = tempfile::tempdir().unwrap();
    let mut c = config(&server, lake.path());
    c.max_retries = 3;
    let err = snapshot(&c, &NoProgress).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Upstream);
    let IngestError::RetriesExhausted { url, attempts, .. } = &err else {
        panic!("wrong error: {err}");
    };
    assert_eq!(*attempts, 4);
    assert!(url.starts_with(&server.url()), "{url}");
    let msg = err.to_string();
    assert!(
        msg.contains(&server.url()) && msg.contains("4 attempts"),
        "{msg}"
    );
    assert_eq!(server.stats().requests, 4, "no request after giving up");
    assert!(!partition(lake.path()).exists());
    assert!(!lake.path().join("snapshots").exists());
}

#[tokio::test]
async fn malformed_records_are_quarantined_counted_and_the_run_goes_on() {
    let server = serve(sim(1_000), |c| {
        c.faults = faults(0.4, vec![FaultKind::Malformed]);
    })
    .await;
    let lake = tempfile::tempdir().unwrap();
    let summary = snapshot(&config(&server, lake.path()), &NoProgress)
        .await
        .unwrap();
    let day = server.population().day(date());
    let faulted = server.stats().faults;
    assert!(faulted > 0);
    // One bad record per faulted page (models or trending).
    assert_eq!(summary.quarantined, faulted);
    let m = manifest(lake.path());
    assert_eq!(m.quarantined, faulted);
    let text = std::fs::read_to_string(partition(lake.path()).join("quarantine.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len() as u64, faulted);
    assert_eq!(m.files["quarantine.jsonl"].rows, faulted);
    let from_models = lines
        .iter()
        .filter(|l| l["url"].as_str().unwrap().contains("/api/models"))
        .count();
    for l in &lines {
        assert!(!l["reason"].as_str().unwrap().is_empty());
        assert!(l["raw"].is_object());
    }
    assert_eq!(summary.models as usize + from_models, day.len());
    let got = read_models(&partition(lake.path()).join("models.parquet"));
    assert_eq!(got.len() as u64, summary.models);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = serve(sim(100), |c| c.require_token = Some("hf_needed".into())).await;
    let lake = tempfile::tempdir().unwrap();
    let err = snapshot(&config(&server, lake.path()), &NoProgress)
        .await
        .unwrap_err();
    assert!(
        matches!(err, IngestError::Http { status: 401, .. }),
        "{err}"
    );
    assert_eq!(err.kind(), ErrorKind::Upstream);
    assert_eq!(server.stats().requests, 1);
    assert!(!partition(lake.path()).exists());
}
