//! The snapshot side of the lake: find partitions, check their manifests and files, read them.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::*;
use serde::Deserialize;

use crate::columns as c;
use crate::error::TransformError;

/// The snapshot schema version this build reads.
pub(crate) const SNAPSHOT_SCHEMA_VERSION: u32 = 1;

/// Columns the transform reads from `models.parquet` (projection pushdown keeps the rest on disk).
pub(crate) const MODEL_COLUMNS: [&str; 10] = [
    c::ID,
    c::AUTHOR,
    c::DOWNLOADS_30D,
    c::DOWNLOADS_ALL_TIME,
    c::LIKES,
    c::CREATED_AT,
    c::PIPELINE_TAG,
    c::LIBRARY_NAME,
    c::BASE_MODELS,
    c::SNAPSHOT_DATE,
];

/// Columns the transform reads from `trending.parquet`.
pub(crate) const TRENDING_COLUMNS: [&str; 3] = [c::RANK, c::ID, c::AUTHOR];

/// One checked snapshot partition.
#[derive(Debug, Clone)]
pub(crate) struct Partition {
    /// The snapshot date.
    pub date: NaiveDate,
    /// `{lake}/snapshots/date=YYYY-MM-DD`.
    pub dir: PathBuf,
    /// sha256 of `models.parquet` from the manifest.
    pub models_sha256: String,
    /// sha256 of `trending.parquet` from the manifest.
    pub trending_sha256: String,
}

impl Partition {
    /// Path of `models.parquet`.
    pub fn models_path(&self) -> PathBuf {
        self.dir.join(c::MODELS_FILE)
    }

    /// Path of `trending.parquet`.
    pub fn trending_path(&self) -> PathBuf {
        self.dir.join(c::TRENDING_FILE)
    }
}

#[derive(Deserialize)]
struct ManifestFile {
    #[serde(default)]
    sha256: String,
}

#[derive(Deserialize)]
struct Manifest {
    snapshot_date: String,
    #[serde(default)]
    files: BTreeMap<String, ManifestFile>,
}

/// All `snapshots/date=*` partitions of the lake, sorted by date, each checked: manifest present
/// with `schema_version` 1 and a matching date, both Parquet files present with a readable footer
/// holding the columns the transform needs. The first problem is returned, naming the partition.
pub(crate) fn partitions(lake: &Path) -> Result<Vec<Partition>, TransformError> {
    let dir = lake.join("snapshots");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(TransformError::NoSnapshots { dir });
        }
        Err(e) => return Err(TransformError::io("listing", &dir, e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| TransformError::io("listing", &dir, e))?;
        let name = entry.file_name();
        let Some(date) = name.to_str().and_then(|n| n.strip_prefix("date=")) else {
            tracing::debug!(entry = ?name, "not a partition, ignored");
            continue;
        };
        let Ok(date) = NaiveDate::parse_from_str(date, "%Y-%m-%d") else {
            tracing::warn!(entry = ?name, "partition name is not date=YYYY-MM-DD, ignored");
            continue;
        };
        found.push((date, entry.path()));
    }
    if found.is_empty() {
        return Err(TransformError::NoSnapshots { dir });
    }
    found.sort();
    found
        .into_iter()
        .map(|(date, dir)| check_partition(date, dir))
        .collect()
}

fn check_partition(date: NaiveDate, dir: PathBuf) -> Result<Partition, TransformError> {
    let manifest_path = dir.join(c::MANIFEST_FILE);
    let text = match std::fs::read(&manifest_path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(TransformError::MissingManifest { partition: dir });
        }
        Err(e) => return Err(TransformError::io("reading", &manifest_path, e)),
    };
    let bad = |source| TransformError::BadManifest {
        path: manifest_path.clone(),
        source,
    };
    // The version is checked before the rest of the shape, so a future layout is refused with
    // the version message rather than a confusing parse error.
    let value: serde_json::Value = serde_json::from_slice(&text).map_err(bad)?;
    let found = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    if found != u64::from(SNAPSHOT_SCHEMA_VERSION) {
        return Err(TransformError::UnsupportedSchema {
            partition: dir,
            expected: SNAPSHOT_SCHEMA_VERSION,
            found,
        });
    }
    let manifest: Manifest = serde_json::from_value(value).map_err(bad)?;
    if manifest.snapshot_date != date.format("%Y-%m-%d").to_string() {
        return Err(TransformError::DateMismatch {
            partition: dir,
            found: manifest.snapshot_date,
        });
    }
    let mut shas = [String::new(), String::new()];
    for (i, (file, columns)) in [
        (c::MODELS_FILE, &MODEL_COLUMNS[..]),
        (c::TRENDING_FILE, &TRENDING_COLUMNS[..]),
    ]
    .into_iter()
    .enumerate()
    {
        let path = dir.join(file);
        if !path.is_file() {
            return Err(TransformError::MissingFile {
                partition: dir,
                file,
            });
        }
        check_footer(&path, columns)?;
        shas[i] = match manifest.files.get(file) {
            Some(f) if !f.sha256.is_empty() => f.sha256.clone(),
            // An older manifest without hashes: hash the file, so the cache key stays exact.
            _ => crate::write::sha256_file(&path)?,
        };
    }
    let [models_sha256, trending_sha256] = shas;
    Ok(Partition {
        date,
        dir,
        models_sha256,
        trending_sha256,
    })
}

/// Reads a Parquet footer (cheap) and checks the columns the transform needs are there.
fn check_footer(path: &Path, columns: &[&'static str]) -> Result<(), TransformError> {
    let file = File::open(path).map_err(|e| TransformError::io("opening", path, e))?;
    let schema =
        ParquetReader::new(file)
            .schema()
            .map_err(|source| TransformError::CorruptParquet {
                path: path.to_owned(),
                source,
            })?;
    for column in columns {
        if schema.get(column).is_none() {
            return Err(TransformError::MissingColumn {
                path: path.to_owned(),
                column,
            });
        }
    }
    Ok(())
}

/// A lazy scan of one Parquet file.
pub(crate) fn scan(path: &Path) -> Result<LazyFrame, TransformError> {
    let corrupt = |source| TransformError::CorruptParquet {
        path: path.to_owned(),
        source,
    };
    let source = PlRefPath::try_from_path(path).map_err(corrupt)?;
    LazyFrame::scan_parquet(source, ScanArgsParquet::default()).map_err(corrupt)
}

/// Collects a query over one file, naming the file when decoding fails.
pub(crate) fn collect(lf: LazyFrame, path: &Path) -> Result<DataFrame, TransformError> {
    lf.collect()
        .map_err(|source| TransformError::CorruptParquet {
            path: path.to_owned(),
            source,
        })
}
