//! What the binary hands the transform, and what it gets back.

use std::path::PathBuf;

use hubtrends_orgs::Registry;

/// Version of the marts' schema (DESIGN.md "Marts (schema v1)").
pub const MART_SCHEMA_VERSION: u32 = 1;

/// Restricts every mart to models with a pipeline tag and/or library (`None` = no restriction).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Keep only models whose `pipeline_tag` equals this (e.g. `text-generation`).
    pub pipeline: Option<String>,
    /// Keep only models whose `library_name` equals this (e.g. `transformers`).
    pub library: Option<String>,
}

impl Filter {
    /// Whether the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        self.pipeline.is_none() && self.library.is_none()
    }

    /// Human-readable form recorded in the manifest and Parquet metadata: `none`,
    /// `pipeline=text-generation`, `pipeline=X,library=Y`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = &self.pipeline {
            parts.push(format!("pipeline={p}"));
        }
        if let Some(l) = &self.library {
            parts.push(format!("library={l}"));
        }
        if parts.is_empty() {
            "none".to_owned()
        } else {
            parts.join(",")
        }
    }
}

/// Everything one transform run needs.
#[derive(Debug, Clone)]
pub struct TransformConfig {
    /// Root of the lake (holds `snapshots/`, receives `marts/`).
    pub lake: PathBuf,
    /// Organisation registry, with any `--orgs` overlay already applied.
    pub registry: Registry,
    /// Pipeline / library restriction applied to every mart.
    pub filter: Filter,
    /// Ignore the per-day cache and recompute every day.
    pub full_rebuild: bool,
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransformSummary {
    /// Each mart's name and row count, in `MARTS` order.
    pub marts: Vec<(String, u64)>,
    /// Snapshot days in the lake.
    pub days: usize,
    /// Days recomputed by this run (the rest came from the cache).
    pub recomputed_days: usize,
    /// The marts directory (`{lake}/marts`).
    pub dir: PathBuf,
}
