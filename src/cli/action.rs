//! `action done` and `action drop`: close an action of the plan, keeping
//! the file's layout.

use clap::{Args, Subcommand};

use crate::app::edit::{self, NewStatus};
use crate::app::{Ctx, Outcome};
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub(crate) enum ActionCommand {
    Done(DoneArgs),
    Drop(DropArgs),
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
