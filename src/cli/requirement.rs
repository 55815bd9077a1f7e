//! `requirement add`: record what a stakeholder asked for, keeping the
//! file's layout.

use clap::{Args, Subcommand};

use crate::app::capture;
use crate::app::{Ctx, Outcome};
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub(crate) enum RequirementCommand {
    Add(AddArgs),
}

/// Add a requirement: what a stakeholder asked for.
///
/// Appends a `[[requirements]]` entry with `from` and `text`. Everything
/// else in the file stays byte for byte as it was.
#[derive(Debug, Args)]
pub(crate) struct AddArgs {
    /// The postmortem: its id, a unique prefix of it, or a path to its file.
    id: String,

    /// What they asked for: "Status page updated within 10 minutes"; `-`
    /// reads it from standard input.
    text: String,

    /// Who asked: "support", "legal", a customer.
    #[arg(long, value_name = "WHO")]
    from: String,
}

pub(crate) fn run(ctx: &mut Ctx, command: &RequirementCommand) -> Result<Outcome> {
    let RequirementCommand::Add(args) = command;
    let text = super::args::text_or_stdin("TEXT", &args.text)?;
    let added = capture::add_requirement(ctx, &args.id, &args.from, &text)?;
    ctx.out
        .line(format_args!("Added {} to {}", added.what, added.path))?;
    Ok(Outcome::Ok)
}
