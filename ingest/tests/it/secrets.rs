//! The token is sent, and appears nowhere else.

use std::io::Write;
use std::sync::{Arc, Mutex};

use hubtrends_ingest::{NoProgress, Token, snapshot};

use crate::common::*;

const SECRET: &str = "hf_TopSecretTokenValue0123456789";

/// A `tracing` writer that keeps everything in memory.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn token_is_sent_and_never_written_logged_or_shown() {
    let server = serve(sim(400), |c| c.require_token = Some(SECRET.into())).await;
    let lake = tempfile::tempdir().unwrap();
    let mut c = config(&server, lake.path());
    c.token = Token::from_env_value(SECRET);

    let logs = Capture::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    let summary = snapshot(&c, &NoProgress).await.unwrap();
    drop(guard);

    assert!(summary.models > 0, "the server accepted the token");
    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("published snapshot"), "logs were captured");
    assert!(!logs.contains(SECRET), "token in the logs");
    assert!(
        !format!("{c:?} {summary:?}").contains(SECRET),
        "token in Debug"
    );
    for file in all_files(lake.path()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()),
            "token in {}",
            file.display()
        );
    }
    // A refused token shows up in no error either.
    let mut wrong = c.clone();
    wrong.token = Token::from_env_value("hf_WrongTokenValue");
    wrong.force = true;
    let err = snapshot(&wrong, &NoProgress).await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("401"), "{shown}");
    assert!(!shown.contains("hf_WrongTokenValue") && !shown.contains(SECRET));
}
