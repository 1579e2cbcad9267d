//! `hubtrends`: parse the command line, set up logging, run one command, pick the exit code.

mod cli;
mod commands;
mod exit;
mod logging;
mod progress;
mod settings;

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
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
