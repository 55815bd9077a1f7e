//! `new TITLE`: write a postmortem from the template, linked to commits.

use clap::Args;

use crate::app::new::{self, NewInput};
use crate::app::{Ctx, Outcome};
use crate::error::Result;

/// Write a new postmortem and open it in your editor.
///
/// The file is `postmortems/YYYY-MM-DD-<slug>.toml`, dated by when the
/// incident began, with every section present and commented. Its path is
/// printed on stdout.
#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// What happened, in one line: "Checkout returned HTTP 500 for 42 minutes".
    title: String,

    /// A commit that triggered the incident (repeatable): any revision git
    /// understands, recorded as the full oid.
    #[arg(long = "commit", value_name = "REV")]
    commits: Vec<String>,

    /// A range of commits that triggered the incident (repeatable), kept as
    /// written: v1.4.1..v1.4.2.
    #[arg(long = "range", value_name = "A..B")]
    ranges: Vec<String>,

    /// Severity, one of the config's `severities` [default: the least severe].
    #[arg(long, value_name = "S")]
    severity: Option<String>,

    /// When impact began, as 2026-11-24T14:02:00Z [default: now].
    #[arg(long, value_name = "DATETIME")]
    occurred_at: Option<String>,

    /// Do not open an editor (never opened outside a terminal or in CI).
    #[arg(long)]
    no_edit: bool,
}

pub(crate) fn run(ctx: &mut Ctx, args: &NewArgs) -> Result<Outcome> {
    new::new(
        ctx,
        &NewInput {
            title: &args.title,
            commits: &args.commits,
            ranges: &args.ranges,
            severity: args.severity.as_deref(),
            occurred_at: args.occurred_at.as_deref(),
            no_edit: args.no_edit,
        },
    )
}
