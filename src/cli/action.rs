//! `action done` and `action drop`: close an action of the plan, keeping
//! the file's layout.

use clap::{Args, Subcommand};

use crate::app::{Ctx, Outcome};
use crate::cli::item::{self, StatusChange};
use crate::error::Result;
use crate::model::{ActionStatus, ItemKind};

#[derive(Debug, Subcommand)]
pub enum ActionCommand {
    Done(DoneArgs),
    Drop(DropArgs),
}

/// Mark an action done.
///
/// Sets `status = "done"` on the action. A dropped action's `reason` is
/// removed, since it no longer explains anything. Everything else in the
/// file stays byte for byte as it was.
#[derive(Debug, Args)]
pub struct DoneArgs {
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
pub struct DropArgs {
    /// The postmortem: its id, a unique prefix of it, or a path to its file.
    id: String,

    /// The action: A1, A2, …
    #[arg(value_name = "A<n>")]
    action: String,

    /// Why it will not be done: "Covered by the vendor's refund run".
    #[arg(long)]
    reason: String,
}

pub fn run(ctx: &mut Ctx, command: &ActionCommand) -> Result<Outcome> {
    match command {
        ActionCommand::Done(args) => {
            item::change_status(ctx, &args.id, ItemKind::Action, &args.action, |pm, id| {
                let action = pm.actions.iter().find(|a| a.id == id)?;
                Some(StatusChange {
                    from: action.status.as_str(),
                    to: ActionStatus::Done.as_str(),
                    old_reason: action.reason.clone(),
                    reason: None,
                })
            })
        }
        ActionCommand::Drop(args) => {
            let reason = item::reason(&args.reason)?;
            item::change_status(ctx, &args.id, ItemKind::Action, &args.action, |pm, id| {
                let action = pm.actions.iter().find(|a| a.id == id)?;
                Some(StatusChange {
                    from: action.status.as_str(),
                    to: ActionStatus::Dropped.as_str(),
                    old_reason: action.reason.clone(),
                    reason: Some(reason.clone()),
                })
            })
        }
    }
}
