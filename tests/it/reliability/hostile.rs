//! Bad input from the server: wrong types, missing fields, huge and negative numbers, ids with
//! `../`, HTML or control characters, deeply nested JSON, non-UTF-8, an enormous page. No panic;
//! bad records are quarantined and counted; nothing is written outside the lake.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

use serde_json::{Value, json};

use super::{DAY, manifest, partition, snapshot, tree};
use crate::util::{hubtrends, run, streams};

/// A loopback HTTP server answering `/api/trending` with `trending` and anything else with
/// `models`, one response per connection; the thread ends with the test process.
fn serve(models: Vec<u8>, trending: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (models, trending) = (Arc::new(models), Arc::new(trending));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (models, trending) = (Arc::clone(&models), Arc::clone(&trending));
            std::thread::spawn(move || respond(stream, &models, &trending));
        }
    });
    url
}

fn respond(mut stream: TcpStream, models: &[u8], trending: &[u8]) {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let path = String::from_utf8_lossy(&request)
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .to_owned();
    let body = if path.starts_with("/api/trending") {
        trending
    } else {
        models
    };
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}

fn good(i: usize) -> Value {
    json!({"id": format!("org{i}/model-{i}"), "downloads": i * 10, "likes": i, "tags": ["license:mit"]})
}

fn hostile_items() -> Vec<Value> {
    let deep =
        serde_json::from_str::<Value>(&format!("{}1{}", "[".repeat(120), "]".repeat(120))).unwrap();
    vec![
        json!({"id": "../../../../tmp/pwned"}),
        json!({"id": "ns/../../escape"}),
        json!({"id": "ns/<img src=x onerror=alert(1)>"}),
        json!({"id": "ns/a\u{0}b"}),
        json!({"id": "ns/\u{1b}[2J"}),
        json!({"id": "a/b/c"}),
        json!({"id": ""}),
        json!({"id": 42}),
        json!({"likes": 3}),
        json!("not an object"),
        json!({"id": "ns/huge", "downloads": u64::MAX}),
        json!({"id": "ns/huge2", "likes": 1e300}),
        json!({"id": "ns/negative", "downloads": -5}),
        json!({"id": "ns/types", "tags": "license:mit"}),
        json!({"id": "ns/types2", "createdAt": 12}),
        json!({"id": "ns/author", "author": "../x"}),
        json!({"id": "ns/deep", "safetensors": deep}),
    ]
}

#[test]
fn hostile_records_are_quarantined_and_nothing_is_written_outside_the_lake() {
    let mut items: Vec<Value> = (1..=5).map(good).collect();
    let bad = hostile_items();
    items.extend(bad.iter().cloned());
    // HTML and control characters in free-text fields are data: kept, escaped by the report.
    items.push(
        json!({"id": "org9/html", "pipeline_tag": "<script>x</script>", "library_name": "a\u{7}b"}),
    );
    let trending = json!({"recentlyTrending": [
        {"repoType": "model", "repoData": good(1)},
        {"repoType": "model", "repoData": {"id": "../../etc"}},
        {"repoType": "dataset", "repoData": {"id": "whatever"}},
        {"repoType": "model", "repoData": good(2)},
    ]});
    let url = serve(
        serde_json::to_vec(&items).unwrap(),
        serde_json::to_vec(&trending).unwrap(),
    );

    let parent = tempfile::tempdir().unwrap();
    let lake = parent.path().join("lake");
    std::fs::create_dir_all(&lake).unwrap();
    std::fs::write(parent.path().join("sibling.txt"), "outside the lake").unwrap();
    let before: Vec<_> = tree(parent.path())
        .into_iter()
        .filter(|p| !p.starts_with("lake"))
        .collect();
    let output = run(hubtrends(&lake).args(["-vv", "snapshot", "--endpoint", &url, "--date", DAY]));
    assert!(output.status.success(), "{}", streams(&output));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));

    let m = manifest(&lake);
    let quarantine = std::fs::read_to_string(partition(&lake).join("quarantine.jsonl")).unwrap();
    // Every bad model, and the bad trending entry.
    assert_eq!(
        m["quarantined"].as_u64().unwrap(),
        bad.len() as u64 + 1,
        "{m}"
    );
    assert_eq!(
        quarantine.lines().count() as u64,
        m["quarantined"].as_u64().unwrap()
    );
    for line in quarantine.lines() {
        let record: Value = serde_json::from_str(line).unwrap();
        assert!(record.to_string().len() > 10, "{line}");
    }
    assert_eq!(
        m["files"]["models.parquet"]["rows"], 6,
        "the five good models and the HTML one: {m}"
    );
    assert_eq!(m["files"]["trending.parquet"]["rows"], 2, "{m}");
    let after: Vec<_> = tree(parent.path())
        .into_iter()
        .filter(|p| !p.starts_with("lake"))
        .collect();
    assert_eq!(before, after, "something was written outside the lake");
    assert!(!std::path::Path::new("/tmp/pwned").exists());
    let inside = tree(&lake);
    assert!(
        inside
            .iter()
            .all(|p| !p.to_string_lossy().contains("pwned")
                && !p.to_string_lossy().contains("escape")),
        "{inside:?}"
    );
}

#[test]
fn non_utf8_nested_and_enormous_pages_fail_cleanly_without_a_partition() {
    let deep = format!("[{}]", "[".repeat(50_000) + &"]".repeat(50_000)).into_bytes();
    let not_utf8 = b"[{\"id\": \"ns/\xff\xfe\"}]".to_vec();
    let trending = br#"{"recentlyTrending": []}"#.to_vec();
    for (name, body) in [("deeply nested", deep), ("non-UTF-8", not_utf8)] {
        let url = serve(body, trending.clone());
        let temp = tempfile::tempdir().unwrap();
        let lake = temp.path().join("lake");
        let output = run(&mut snapshot(&lake, &url, &["--max-retries", "1"]));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(4),
            "{name}: {}",
            streams(&output)
        );
        assert!(
            stderr.contains(&url) && !stderr.contains("panicked"),
            "{name}: {stderr}"
        );
        assert!(
            !partition(&lake).exists(),
            "{name}: a partition was published"
        );
    }
}

#[test]
fn an_enormous_page_is_refused_without_exhausting_memory() {
    let mut body = b"[".to_vec();
    body.resize(300 << 20, b' ');
    body.push(b']');
    let url = serve(body, br#"{"recentlyTrending": []}"#.to_vec());
    let temp = tempfile::tempdir().unwrap();
    let lake = temp.path().join("lake");
    let output = run(&mut snapshot(&lake, &url, &["--max-retries", "1"]));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{}", streams(&output));
    assert!(stderr.contains("256 MiB"), "{stderr}");
    assert!(!partition(&lake).exists());
}
