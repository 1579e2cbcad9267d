//! Storage: bytes per model-day and per column, from a partition written straight from the
//! simulator (no HTTP). `HUBTRENDS_BENCH_MODELS=1000000 cargo test --release -p
//! hubtrends-ingest --test it storage -- --ignored --nocapture` prints the 1M-model report;
//! `HUBTRENDS_BENCH_KEEP=/some/file.parquet` keeps a copy of the models file.

use std::time::Instant;

use hubtrends_ingest::{PartitionMeta, PartitionWriter, column_sizes};

use crate::common::*;

/// Writes a partition of `models` simulated models and returns (bytes per model, report).
fn storage_report(models: usize) -> (f64, String) {
    let population = hubtrends_hubsim::Population::new(sim(models));
    let day = population.day(date());
    let lake = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut w = PartitionWriter::create(lake.path(), date(), false).unwrap();
    let mut chunk = Vec::with_capacity(1000);
    for i in 0..day.len() {
        chunk.push(expected(&day.model(i)));
        if chunk.len() == 1000 {
            w.push_owned(std::mem::take(&mut chunk)).unwrap();
        }
    }
    w.push_owned(chunk).unwrap();
    let published = w
        .finish(PartitionMeta {
            endpoint: "sim".into(),
            scope: "full".into(),
            ..PartitionMeta::default()
        })
        .unwrap();
    let path = published.path.join("models.parquet");
    if let Ok(keep) = std::env::var("HUBTRENDS_BENCH_KEEP") {
        // For checking the file with other readers (Polars, DuckDB, pyarrow).
        std::fs::copy(&path, keep).unwrap();
    }
    let (sizes, rows) = column_sizes(&path).unwrap();
    let file_bytes = std::fs::metadata(&path).unwrap().len();
    let mut report = format!(
        "{rows} models, {file_bytes} bytes, {:.2} B/model-day, written in {:.1}s, peak RSS \
         {:.0} MiB (simulator included)\n",
        file_bytes as f64 / rows as f64,
        started.elapsed().as_secs_f64(),
        peak_rss_mib().unwrap_or(f64::NAN),
    );
    let columns: u64 = sizes.iter().map(|s| s.compressed_bytes).sum();
    for s in &sizes {
        report.push_str(&format!(
            "  {:<28} {:>12} B {:>7.2} B/model ({:>5.1}% of columns, {:>5.1}x)\n",
            s.column,
            s.compressed_bytes,
            s.compressed_bytes as f64 / rows as f64,
            100.0 * s.compressed_bytes as f64 / columns as f64,
            s.uncompressed_bytes as f64 / s.compressed_bytes.max(1) as f64,
        ));
    }
    assert_eq!(rows as usize, day.len());
    assert!(columns <= file_bytes, "columns fit in the file");
    (file_bytes as f64 / rows as f64, report)
}

#[test]
fn storage_is_compact_per_model_day() {
    let (per_model, report) = storage_report(20_000);
    eprintln!("{report}");
    // Small files carry fixed overhead (footer, dictionaries): the 1M goal is 30 B.
    assert!(per_model < 60.0, "{report}");
}

#[test]
#[ignore = "benchmark: set HUBTRENDS_BENCH_MODELS"]
fn storage_report_at_scale() {
    let models = std::env::var("HUBTRENDS_BENCH_MODELS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let (_, report) = storage_report(models);
    eprintln!("{report}");
}
