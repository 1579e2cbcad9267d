//! Logs through `tracing` on standard error: human (coloured on a terminal) or JSON lines.

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;

use crate::cli::{GlobalArgs, LogFormat};

/// Installs the global subscriber. `HUBTRENDS_LOG` (an `EnvFilter` directive) overrides `-q`/`-v`.
pub fn init(global: &GlobalArgs) {
    let level = match (global.quiet, global.verbose) {
        (true, _) => "warn",
        (false, 0) => "info",
        (false, 1) => "debug",
        (false, _) => "trace",
    };
    // Dependencies stay at warn unless asked for: their debug output drowns ours.
    let default = format!(
        "warn,hubtrends={level},hubtrends_ingest={level},hubtrends_transform={level},hubtrends_report={level},hubtrends_hubsim={level},hubtrends_orgs={level}"
    );
    let filter =
        EnvFilter::try_from_env("HUBTRENDS_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match global.log_format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .init(),
        LogFormat::Human => builder
            .with_ansi(std::io::stderr().is_terminal())
            .with_target(false)
            .init(),
    }
}

/// Whether progress bars may be drawn: human logs, not quiet, standard error is a terminal.
pub fn progress_bars(global: &GlobalArgs) -> bool {
    global.log_format == LogFormat::Human && !global.quiet && std::io::stderr().is_terminal()
}
