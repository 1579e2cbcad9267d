//! An interrupted run resumes from its last checkpoint to the same result.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use hubtrends_ingest::{NoProgress, PageProgress, Progress, snapshot};
use tokio::sync::oneshot;

use crate::common::*;

/// Fires once after `after` pages of the models listing.
struct StopAfter {
    after: u64,
    pages: AtomicU64,
    fire: Mutex<Option<oneshot::Sender<()>>>,
}

impl Progress for StopAfter {
    fn page(&self, p: &PageProgress) {
        if p.listing == "models"
            && self.pages.fetch_add(1, Ordering::SeqCst) + 1 == self.after
            && let Some(tx) = self.fire.lock().unwrap().take()
        {
            let _ = tx.send(());
        }
    }
}

#[tokio::test]
async fn interrupted_run_resumes_to_the_same_partition() {
    let server = serve(sim(1_500), |_| {}).await;
    let clean = tempfile::tempdir().unwrap();
    snapshot(&config(&server, clean.path()), &NoProgress)
        .await
        .unwrap();
    let requests_clean = server.stats().requests;

    let lake = tempfile::tempdir().unwrap();
    let c = config(&server, lake.path());
    let (tx, rx) = oneshot::channel();
    let stop = StopAfter {
        after: 8,
        pages: AtomicU64::new(0),
        fire: Mutex::new(Some(tx)),
    };
    // Drop the snapshot future mid-run, as a killed process would stop.
    tokio::select! {
        r = snapshot(&c, &stop) => panic!("should have been interrupted: {r:?}"),
        _ = rx => {}
    }
    assert!(
        !partition(lake.path()).exists(),
        "no partition from an interrupted run"
    );
    // Runs are sorted and written on a background thread, so how far the checkpoint got when
    // the run was dropped depends on timing: the first run (after page 3) is durable by the
    // time the second starts (page 6); the second may or may not be (and pages already queued
    // when page 8 was reported may carry it to page 9). Read which.
    let state: serde_json::Value = serde_json::from_slice(
        &std::fs::read(lake.path().join(".staging/date=2026-10-01/state.json"))
            .expect("an interrupted run leaves its state"),
    )
    .unwrap();
    let checkpoint_pages = state["pages"].as_u64().expect("state.pages");
    assert!(
        checkpoint_pages.is_multiple_of(3) && (3..=9).contains(&checkpoint_pages),
        "checkpoints fall on spill boundaries (250-row runs at 100 a page): {checkpoint_pages}"
    );

    // Let the server finish the request the dropped run had in flight.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let before = server.stats().requests;
    let summary = snapshot(&c, &NoProgress).await.unwrap();
    assert!(summary.resumed);
    assert_eq!(models_sha(lake.path()), models_sha(clean.path()));
    // The pages after the checkpoint + trending remain.
    let pages = server.population().day(date()).len().div_ceil(100) as u64;
    let second = server.stats().requests - before;
    assert_eq!(
        second,
        pages - checkpoint_pages + 1,
        "resumed from the cursor, not from the start"
    );
    // Counters carry over up to the checkpoint: the totals match an uninterrupted run.
    assert_eq!(summary.requests, requests_clean);
    let m = manifest(lake.path());
    assert!(
        m.warnings.iter().any(|w| w.contains("resumed")),
        "{:?}",
        m.warnings
    );
    assert_eq!(m.requests, summary.requests);
    assert!(!lake.path().join(".staging/date=2026-10-01").exists());
}

#[tokio::test]
async fn foreign_state_is_discarded_and_the_run_starts_clean() {
    let server = serve(sim(800), |_| {}).await;
    let lake = tempfile::tempdir().unwrap();
    let c = config(&server, lake.path());
    let (tx, rx) = oneshot::channel();
    let stop = StopAfter {
        after: 5,
        pages: AtomicU64::new(0),
        fire: Mutex::new(Some(tx)),
    };
    tokio::select! {
        r = snapshot(&c, &stop) => panic!("should have been interrupted: {r:?}"),
        _ = rx => {}
    }
    // Same lake and date, another page size: the saved cursor does not apply.
    let mut other = c.clone();
    other.page_limit = 50;
    let summary = snapshot(&other, &NoProgress).await.unwrap();
    assert!(!summary.resumed);
    let day = server.population().day(date());
    assert_eq!(summary.models as usize, day.len());
    assert_eq!(summary.requests, day.len().div_ceil(50) as u64 + 1);
}
