//! Secrets: the token appears in no file the pipeline wrote and in no log line, even at `-vv`.

use super::{DAY, Sim};
use crate::util::{files_below, hubtrends, run, streams};

const TOKEN: &str = "hf_reliabilitySecretToken0123456789abcdef";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_token_is_in_no_written_file_and_no_log_line_at_vv() {
    let temp = tempfile::tempdir().unwrap();
    let token_file = temp.path().join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let token_path = token_file.to_string_lossy().into_owned();
    // The simulator requires the token: a run that did not send it would fail with 401.
    let sim = Sim::start(&[
        "--models",
        "1500",
        "--seed",
        "6",
        "--start",
        DAY,
        "--token-file",
        &token_path,
    ]);
    let lake = temp.path().join("lake");
    let mut logs = Vec::new();
    for (i, args) in [
        vec![
            "-vv",
            "run",
            "--endpoint",
            &sim.url,
            "--date",
            DAY,
            "--token-file",
            &token_path,
        ],
        vec![
            "-vv",
            "--log-format",
            "json",
            "snapshot",
            "--endpoint",
            &sim.url,
            "--date",
            "2026-10-08",
        ],
    ]
    .into_iter()
    .enumerate()
    {
        let mut cmd = hubtrends(&lake);
        if i == 1 {
            cmd.env("HF_TOKEN", TOKEN); // the other way to pass it
        }
        let output = run(cmd.args(&args));
        assert!(output.status.success(), "{}", streams(&output));
        // -vv must really log at debug level, or the check would be vacuous.
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("DEBUG"),
            "{}",
            streams(&output)
        );
        logs.push(output.stdout);
        logs.push(output.stderr);
    }
    // A wrong token must be refused: proves the token was really sent and checked.
    let bad = temp.path().join("bad");
    std::fs::write(&bad, "hf_wrong").unwrap();
    let output = run(hubtrends(&temp.path().join("other"))
        .args([
            "-vv",
            "snapshot",
            "--endpoint",
            &sim.url,
            "--date",
            DAY,
            "--max-retries",
            "0",
            "--token-file",
        ])
        .arg(&bad));
    assert!(!output.status.success(), "{}", streams(&output));
    logs.push(output.stderr);

    for (i, log) in logs.iter().enumerate() {
        assert!(
            !contains(log, TOKEN.as_bytes()),
            "log stream {i} contains the token"
        );
    }
    let files = files_below(temp.path());
    assert!(files.iter().any(|f| f.ends_with("_manifest.json")) && files.len() > 20);
    for file in files.iter().filter(|f| **f != token_file) {
        let bytes = std::fs::read(file).unwrap();
        assert!(
            !contains(&bytes, TOKEN.as_bytes()),
            "{} contains the token",
            file.display()
        );
    }
}
