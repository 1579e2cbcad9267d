//! The command line as a user meets it: help, bad input, exit codes, the lock, the token.

use std::net::TcpListener;

use crate::util::{hubtrends, run, streams};

#[test]
fn help_teaches_the_commands_and_the_exit_codes() {
    let temp = tempfile::tempdir().unwrap();
    let output = run(hubtrends(temp.path()).arg("--help"));
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for word in [
        "demo",
        "snapshot",
        "transform",
        "report",
        "run",
        "verify",
        "sim",
        "orgs",
        "Exit codes",
        "HUBTRENDS_LAKE",
        "Examples",
    ] {
        assert!(help.contains(word), "--help lacks {word:?}:\n{help}");
    }
}

#[test]
fn a_malformed_date_exits_2_and_names_the_flag() {
    let temp = tempfile::tempdir().unwrap();
    let output = run(hubtrends(temp.path()).args([
        "snapshot",
        "--date",
        "22/11/2026",
        "--endpoint",
        "http://127.0.0.1:9",
    ]));
    assert_eq!(output.status.code(), Some(2), "{}", streams(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--date") && stderr.contains("YYYY-MM-DD"),
        "{stderr}"
    );
    assert!(
        !temp.path().join("snapshots").exists(),
        "nothing written on bad input"
    );
}

#[test]
fn a_future_date_is_refused() {
    let temp = tempfile::tempdir().unwrap();
    let output = run(hubtrends(temp.path()).args([
        "snapshot",
        "--date",
        "2999-01-01",
        "--endpoint",
        "http://127.0.0.1:9",
    ]));
    assert_eq!(output.status.code(), Some(2), "{}", streams(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("future"));
}

#[test]
fn an_unreachable_hub_exits_4_naming_the_url_and_writes_no_partition() {
    let temp = tempfile::tempdir().unwrap();
    // A port that was just free on loopback: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{port}");
    let output = run(hubtrends(temp.path()).args([
        "snapshot",
        "--endpoint",
        &endpoint,
        "--max-retries",
        "1",
        "--date",
        "2026-11-01",
    ]));
    assert_eq!(output.status.code(), Some(4), "{}", streams(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(&format!("127.0.0.1:{port}")),
        "{}",
        streams(&output)
    );
    assert!(!temp.path().join("snapshots/date=2026-11-01").exists());
}

#[test]
fn a_held_lock_exits_3() {
    let temp = tempfile::tempdir().unwrap();
    let _held = hubtrends_ingest::LakeLock::acquire(temp.path(), false).unwrap();
    let output = run(hubtrends(temp.path()).args(["transform"]));
    assert_eq!(output.status.code(), Some(3), "{}", streams(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .to_lowercase()
            .contains("lock"),
        "{}",
        streams(&output)
    );
}

#[test]
fn a_malformed_orgs_overlay_exits_2_naming_the_file() {
    let temp = tempfile::tempdir().unwrap();
    let overlay = temp.path().join("extra.csv");
    std::fs::write(
        &overlay,
        "namespace,org,parent,country,kind,evidence\nacme,Acme,,ZZZ,company,own site\n",
    )
    .unwrap();
    let output = run(hubtrends(temp.path())
        .args(["orgs", "list", "--orgs"])
        .arg(&overlay));
    assert_eq!(output.status.code(), Some(2), "{}", streams(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("extra.csv"),
        "{}",
        streams(&output)
    );
}

#[test]
fn an_orgs_overlay_adds_rows() {
    let temp = tempfile::tempdir().unwrap();
    let overlay = temp.path().join("extra.csv");
    std::fs::write(&overlay, "namespace,org,parent,country,kind,evidence\nacme-ai,Acme AI,,FR,company,acme.example about page\n").unwrap();
    let output = run(hubtrends(temp.path())
        .args(["orgs", "list", "--orgs"])
        .arg(&overlay));
    assert!(output.status.success(), "{}", streams(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("acme-ai,Acme AI,,FR,company")),
        "{stdout}"
    );
    assert!(
        stdout.lines().any(|l| l.starts_with("Qwen,")),
        "built-in rows stay"
    );
}
