//! Command-line arguments.

use clap::{Parser, Subcommand};

use crate::commands;

/// chatkit-rs: a ChatKit server in Rust, with an open web client.
#[derive(Debug, Parser)]
#[command(name = "chatkit", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the demo app: the web client at / and the ChatKit endpoint at POST /chatkit.
    Serve(commands::serve::Args),
    /// Run the scripted conformance app (see the conformance kit's APP.md) at POST /chatkit, with the web client at /.
    ConformanceApp(commands::conformance::Args),
    /// Render and check `.widget` templates.
    Widget(commands::widget::Args),
}

impl Cli {
    pub(crate) fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Serve(args) => commands::serve::run(args),
            Command::ConformanceApp(args) => commands::conformance::run(args),
            Command::Widget(args) => commands::widget::run(args),
        }
    }
}
