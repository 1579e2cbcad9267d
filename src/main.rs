//! `hubtrends`: parse the command line, set up logging, run one command, pick the exit code.

mod cli;
mod commands;
mod exit;
mod help;
mod logging;
mod progress;
mod settings;

use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _};

/// The process allocator. A snapshot and the simulator make millions of small, short-lived
/// allocations (strings of parsed and rendered pages); glibc's malloc/free were ~30% of a
/// snapshot's CPU in `perf`, mimalloc's thread-local free lists cost a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match cli::Cli::command()
        .mut_subcommand("transform", |cmd| cmd.after_help(help::marts()))
        .mut_subcommand("report", |cmd| cmd.after_help(help::charts()))
        .try_get_matches()
        .and_then(|matches| cli::Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    logging::init(&cli.global);
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let code = exit::code_for(&err);
            // `{:#}` prints the whole context chain on one line: what failed, then why.
            tracing::error!(exit_code = code, "{err:#}");
            ExitCode::from(code)
        }
    }
}
