//! Disk: a full disk and a read-only lake fail with a clear message naming the path, exit
//! non-zero, and leave the previous snapshots intact. Needs `mount -t tmpfs` (root); skips with
//! a message where mounting is not permitted.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{DAY, Sim, assert_no_partial_partition, ok, snapshot, tables};
use crate::util::{hubtrends, run, streams};

/// A tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .ok()?;
        if output.status.success() {
            Some(Tmpfs(dir.to_path_buf()))
        } else {
            eprintln!(
                "skipping: cannot mount a tmpfs here ({})",
                String::from_utf8_lossy(&output.stderr).trim()
            );
            None
        }
    }

    fn remount_read_only(&self) -> bool {
        Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

const NEXT_DAY: &str = "2026-10-08";

/// A failed snapshot of [`NEXT_DAY`]: non-zero, names `needle` and a path in the lake.
fn assert_fails_clearly(lake: &Path, url: &str, needle: &str) {
    let output =
        run(hubtrends(lake).args(["-q", "snapshot", "--endpoint", url, "--date", NEXT_DAY]));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{}", streams(&output));
    assert!(
        stderr.contains(needle) && stderr.contains(&*lake.to_string_lossy()),
        "unclear message: {}",
        streams(&output)
    );
    assert!(
        !lake.join(format!("snapshots/date={NEXT_DAY}")).exists(),
        "a failed run published a partition"
    );
}

#[test]
fn a_full_disk_fails_clearly_and_keeps_the_previous_snapshot() {
    let temp = tempfile::tempdir().unwrap();
    let Some(fs) = Tmpfs::mount(&temp.path().join("mnt"), "4m") else {
        return;
    };
    let lake = fs.0.join("lake");
    let sim = Sim::start(&["--models", "3000", "--seed", "4", "--start", DAY]);
    ok(&mut snapshot(&lake, &sim.url, &[]));
    let before = tables(&lake);
    // Fill what is left, so the next snapshot's spill or Parquet write hits ENOSPC.
    let filler = fs.0.join("filler");
    let _ = Command::new("dd")
        .args(["if=/dev/zero", "bs=64k"])
        .arg(format!("of={}", filler.display()))
        .output();
    assert_fails_clearly(&lake, &sim.url, "No space left");
    assert!(tables(&lake) == before, "the previous snapshot changed");
    std::fs::remove_file(&filler).unwrap();
    assert_no_partial_partition(&lake, "after ENOSPC");
    // With room again the same command succeeds (leftovers of the failed run do not block it).
    ok(hubtrends(&lake).args(["-q", "snapshot", "--endpoint", &sim.url, "--date", NEXT_DAY]));
}

#[test]
fn a_read_only_lake_fails_clearly_and_keeps_the_previous_snapshot() {
    let temp = tempfile::tempdir().unwrap();
    let Some(fs) = Tmpfs::mount(&temp.path().join("mnt"), "16m") else {
        return;
    };
    let lake = fs.0.join("lake");
    let sim = Sim::start(&["--models", "1500", "--seed", "4", "--start", DAY]);
    ok(&mut snapshot(&lake, &sim.url, &[]));
    let before = tables(&lake);
    if !fs.remount_read_only() {
        eprintln!("skipping: cannot remount the tmpfs read-only");
        return;
    }
    assert_fails_clearly(&lake, &sim.url, "Read-only file system");
    assert!(tables(&lake) == before, "the previous snapshot changed");
    assert_no_partial_partition(&lake, "read-only lake");
    for stage in ["transform", "report"] {
        let output = run(hubtrends(&lake).args(["-q", stage]));
        assert!(
            !output.status.success(),
            "{stage} succeeded on a read-only lake\n{}",
            streams(&output)
        );
        assert!(
            String::from_utf8_lossy(&output.stderr).contains(&*lake.to_string_lossy()),
            "{stage}: {}",
            streams(&output)
        );
    }
}
