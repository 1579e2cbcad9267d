//! End-to-end tests of the simulated Hub over HTTP on 127.0.0.1.
#![allow(clippy::unwrap_used)]

mod api;
mod faults;
mod limits;

use chrono::NaiveDate;
use hubtrends_hubsim::{ServerConfig, SimConfig, SimServer, start};

/// A server over a small population on an ephemeral port.
pub(crate) async fn server(models: usize, tweak: impl FnOnce(&mut ServerConfig)) -> SimServer {
    let mut config = ServerConfig {
        sim: SimConfig {
            seed: 11,
            models,
            start_date: date("2026-10-01"),
        },
        date: date("2026-10-01"),
        ..ServerConfig::default()
    };
    tweak(&mut config);
    start(config, 0).await.unwrap()
}

pub(crate) fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub(crate) fn client() -> reqwest::Client {
    // reqwest is built with `rustls-no-provider`; install one (a second install is a no-op error).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// The `rel="next"` URL of a response's `Link` header.
pub(crate) fn next_link(resp: &reqwest::Response) -> Option<String> {
    let link = resp.headers().get("link")?.to_str().ok()?;
    let (url, rel) = link.split_once(';')?;
    assert_eq!(rel.trim(), "rel=\"next\"");
    Some(
        url.trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_owned(),
    )
}

/// Reads a JSON body (reqwest is built without its `json` feature).
pub(crate) trait JsonExt {
    /// The body parsed as `T`; panics on a transport or parse error (tests only).
    async fn json_body<T: serde::de::DeserializeOwned>(self) -> T;
}

impl JsonExt for reqwest::Response {
    async fn json_body<T: serde::de::DeserializeOwned>(self) -> T {
        serde_json::from_slice(&self.bytes().await.unwrap()).unwrap()
    }
}
