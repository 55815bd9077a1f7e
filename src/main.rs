//! The `git-postmortem` binary: parse the command line, run it, and turn
//! the outcome into the exit code the contract promises.

use std::io::BufWriter;
use std::process::ExitCode;

use clap::Parser;
use git_postmortem::app::Outcome;
use git_postmortem::cli::{self, Cli};
use git_postmortem::output::{self, Output};
use git_postmortem::Error;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Output::new(Box::new(BufWriter::new(std::io::stdout())));
    match cli::run(cli, out) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        // A closed pipe (`git postmortem list | head`) is not a failure.
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::from(Outcome::Ok.exit_code())
        }
        Err(error) => {
            output::error(&error);
            ExitCode::from(error.exit_code())
        }
    }
}
