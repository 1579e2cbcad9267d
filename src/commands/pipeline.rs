//! `snapshot`, `transform`, `report`, `run` and `verify`: the daily pipeline, stage by stage.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use hubtrends_ingest::LakeLock;

use crate::cli::{GlobalArgs, ReportArgs, RunArgs, SnapshotArgs, TransformArgs};
use crate::progress::SnapshotProgress;
use crate::settings::{self, DEFAULT_LAKE, TOOL_VERSION};
use crate::{exit, logging};

/// Takes one snapshot into the lake, holding the lake lock.
pub fn snapshot(global: &GlobalArgs, args: &SnapshotArgs) -> anyhow::Result<()> {
    let lake = settings::lake(global, DEFAULT_LAKE);
    let _lock = lock(&lake, args.wait)?;
    take_snapshot(global, args, &lake)
}

/// Rebuilds the marts, holding the lake lock.
pub fn transform(global: &GlobalArgs, args: &TransformArgs) -> anyhow::Result<()> {
    let lake = settings::lake(global, DEFAULT_LAKE);
    let _lock = lock(&lake, args.wait)?;
    build_marts(
        global,
        &lake,
        args.pipeline.clone(),
        args.library.clone(),
        args.full_rebuild,
    )
}

/// Writes the weekly report, holding the lake lock.
pub fn report(global: &GlobalArgs, args: &ReportArgs) -> anyhow::Result<()> {
    let lake = settings::lake(global, DEFAULT_LAKE);
    let _lock = lock(&lake, args.wait)?;
    let index = build_report(&lake, args.week.clone())?;
    println!("{}", index.display());
    Ok(())
}

/// The cron job: snapshot, transform, report under one lock; prints the report's index.html.
pub fn run(global: &GlobalArgs, args: &RunArgs) -> anyhow::Result<()> {
    let lake = settings::lake(global, DEFAULT_LAKE);
    let _lock = lock(&lake, args.snapshot.wait)?;
    match take_snapshot(global, &args.snapshot, &lake) {
        // A cron job rerun after a failed transform or report (or a second run the same day)
        // finds the day's partition already whole: keep it and finish the later stages.
        Err(err) if partition_exists(&err) => tracing::info!(
            reason = %err.root_cause(),
            "keeping the snapshot already in the lake; building the marts and report from it \
             (--force retakes it)"
        ),
        other => other?,
    }
    build_marts(
        global,
        &lake,
        args.pipeline.clone(),
        args.library.clone(),
        false,
    )?;
    let index = build_report(&lake, None)?;
    println!("{}", index.display());
    Ok(())
}

/// Re-hashes every snapshot against its manifest; any mismatch fails with exit code 5.
pub fn verify(global: &GlobalArgs) -> anyhow::Result<()> {
    let lake = settings::lake(global, DEFAULT_LAKE);
    let report = hubtrends_ingest::verify(&lake)
        .with_context(|| format!("verifying the lake {}", lake.display()))?;
    for file in &report.verified {
        let shown = file.path.strip_prefix(&lake).unwrap_or(&file.path);
        println!(
            "ok        {}  rows={} bytes={}",
            shown.display(),
            file.rows,
            file.bytes
        );
    }
    for problem in &report.problems {
        println!("MISMATCH  {problem}");
    }
    println!(
        "{} partitions, {} files verified, {} problems",
        report.partitions,
        report.files,
        report.problems.len()
    );
    if report.is_ok() {
        Ok(())
    } else {
        Err(anyhow::Error::new(exit::Integrity(format!(
            "{} file(s) do not match their manifest: restore them or retake those snapshots with --force",
            report.problems.len()
        ))))
    }
}

/// Takes the lake lock, creating the lake directory if needed.
pub(super) fn lock(lake: &Path, wait: bool) -> anyhow::Result<LakeLock> {
    std::fs::create_dir_all(lake).with_context(|| {
        format!(
            "creating the lake directory {} (check --lake / HUBTRENDS_LAKE)",
            lake.display()
        )
    })?;
    if wait {
        tracing::info!(lake = %lake.display(), "waiting for the lake lock if another run holds it");
    }
    Ok(LakeLock::acquire(lake, wait)?)
}

/// The snapshot stage, under a lock the caller holds.
fn take_snapshot(global: &GlobalArgs, args: &SnapshotArgs, lake: &Path) -> anyhow::Result<()> {
    let config = settings::snapshot_config(args, lake)?;
    let progress = SnapshotProgress::new(logging::progress_bars(global));
    let summary = super::runtime()?
        .block_on(hubtrends_ingest::snapshot(&config, &progress))
        .with_context(|| format!("snapshot of {} for {}", config.endpoint, config.date));
    progress.finish();
    let summary = summary?;
    tracing::info!(
        partition = %summary.partition.display(),
        models = summary.models,
        trending = summary.trending,
        quarantined = summary.quarantined,
        requests = summary.requests,
        retries = summary.retries,
        rate_limited = summary.rate_limited,
        resumed = summary.resumed,
        "snapshot written"
    );
    Ok(())
}

/// Whether a snapshot failed only because its date's partition is already complete.
fn partition_exists(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<hubtrends_ingest::IngestError>(),
            Some(hubtrends_ingest::IngestError::PartitionExists { .. })
        )
    })
}

/// The transform stage, under a lock the caller holds.
pub(super) fn build_marts(
    global: &GlobalArgs,
    lake: &Path,
    pipeline: Option<String>,
    library: Option<String>,
    full_rebuild: bool,
) -> anyhow::Result<()> {
    let config = hubtrends_transform::TransformConfig {
        lake: lake.to_path_buf(),
        registry: settings::registry(global)?,
        filter: hubtrends_transform::Filter { pipeline, library },
        full_rebuild,
    };
    let summary = hubtrends_transform::run(&config)
        .with_context(|| format!("building the marts in {}", lake.join("marts").display()))?;
    tracing::info!(
        days = summary.days,
        recomputed_days = summary.recomputed_days,
        marts = summary.marts.len(),
        dir = %summary.dir.display(),
        "marts written"
    );
    Ok(())
}

/// The report stage, under a lock the caller holds; returns the index.html path.
pub(super) fn build_report(lake: &Path, week: Option<String>) -> anyhow::Result<PathBuf> {
    let config = hubtrends_report::ReportConfig {
        lake: lake.to_path_buf(),
        week,
        tool_version: TOOL_VERSION.to_owned(),
    };
    let summary = hubtrends_report::build(&config).with_context(|| {
        format!(
            "writing the report under {}",
            lake.join("reports").display()
        )
    })?;
    tracing::info!(week = %summary.week, charts = summary.charts, tables = summary.tables, dir = %summary.dir.display(), "report written");
    // An absolute path, so the printed line opens from any directory.
    Ok(std::fs::canonicalize(&summary.index_html).unwrap_or(summary.index_html))
}
