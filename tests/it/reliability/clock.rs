//! Clock: a partition is never overwritten by a run with another `--date` or a skewed clock,
//! and a `--date` in the future is refused before anything is written.

use super::{DAY, Sim, manifest, ok, partition, snapshot, tables, tree};
use crate::util::{hubtrends, run, streams};

#[test]
fn a_date_partition_is_only_ever_written_by_its_own_date_and_never_overwritten() {
    let temp = tempfile::tempdir().unwrap();
    let lake = temp.path().join("lake");
    let sim = Sim::start(&["--models", "1500", "--seed", "2", "--start", DAY]);
    ok(&mut snapshot(&lake, &sim.url, &[]));
    let first = tables(&lake);
    let first_manifest = manifest(&lake);

    // Another date (a clock a day off, or a wrong --date) writes its own partition only.
    let output = run(hubtrends(&lake).args([
        "-q",
        "snapshot",
        "--endpoint",
        &sim.url,
        "--date",
        "2026-10-08",
    ]));
    assert!(output.status.success(), "{}", streams(&output));
    assert!(
        tables(&lake) == first && manifest(&lake) == first_manifest,
        "another date touched date={DAY}"
    );
    assert!(
        lake.join("snapshots/date=2026-10-08/_manifest.json")
            .is_file()
    );

    // The same date again, without --force: refused with code 2, partition untouched.
    let output = run(&mut snapshot(&lake, &sim.url, &[]));
    assert_eq!(output.status.code(), Some(2), "{}", streams(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains(&*partition(&lake).to_string_lossy()));
    assert!(tables(&lake) == first && manifest(&lake) == first_manifest);

    // A date in the future (a clock running ahead) is refused before anything is written.
    let before = tree(&lake);
    for date in [
        "2999-01-01",
        &(chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string(),
    ] {
        let output =
            run(hubtrends(&lake).args(["-q", "snapshot", "--endpoint", &sim.url, "--date", date]));
        assert_eq!(output.status.code(), Some(2), "{}", streams(&output));
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("future"),
            "{}",
            streams(&output)
        );
    }
    assert_eq!(tree(&lake), before, "a refused run wrote something");

    // Each partition's rows carry its own date, whatever the wall clock says.
    let m = manifest(&lake);
    assert_eq!(m["snapshot_date"], DAY);
}

#[test]
fn a_rerun_of_the_same_day_keeps_the_snapshot_and_rebuilds_marts_and_report() {
    // Cron reruns `run` after a failed transform or report; the day's partition is already
    // whole, so the rerun must keep it untouched and still finish the later stages.
    let temp = tempfile::tempdir().unwrap();
    let lake = temp.path().join("lake");
    let sim = Sim::start(&["--models", "1500", "--seed", "4", "--start", DAY]);
    ok(&mut snapshot(&lake, &sim.url, &[]));
    let first = tables(&lake);
    let first_manifest = manifest(&lake);
    assert!(!lake.join("marts").exists());

    let output = ok(hubtrends(&lake).args(["-q", "run", "--endpoint", &sim.url, "--date", DAY]));
    assert!(
        tables(&lake) == first && manifest(&lake) == first_manifest,
        "the rerun touched date={DAY}"
    );
    let index = String::from_utf8(output.stdout).unwrap();
    assert!(
        std::path::Path::new(index.trim_end()).is_file(),
        "run printed {index:?}"
    );
    assert!(lake.join("marts").is_dir());
}
