//! The command line, as clap sees it: flags only, no logic and no environment reads beyond
//! what clap's `env` attribute documents. `settings.rs` turns this into each crate's config.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "Track who dominates the Hugging Face Hub: daily snapshots of model listings, \
downloads and trending ranks into Parquet, aggregated by organisation and country, published as a \
weekly chart pack.";

const AFTER_HELP: &str = "\
Pipeline: snapshot (Hub API -> lake/snapshots) -> transform (snapshots -> lake/marts) -> report
(marts -> lake/reports/<week>). `run` does all three; cron runs it once a day.

Examples:
  hubtrends demo                                 simulated Hub -> lake -> report, offline
  hubtrends run --lake /srv/hubtrends            the daily cron job against huggingface.co
  hubtrends snapshot --scope top --top 500       the quick daily mode
  hubtrends transform --pipeline text-generation
  hubtrends report --week 2026-W47
  hubtrends sim serve --port 8080 --models 20000 a simulated Hub for your own tests

Exit codes:
  0  success
  1  failure not covered below (I/O error, unexpected data)
  2  bad input: a flag, a file, a date or the lake layout is wrong (nothing was written)
  3  the lake is locked by another hubtrends run (use --wait to wait for it)
  4  the Hub failed: HTTP errors or dropped connections outlasted the retries
  5  integrity: a file does not match its manifest, or a schema version is unknown

Environment:
  HUBTRENDS_LAKE   lake directory (like --lake)
  HUBTRENDS_ORGS   registry overlay CSV (like --orgs)
  HF_ENDPOINT      Hub endpoint (like --endpoint), as the official Python client reads it
  HF_TOKEN         Hub access token, sent as a bearer token and never printed or stored";

/// hubtrends: who dominates the Hugging Face Hub.
#[derive(Debug, Parser)]
#[command(name = "hubtrends", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Lake directory holding snapshots/, marts/ and reports/ [default: ./data/lake; `demo` uses
    /// ./data/demo-lake]
    #[arg(long, global = true, env = "HUBTRENDS_LAKE", value_name = "DIR")]
    pub lake: Option<PathBuf>,
    /// A CSV overlay on the built-in organisation registry (adds or overrides namespaces)
    #[arg(long, global = true, env = "HUBTRENDS_ORGS", value_name = "FILE")]
    pub orgs: Option<PathBuf>,
    /// Log format on standard error: `human` (coloured on a terminal) or `json` (one object per line, for cron)
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Human)]
    pub log_format: LogFormat,
    /// Print less: only warnings and errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more (-v debug, -vv trace)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// Log output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines, coloured on a terminal.
    Human,
    /// One JSON object per line.
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulated Hub -> lake -> report, offline, in one go; prints the report's index.html last
    #[command(after_help = "Example:\n  hubtrends demo --days 28 --models 5000\n  \
        hubtrends demo --lake /tmp/demo --models 100000\n\n\
        The demo lake (default ./data/demo-lake) is cleared first; a directory that holds \
        anything but an earlier demo is refused.")]
    Demo(DemoArgs),
    /// Take today's snapshot of the Hub into lake/snapshots/date=YYYY-MM-DD
    #[command(
        after_help = "Examples:\n  hubtrends snapshot                      every model (sort=downloads), paced to the rate limit\n  \
        hubtrends snapshot --scope top --top 500\n  \
        HF_ENDPOINT=http://127.0.0.1:8080 hubtrends snapshot --date 2026-11-22\n\n\
        An interrupted snapshot resumes from its last page on the next start. A finished date \
        is never overwritten unless --force is given."
    )]
    Snapshot(SnapshotArgs),
    /// Rebuild the marts in lake/marts from every snapshot (`--help` lists them)
    Transform(TransformArgs),
    /// Write the weekly chart pack to lake/reports/<week> and point lake/reports/latest at it (`--help` lists the charts)
    Report(ReportArgs),
    /// snapshot + transform + report: the daily cron job; prints the report's index.html last
    #[command(
        after_help = "Cron (03:15 UTC daily, JSON logs, waits for a running job):\n  \
        15 3 * * * HUBTRENDS_LAKE=/srv/hubtrends/lake /usr/local/bin/hubtrends run --wait --log-format json >>/var/log/hubtrends.log 2>&1\n\n\
        Rerunnable: if the day's snapshot is already in the lake (a second run, or a rerun after a\n\
        failed transform or report), it is kept and only the marts and the report are rebuilt;\n\
        --force retakes it."
    )]
    Run(RunArgs),
    /// Re-hash every snapshot in the lake and compare with its manifest
    Verify,
    /// The simulated Hub: serve it over HTTP, or write a synthetic lake straight from it
    #[command(subcommand)]
    Sim(SimCommand),
    /// The organisation registry: list rows, find unattributed namespaces, measure coverage
    #[command(subcommand)]
    Orgs(OrgsCommand),
}

/// `demo` flags.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Simulated days to snapshot (one snapshot per day)
    #[arg(long, default_value_t = 28, value_parser = clap::value_parser!(u32).range(1..=3660))]
    pub days: u32,
    /// Models in the simulated Hub on the first day
    #[arg(long, default_value_t = 5_000)]
    pub models: usize,
    /// Seed of the simulated population (same seed, same Hub)
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// First simulated day [default: the day `--days` before today, so the last snapshot is today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub start: Option<String>,
}

/// `snapshot` flags (also part of `run`).
#[derive(Debug, Args, Clone)]
pub struct SnapshotArgs {
    /// Hub endpoint [default: https://huggingface.co]
    #[arg(long, env = "HF_ENDPOINT", value_name = "URL")]
    pub endpoint: Option<String>,
    /// `full`: every model, sorted by downloads; `top`: the top N by trending, downloads and likes, merged
    #[arg(long, value_enum, default_value_t = ScopeArg::Full)]
    pub scope: ScopeArg,
    /// N for `--scope top`
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub top: u32,
    /// Models in the day's trending list (`/api/trending?type=model&limit=N`)
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub trending_limit: u32,
    /// Snapshot date (UTC) [default: today]; a date in the future is refused
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// File holding a Hub token (else HF_TOKEN); sent as a bearer token, never printed or stored
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Replace an existing snapshot for the date (atomically)
    #[arg(long)]
    pub force: bool,
    /// Wait for another run holding the lake lock instead of exiting with code 3
    #[arg(long)]
    pub wait: bool,
    /// Retries per request before the run fails (408, 429, 5xx, timeouts, dropped connections)
    #[arg(long, default_value_t = 8)]
    pub max_retries: u32,
}

/// Snapshot scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    /// Every model on the Hub.
    Full,
    /// The top N by trending score, downloads and likes.
    Top,
}

/// `transform` flags (also part of `run`).
#[derive(Debug, Args, Clone)]
pub struct TransformArgs {
    /// Keep only models with this pipeline tag (e.g. text-generation)
    #[arg(long, value_name = "TAG")]
    pub pipeline: Option<String>,
    /// Keep only models of this library (e.g. transformers, gguf)
    #[arg(long, value_name = "NAME")]
    pub library: Option<String>,
    /// Recompute every day instead of only the days whose snapshots changed
    #[arg(long)]
    pub full_rebuild: bool,
    /// Wait for another run holding the lake lock instead of exiting with code 3
    #[arg(long)]
    pub wait: bool,
}

/// `report` flags.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// ISO week to report, like 2026-W47 [default: the last complete week in the lake]
    #[arg(long, value_name = "YYYY-Www")]
    pub week: Option<String>,
    /// Wait for another run holding the lake lock instead of exiting with code 3
    #[arg(long)]
    pub wait: bool,
}

/// `run` flags: the snapshot's and the transform's.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Snapshot options.
    #[command(flatten)]
    pub snapshot: SnapshotArgs,
    /// Keep only models with this pipeline tag in the marts
    #[arg(long, value_name = "TAG")]
    pub pipeline: Option<String>,
    /// Keep only models of this library in the marts
    #[arg(long, value_name = "NAME")]
    pub library: Option<String>,
}

/// `sim` subcommands.
#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve a simulated Hub on 127.0.0.1; prints its URL as the first line, serves until stopped
    #[command(
        after_help = "Example:\n  hubtrends sim serve --port 0 --models 20000 --quota 500 --window 300 --fault-rate 0.1\n  \
        HF_ENDPOINT=http://127.0.0.1:PORT hubtrends snapshot"
    )]
    Serve(SimServeArgs),
    /// Write a synthetic lake straight from the simulator (no HTTP), for benchmarks
    #[command(
        after_help = "Example:\n  hubtrends sim lake --lake /tmp/bench-lake --days 90 --models 1000000"
    )]
    Lake(SimLakeArgs),
}

/// The simulated population's flags.
#[derive(Debug, Args)]
pub struct PopulationArgs {
    /// Seed (same seed, same Hub)
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Models on the first simulated day
    #[arg(long, default_value_t = 5_000)]
    pub models: usize,
    /// First simulated day
    #[arg(long, value_name = "YYYY-MM-DD", default_value = "2026-10-01")]
    pub start: String,
}

/// `sim serve` flags.
#[derive(Debug, Args)]
pub struct SimServeArgs {
    /// The population.
    #[command(flatten)]
    pub population: PopulationArgs,
    /// Port on 127.0.0.1 (0 picks a free one)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The simulated day served [default: the first day]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// API calls allowed per window (off when absent)
    #[arg(long, requires = "window")]
    pub quota: Option<u32>,
    /// Rate-limit window in seconds
    #[arg(long, requires = "quota")]
    pub window: Option<u64>,
    /// Share of requests that fail (0.0 to 1.0)
    #[arg(long, default_value_t = 0.0)]
    pub fault_rate: f64,
    /// Which faults to inject, comma-separated: 429,5xx,drop,truncate,garble,slow,malformed (or all)
    #[arg(long, default_value = "429,5xx,drop,truncate,garble,slow")]
    pub faults: String,
    /// Require this token (read from the file) as a bearer token; 401 otherwise
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
}

/// `sim lake` flags.
#[derive(Debug, Args)]
pub struct SimLakeArgs {
    /// The population.
    #[command(flatten)]
    pub population: PopulationArgs,
    /// Days to write, one partition each
    #[arg(long, default_value_t = 28)]
    pub days: u32,
    /// Replace partitions that already exist
    #[arg(long)]
    pub force: bool,
}

/// `orgs` subcommands.
#[derive(Debug, Subcommand)]
pub enum OrgsCommand {
    /// Print the registry (built-in rows plus the --orgs overlay) as CSV
    List,
    /// Namespaces in the latest snapshot without a registry row, by 30-day downloads
    Unattributed {
        /// How many to list
        #[arg(long, default_value_t = 50)]
        top: usize,
    },
    /// The attributed share of models, downloads and trending entries in the latest snapshot
    Coverage,
}
