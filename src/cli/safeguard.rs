//! `safeguard add` and `safeguard drop`: append a safeguard, or retire one
//! on purpose, keeping the file's layout.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand};
use strum::VariantNames;

use crate::app::edit::{self, NewStatus, SafeguardInput};
use crate::app::{Ctx, Outcome};
use crate::error::Result;
use crate::model::{Date, SafeguardKind};
use crate::output;

#[derive(Debug, Subcommand)]
pub(crate) enum SafeguardCommand {
    Add(AddArgs),
    Drop(DropArgs),
}

/// Add a safeguard: a protection the team commits to ship.
///
/// Appends a `[[safeguards]]` entry with the next free id (S1, S2, …).
/// Without `--due`, the `default_due` of the postmortem's severity in
/// .postmortem.toml sets the due date, if there is one. Everything else in
/// the file stays byte for byte as it was.
#[derive(Debug, Args)]
pub(crate) struct AddArgs {
    /// The postmortem: its id, a unique prefix of it, or a path to its file.
    id: String,

    /// What will protect against a repeat: "Fail deploy when a required env var is missing".
    #[arg(long)]
    title: String,

    /// Who owns shipping it.
    #[arg(long)]
    owner: Option<String>,

    /// When it is due, as 2026-12-15 [default: today + `default_due`, if
    /// configured].
    #[arg(long, value_name = "DATE")]
    due: Option<Date>,

    /// What kind of protection it is.
    #[arg(long, value_parser = PossibleValuesParser::new(SafeguardKind::VARIANTS).try_map(|s| s.parse::<SafeguardKind>()))]
    kind: Option<SafeguardKind>,
}

/// Retire a safeguard on purpose, saying why.
///
/// Sets `status = "dropped"` and `reason` on the safeguard; `status` and
/// `check` then report it as dropped instead of overdue. Everything else in
/// the file stays byte for byte as it was.
#[derive(Debug, Args)]
pub(crate) struct DropArgs {
    /// The postmortem: its id, a unique prefix of it, or a path to its file.
    id: String,

    /// The safeguard: S1, S2, …
    #[arg(value_name = "S<n>")]
    safeguard: String,

    /// Why it will not ship: "Replaced by S3, which covers every service".
    #[arg(long)]
    reason: String,
}

pub(crate) fn run(ctx: &mut Ctx, command: &SafeguardCommand) -> Result<Outcome> {
    match command {
        SafeguardCommand::Add(args) => add(ctx, args),
        SafeguardCommand::Drop(args) => drop_safeguard(ctx, args),
    }
}

fn drop_safeguard(ctx: &mut Ctx, args: &DropArgs) -> Result<Outcome> {
    let to = NewStatus::SafeguardDropped {
        reason: edit::reason(&args.reason)?,
    };
    let changed = edit::change_status(ctx, &args.id, &args.safeguard, &to)?;
    super::print_status_change(ctx, &changed)
}

fn add(ctx: &mut Ctx, args: &AddArgs) -> Result<Outcome> {
    let added = edit::add_safeguard(
        ctx,
        &args.id,
        &SafeguardInput {
            title: &args.title,
            owner: args.owner.as_deref(),
            due: args.due,
            kind: args.kind,
        },
    )?;
    let safeguard = &added.safeguard;
    ctx.out.line(format_args!(
        "Added {} to {}: {}",
        safeguard.id, added.path, safeguard.title
    ))?;
    if let (Some(due), true) = (safeguard.due, added.default_due) {
        ctx.out.line(format_args!(
            "Due {due}: the default_due of its severity in .postmortem.toml"
        ))?;
    }
    ctx.out.line(format_args!(
        "Ship it with a commit trailer: Postmortem-Safeguard: {}/{}",
        added.postmortem, safeguard.id
    ))?;
    if safeguard.owner.is_none() || safeguard.due.is_none() {
        output::warn(format_args!(
            "{} has no {}; `lint` will flag it until it has an owner and a due date",
            safeguard.id,
            if safeguard.owner.is_none() {
                "owner"
            } else {
                "due date"
            }
        ));
    }
    Ok(Outcome::Ok)
}
