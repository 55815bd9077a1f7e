//! `safeguard add` and `safeguard drop`: append a safeguard, or retire one
//! on purpose, keeping the file's layout.

use std::io::Write;

use clap::{Args, Subcommand};

use crate::app::{Ctx, Outcome};
use crate::cli::item::{self, StatusChange};
use crate::error::{Error, Result};
use crate::model::{next_item_id, Date, ItemKind, SafeguardKind, SafeguardStatus};
use crate::store::edit::{self, NewSafeguard};

#[derive(Debug, Subcommand)]
pub enum SafeguardCommand {
    Add(AddArgs),
    Drop(DropArgs),
}

/// Add a safeguard: a protection the team commits to ship.
///
/// Appends a `[[safeguards]]` entry with the next free id (S1, S2, …).
/// Everything else in the file stays byte for byte as it was.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The postmortem: its id, a unique prefix of it, or a path to its file.
    id: String,

    /// What will protect against a repeat: "Fail deploy when a required env var is missing".
    #[arg(long)]
    title: String,

    /// Who owns shipping it.
    #[arg(long)]
    owner: Option<String>,

    /// When it is due, as 2026-12-15.
    #[arg(long, value_name = "DATE")]
    due: Option<Date>,

    /// What kind of protection it is.
    #[arg(long, value_parser = SafeguardKind::ALL)]
    kind: Option<String>,
}

/// Retire a safeguard on purpose, saying why.
///
/// Sets `status = "dropped"` and `reason` on the safeguard; `status` and
/// `check` then report it as dropped instead of overdue. Everything else in
/// the file stays byte for byte as it was.
#[derive(Debug, Args)]
pub struct DropArgs {
    /// The postmortem: its id, a unique prefix of it, or a path to its file.
    id: String,

    /// The safeguard: S1, S2, …
    #[arg(value_name = "S<n>")]
    safeguard: String,

    /// Why it will not ship: "Replaced by S3, which covers every service".
    #[arg(long)]
    reason: String,
}

pub fn run(ctx: &mut Ctx, command: &SafeguardCommand) -> Result<Outcome> {
    match command {
        SafeguardCommand::Add(args) => add(ctx, args),
        SafeguardCommand::Drop(args) => drop_safeguard(ctx, args),
    }
}

fn drop_safeguard(ctx: &mut Ctx, args: &DropArgs) -> Result<Outcome> {
    let reason = item::reason(&args.reason)?;
    item::change_status(
        ctx,
        &args.id,
        ItemKind::Safeguard,
        &args.safeguard,
        |pm, id| {
            let safeguard = pm.safeguards.iter().find(|s| s.id == id)?;
            Some(StatusChange {
                from: safeguard.status.as_str(),
                to: SafeguardStatus::Dropped.as_str(),
                old_reason: safeguard.reason.clone(),
                reason: Some(reason.clone()),
            })
        },
    )
}

fn add(ctx: &mut Ctx, args: &AddArgs) -> Result<Outcome> {
    let title = args.title.trim();
    if title.is_empty() {
        return Err(Error::BadArgument {
            what: "--title".into(),
            message: "the title is empty".into(),
        });
    }
    let store = ctx.store();
    let id = store.resolve(&args.id, &ctx.ws.cwd)?;
    let loaded = store.load(&id)?;
    let safeguard = NewSafeguard {
        id: next_item_id(
            loaded.postmortem.safeguards.iter().map(|s| s.id.as_str()),
            'S',
        ),
        title: title.to_string(),
        kind: args.kind.clone(),
        owner: args.owner.clone().filter(|o| !o.trim().is_empty()),
        due: args.due,
    };
    let text = edit::append_safeguard(&loaded.source.text, &safeguard).map_err(|e| {
        Error::BadArgument {
            what: loaded.source.path.clone(),
            message: format!("cannot add a safeguard: {e}"),
        }
    })?;
    store.rewrite(&loaded, text)?;
    writeln!(
        ctx.out,
        "Added {} to {}: {}\nShip it with a commit trailer: Postmortem-Safeguard: {id}/{}",
        safeguard.id, loaded.source.path, safeguard.title, safeguard.id
    )
    .map_err(|e| Error::io("stdout", e))?;
    if safeguard.owner.is_none() || safeguard.due.is_none() {
        eprintln!(
            "warning: {} has no {}; `lint` will flag it until it has an owner and a due date",
            safeguard.id,
            if safeguard.owner.is_none() {
                "owner"
            } else {
                "due date"
            }
        );
    }
    Ok(Outcome::Ok)
}
