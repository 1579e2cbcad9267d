//! Refusals: unknown schema versions, missing manifests, corrupt Parquet, an empty lake.

use crate::config;
use crate::lake::basic_lake;
use hubtrends_transform::{Filter, TransformError};

fn run_err(lake: &std::path::Path) -> TransformError {
    hubtrends_transform::run(&config(lake, Filter::default(), false)).unwrap_err()
}

#[test]
fn an_unknown_schema_version_is_refused_naming_the_partition() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 2);
    let path = tmp.path().join("snapshots/date=2026-11-03/_manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    manifest["schema_version"] = 2.into();
    std::fs::write(&path, serde_json::to_vec(&manifest).unwrap()).unwrap();
    let err = run_err(tmp.path());
    assert!(
        matches!(
            err,
            TransformError::UnsupportedSchema {
                found: 2,
                expected: 1,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("date=2026-11-03"), "{err}");
    assert!(err.is_integrity() && !err.is_bad_input());
    assert!(!tmp.path().join("marts").exists());
}

#[test]
fn a_partition_without_manifest_is_reported_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 2);
    std::fs::remove_file(tmp.path().join("snapshots/date=2026-11-02/_manifest.json")).unwrap();
    let err = run_err(tmp.path());
    assert!(
        matches!(err, TransformError::MissingManifest { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("date=2026-11-02"), "{err}");
}

#[test]
fn corrupt_parquet_is_reported_by_path() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 2);
    let path = tmp
        .path()
        .join("snapshots/date=2026-11-03/trending.parquet");
    std::fs::write(&path, b"PAR1 this is not parquet").unwrap();
    let err = run_err(tmp.path());
    assert!(
        matches!(err, TransformError::CorruptParquet { .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains("date=2026-11-03/trending.parquet"),
        "{err}"
    );
}

#[test]
fn an_empty_lake_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let err = run_err(tmp.path());
    assert!(matches!(err, TransformError::NoSnapshots { .. }), "{err}");
    assert!(err.is_bad_input() && !err.is_integrity());
}

#[test]
fn leftovers_of_an_interrupted_run_are_removed_and_old_marts_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    basic_lake(tmp.path(), 2);
    let leftover = tmp.path().join(".staging/marts-crashed");
    std::fs::create_dir_all(&leftover).unwrap();
    std::fs::write(leftover.join("org_daily.parquet"), b"half").unwrap();
    std::fs::create_dir_all(tmp.path().join("marts")).unwrap();
    std::fs::write(tmp.path().join("marts/stale.parquet"), b"old").unwrap();
    crate::run(tmp.path(), Filter::default(), false);
    assert!(!leftover.exists());
    assert!(!tmp.path().join("marts/stale.parquet").exists());
    assert!(tmp.path().join("marts/org_daily.parquet").is_file());
    let staging: Vec<_> = std::fs::read_dir(tmp.path().join(".staging"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(staging, vec![std::ffi::OsString::from("transform-cache")]);
}
