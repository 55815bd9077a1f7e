//! `remind`: comment on the issue of every overdue safeguard, mentioning
//! its owner, at most once per period.

use clap::Args;

use crate::app::remind::{self, RemindOptions};
use crate::app::{Ctx, Outcome};
use crate::diagnostic::plural;
use crate::error::Result;
use crate::github::remind::Reminded;

use super::args::HistoryArgs;

/// Remind owners of overdue safeguards on their GitHub issues.
///
/// Posts one comment per overdue safeguard that has an issue, mentioning the
/// owner when it is a GitHub login, at most once per `--every` period: safe
/// to run hourly from a schedule. Needs GITHUB_TOKEN (or GH_TOKEN).
#[derive(Debug, Args)]
pub(crate) struct RemindArgs {
    /// Print what would be posted; post nothing.
    #[arg(long)]
    dry_run: bool,

    /// At most one reminder per safeguard per this period (7d, 2w, 24h).
    #[arg(long, value_name = "PERIOD", default_value = "7d")]
    every: String,

    #[command(flatten)]
    history: HistoryArgs,
}

pub(crate) fn run(ctx: &mut Ctx, args: &RemindArgs) -> Result<Outcome> {
    let options = RemindOptions {
        every: &args.every,
        dry_run: args.dry_run,
        branch: args.history.branch.as_deref(),
        today: args.history.today,
    };
    let out = &ctx.out;
    remind::remind(ctx, &options, &mut |result, every_days| {
        let mut posted = 0;
        for (r, what) in result.reminders.iter().zip(&result.done) {
            if matches!(what, Reminded::Posted | Reminded::Due) {
                posted += 1;
            }
            out.line(match what {
                Reminded::Posted => format!(
                    "reminded on #{} for {} ({} days overdue)",
                    r.issue, r.reference, r.days_overdue
                ),
                Reminded::Due => format!(
                    "would remind on #{} for {} ({} days overdue)",
                    r.issue, r.reference, r.days_overdue
                ),
                Reminded::Recent(day) => format!(
                    "not yet: #{} for {} was reminded on {day}; next on or after {}",
                    r.issue,
                    r.reference,
                    *day + chrono::Duration::days(every_days)
                ),
            })?;
        }
        let n = result.reminders.len();
        out.line(format_args!(
            "{n} overdue safeguard{} with an issue: {posted} {}",
            plural(n),
            if args.dry_run {
                "would be reminded (dry run)"
            } else {
                "reminded"
            }
        ))?;
        out.flush()
    })
}
