//! The registry: validated rows keyed by lower-cased namespace, with overlays and lookups.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use crate::BUILTIN_SOURCE;
use crate::builtin::BUILTIN_ROWS;
use crate::columns::COLUMNS;
use crate::error::OrgsError;
use crate::parse::{parse_rows, unresolved_parent};
use crate::record::OrgRecord;

/// A row and where it came from (for error messages about later overlays).
#[derive(Clone)]
struct Entry {
    record: OrgRecord,
    source: Arc<str>,
    line: u64,
}

/// The organisation registry: Hub namespace -> [`OrgRecord`], case-insensitive.
#[derive(Clone, Default)]
pub struct Registry {
    /// Keyed by the ASCII-lower-cased namespace, so iteration is the file's sort order.
    entries: BTreeMap<String, Entry>,
}

impl Registry {
    /// The registry compiled in from `data/orgs.csv`.
    ///
    /// Infallible by construction: `build.rs` parses and validates the file with the same code
    /// as [`Registry::from_csv`] and turns it into a static table, so a broken file fails the
    /// build, never the binary.
    pub fn builtin() -> Registry {
        let source: Arc<str> = Arc::from(BUILTIN_SOURCE);
        let entries = BUILTIN_ROWS
            .iter()
            .map(|row| {
                let record = OrgRecord {
                    namespace: row.namespace.to_owned(),
                    org: row.org.to_owned(),
                    parent: row.parent.map(str::to_owned),
                    country: row.country.map(str::to_owned),
                    kind: row.kind,
                    evidence: row.evidence.to_owned(),
                };
                let entry = Entry {
                    record,
                    source: Arc::clone(&source),
                    line: row.line,
                };
                (row.namespace.to_ascii_lowercase(), entry)
            })
            .collect();
        Registry { entries }
    }

    /// Parses and validates registry CSV text; `source` names the file in error messages.
    ///
    /// Checks the header, every field, duplicate namespaces, and that every parent is the `org`
    /// of some row of this text. Use [`Registry::load_overlay`] for a file whose parents may be
    /// defined by the built-in registry.
    pub fn from_csv(text: &str, source: &str) -> Result<Registry, OrgsError> {
        let registry = Registry::from_rows_unchecked(text, source)?;
        registry.check_parents()?;
        Ok(registry)
    }

    /// Reads a user file and adds its rows, replacing rows with the same namespace.
    ///
    /// Returns the number of rows applied. On error the registry is left unchanged; a parent
    /// may be any `org` of the combined registry.
    pub fn load_overlay(&mut self, path: &Path) -> Result<usize, OrgsError> {
        let text = std::fs::read_to_string(path).map_err(|source| OrgsError::Io {
            path: path.to_owned(),
            source,
        })?;
        let other = Registry::from_rows_unchecked(&text, &path.display().to_string())?;
        let rows = other.len();
        let mut merged = self.clone();
        merged.overlay(other);
        merged.check_parents()?;
        *self = merged;
        tracing::info!(path = %path.display(), rows, version = %self.version(), "applied organisation overlay");
        Ok(rows)
    }

    /// Adds `other`'s rows, replacing rows whose namespace matches case-insensitively.
    pub fn overlay(&mut self, other: Registry) {
        for (key, entry) in other.entries {
            if let Some(old) = self.entries.get(&key) {
                tracing::debug!(namespace = %entry.record.namespace, from = %old.record.org, to = %entry.record.org, "overlay overrides a row");
            }
            self.entries.insert(key, entry);
        }
    }

    /// The row for a Hub namespace, matched case-insensitively as the Hub matches them.
    pub fn lookup(&self, namespace: &str) -> Option<&OrgRecord> {
        self.entries
            .get(&namespace.to_ascii_lowercase())
            .map(|e| &e.record)
    }

    /// Every row, sorted by namespace case-insensitively (the order of `data/orgs.csv`).
    pub fn records(&self) -> impl Iterator<Item = &OrgRecord> {
        self.entries.values().map(|e| &e.record)
    }

    /// Number of rows (namespaces).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the registry has no rows.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The distinct organisation names, sorted.
    pub fn orgs(&self) -> Vec<&str> {
        self.org_set().into_iter().collect()
    }

    /// The topmost organisation above `org` by following parents (`Qwen` -> `Alibaba`); `org`
    /// itself when it has no parent. The walk stops after `len()` steps, so a cycle in an
    /// overlay cannot hang it.
    pub fn root_org<'a>(&'a self, org: &'a str) -> &'a str {
        let mut current = org;
        for _ in 0..self.len() {
            let parent = self
                .entries
                .values()
                .find(|e| e.record.org == current)
                .and_then(|e| e.record.parent.as_deref());
            match parent {
                Some(p) => current = p,
                None => break,
            }
        }
        current
    }

    /// The registry as canonical CSV: the exact header, rows sorted, fields trimmed, quoted only
    /// where needed, `\n` line ends. The shipped `data/orgs.csv` is byte-identical to this.
    pub fn to_csv(&self) -> String {
        let mut out = COLUMNS.join(",");
        out.push('\n');
        for r in self.records() {
            let fields = [
                r.namespace.as_str(),
                r.org.as_str(),
                r.parent.as_deref().unwrap_or(""),
                r.country.as_deref().unwrap_or(""),
                r.kind.as_str(),
                r.evidence.as_str(),
            ];
            for (i, field) in fields.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_field(&mut out, field);
            }
            out.push('\n');
        }
        out
    }

    /// A short, stable identifier of the registry's content for the reports' methods note:
    /// `orgs-<rows>-<12 hex digits of FNV-1a 64 over the canonical CSV>`.
    pub fn version(&self) -> String {
        let hash = fnv1a64(self.to_csv().as_bytes());
        format!("orgs-{}-{:012x}", self.len(), hash >> 16)
    }

    fn from_rows_unchecked(text: &str, source: &str) -> Result<Registry, OrgsError> {
        let source_arc: Arc<str> = Arc::from(source);
        let entries = parse_rows(text, source)?
            .into_iter()
            .map(|row| {
                let key = row.record.namespace.to_ascii_lowercase();
                (
                    key,
                    Entry {
                        record: row.record,
                        source: Arc::clone(&source_arc),
                        line: row.line,
                    },
                )
            })
            .collect();
        Ok(Registry { entries })
    }

    fn org_set(&self) -> BTreeSet<&str> {
        self.records().map(|r| r.org.as_str()).collect()
    }

    /// Every parent must be some row's `org`; reports the first offender by source and line.
    fn check_parents(&self) -> Result<(), OrgsError> {
        let orgs = self.org_set();
        let mut rows: Vec<_> = self
            .entries
            .values()
            .map(|e| (&e.record, &*e.source, e.line))
            .collect();
        rows.sort_by(|a, b| (a.1, a.2).cmp(&(b.1, b.2)));
        unresolved_parent(rows, &orgs)
    }
}

impl fmt::Debug for Registry {
    /// A summary: printing six hundred rows helps nobody reading a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("rows", &self.len())
            .field("version", &self.version())
            .finish()
    }
}

/// Appends a CSV field, quoting it when it holds a comma, quote or line break.
fn push_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// FNV-1a, 64 bits: tiny, dependency-free and stable across platforms and runs.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
