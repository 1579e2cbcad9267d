//! Benchmarks (ignored by default): a full snapshot's time, requests and peak RSS.
//!
//! `HUBTRENDS_BENCH_MODELS=3000000 cargo test --release -p hubtrends-ingest --test it
//! full_snapshot -- --ignored --nocapture` serves the population from a child process (this test
//! binary re-run as `bench_server`), so the peak RSS printed is the ingest's alone; or point
//! `HUBTRENDS_BENCH_ENDPOINT` at any server (`hubtrends sim serve`).

use std::io::BufRead;
use std::process::{Command, Stdio};
use std::time::Instant;

use hubtrends_ingest::{NoProgress, SnapshotConfig, snapshot};

use crate::common::*;

/// Peak resident set size of this process, from /proc (Linux), in MiB.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: set HUBTRENDS_BENCH_MODELS or HUBTRENDS_BENCH_ENDPOINT"]
async fn full_snapshot_time_and_peak_rss() {
    let lake = tempfile::tempdir().unwrap();
    let (endpoint, mut child) = match std::env::var("HUBTRENDS_BENCH_ENDPOINT") {
        Ok(url) => (url, None),
        Err(_) => {
            let mut child = Command::new(std::env::current_exe().unwrap())
                .args([
                    "bench_server",
                    "--ignored",
                    "--exact",
                    "bench::bench_server",
                ])
                .arg("--nocapture")
                .env("HUBTRENDS_BENCH_SERVE", "1")
                .stdout(Stdio::piped())
                .stdin(Stdio::piped())
                .spawn()
                .unwrap();
            let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
            let url = lines
                .by_ref()
                .map(Result::unwrap)
                .find_map(|l| l.strip_prefix("BENCH_URL ").map(str::to_owned))
                .unwrap();
            // Keep draining, or the child dies of a broken pipe on its next line.
            std::thread::spawn(move || lines.for_each(drop));
            (url, Some(child))
        }
    };
    let rss_before = peak_rss_mib();
    let mut c = SnapshotConfig::new(endpoint.parse().unwrap(), date(), lake.path().to_owned());
    if let Ok(d) = std::env::var("HUBTRENDS_BENCH_DATE") {
        c.date = d.parse().unwrap();
    }
    let started = Instant::now();
    let summary = snapshot(&c, &NoProgress).await.unwrap();
    let took = started.elapsed().as_secs_f64();
    eprintln!(
        "{} models in {took:.1}s ({:.0} models/s), {} requests, {} retries, {} 429s; \
         peak RSS {:.0} MiB (before the snapshot: {:.0} MiB; the server runs in another process)",
        summary.models,
        summary.models as f64 / took,
        summary.requests,
        summary.retries,
        summary.rate_limited,
        peak_rss_mib().unwrap_or(f64::NAN),
        rss_before.unwrap_or(f64::NAN),
    );
    if let Some(child) = child.as_mut() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// The child process of the benchmark: serves `HUBTRENDS_BENCH_MODELS` models until killed.
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
#[ignore = "started by full_snapshot_time_and_peak_rss"]
async fn bench_server() {
    if std::env::var("HUBTRENDS_BENCH_SERVE").is_err() {
        return;
    }
    let models = std::env::var("HUBTRENDS_BENCH_MODELS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let server = serve(sim(models), |_| {}).await;
    println!("BENCH_URL {}", server.url());
    std::future::pending::<()>().await;
}
