//! The reliability suite (issue 8): faults, crashes, concurrency, bad input, disk, clock and
//! secrets, each against the real binary and a simulated Hub on 127.0.0.1. RELIABILITY.md
//! tabulates what each test tries and what it found.

mod clock;
mod concurrency;
mod crash;
mod disk;
mod faults;
mod hostile;
mod secrets;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use crate::util::{hubtrends, run, streams};

/// The simulated day every test snapshots (in the past, so `--date` accepts it).
pub const DAY: &str = "2026-10-07";

/// A `hubtrends sim serve` child process, killed when dropped.
pub struct Sim {
    child: Child,
    /// The server's base URL (`http://127.0.0.1:PORT`).
    pub url: String,
}

impl Sim {
    /// Starts `sim serve --port 0` with `args` and waits for the URL on its first stdout line.
    pub fn start(args: &[&str]) -> Sim {
        let scratch = tempfile::tempdir().unwrap();
        let mut child = hubtrends(scratch.path())
            .args(["sim", "serve", "--port", "0", "-q"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let url = line.trim().to_owned();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "sim serve printed {line:?}"
        );
        Sim { child, url }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A spawned child killed (SIGKILL) and reaped when dropped, whatever the test did.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `hubtrends snapshot` of [`DAY`] from `endpoint` into `lake`, with `extra` flags.
pub fn snapshot(lake: &Path, endpoint: &str, extra: &[&str]) -> Command {
    let mut cmd = hubtrends(lake);
    cmd.args(["-q", "snapshot", "--endpoint", endpoint, "--date", DAY]);
    cmd.args(extra);
    cmd
}

/// Runs a command and asserts it succeeded.
pub fn ok(cmd: &mut Command) -> Output {
    let output = run(cmd);
    assert!(output.status.success(), "{}", streams(&output));
    output
}

/// `{lake}/snapshots/date=DAY`.
pub fn partition(lake: &Path) -> PathBuf {
    lake.join("snapshots").join(format!("date={DAY}"))
}

/// The bytes of the partition's Parquet files (models, trending).
pub fn tables(lake: &Path) -> (Vec<u8>, Vec<u8>) {
    let p = partition(lake);
    (
        std::fs::read(p.join("models.parquet")).unwrap(),
        std::fs::read(p.join("trending.parquet")).unwrap(),
    )
}

/// The partition's manifest.
pub fn manifest(lake: &Path) -> serde_json::Value {
    let bytes = std::fs::read(partition(lake).join("_manifest.json")).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Asserts every visible partition of the lake is complete: manifest present and `verify` clean.
pub fn assert_no_partial_partition(lake: &Path, context: &str) {
    let Ok(entries) = std::fs::read_dir(lake.join("snapshots")) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        assert!(
            path.join("_manifest.json").is_file(),
            "{context}: {} has no manifest",
            path.display()
        );
    }
    let output = run(hubtrends(lake).args(["-q", "verify"]));
    assert!(
        output.status.success(),
        "{context}: verify failed\n{}",
        streams(&output)
    );
}

/// A small deterministic generator (splitmix64) for seeded kill delays.
pub struct Seeded(pub u64);

impl Seeded {
    /// The next number in `[lo, hi)`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        lo + z % (hi - lo).max(1)
    }
}

/// Every path below `dir` (files and directories), relative, sorted: a tree to compare.
pub fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            out.push(path.strip_prefix(dir).unwrap().to_path_buf());
            if path.is_dir() && !path.is_symlink() {
                stack.push(path);
            }
        }
    }
    out.sort();
    out
}
