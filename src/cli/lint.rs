//! `lint [PATH…]`: schema errors and writing lints, one line each on
//! stderr, or one JSON document.

use clap::Args;

use crate::app::{lint, Ctx, Outcome};
use crate::diagnostic::{plural, suppressed_summary, Report};
use crate::error::Result;
use crate::output;

/// Check postmortems for schema errors and writing lints.
///
/// Exit 0 when clean (warnings allowed), 1 when a lint found an error, 2 when
/// a file does not parse or does not follow the schema. `[lints]` in
/// .postmortem.toml sets each lint's level, and `lint_allow` on an entry
/// silences lints there; what they suppress is counted, never hidden.
#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    /// Files or postmortem ids to check [default: every postmortem].
    #[arg(value_name = "PATH")]
    paths: Vec<String>,

    /// One JSON document on stdout instead of lines on stderr.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(ctx: &mut Ctx, args: &LintArgs) -> Result<Outcome> {
    let linted = lint::lint_paths(ctx, &args.paths)?;
    let report = Report::new(&linted.findings).with_suppressed(&linted.suppressed);
    if args.json {
        ctx.out.json(&report)?;
    } else {
        linted.findings.iter().for_each(output::diagnostic);
        let suppressed =
            suppressed_summary(&linted.suppressed).map_or_else(String::new, |s| format!("; {s}"));
        output::say(format_args!(
            "{} file{} checked: {}{suppressed}",
            linted.files,
            plural(linted.files),
            report.summary()
        ));
    }
    Ok(lint::outcome_of(&linted.findings))
}
