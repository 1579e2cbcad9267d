//! One function per subcommand; each wires settings into the stage crates and nothing more.

mod demo;
mod orgs;
mod pipeline;
mod sim;

use crate::cli::{Cli, Command, OrgsCommand, SimCommand};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let global = &cli.global;
    match &cli.command {
        Command::Demo(args) => demo::demo(global, args),
        Command::Snapshot(args) => pipeline::snapshot(global, args),
        Command::Transform(args) => pipeline::transform(global, args),
        Command::Report(args) => pipeline::report(global, args),
        Command::Run(args) => pipeline::run(global, args),
        Command::Verify => pipeline::verify(global),
        Command::Sim(SimCommand::Serve(args)) => sim::serve(args),
        Command::Sim(SimCommand::Lake(args)) => sim::lake(global, args),
        Command::Orgs(OrgsCommand::List) => orgs::list(global),
        Command::Orgs(OrgsCommand::Unattributed { top }) => orgs::unattributed(global, *top),
        Command::Orgs(OrgsCommand::Coverage) => orgs::coverage(global),
    }
}

/// A multi-threaded tokio runtime for the commands that talk HTTP.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    use anyhow::Context as _;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}
