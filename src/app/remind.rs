//! `remind`: the reminders for overdue safeguards with an issue, rendered
//! from the `reminder.md` template, posted through
//! [`crate::github::remind`] at most once per period.

use serde::Serialize;

use crate::error::Result;
use crate::github::comments::reminder_marker;
use crate::github::remind::{self, Reminded, Reminder};
use crate::github::sync::is_login;
use crate::model::{Date, Days, SafeguardRef};
use crate::output;
use crate::render::{Markup, REMINDER};
use crate::status::SafeguardState;

use super::github::{GitHubHints, Session};
use super::judge::Verdicts;
use super::{Ctx, Outcome};

const REMIND_HINTS: GitHubHints = GitHubHints {
    permission: "`issues: write`",
    refused: "the token lacks permission: it needs `issues: write` on the repository",
    not_found: "check the repository name and the issue numbers in the postmortems (`git postmortem sync` records them)",
    again: "run `git postmortem remind` again: reminders already posted are found by their marker and not repeated",
};

#[derive(Serialize)]
struct ReminderView<'a> {
    /// `@login`, meant to notify the owner.
    mention: Option<Markup>,
    owner: Option<&'a str>,
    id: &'a str,
    postmortem: &'a str,
    postmortem_title: &'a str,
    reference: String,
    due: String,
    days_overdue: i64,
    plural: bool,
    marker: Markup,
}

/// What `remind` did, reminder by reminder.
pub(crate) struct Reminders {
    pub(crate) reminders: Vec<Reminder>,
    pub(crate) done: Vec<Reminded>,
}

/// The options of a `remind` run.
pub(crate) struct RemindOptions<'a> {
    pub(crate) every: &'a str,
    pub(crate) dry_run: bool,
    pub(crate) branch: Option<&'a str>,
    pub(crate) today: Option<Date>,
}

/// Post (or, dry, list) a reminder on the issue of every overdue
/// safeguard. `on_done` prints what was done, also when GitHub failed part
/// way; the failure is returned after it.
pub(crate) fn remind(
    ctx: &Ctx,
    options: &RemindOptions<'_>,
    on_done: &mut dyn FnMut(&Reminders, i64) -> Result<()>,
) -> Result<Outcome> {
    let every: Days =
        options
            .every
            .parse()
            .map_err(|message| crate::error::Error::BadArgument {
                what: "--every".into(),
                message,
            })?;
    let every_days = i64::from(every.0);
    let session = Session::open(ctx, "remind", &REMIND_HINTS)?;
    let verdicts = Verdicts::gather(ctx, options.branch, options.today)?;
    let today = verdicts.judged.today;
    let rows = verdicts.rows(ctx);
    let mut reminders = Vec::new();
    let mut without_issue: Vec<&SafeguardRef> = Vec::new();
    for row in rows.iter().filter(|r| r.state == SafeguardState::Overdue) {
        let Some(issue) = row.safeguard.issue else {
            without_issue.push(&row.reference);
            continue;
        };
        let owner = row.safeguard.owner.as_deref();
        let title = verdicts
            .loaded
            .iter()
            .find(|l| l.id == row.reference.postmortem)
            .map_or("", |l| l.postmortem.title.as_str());
        let view = ReminderView {
            mention: owner
                .filter(|o| is_login(o))
                .map(|o| Markup(format!("@{}", o.trim_start_matches('@')))),
            owner,
            id: &row.safeguard.id,
            postmortem: &row.reference.postmortem,
            postmortem_title: title,
            reference: row.reference.to_string(),
            due: row.safeguard.due.map(|d| d.to_string()).unwrap_or_default(),
            days_overdue: row.days_overdue,
            plural: row.days_overdue != 1,
            marker: Markup(reminder_marker(&row.reference, today)),
        };
        reminders.push(Reminder {
            body: ctx.templates.render(REMINDER, &view)?,
            reference: row.reference.clone(),
            issue,
            days_overdue: row.days_overdue,
        });
    }
    for reference in &without_issue {
        output::warn(format_args!(
            "{reference} is overdue but has no issue yet; run `git postmortem sync`"
        ));
    }
    let result = session.block_on(remind::remind(
        &session.client,
        &reminders,
        today,
        every_days,
        options.dry_run,
    ));
    let (done, failure) = match result {
        Ok(done) => (done, None),
        Err((done, e)) => (done, Some(e)),
    };
    on_done(&Reminders { reminders, done }, every_days)?;
    session.debug_counts();
    match failure {
        Some(e) => Err(session.error(e)),
        None => Ok(verdicts.outcome),
    }
}
