//! `update ID A<n>|S<n> NOTE`: append a dated progress update to an action
//! or a safeguard, keeping the file's layout.

use std::io::Write;

use clap::Args;

use crate::app::{Ctx, Outcome};
use crate::cli::item;
use crate::error::{Error, Result};
use crate::model::Date;
use crate::store::edit;

/// Record progress on an action or a safeguard.
///
/// Appends `{ at = DATE, note = "…" }` to the item's `updates`. An existing
/// `updates` array keeps its layout; everything else in the file stays byte
/// for byte as it was.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The postmortem: its id, a unique prefix of it, or a path to its file.
    id: String,

    /// The action (A1, A2, …) or safeguard (S1, S2, …).
    #[arg(value_name = "A<n>|S<n>")]
    item: String,

    /// What happened: "Refunds 60% done".
    note: String,

    /// The day of the update, as 2026-11-25 [default: today].
    #[arg(long, value_name = "DATE")]
    at: Option<Date>,
}

pub fn run(ctx: &mut Ctx, args: &UpdateArgs) -> Result<Outcome> {
    let note = args.note.trim();
    if note.is_empty() {
        return Err(Error::BadArgument {
            what: "NOTE".into(),
            message: "the note is empty; say what happened, e.g. \"Refunds 60% done\"".into(),
        });
    }
    let at = args.at.unwrap_or(Date(ctx.clock().today()));
    let store = ctx.store();
    let id = store.resolve(&args.id, &ctx.ws.cwd)?;
    let loaded = store.load(&id)?;
    let (kind, item) = item::resolve(&loaded, None, &args.item)?;
    let text = edit::append_update(&loaded.source.text, kind.key(), &item, at, note)
        .map_err(|e| item::cannot_edit(&loaded, e))?;
    store.rewrite(&loaded, text)?;
    let title = loaded
        .postmortem
        .item_title(kind, &item)
        .unwrap_or_default();
    writeln!(
        ctx.out,
        "{item} ({title}) in {}: update {at}: {note}",
        loaded.source.path
    )
    .map_err(|e| Error::io("stdout", e))?;
    Ok(Outcome::Ok)
}
