//! `update ID A<n>|S<n> NOTE`: append a dated progress update to an action
//! or a safeguard, keeping the file's layout.

use clap::Args;

use crate::app::edit;
use crate::app::{Ctx, Outcome};
use crate::error::Result;
use crate::model::Date;

/// Record progress on an action or a safeguard.
///
/// Appends `{ at = DATE, note = "…" }` to the item's `updates`. An existing
/// `updates` array keeps its layout; everything else in the file stays byte
/// for byte as it was.
#[derive(Debug, Args)]
pub(crate) struct UpdateArgs {
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

pub(crate) fn run(ctx: &mut Ctx, args: &UpdateArgs) -> Result<Outcome> {
    let updated = edit::add_update(ctx, &args.id, &args.item, &args.note, args.at)?;
    ctx.out.line(format_args!(
        "{} ({}) in {}: update {}: {}",
        updated.item,
        updated.title,
        updated.path,
        updated.at,
        args.note.trim()
    ))?;
    Ok(Outcome::Ok)
}
