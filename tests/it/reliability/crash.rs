//! Crashes: SIGKILL the stages at seeded random moments and at the named crash points of the
//! publication (`HUBTRENDS_CRASH_AT`, see RELIABILITY.md), then rerun without `--force`. There is
//! never a visible partial partition, marts directory or report, and the rerun's output equals
//! an uninterrupted run's, byte for byte.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::{
    DAY, KillOnDrop, Seeded, Sim, assert_no_partial_partition, ok, partition, snapshot, tables,
};
use crate::util::{files_below, hubtrends, run, streams};

/// Timed kills of the snapshot (paging, spilling, merging, writing, renaming).
const SNAPSHOT_KILLS: usize = 24;
/// Timed kills of transform and of report each.
const STAGE_KILLS: usize = 8;
const CRASH_ENV: &str = "HUBTRENDS_CRASH_AT";
const POINTS: [&str; 3] = ["before-publish", "between-swap", "after-publish"];

/// Spawns `cmd`, SIGKILLs it after `delay` unless it finished; returns whether it was killed.
fn kill_after(cmd: &mut Command, delay: Duration) -> bool {
    let mut child = KillOnDrop(
        cmd.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + delay;
    while Instant::now() < deadline {
        if child.0.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.0.kill().unwrap();
    child.0.wait().unwrap();
    true
}

/// Runs `cmd` with the crash point `point` armed; asserts the process aborted there.
fn crash_at(cmd: &mut Command, point: &str) {
    let output = run(cmd.env(CRASH_ENV, point));
    assert!(
        !output.status.success(),
        "crash point {point} was not reached\n{}",
        streams(&output)
    );
}

/// A rerun of a snapshot: succeeds, or refuses because the killed run had already published.
fn rerun_snapshot(lake: &Path, url: &str, context: &str) {
    let output = run(&mut snapshot(lake, url, &[]));
    let already = output.status.code() == Some(2)
        && String::from_utf8_lossy(&output.stderr).contains("already exists");
    assert!(
        output.status.success() || already,
        "{context}: rerun failed\n{}",
        streams(&output)
    );
}

/// Kills `rounds` snapshots twice each at seeded random moments, checking after every kill and
/// comparing each rerun with `baseline`; returns how many kills landed before the run ended.
fn timed_snapshot_kills(
    root: &Path,
    url: &str,
    rounds: usize,
    seed: u64,
    span: u64,
    baseline: &(Vec<u8>, Vec<u8>),
) -> usize {
    let mut rng = Seeded(seed);
    let mut killed = 0;
    for i in 0..rounds {
        let lake = root.join(format!("kill-{i}"));
        // A kill, a second kill of the resumed run, then a clean rerun.
        for _ in 0..2 {
            let delay = Duration::from_millis(rng.range(5, span + span / 4));
            killed += usize::from(kill_after(&mut snapshot(&lake, url, &[]), delay));
            assert_no_partial_partition(&lake, &format!("kill {i} after {delay:?}"));
        }
        rerun_snapshot(&lake, url, &format!("kill {i}"));
        assert!(
            tables(&lake) == *baseline,
            "kill {i}: the rerun differs from the uninterrupted run"
        );
        std::fs::remove_dir_all(&lake).unwrap();
    }
    eprintln!(
        "snapshot: {killed} timed kills landed over {} runs of ~{span} ms",
        2 * rounds
    );
    killed
}

/// The sim, an uninterrupted snapshot's tables and how long one takes (ms).
fn snapshot_baseline(root: &Path) -> (Sim, (Vec<u8>, Vec<u8>), u64) {
    let sim = Sim::start(&["--models", "20000", "--seed", "5", "--start", DAY]);
    // The fastest of three runs: the first pays for cold caches, and a span longer than a
    // typical run would time most kills after the run has already finished.
    let mut span = u64::MAX;
    for i in 0..3 {
        let lake = root.join(format!("baseline-{i}"));
        let started = Instant::now();
        ok(&mut snapshot(&lake, &sim.url, &[]));
        span = span.min(started.elapsed().as_millis() as u64);
    }
    (sim, tables(&root.join("baseline-0")), span)
}

/// The soak: many more kills. `cargo test --release -p hubtrends --test it soak -- --ignored`;
/// `HUBTRENDS_SOAK_ROUNDS` sets the rounds (default 250, i.e. 500 kills).
#[test]
#[ignore = "soak: minutes; run on demand"]
fn soak_a_killed_snapshot_many_times() {
    let temp = tempfile::tempdir().unwrap();
    let rounds = std::env::var("HUBTRENDS_SOAK_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(250);
    let (sim, baseline, span) = snapshot_baseline(temp.path());
    let killed = timed_snapshot_kills(temp.path(), &sim.url, rounds, 0x50a6, span, &baseline);
    assert!(killed >= rounds);
}

#[test]
fn a_killed_snapshot_never_shows_a_partial_partition_and_the_rerun_equals_an_uninterrupted_run() {
    let temp = tempfile::tempdir().unwrap();
    let (sim, baseline, span) = snapshot_baseline(temp.path());
    let killed = timed_snapshot_kills(
        temp.path(),
        &sim.url,
        SNAPSHOT_KILLS,
        0x5eed,
        span,
        &baseline,
    );
    // Most first kills land; a resumed second run is shorter and often ends before its kill.
    assert!(
        killed >= SNAPSHOT_KILLS * 3 / 4,
        "too few kills landed before the run finished ({killed})"
    );

    // The publication steps, fresh and with --force over an existing partition.
    for point in POINTS {
        for force in [false, true] {
            if !force && point == "between-swap" {
                continue; // nothing to swap with
            }
            let lake = temp.path().join(format!("{point}-{force}"));
            let context = format!("{point} force={force}");
            if force {
                ok(&mut snapshot(&lake, &sim.url, &[]));
            }
            let before = force.then(|| tables(&lake));
            let flags: &[&str] = if force { &["--force"] } else { &[] };
            crash_at(&mut snapshot(&lake, &sim.url, flags), point);
            assert_no_partial_partition(&lake, &context);
            match before {
                // Replacing: the date is never missing, it holds the old or the new partition.
                Some(old) => assert!(
                    partition(&lake).is_dir()
                        && (tables(&lake) == old || tables(&lake) == baseline),
                    "{context}"
                ),
                None => rerun_snapshot(&lake, &sim.url, &context),
            }
            assert!(
                tables(&lake) == baseline,
                "{context}: differs from the uninterrupted run"
            );
        }
    }
}

/// A lake of simulated snapshots with no HTTP (fast), and a copy of it transformed and reported
/// without interruption.
struct Lakes {
    _temp: tempfile::TempDir,
    root: PathBuf,
    pristine: PathBuf,
    baseline: PathBuf,
}

fn copy(from: &Path, to: &Path) {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success());
}

fn lakes() -> Lakes {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().to_path_buf();
    let pristine = root.join("pristine");
    ok(hubtrends(&pristine).args([
        "-q",
        "sim",
        "lake",
        "--days",
        "9",
        "--models",
        "1500",
        "--start",
        "2026-10-05",
    ]));
    let baseline = root.join("baseline");
    copy(&pristine, &baseline);
    ok(hubtrends(&baseline).args(["-q", "transform"]));
    ok(hubtrends(&baseline).args(["-q", "report"]));
    Lakes {
        _temp: temp,
        root,
        pristine,
        baseline,
    }
}

/// The marts directory is absent or complete: every file its manifest lists, with its hash.
fn assert_marts_whole(lake: &Path, context: &str) {
    let marts = lake.join("marts");
    if !marts.exists() {
        return;
    }
    let bytes = std::fs::read(marts.join("_manifest.json"))
        .unwrap_or_else(|e| panic!("{context}: marts without manifest: {e}"));
    let manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    for mart in manifest["marts"].as_array().unwrap() {
        let file = marts.join(mart["file"].as_str().unwrap());
        assert!(
            file.is_file(),
            "{context}: {} listed but missing",
            file.display()
        );
    }
}

/// Every mart file's bytes, by name.
fn mart_bytes(lake: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_below(&lake.join("marts"))
        .into_iter()
        .map(|p| {
            (
                p.strip_prefix(lake).unwrap().to_path_buf(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// `reports/latest` resolves, and every week directory holds its index.html and tables.
fn assert_reports_whole(lake: &Path, context: &str) {
    let reports = lake.join("reports");
    let Ok(entries) = std::fs::read_dir(&reports) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "latest" {
            assert!(
                path.join("index.html").is_file(),
                "{context}: latest points nowhere"
            );
        } else if !name.starts_with('.') {
            assert!(
                path.join("index.html").is_file() && path.join("tables").is_dir(),
                "{context}: partial report {name}"
            );
        }
    }
}

/// The report's tables (deterministic), by relative path.
fn report_tables(lake: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_below(&lake.join("reports"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "csv" || e == "md"))
        .map(|p| {
            (
                p.strip_prefix(lake).unwrap().to_path_buf(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn killed_transforms_and_reports_publish_whole_outputs_and_reruns_match() {
    let l = lakes();
    let marts = mart_bytes(&l.baseline);
    let reports = report_tables(&l.baseline);
    assert!(!marts.is_empty() && !reports.is_empty());
    let time = |args: &[&str], lake: &Path| {
        let started = Instant::now();
        ok(hubtrends(lake).arg("-q").args(args));
        started.elapsed().as_millis() as u64
    };
    let probe = l.root.join("probe");
    copy(&l.pristine, &probe);
    let transform_ms = time(&["transform"], &probe);
    let report_ms = time(&["report"], &probe);

    let mut rng = Seeded(0xc0ffee);
    let mut killed = 0;
    for i in 0..STAGE_KILLS {
        let lake = l.root.join(format!("t{i}"));
        copy(&l.pristine, &lake);
        // Odd rounds replace existing marts and reports, even ones write the first.
        if i % 2 == 1 {
            ok(hubtrends(&lake).args(["-q", "transform"]));
            ok(hubtrends(&lake).args(["-q", "report"]));
        }
        let context = format!("transform kill {i}");
        killed += usize::from(kill_after(
            hubtrends(&lake).args(["-q", "transform"]),
            Duration::from_millis(rng.range(5, transform_ms)),
        ));
        assert_marts_whole(&lake, &context);
        ok(hubtrends(&lake).args(["-q", "transform"]));
        assert!(
            mart_bytes(&lake) == marts,
            "{context}: marts differ from the uninterrupted run"
        );

        let context = format!("report kill {i}");
        killed += usize::from(kill_after(
            hubtrends(&lake).args(["-q", "report"]),
            Duration::from_millis(rng.range(5, report_ms)),
        ));
        assert_reports_whole(&lake, &context);
        ok(hubtrends(&lake).args(["-q", "report"]));
        assert!(
            report_tables(&lake) == reports,
            "{context}: report differs from the uninterrupted run"
        );
        std::fs::remove_dir_all(&lake).unwrap();
    }
    eprintln!(
        "transform/report: {killed} of {} timed kills landed",
        2 * STAGE_KILLS
    );
    assert!(killed >= STAGE_KILLS, "too few kills landed ({killed})");

    // Named points, on a first publication and on a replacement.
    let mut points = 0;
    for (stage, names) in [
        ("transform", &POINTS[..]),
        (
            "report",
            &[&POINTS[..], &["before-symlink-swap"]].concat()[..],
        ),
    ] {
        for point in names {
            for replace in [false, true] {
                let lake = l.root.join(format!("{stage}-{point}-{replace}"));
                copy(&l.pristine, &lake);
                if replace || stage == "report" {
                    ok(hubtrends(&lake).args(["-q", "transform"]));
                }
                if replace && stage == "report" {
                    ok(hubtrends(&lake).args(["-q", "report"]));
                }
                if !replace && *point == "between-swap" {
                    continue; // no old version to swap with
                }
                let context = format!("{stage} at {point}, replace={replace}");
                crash_at(hubtrends(&lake).args(["-q", stage]), point);
                points += 1;
                assert_marts_whole(&lake, &context);
                assert_reports_whole(&lake, &context);
                if replace {
                    let present = if stage == "transform" {
                        lake.join("marts/_manifest.json")
                    } else {
                        lake.join("reports/latest/index.html")
                    };
                    assert!(
                        present.is_file(),
                        "{context}: the previous version vanished"
                    );
                }
                ok(hubtrends(&lake).args(["-q", stage]));
                assert!(mart_bytes(&lake) == marts, "{context}: marts differ");
                if stage == "report" {
                    assert!(report_tables(&lake) == reports, "{context}: report differs");
                }
                let staging: Vec<_> = std::fs::read_dir(lake.join(".staging"))
                    .unwrap()
                    .flatten()
                    .map(|e| e.file_name())
                    .filter(|n| {
                        n.to_string_lossy().starts_with(if stage == "transform" {
                            "marts-"
                        } else {
                            "report-"
                        })
                    })
                    .collect();
                assert!(
                    staging.is_empty(),
                    "{context}: leftovers in .staging after the rerun: {staging:?}"
                );
            }
        }
    }
    eprintln!("transform/report: {points} named crash points");
}
