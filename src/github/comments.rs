//! Comments the tool keeps up to date: a sticky comment found again by its
//! hidden marker and edited in place, and periodic reminders found again
//! by theirs, so scheduled runs never spam. Anyone who can comment can
//! write a marker, so only comments by the token's own account
//! ([`GitHubApi::login`]) count.

use chrono::NaiveDate;

use crate::model::SafeguardRef;

use crate::github::api::{ApiResult, Comment, GitHubApi};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Upserted {
    Created(u64),
    Updated(u64),
    Unchanged(u64),
}

/// Create or edit the one comment on `number` that carries `marker`.
/// `body` must contain the marker.
pub(crate) async fn upsert_sticky(
    api: &impl GitHubApi,
    number: u64,
    marker: &str,
    body: &str,
) -> ApiResult<Upserted> {
    match edit_sticky(api, number, marker, body).await? {
        Some(done) => Ok(done),
        None => api
            .create_comment(number, body)
            .await
            .map(Upserted::Created),
    }
}

/// Edit the one comment on `number` that carries `marker` and was written
/// by the token's own account, if there is one; never create it. None
/// when there is no such comment. `body` must contain the marker.
pub(crate) async fn edit_sticky(
    api: &impl GitHubApi,
    number: u64,
    marker: &str,
    body: &str,
) -> ApiResult<Option<Upserted>> {
    debug_assert!(body.contains(marker));
    let comments = api.list_comments(number).await?;
    let marked: Vec<&Comment> = comments
        .iter()
        .filter(|c| c.body.as_deref().is_some_and(|b| b.contains(marker)))
        .collect();
    if marked.is_empty() {
        return Ok(None);
    }
    let me = api.login().await?;
    match marked.into_iter().find(|c| c.is_by(&me)) {
        Some(c) if c.body.as_deref() == Some(body) => Ok(Some(Upserted::Unchanged(c.id))),
        Some(c) => {
            api.update_comment(c.id, body).await?;
            Ok(Some(Upserted::Updated(c.id)))
        }
        None => Ok(None),
    }
}

/// `<!-- git-postmortem: reminder <ref> on <date> -->`
pub(crate) fn reminder_marker(reference: &SafeguardRef, on: NaiveDate) -> String {
    format!(
        "<!-- git-postmortem: reminder {reference} on {} -->",
        on.format("%Y-%m-%d")
    )
}

/// The day in `comment`'s reminder marker for `reference`, if it has one.
fn reminder_date(comment: &Comment, reference: &SafeguardRef) -> Option<NaiveDate> {
    let prefix = format!("<!-- git-postmortem: reminder {reference} on ");
    let body = comment.body.as_deref()?;
    let start = body.find(&prefix)? + prefix.len();
    let date = body.get(start..start + 10)?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

/// Whether some comment carries a reminder marker for `reference`, by
/// anyone: only then does it matter who wrote it.
pub(crate) fn has_reminder_marker(comments: &[Comment], reference: &SafeguardRef) -> bool {
    comments
        .iter()
        .any(|c| reminder_date(c, reference).is_some())
}

/// The latest day a reminder for `reference` was posted, from the markers
/// in the comments `me` wrote. A day after `today` is ignored: no
/// reminder was posted in the future.
pub(crate) fn last_reminder(
    comments: &[Comment],
    reference: &SafeguardRef,
    me: &str,
    today: NaiveDate,
) -> Option<NaiveDate> {
    comments
        .iter()
        .filter(|c| c.is_by(me))
        .filter_map(|c| reminder_date(c, reference))
        .filter(|day| *day <= today)
        .max()
}

/// Whether a reminder is due: none yet, or the last is at least `every`
/// days old.
pub(crate) fn reminder_due(last: Option<NaiveDate>, today: NaiveDate, every_days: i64) -> bool {
    last.is_none_or(|last| (today - last).num_days() >= every_days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> SafeguardRef {
        s.parse().expect("reference")
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn comment(id: u64, login: &str, body: String) -> Comment {
        Comment {
            id,
            body: Some(body),
            user: Some(crate::github::api::User {
                login: login.into(),
            }),
        }
    }

    #[test]
    fn reminders_once_per_period() {
        let today = day("2026-11-25");
        let comments = vec![
            comment(
                1,
                "bot",
                format!("x {}", reminder_marker(&r("pm/S1"), day("2026-11-10"))),
            ),
            comment(
                2,
                "Bot",
                format!("y {}", reminder_marker(&r("pm/S1"), day("2026-11-19"))),
            ),
            comment(3, "bot", reminder_marker(&r("pm/S2"), day("2026-11-25"))),
        ];
        let last = last_reminder(&comments, &r("pm/S1"), "bot", today);
        assert_eq!(last, Some(day("2026-11-19")));
        assert!(!reminder_due(last, day("2026-11-25"), 7));
        assert!(reminder_due(last, day("2026-11-26"), 7));
        assert!(reminder_due(None, day("2026-11-26"), 7));
        assert_eq!(last_reminder(&comments, &r("pm/S3"), "bot", today), None);
    }

    #[test]
    fn forged_and_future_reminder_markers_do_not_count() {
        let today = day("2026-11-25");
        let comments = vec![
            comment(
                1,
                "mallory",
                reminder_marker(&r("pm/S1"), day("2026-11-24")),
            ),
            comment(2, "bot", reminder_marker(&r("pm/S1"), day("2099-12-31"))),
            Comment {
                id: 3,
                body: Some(reminder_marker(&r("pm/S1"), day("2026-11-24"))),
                user: None,
            },
        ];
        assert!(has_reminder_marker(&comments, &r("pm/S1")));
        assert_eq!(last_reminder(&comments, &r("pm/S1"), "bot", today), None);
        assert!(!has_reminder_marker(&comments, &r("pm/S2")));
    }
}
