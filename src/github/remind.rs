//! `remind`: one comment per overdue safeguard's issue per period. Earlier
//! reminders are found by their hidden marker, which carries the day they
//! were posted, so an hourly schedule never spams.

use chrono::NaiveDate;

use crate::model::SafeguardRef;

use crate::github::api::{ApiError, GitHubApi};
use crate::github::comments::{has_reminder_marker, last_reminder, reminder_due};

/// An overdue safeguard with an issue, and the reminder to post on it.
#[derive(Debug, Clone)]
pub(crate) struct Reminder {
    pub(crate) reference: SafeguardRef,
    pub(crate) issue: u64,
    pub(crate) days_overdue: i64,
    /// The comment, its marker included.
    pub(crate) body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reminded {
    Posted,
    /// Would be posted (dry run).
    Due,
    /// Reminded on that day, within the period.
    Recent(NaiveDate),
}

/// For each reminder, read the issue's comments and post it when the
/// token's own account posted none within `every_days`. Stops at the first GitHub failure, with what
/// was done so far.
pub(crate) async fn remind(
    api: &impl GitHubApi,
    reminders: &[Reminder],
    today: NaiveDate,
    every_days: i64,
    dry_run: bool,
) -> Result<Vec<Reminded>, (Vec<Reminded>, ApiError)> {
    let mut done = Vec::new();
    for r in reminders {
        let comments = match api.list_comments(r.issue).await {
            Ok(c) => c,
            Err(e) => return Err((done, e)),
        };
        // Whose comments carry markers matters only when some do.
        let last = if has_reminder_marker(&comments, &r.reference) {
            match api.login().await {
                Ok(me) => last_reminder(&comments, &r.reference, &me, today),
                Err(e) => return Err((done, e)),
            }
        } else {
            None
        };
        if !reminder_due(last, today, every_days) {
            done.push(Reminded::Recent(last.unwrap_or(today)));
            continue;
        }
        if dry_run {
            done.push(Reminded::Due);
            continue;
        }
        match api.create_comment(r.issue, &r.body).await {
            Ok(_) => done.push(Reminded::Posted),
            Err(e) => return Err((done, e)),
        }
    }
    Ok(done)
}
