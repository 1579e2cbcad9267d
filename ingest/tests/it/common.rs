//! Helpers: a simulated Hub, a config pointing at it, and readers of what was written.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use hubtrends_hubsim::{FaultConfig, ServerConfig, SimConfig, SimModel, SimServer};
use hubtrends_ingest::{
    BaseModel, Manifest, ModelRecord, SnapshotConfig, models_from_batch, partition_path,
};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

pub use crate::bench::peak_rss_mib;

/// The simulated start date, served by default.
pub fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()
}

/// A small population.
pub fn sim(models: usize) -> SimConfig {
    SimConfig {
        seed: 7,
        models,
        start_date: date(),
    }
}

/// Starts a simulated Hub on an ephemeral port.
pub async fn serve(sim: SimConfig, tweak: impl FnOnce(&mut ServerConfig)) -> SimServer {
    let mut config = ServerConfig {
        sim,
        faults: FaultConfig::default(),
        ..ServerConfig::default()
    };
    tweak(&mut config);
    hubtrends_hubsim::start(config, 0).await.unwrap()
}

/// A snapshot config for `server` with small pages and fast retries.
pub fn config(server: &SimServer, lake: &Path) -> SnapshotConfig {
    let mut c = SnapshotConfig::new(server.url().parse().unwrap(), date(), lake.to_owned());
    c.page_limit = 100;
    c.trending_limit = 20;
    c.min_backoff = Duration::from_millis(5);
    c.max_backoff = Duration::from_millis(50);
    c.request_timeout = Duration::from_secs(10);
    c.spill_rows = 250;
    c
}

/// The published partition of the test date.
pub fn partition(lake: &Path) -> PathBuf {
    partition_path(lake, date())
}

/// Every record of a models.parquet, in file order.
pub fn read_models(path: &Path) -> Vec<ModelRecord> {
    let b = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    assert_eq!(
        b.schema().fields(),
        hubtrends_ingest::schema::models_schema().fields()
    );
    b.build()
        .unwrap()
        .flat_map(|batch| models_from_batch(&batch.unwrap()).unwrap())
        .collect()
}

/// The manifest of the test date's partition.
pub fn manifest(lake: &Path) -> Manifest {
    Manifest::read(&partition(lake).join("_manifest.json")).unwrap()
}

/// What a simulated model must look like in the lake.
pub fn expected(m: &SimModel) -> ModelRecord {
    ModelRecord {
        id: m.id.clone(),
        author: m.author.clone(),
        downloads_30d: m.downloads_30d,
        downloads_all_time: Some(m.downloads_all_time),
        likes: m.likes,
        trending_score: Some(m.trending_score),
        created_at: Some(m.created_at.timestamp_millis()),
        last_modified: Some(m.last_modified.timestamp_millis()),
        pipeline_tag: m.pipeline_tag.map(str::to_owned),
        library_name: m.library_name.map(str::to_owned),
        license: m.license.map(str::to_owned),
        gated: Some(m.gated.as_str().to_owned()),
        num_parameters: m.num_parameters,
        base_models: m
            .base_models
            .iter()
            .map(|(r, id)| BaseModel {
                relation: r.as_str().to_owned(),
                id: id.clone(),
            })
            .collect(),
        // The simulator's licence and base_model tags are exactly what the `license` and
        // `base_models` columns hold, so the lake keeps only the other tags.
        tags: m
            .tags
            .iter()
            .filter(|t| !t.starts_with("license:") && !t.starts_with("base_model:"))
            .cloned()
            .collect(),
    }
}

/// Every file under `dir`, recursively.
pub fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// SHA-256 of models.parquet as recorded in the manifest.
pub fn models_sha(lake: &Path) -> String {
    manifest(lake).files["models.parquet"].sha256.clone()
}
