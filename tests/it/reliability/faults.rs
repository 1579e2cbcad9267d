//! Faults: a 30% fault rate, drawn from every kind that does not corrupt records (429, 5xx,
//! dropped connections, truncated and garbled bodies, slow responses), must not change a single
//! row of the snapshot.
//!
//! Which request gets which fault is a fixed function of the simulator's fault seed and the
//! request's sequence number, so each scope always draws the same ones (RELIABILITY.md lists
//! them; `garble` is not among them at this size: `ingest/tests/it/failures.rs` covers it). The
//! rate is set so that faults costing a retry land in both scopes (at 20% both drew only
//! `slow`).

use std::time::Instant;

use super::{DAY, Sim, manifest, ok, snapshot, tables};

const MODELS: &str = "20000";
const SEED: &str = "11";

/// Snapshots `scope` from a fault-free and a faulty simulator of the same day and compares.
fn same_tables_with_and_without_faults(scope: &[&str]) {
    let temp = tempfile::tempdir().unwrap();
    let (clean_lake, faulty_lake) = (temp.path().join("clean"), temp.path().join("faulty"));
    let sim_args = ["--models", MODELS, "--seed", SEED, "--start", DAY];

    let clean = Sim::start(&sim_args);
    let started = Instant::now();
    ok(&mut snapshot(&clean_lake, &clean.url, scope));
    let clean_secs = started.elapsed().as_secs_f64();
    drop(clean);

    let faulty = Sim::start(
        &[
            &sim_args[..],
            &[
                "--fault-rate",
                "0.3",
                "--faults",
                "429,5xx,drop,truncate,garble,slow",
            ],
        ]
        .concat(),
    );
    let started = Instant::now();
    ok(&mut snapshot(&faulty_lake, &faulty.url, scope));
    let faulty_secs = started.elapsed().as_secs_f64();

    let (clean_models, clean_trending) = tables(&clean_lake);
    let (models, trending) = tables(&faulty_lake);
    let (a, b) = (manifest(&clean_lake), manifest(&faulty_lake));
    assert_eq!(
        a["files"]["models.parquet"]["rows"], b["files"]["models.parquet"]["rows"],
        "rows lost or duplicated"
    );
    assert!(
        models == clean_models,
        "models.parquet differs under faults ({scope:?})"
    );
    assert!(
        trending == clean_trending,
        "trending.parquet differs under faults ({scope:?})"
    );
    assert_eq!(a["quarantined"], 0);
    assert_eq!(
        b["quarantined"], 0,
        "a fault must be retried, not quarantined"
    );
    let retries = b["retries"].as_u64().unwrap();
    assert!(
        retries > 0,
        "a 30% fault rate caused no retry: the faults were not injected ({b})"
    );
    assert_eq!(a["retries"], 0);
    eprintln!(
        "faults {scope:?}: rows {} | requests {} -> {} | retries {retries} | 429s {} | wall {clean_secs:.2}s -> {faulty_secs:.2}s (+{:.2}s)",
        b["files"]["models.parquet"]["rows"],
        a["requests"],
        b["requests"],
        b["rate_limited"],
        faulty_secs - clean_secs
    );
}

#[test]
fn a_full_snapshot_under_a_30_percent_fault_rate_equals_the_fault_free_one() {
    same_tables_with_and_without_faults(&["--scope", "full"]);
}

#[test]
fn a_top_snapshot_under_a_30_percent_fault_rate_equals_the_fault_free_one() {
    same_tables_with_and_without_faults(&["--scope", "top", "--top", "800"]);
}
