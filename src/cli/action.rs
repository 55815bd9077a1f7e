//! `action add`, `action done` and `action drop`: add an action to the
//! plan, or close one, keeping the file's layout.

use clap::{Args, Subcommand};

use crate::app::capture::{self, ActionInput};
use crate::app::edit::{self, NewStatus};
use crate::app::{Ctx, Outcome};
use crate::error::Result;
use crate::model::Date;

#[derive(Debug, Subcommand)]
pub(crate) enum ActionCommand {
    Add(AddArgs),
    Done(DoneArgs),
    Drop(DropArgs),
}

/// Add an action to the plan.
///
/// Appends an `[[actions]]` entry with the next free id (A1, A2, …) and
/// `status = "open"`. Without `--due`, the `default_due` of the
/// postmortem's severity in .postmortem.toml sets the due date, if there
/// is one. Everything else in the file stays byte for byte as it was.
#[derive(Debug, Args)]
pub(crate) struct AddArgs {
    /// The postmortem: its id, a unique prefix of it, or a path to its file.
    id: String,

    /// What will be done: "Refund failed orders".
    #[arg(long)]
    title: String,

    /// Who does it.
    #[arg(long)]
    owner: Option<String>,

    /// When it is due, as 2026-12-15 [default: today + `default_due`, if
    /// configured].
    #[arg(long, value_name = "DATE")]
    due: Option<Date>,
}

/// Mark an action done.
///
/// Sets `status = "done"` on the action. A dropped action's `reason` is
/// removed, since it no longer explains anything. Everything else in the
/// file stays byte for byte as it was.
#[derive(Debug, Args)]
pub(crate) struct DoneArgs {
    /// The postmortem: its id, a unique prefix of it, or a path to its file.
    id: String,

    /// The action: A1, A2, …
    #[arg(value_name = "A<n>")]
    action: String,
}

/// Drop an action on purpose, saying why.
///
/// Sets `status = "dropped"` and `reason` on the action. Everything else in
/// the file stays byte for byte as it was.
#[derive(Debug, Args)]
pub(crate) struct DropArgs {
    /// The postmortem: its id, a unique prefix of it, or a path to its file.
    id: String,

    /// The action: A1, A2, …
    #[arg(value_name = "A<n>")]
    action: String,

    /// Why it will not be done: "Covered by the vendor's refund run".
    #[arg(long)]
    reason: String,
}

pub(crate) fn run(ctx: &mut Ctx, command: &ActionCommand) -> Result<Outcome> {
    let (id, action, to) = match command {
        ActionCommand::Add(args) => return add(ctx, args),
        ActionCommand::Done(args) => (&args.id, &args.action, NewStatus::ActionDone),
        ActionCommand::Drop(args) => (
            &args.id,
            &args.action,
            NewStatus::ActionDropped {
                reason: edit::reason(&args.reason)?,
            },
        ),
    };
    let changed = edit::change_status(ctx, id, action, &to)?;
    super::print_status_change(ctx, &changed)
}

fn add(ctx: &mut Ctx, args: &AddArgs) -> Result<Outcome> {
    let added = capture::add_action(
        ctx,
        &args.id,
        &ActionInput {
            title: &args.title,
            owner: args.owner.as_deref(),
            due: args.due,
        },
    )?;
    let action = &added.action;
    ctx.out.line(format_args!(
        "Added {} to {}: {}",
        action.id, added.path, action.title
    ))?;
    if let (Some(due), true) = (action.due, added.default_due) {
        ctx.out.line(format_args!(
            "Due {due}: the default_due of its severity in .postmortem.toml"
        ))?;
    }
    Ok(Outcome::Ok)
}
