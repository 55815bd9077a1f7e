//! `timeline add`: record what happened while it happens, in time order,
//! keeping the file's layout.

use clap::{Args, Subcommand};

use crate::app::capture;
use crate::app::{Ctx, Outcome};
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub(crate) enum TimelineCommand {
    Add(AddArgs),
}

/// Add a timeline entry: what happened, and when.
///
/// The entry goes where its time puts it: after every entry at or before
/// it, before the first one after it. Everything else in the file stays
/// byte for byte as it was.
#[derive(Debug, Args)]
pub(crate) struct AddArgs {
    /// The postmortem: its id, a unique prefix of it, or a path to its file.
    id: String,

    /// What happened: "Rollback to v1.4.1 starts"; `-` reads it from
    /// standard input.
    event: String,

    /// When: a datetime with an offset (2026-11-20T14:05:00Z), or a time
    /// of day (14:05) today in the local offset [default: now].
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
}

pub(crate) fn run(ctx: &mut Ctx, command: &TimelineCommand) -> Result<Outcome> {
    let TimelineCommand::Add(args) = command;
    let at = capture::timeline_time(ctx, args.at.as_deref())?;
    let event = super::args::text_or_stdin("EVENT", &args.event)?;
    let added = capture::add_timeline(ctx, &args.id, at, &event)?;
    ctx.out
        .line(format_args!("Added {} to {}", added.what, added.path))?;
    Ok(Outcome::Ok)
}
