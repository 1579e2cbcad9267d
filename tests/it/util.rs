//! Running the binary and reading what it wrote.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `hubtrends` binary under test, with a clean environment for the variables it reads.
pub fn hubtrends(lake: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hubtrends"));
    cmd.arg("--lake").arg(lake);
    for var in [
        "HUBTRENDS_LAKE",
        "HUBTRENDS_ORGS",
        "HF_ENDPOINT",
        "HF_TOKEN",
        "HUBTRENDS_LOG",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// Runs a command, returning its output; panics with both streams if it could not start.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the hubtrends binary runs")
}

/// Standard output and error as one string, for assertion messages.
pub fn streams(output: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Every file below `dir`, recursively, sorted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
