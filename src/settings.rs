//! Flags + environment + defaults, resolved in one place into each crate's plain `Config`.
//!
//! Every failure here is a [`BadInput`]: it names the flag, file or variable and what to do,
//! and maps to exit code 2.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::{NaiveDate, Utc};
use hubtrends_ingest::{Scope, SnapshotConfig, Token};
use hubtrends_orgs::Registry;

use crate::cli::{GlobalArgs, ScopeArg, SnapshotArgs};
use crate::exit::BadInput;

/// The default lake for every command but `demo`.
pub const DEFAULT_LAKE: &str = "data/lake";
/// The default lake of `demo`, kept apart so a demo never mixes simulated data into a real lake.
pub const DEFAULT_DEMO_LAKE: &str = "data/demo-lake";
/// The Hub's public endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://huggingface.co";
/// The tool version stamped into manifests and reports.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Returns a [`BadInput`] error with the message.
pub fn bad_input(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(BadInput(message.into()))
}

/// The lake directory: `--lake` / `HUBTRENDS_LAKE`, else `default`.
pub fn lake(global: &GlobalArgs, default: &str) -> PathBuf {
    global
        .lake
        .clone()
        .unwrap_or_else(|| PathBuf::from(default))
}

/// The registry: the built-in rows, overlaid with `--orgs` / `HUBTRENDS_ORGS` when given.
pub fn registry(global: &GlobalArgs) -> anyhow::Result<Registry> {
    let mut registry = Registry::builtin();
    if let Some(path) = &global.orgs {
        registry.load_overlay(path).map_err(|err| {
            bad_input(format!(
                "--orgs {}: {err}. Fix the file (columns: namespace,org,parent,country,kind,evidence) or drop the flag",
                path.display()
            ))
        })?;
    }
    Ok(registry)
}

/// Today's date in UTC: the only place the binary reads the wall clock for a date.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The last of `days` simulated days from `start`; refused when it falls after today, since a
/// snapshot can only record a day that has begun.
pub fn last_simulated_day(start: NaiveDate, days: u32) -> anyhow::Result<NaiveDate> {
    let end = start + chrono::Days::new(u64::from(days.max(1)) - 1);
    if end > today() {
        return Err(bad_input(format!(
            "--start {start} with --days {days} ends on {end}, after today ({} UTC): \
             choose an earlier --start or fewer --days",
            today()
        )));
    }
    Ok(end)
}

/// Parses a `YYYY-MM-DD` flag value, naming the flag on failure.
pub fn parse_date(flag: &str, value: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        bad_input(format!(
            "{flag} {value:?} is not a date: use YYYY-MM-DD, e.g. {flag} 2026-11-22"
        ))
    })
}

/// Parses the Hub endpoint, accepting only http(s) URLs.
pub fn parse_endpoint(value: &str) -> anyhow::Result<url::Url> {
    let url = url::Url::parse(value).map_err(|err| {
        bad_input(format!(
            "--endpoint/HF_ENDPOINT {value:?} is not a URL ({err}): use e.g. https://huggingface.co"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad_input(format!(
            "--endpoint/HF_ENDPOINT {value:?} must be an http:// or https:// URL"
        )));
    }
    Ok(url)
}

/// Reads the token from `--token-file`, else `HF_TOKEN`; `None` when neither is set.
pub fn token(token_file: Option<&Path>) -> anyhow::Result<Option<Token>> {
    if let Some(path) = token_file {
        let token = Token::from_file(path).map_err(|err| {
            bad_input(format!(
                "--token-file {}: {err}. Point it at a readable file holding only the token",
                path.display()
            ))
        })?;
        return Ok(Some(token));
    }
    Ok(std::env::var("HF_TOKEN")
        .ok()
        .and_then(|value| Token::from_env_value(&value)))
}

/// Builds the ingest's config from `snapshot`/`run` flags.
pub fn snapshot_config(args: &SnapshotArgs, lake: &Path) -> anyhow::Result<SnapshotConfig> {
    let endpoint = parse_endpoint(args.endpoint.as_deref().unwrap_or(DEFAULT_ENDPOINT))?;
    let date = match &args.date {
        Some(value) => parse_date("--date", value)?,
        None => today(),
    };
    if date > today() {
        return Err(bad_input(format!(
            "--date {date} is in the future (today is {} UTC): a snapshot can only record a day that has begun",
            today()
        )));
    }
    let scope = match args.scope {
        ScopeArg::Full => Scope::Full,
        ScopeArg::Top => Scope::Top(args.top as usize),
    };
    let token = token(args.token_file.as_deref()).context("reading the Hub token")?;
    let mut config = SnapshotConfig::new(endpoint, date, lake.to_path_buf());
    config.scope = scope;
    config.token = token;
    config.trending_limit = args.trending_limit;
    config.force = args.force;
    config.max_retries = args.max_retries;
    config.tool_version = TOOL_VERSION.to_owned();
    Ok(config)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_date_names_the_flag_and_the_format() {
        let err = parse_date("--date", "22/11/2026").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("--date") && text.contains("YYYY-MM-DD"),
            "{text}"
        );
        assert!(err.downcast_ref::<BadInput>().is_some());
    }

    #[test]
    fn endpoints_must_be_http() {
        assert!(parse_endpoint("https://huggingface.co").is_ok());
        assert!(parse_endpoint("http://127.0.0.1:8080").is_ok());
        assert!(parse_endpoint("ftp://example.org").is_err());
        assert!(parse_endpoint("not a url").is_err());
    }
}
