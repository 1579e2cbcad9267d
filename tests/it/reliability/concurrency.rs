//! Concurrency: two runs on one lake. The second exits 3 naming the lock (or waits with
//! `--wait`); a lock left by a SIGKILLed run does not block the next one; nothing is corrupted.

use std::process::Stdio;
use std::time::{Duration, Instant};

use super::{DAY, KillOnDrop, Sim, assert_no_partial_partition, ok, snapshot, tables};
use crate::util::{hubtrends, run, streams};

/// `hubtrends run` of [`DAY`] from `endpoint`.
fn pipeline(lake: &std::path::Path, endpoint: &str, extra: &[&str]) -> std::process::Command {
    let mut cmd = hubtrends(lake);
    cmd.args(["-q", "run", "--endpoint", endpoint, "--date", DAY])
        .args(extra);
    cmd
}

#[test]
fn a_second_run_is_refused_with_code_3_or_waits_and_a_killed_holder_leaves_no_stale_lock() {
    let temp = tempfile::tempdir().unwrap();
    let lake = temp.path().join("lake");
    let sim_args = ["--models", "3000", "--seed", "8", "--start", DAY];
    // Every response of this one takes 1.5 s: the holder keeps the lock for a while.
    let slow = Sim::start(&[&sim_args[..], &["--fault-rate", "1", "--faults", "slow"]].concat());
    let fast = Sim::start(&sim_args);
    let reference = temp.path().join("reference");
    ok(&mut snapshot(&reference, &fast.url, &[]));

    let mut holder = KillOnDrop(
        pipeline(&lake, &slow.url, &[])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // Wait until the holder has the lock: it writes its pid into the lock file once it holds it.
    let pid = format!("pid {} ", holder.0.id());
    let deadline = Instant::now() + Duration::from_secs(10);
    while !std::fs::read_to_string(lake.join(".hubtrends.lock")).is_ok_and(|s| s.starts_with(&pid))
    {
        assert!(Instant::now() < deadline, "the holder never took the lock");
        std::thread::sleep(Duration::from_millis(10));
    }
    let refused = run(&mut pipeline(&lake, &fast.url, &[]));
    assert_eq!(
        refused.status.code(),
        Some(3),
        "a second run was not refused\n{}",
        streams(&refused)
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("locked")
            && stderr.contains("--wait")
            && stderr.contains(&*lake.to_string_lossy()),
        "{stderr}"
    );

    // A waiter blocks while the holder lives...
    let mut waiter = KillOnDrop(
        pipeline(&lake, &fast.url, &["--wait"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        waiter.0.try_wait().unwrap().is_none(),
        "--wait did not wait for the holder"
    );
    // ...and proceeds once the holder is SIGKILLed: its lock dies with it, no stale lock.
    holder.0.kill().unwrap();
    holder.0.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = waiter.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the waiter never finished");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        status.success(),
        "the waiting run failed after the holder was killed"
    );
    assert!(
        lake.join(".hubtrends.lock").exists(),
        "the lock file stays; the OS lock is what counts"
    );
    assert_no_partial_partition(&lake, "after the waiter");
    assert!(
        tables(&lake) == tables(&reference),
        "the lake holds other data than an undisturbed snapshot"
    );
    assert!(
        lake.join("marts/_manifest.json").is_file()
            && lake.join("reports/latest/index.html").is_file()
    );

    // A lock file whose holder is gone (garbage inside) does not block either.
    std::fs::write(lake.join(".hubtrends.lock"), "pid 999999 started long ago").unwrap();
    ok(hubtrends(&lake).args(["-q", "transform"]));
}
