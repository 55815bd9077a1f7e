//! `factor add`: record a contributing factor from the fixed vocabulary,
//! keeping the file's layout.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand};
use strum::VariantNames;

use crate::app::capture;
use crate::app::{Ctx, Outcome};
use crate::error::Result;
use crate::model::FactorKind;

#[derive(Debug, Subcommand)]
pub(crate) enum FactorCommand {
    Add(AddArgs),
}

/// Add a contributing factor: why a decision made sense at the time.
///
/// Appends a `[[factors]]` entry with `kind` and `note`. Everything else
/// in the file stays byte for byte as it was.
#[derive(Debug, Args)]
pub(crate) struct AddArgs {
    /// The postmortem: its id, a unique prefix of it, or a path to its file.
    id: String,

    /// The kind of pressure or gap.
    #[arg(value_parser = PossibleValuesParser::new(FactorKind::VARIANTS).try_map(|s| s.parse::<FactorKind>()))]
    kind: FactorKind,

    /// How it played out, without blame: "Nobody knew the pool size had
    /// moved"; `-` reads it from standard input.
    note: Option<String>,
}

pub(crate) fn run(ctx: &mut Ctx, command: &FactorCommand) -> Result<Outcome> {
    let FactorCommand::Add(args) = command;
    let note = args
        .note
        .as_deref()
        .map(|n| super::args::text_or_stdin("NOTE", n))
        .transpose()?;
    let added = capture::add_factor(ctx, &args.id, args.kind, note.as_deref())?;
    ctx.out
        .line(format_args!("Added {} to {}", added.what, added.path))?;
    Ok(Outcome::Ok)
}
