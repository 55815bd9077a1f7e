//! `remind`: comment on the issue of every overdue safeguard, mentioning
//! its owner, at most once per period.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use crate::app::{Ctx, Outcome};
use crate::error::{Error, Result};
use crate::github::comments::reminder_marker;
use crate::github::remind::{self, Reminded, Reminder};
use crate::github::sync::is_login;
use crate::render::{self, REMINDER};
use crate::status::SafeguardState;

use super::session::{GitHubHints, Session};
use super::status::{HistoryArgs, Judged};

const REMIND_HINTS: GitHubHints = GitHubHints {
    permission: "`issues: write`",
    refused: "the token lacks permission: it needs `issues: write` on the repository",
    not_found: "check the repository name and the issue numbers in the postmortems (`git postmortem sync` records them)",
    again: "run `git postmortem remind` again: reminders already posted are found by their marker and not repeated",
};

/// Remind owners of overdue safeguards on their GitHub issues.
///
/// Posts one comment per overdue safeguard that has an issue, mentioning the
/// owner when it is a GitHub login, at most once per `--every` period: safe
/// to run hourly from a schedule. Needs GITHUB_TOKEN (or GH_TOKEN).
#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Print what would be posted; post nothing.
    #[arg(long)]
    dry_run: bool,

    /// At most one reminder per safeguard per this period (7d, 2w, 24h).
    #[arg(long, value_name = "PERIOD", default_value = "7d")]
    every: String,

    #[command(flatten)]
    history: HistoryArgs,
}

#[derive(Serialize)]
struct ReminderView<'a> {
    mention: Option<String>,
    owner: Option<&'a str>,
    id: &'a str,
    postmortem: &'a str,
    postmortem_title: &'a str,
    reference: String,
    due: String,
    days_overdue: i64,
    plural: bool,
    marker: String,
}

pub fn run(ctx: &mut Ctx, args: &RemindArgs) -> Result<Outcome> {
    let every_days = period_days(&args.every)?;
    let session = Session::open(ctx, "remind", &REMIND_HINTS)?;
    let (loaded, failed) = ctx.store().load_all()?;
    let outcome = super::list::report_failures(&failed);
    let judged = Judged::new(ctx, &args.history)?;
    let today = judged.today;
    let rows = judged.rows(ctx, &loaded);

    let mut reminders = Vec::new();
    let mut without_issue = Vec::new();
    for row in rows.iter().filter(|r| r.state == SafeguardState::Overdue) {
        let Some(issue) = row.safeguard.issue else {
            without_issue.push(row.reference.to_string());
            continue;
        };
        let reference = row.reference.to_string();
        let owner = row.safeguard.owner.as_deref();
        let title = loaded
            .iter()
            .find(|l| l.id == row.reference.postmortem)
            .map_or("", |l| l.postmortem.title.as_str());
        let view = ReminderView {
            mention: owner
                .filter(|o| is_login(o))
                .map(|o| format!("@{}", o.trim_start_matches('@'))),
            owner,
            id: &row.safeguard.id,
            postmortem: &row.reference.postmortem,
            postmortem_title: title,
            reference: reference.clone(),
            due: row.safeguard.due.map(|d| d.to_string()).unwrap_or_default(),
            days_overdue: row.days_overdue,
            plural: row.days_overdue != 1,
            marker: reminder_marker(&reference, today),
        };
        reminders.push(Reminder {
            body: render::render(Some(ctx.root()), REMINDER, &view)?,
            reference,
            issue,
            days_overdue: row.days_overdue,
        });
    }
    for reference in &without_issue {
        eprintln!(
            "warning: {reference} is overdue but has no issue yet; run `git postmortem sync`"
        );
    }

    let result = session.block_on(remind::remind(
        &session.client,
        &reminders,
        today,
        every_days,
        args.dry_run,
    ));
    let (done, failure) = match result {
        Ok(done) => (done, None),
        Err((done, e)) => (done, Some(e)),
    };
    let io = |e| Error::io("stdout", e);
    let mut posted = 0;
    for (r, what) in reminders.iter().zip(&done) {
        if matches!(what, Reminded::Posted | Reminded::Due) {
            posted += 1;
        }
        let line = match what {
            Reminded::Posted => {
                format!(
                    "reminded on #{} for {} ({} days overdue)",
                    r.issue, r.reference, r.days_overdue
                )
            }
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
        };
        writeln!(ctx.out, "{line}").map_err(io)?;
    }
    writeln!(
        ctx.out,
        "{} overdue safeguard{} with an issue: {posted} {}",
        reminders.len(),
        crate::diagnostic::plural(reminders.len()),
        if args.dry_run {
            "would be reminded (dry run)"
        } else {
            "reminded"
        }
    )
    .map_err(io)?;
    ctx.out.flush().map_err(io)?;
    session.debug_counts();
    match failure {
        Some(e) => Err(session.error(e)),
        None => Ok(outcome),
    }
}

/// Whole days in a period like `7d` or `2w`; at least one.
fn period_days(text: &str) -> Result<i64> {
    let duration = humantime::parse_duration(text).map_err(|e| Error::BadArgument {
        what: "--every".into(),
        message: format!("`{text}` is not a period like 7d or 2w: {e}"),
    })?;
    Ok(((duration.as_secs() / 86_400) as i64).max(1))
}
