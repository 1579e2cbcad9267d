//! The schema contract between the stages: what `sim lake` (the ingest's writer) writes,
//! `transform` reads, and `report` turns into a page, with no HTTP in between.

use crate::util::{files_below, hubtrends, run, streams};

#[test]
fn a_lake_written_by_the_ingest_writer_is_transformed_and_reported() {
    let temp = tempfile::tempdir().unwrap();
    let lake = temp.path().join("lake");
    let output = run(hubtrends(&lake).args(["sim", "lake", "--days", "9", "--models", "1500", "--start", "2026-10-05"]));
    assert!(output.status.success(), "{}", streams(&output));
    let output = run(hubtrends(&lake).args(["transform"]));
    assert!(output.status.success(), "{}", streams(&output));
    let marts: Vec<_> = files_below(&lake.join("marts")).into_iter().filter(|p| p.extension().is_some_and(|e| e == "parquet")).collect();
    for name in hubtrends_transform::MARTS.iter().map(|m| m.name()) {
        assert!(marts.iter().any(|p| p.file_stem().is_some_and(|s| s == name)), "mart {name} missing: {marts:?}");
    }
    let output = run(hubtrends(&lake).args(["report"]));
    assert!(output.status.success(), "{}", streams(&output));
    let index = String::from_utf8(output.stdout).unwrap();
    assert!(index.trim_end().ends_with("index.html"));
    // verify re-hashes the partitions the writer produced.
    let output = run(hubtrends(&lake).args(["verify"]));
    assert!(output.status.success(), "{}", streams(&output));
}
