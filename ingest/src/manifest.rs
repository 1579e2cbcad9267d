//! `_manifest.json` of a snapshot partition: provenance, row counts and checksums.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::IngestError;

/// Rows, size and checksum of one file of a partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Rows (Parquet) or lines (JSON lines).
    pub rows: u64,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
}

/// The content of a partition's `_manifest.json` (see DESIGN.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Schema version of the partition's tables.
    pub schema_version: u32,
    /// Version of the tool that wrote it.
    pub tool_version: String,
    /// The snapshot date.
    pub snapshot_date: NaiveDate,
    /// The Hub endpoint it was taken from (`sim` for partitions written by the simulator).
    pub endpoint: String,
    /// `full` or `top`.
    pub scope: String,
    /// N of `top`, else null.
    pub top: Option<usize>,
    /// The queries that started each listing (path and query, without the endpoint).
    pub queries: Vec<String>,
    /// When the run started (UTC).
    pub started_at: DateTime<Utc>,
    /// When the partition was sealed (UTC).
    pub finished_at: DateTime<Utc>,
    /// Every file of the partition except the manifest, by name.
    pub files: BTreeMap<String, FileEntry>,
    /// Records quarantined instead of written.
    pub quarantined: u64,
    /// HTTP requests made (including retries and a resumed run's).
    pub requests: u64,
    /// Retries made.
    pub retries: u64,
    /// 429 responses received.
    pub rate_limited: u64,
    /// Anything a reader should know (duplicates dropped, resumed run, ...).
    pub warnings: Vec<String>,
}

impl Manifest {
    /// Reads and parses a manifest file.
    pub fn read(path: &Path) -> Result<Manifest, IngestError> {
        let bytes = std::fs::read(path).map_err(IngestError::io(path))?;
        serde_json::from_slice(&bytes).map_err(|source| IngestError::JsonFile {
            path: path.to_owned(),
            source,
        })
    }

    /// Writes the manifest (pretty JSON, keys in a fixed order) and fsyncs it.
    pub(crate) fn write(&self, path: &Path) -> Result<(), IngestError> {
        let json = serde_json::to_vec_pretty(self).map_err(|source| IngestError::JsonFile {
            path: path.to_owned(),
            source,
        })?;
        write_synced(path, &json)
    }
}

/// Writes `bytes` to `path` and fsyncs the file.
pub(crate) fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), IngestError> {
    let mut f = std::fs::File::create(path).map_err(IngestError::io(path))?;
    f.write_all(bytes).map_err(IngestError::io(path))?;
    f.sync_all().map_err(IngestError::io(path))
}

/// Size and SHA-256 (hex) of a file, streamed.
pub(crate) fn digest(path: &Path) -> Result<(u64, String), IngestError> {
    let mut f = std::fs::File::open(path).map_err(IngestError::io(path))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = f.read(&mut buf).map_err(IngestError::io(path))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((total, hex::encode(hasher.finalize())))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn manifest_round_trips_and_has_the_documented_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("_manifest.json");
        let mut files = BTreeMap::new();
        files.insert(
            "models.parquet".to_owned(),
            FileEntry {
                rows: 3,
                bytes: 10,
                sha256: "ab".into(),
            },
        );
        let m = Manifest {
            schema_version: 1,
            tool_version: "0.1.0".into(),
            snapshot_date: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            endpoint: "http://127.0.0.1:1".into(),
            scope: "full".into(),
            top: None,
            queries: vec!["/api/models?sort=downloads".into()],
            started_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            finished_at: DateTime::from_timestamp(1_700_000_100, 0).unwrap(),
            files,
            quarantined: 1,
            requests: 4,
            retries: 2,
            rate_limited: 1,
            warnings: vec![],
        };
        m.write(&path).unwrap();
        assert_eq!(Manifest::read(&path).unwrap(), m);
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        for key in [
            "schema_version",
            "tool_version",
            "snapshot_date",
            "endpoint",
            "scope",
            "top",
            "queries",
            "started_at",
            "finished_at",
            "files",
            "quarantined",
            "requests",
            "retries",
            "rate_limited",
            "warnings",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert_eq!(v["snapshot_date"], "2026-11-22");
        assert_eq!(v["files"]["models.parquet"]["rows"], 3);
    }

    #[test]
    fn digest_matches_known_sha256() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, b"abc").unwrap();
        let (n, h) = digest(&p).unwrap();
        assert_eq!(n, 3);
        assert_eq!(
            h,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
