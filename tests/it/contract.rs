//! The schema contract between the stages: what `sim lake` (the ingest's writer) writes,
//! `transform` reads, and `report` turns into a page, with no HTTP in between.

use crate::util::{files_below, hubtrends, run, streams};

#[test]
fn a_lake_written_by_the_ingest_writer_is_transformed_and_reported() {
    let temp = tempfile::tempdir().unwrap();
    let lake = temp.path().join("lake");
    let output = run(hubtrends(&lake).args([
        "sim",
        "lake",
        "--days",
        "9",
        "--models",
        "1500",
        "--start",
        "2026-10-05",
    ]));
    assert!(output.status.success(), "{}", streams(&output));
    let output = run(hubtrends(&lake).args(["transform"]));
    assert!(output.status.success(), "{}", streams(&output));
    let marts: Vec<_> = files_below(&lake.join("marts"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    for name in hubtrends_transform::MARTS.iter().map(|m| m.name()) {
        assert!(
            marts
                .iter()
                .any(|p| p.file_stem().is_some_and(|s| s == name)),
            "mart {name} missing: {marts:?}"
        );
    }
    let output = run(hubtrends(&lake).args(["report"]));
    assert!(output.status.success(), "{}", streams(&output));
    let index = String::from_utf8(output.stdout).unwrap();
    assert!(index.trim_end().ends_with("index.html"));
    // verify re-hashes the partitions the writer produced.
    let output = run(hubtrends(&lake).args(["verify"]));
    assert!(output.status.success(), "{}", streams(&output));
}

#[test]
fn the_http_ingest_and_the_direct_writer_store_the_same_simulated_day_byte_for_byte() {
    // The ingest must not be able to tell the simulator from the Hub: fetching a simulated day
    // over HTTP (demo) and writing the same day straight from the population (sim lake) must
    // give identical files, which checks the mapping of every field end to end.
    let temp = tempfile::tempdir().unwrap();
    let over_http = temp.path().join("http");
    let direct = temp.path().join("direct");
    let common = [
        "--days",
        "1",
        "--models",
        "1200",
        "--seed",
        "3",
        "--start",
        "2026-10-07",
    ];
    let output = run(hubtrends(&over_http).arg("demo").args(common));
    assert!(output.status.success(), "{}", streams(&output));
    let output = run(hubtrends(&direct).args(["sim", "lake"]).args(common));
    assert!(output.status.success(), "{}", streams(&output));
    for file in ["models.parquet", "trending.parquet"] {
        let a = std::fs::read(over_http.join("snapshots/date=2026-10-07").join(file)).unwrap();
        let b = std::fs::read(direct.join("snapshots/date=2026-10-07").join(file)).unwrap();
        assert!(
            a == b,
            "{file} differs between the HTTP ingest ({} bytes) and the direct writer ({} bytes)",
            a.len(),
            b.len()
        );
    }
}
