//! `demo`: a simulated Hub on loopback -> one snapshot per simulated day -> marts -> report.

use std::path::Path;

use anyhow::Context as _;
use chrono::{Days, NaiveDate};
use hubtrends_hubsim::{ServerConfig, SimConfig};
use hubtrends_ingest::{Scope, SnapshotConfig};

use super::pipeline::{build_marts, build_report, lock};
use crate::cli::{DemoArgs, GlobalArgs};
use crate::progress::SnapshotProgress;
use crate::settings::{self, DEFAULT_DEMO_LAKE, TOOL_VERSION, bad_input};

/// Marks a directory as a demo lake, so a rerun may clear it and a real lake is never touched.
const DEMO_MARKER: &str = ".hubtrends-demo";

/// Runs the whole pipeline offline against the simulator and prints the report's index.html.
pub fn demo(global: &GlobalArgs, args: &DemoArgs) -> anyhow::Result<()> {
    let lake = settings::lake(global, DEFAULT_DEMO_LAKE);
    let start = match &args.start {
        Some(value) => settings::parse_date("--start", value)?,
        None => settings::today() - Days::new(u64::from(args.days) - 1),
    };
    let end = settings::last_simulated_day(start, args.days)?;
    prepare_demo_lake(&lake)?;
    let _lock = lock(&lake, false)?;
    tracing::info!(lake = %lake.display(), %start, %end, models = args.models, seed = args.seed, "demo: simulated Hub -> lake -> report");

    let sim = SimConfig {
        seed: args.seed,
        models: args.models,
        start_date: start,
    };
    let progress = SnapshotProgress::new(crate::logging::progress_bars(global));
    super::runtime()?.block_on(async {
        let server = hubtrends_hubsim::start(ServerConfig { sim, date: start, ..ServerConfig::default() }, 0)
            .await
            .context("starting the simulated Hub on 127.0.0.1")?;
        let endpoint = settings::parse_endpoint(&server.url())?;
        for offset in 0..args.days {
            let date = start + Days::new(u64::from(offset));
            server.set_date(date);
            let config = demo_snapshot_config(endpoint.clone(), date, &lake);
            let summary = hubtrends_ingest::snapshot(&config, &progress)
                .await
                .with_context(|| format!("demo snapshot for {date} from {endpoint}"))?;
            tracing::info!(%date, models = summary.models, trending = summary.trending, "demo: day snapshotted");
        }
        server.shutdown().await;
        anyhow::Ok(())
    })?;
    progress.finish();
    build_marts(global, &lake, None, None, false)?;
    let index = build_report(&lake, None)?;
    tracing::info!("demo done: open the report in a browser");
    println!("{}", index.display());
    Ok(())
}

fn demo_snapshot_config(endpoint: url::Url, date: NaiveDate, lake: &Path) -> SnapshotConfig {
    let mut config = SnapshotConfig::new(endpoint, date, lake.to_path_buf());
    config.scope = Scope::Full;
    // A rerun of the demo replaces its own days.
    config.force = true;
    config.min_backoff = std::time::Duration::from_millis(50);
    config.max_backoff = std::time::Duration::from_secs(5);
    config.tool_version = TOOL_VERSION.to_owned();
    config
}

/// Clears an earlier demo lake, creates a new one, and refuses any other non-empty directory.
fn prepare_demo_lake(lake: &Path) -> anyhow::Result<()> {
    let marker = lake.join(DEMO_MARKER);
    if lake.exists() {
        let empty = std::fs::read_dir(lake)
            .with_context(|| format!("reading {}", lake.display()))?
            .next()
            .is_none();
        if !empty && !marker.exists() {
            return Err(bad_input(format!(
                "{} is not empty and is not a demo lake: the demo clears its lake, so give it its own with --lake DIR",
                lake.display()
            )));
        }
        for dir in ["snapshots", "marts", "reports", ".staging"] {
            let path = lake.join(dir);
            if path.exists() {
                std::fs::remove_dir_all(&path)
                    .with_context(|| format!("clearing the old demo {}", path.display()))?;
            }
        }
    }
    std::fs::create_dir_all(lake)
        .with_context(|| format!("creating the demo lake {}", lake.display()))?;
    std::fs::write(
        &marker,
        "This directory is a hubtrends demo lake; `hubtrends demo` clears it.\n",
    )
    .with_context(|| format!("writing {}", marker.display()))?;
    Ok(())
}
