//! End-to-end tests of the transform on tiny hand-built lakes (one test binary).
#![allow(clippy::unwrap_used)]

mod errors;
mod incremental;
mod lake;
mod lineage;
mod marts;
mod scale;
mod views;
mod weekly;

use std::path::Path;

use hubtrends_transform::{Filter, TransformConfig, TransformSummary};

/// Runs the transform on `lake` with the test registry.
pub fn run(lake: &Path, filter: Filter, full_rebuild: bool) -> TransformSummary {
    hubtrends_transform::run(&config(lake, filter, full_rebuild)).unwrap()
}

/// The transform configuration for `lake` with the test registry.
pub fn config(lake: &Path, filter: Filter, full_rebuild: bool) -> TransformConfig {
    TransformConfig {
        lake: lake.to_owned(),
        registry: lake::registry(),
        filter,
        full_rebuild,
    }
}

/// Float equality up to 1e-9.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}
