//! The lake: lock, refusal without --force, atomic replacement, verify.

use hubtrends_ingest::{ErrorKind, IngestError, LakeLock, NoProgress, snapshot, verify};

use crate::common::*;

#[test]
fn a_held_lock_refuses_a_second_run() {
    let lake = tempfile::tempdir().unwrap();
    let _held = LakeLock::acquire(lake.path(), false).unwrap();
    let err = LakeLock::acquire(lake.path(), false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LockHeld);
    assert!(err.to_string().contains("--wait"), "{err}");
}

#[tokio::test]
async fn rerun_is_refused_without_force_and_replaces_with_it() {
    let server = serve(sim(500), |_| {}).await;
    let lake = tempfile::tempdir().unwrap();
    let c = config(&server, lake.path());
    snapshot(&c, &NoProgress).await.unwrap();
    let first = manifest(lake.path());

    let before = server.stats().requests;
    let err = snapshot(&c, &NoProgress).await.unwrap_err();
    assert!(matches!(err, IngestError::PartitionExists { .. }), "{err}");
    assert_eq!(err.kind(), ErrorKind::BadInput);
    assert_eq!(
        server.stats().requests,
        before,
        "refused before any request"
    );
    assert_eq!(manifest(lake.path()), first, "untouched");

    // The Hub moved on a day; the same date is taken again with --force.
    server.set_date(date().succ_opt().unwrap());
    let mut forced = c.clone();
    forced.force = true;
    let summary = snapshot(&forced, &NoProgress).await.unwrap();
    let grown = server.population().count(date().succ_opt().unwrap());
    assert_eq!(summary.models as usize, grown);
    assert!(grown > first.files["models.parquet"].rows as usize);
    let second = manifest(lake.path());
    assert_ne!(
        second.files["models.parquet"].sha256,
        first.files["models.parquet"].sha256
    );
    assert!(verify(lake.path()).unwrap().is_ok());
    let staging: Vec<_> = std::fs::read_dir(lake.path().join(".staging"))
        .unwrap()
        .collect();
    assert!(staging.is_empty(), "the old partition was removed");
}

#[tokio::test]
async fn verify_detects_a_flipped_byte() {
    let server = serve(sim(300), |_| {}).await;
    let lake = tempfile::tempdir().unwrap();
    snapshot(&config(&server, lake.path()), &NoProgress)
        .await
        .unwrap();
    let report = verify(lake.path()).unwrap();
    assert!(report.is_ok());
    assert_eq!((report.partitions, report.files), (1, 2));

    let path = partition(lake.path()).join("models.parquet");
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&path, bytes).unwrap();
    std::fs::write(partition(lake.path()).join("stray.txt"), "x").unwrap();
    let report = verify(lake.path()).unwrap();
    assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
    assert!(
        report
            .problems
            .iter()
            .all(|p| p.kind() == ErrorKind::Integrity)
    );
    let shown: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert!(shown[0].contains("models.parquet"), "{shown:?}");
    assert!(shown[1].contains("stray.txt"), "{shown:?}");
}
