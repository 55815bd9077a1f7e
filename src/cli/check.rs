//! `check`: every lint plus the safeguards' status, for CI. Exit 1 when a
//! safeguard is overdue or a postmortem has a lint error, 2 when a file
//! does not follow the schema. Each output format is one function over the
//! [`CheckReport`] that `app::check` gathers.

use clap::{Args, ValueEnum};

use crate::app::check::{self, CheckJson, CheckReport};
use crate::app::judge::Judged;
use crate::app::{Ctx, Outcome};
use crate::diagnostic::{plural, Report};
use crate::error::Result;
use crate::output::{self, Join};
use crate::render::{annotations, rdjson};
use crate::status;

use super::args::HistoryArgs;

/// Run every lint and check every safeguard's deadline: what CI runs.
///
/// Exit 0 when clean (warnings allowed), 1 when a safeguard is overdue or a
/// postmortem has a lint error, 2 when a file does not follow the schema.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Output format: lines on stderr, GitHub workflow annotations (and a
    /// step summary when GITHUB_STEP_SUMMARY is set), one JSON document, or
    /// reviewdog's Diagnostic Format (rdjson).
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,

    #[command(flatten)]
    history: HistoryArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Human,
    Github,
    Json,
    Rdjson,
}

pub(crate) fn run(ctx: &mut Ctx, args: &CheckArgs) -> Result<Outcome> {
    let checked = check::load_and_lint(ctx, args.history.today)?;
    let judged = Judged::new(ctx, args.history.branch.as_deref(), args.history.today)?;
    let report = check::report(ctx, &checked, &judged);
    let dangling = report.dangling();
    match args.format {
        CheckFormat::Human => {
            for d in &dangling {
                output::warn(super::dangling_message(ctx.repo(), d));
            }
            human(&report)
        }
        CheckFormat::Github => {
            for finding in &report.findings {
                ctx.out.line(annotations::annotation(finding))?;
            }
            for d in &dangling {
                let message = super::dangling_message(ctx.repo(), d);
                ctx.out.line(format_args!(
                    "::warning title=git-postmortem::{}",
                    annotations::escape_data(&message)
                ))?;
            }
            output::say(counts_line(&report));
            if output::step_summary_wanted() {
                let markdown = check::summary_markdown(ctx, &report)?;
                output::append_step_summary(&markdown, Join::Direct)?;
            }
        }
        CheckFormat::Json => ctx.out.json(&CheckJson::new(&report))?,
        CheckFormat::Rdjson => {
            let doc = rdjson::document(&report.findings, |path| checked.text_of(path));
            ctx.out.json(&doc)?;
        }
    }
    Ok(report.outcome)
}

/// `2 files checked: 1 error, 0 warnings; 3 safeguards: …`
fn counts_line(report: &CheckReport<'_>) -> String {
    format!(
        "{} file{} checked: {}; {}",
        report.files,
        plural(report.files),
        Report::new(&report.findings).summary(),
        status::summary(&report.rows)
    )
}

fn human(report: &CheckReport<'_>) {
    report.findings.iter().for_each(output::diagnostic);
    output::say(format_args!(
        "{} on {}",
        counts_line(report),
        report.judged.history.branch.name
    ));
}
