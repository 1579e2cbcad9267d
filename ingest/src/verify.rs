//! `hubtrends verify`: re-hash every snapshot partition against its manifest.

use std::path::{Path, PathBuf};

use crate::error::IngestError;
use crate::manifest::{Manifest, digest};
use crate::schema::MANIFEST_FILE;

/// The outcome of [`verify`].
#[derive(Debug, Default)]
pub struct VerifyReport {
    /// Partitions examined.
    pub partitions: u64,
    /// Files re-hashed.
    pub files: u64,
    /// Every problem found (mismatch, missing or unlisted file, unreadable manifest, unknown schema).
    pub problems: Vec<IngestError>,
    /// Every file whose bytes and sha256 match its manifest, in lake order.
    pub verified: Vec<VerifiedFile>,
}

/// A file that matched its manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedFile {
    /// The file.
    pub path: PathBuf,
    /// Rows, as the manifest records them.
    pub rows: u64,
    /// Size in bytes.
    pub bytes: u64,
}

impl VerifyReport {
    /// True when no problem was found.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Re-hashes every file of every `{lake}/snapshots/date=*` partition and compares it with the
/// partition's manifest. Problems are collected, not fatal; only an unreadable lake is an error.
pub fn verify(lake: &Path) -> Result<VerifyReport, IngestError> {
    if !lake.is_dir() {
        return Err(IngestError::BadInput {
            what: "lake",
            message: format!("{} is not a directory", lake.display()),
        });
    }
    let mut report = VerifyReport::default();
    let snapshots = lake.join(crate::writer::SNAPSHOTS_DIR);
    let mut partitions = match std::fs::read_dir(&snapshots) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect::<Vec<PathBuf>>(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(IngestError::io(&snapshots)(e)),
    };
    partitions.sort();
    for dir in partitions {
        report.partitions += 1;
        verify_partition(&dir, &mut report);
    }
    Ok(report)
}

fn mismatch(path: PathBuf, expected: impl Into<String>, found: impl Into<String>) -> IngestError {
    IngestError::ManifestMismatch {
        path,
        expected: expected.into(),
        found: found.into(),
    }
}

fn verify_partition(dir: &Path, report: &mut VerifyReport) {
    let manifest_path = dir.join(MANIFEST_FILE);
    let manifest = match Manifest::read(&manifest_path) {
        Ok(m) => m,
        Err(e) => {
            report.problems.push(e);
            return;
        }
    };
    if manifest.schema_version != crate::SCHEMA_VERSION {
        report.problems.push(IngestError::UnknownSchemaVersion {
            path: manifest_path.clone(),
            expected: crate::SCHEMA_VERSION,
            found: manifest.schema_version,
        });
    }
    let dir_name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    let expected_name = format!("date={}", manifest.snapshot_date);
    if dir_name.as_deref() != Some(expected_name.as_str()) {
        report.problems.push(mismatch(
            dir.to_owned(),
            expected_name,
            dir_name.unwrap_or_default(),
        ));
    }
    for (name, entry) in &manifest.files {
        let path = dir.join(name);
        report.files += 1;
        match digest(&path) {
            Ok((bytes, sha256)) => {
                if bytes != entry.bytes || sha256 != entry.sha256 {
                    report.problems.push(mismatch(
                        path,
                        format!("{} bytes, sha256 {}", entry.bytes, entry.sha256),
                        format!("{bytes} bytes, sha256 {sha256}"),
                    ));
                } else {
                    report.verified.push(VerifiedFile {
                        path,
                        rows: entry.rows,
                        bytes,
                    });
                }
            }
            Err(e) => report.problems.push(e),
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut unlisted: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != MANIFEST_FILE && !manifest.files.contains_key(n))
            .collect();
        unlisted.sort();
        for name in unlisted {
            report.problems.push(mismatch(
                dir.join(&name),
                "no such file",
                "an unlisted file",
            ));
        }
    }
}
