//! Comments the tool keeps up to date: a sticky comment found again by its
//! hidden marker and edited in place, and periodic reminders found again
//! by theirs, so scheduled runs never spam.

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

/// Edit the one comment on `number` that carries `marker`, if there is
/// one; never create it. None when there is no such comment. `body` must
/// contain the marker.
pub(crate) async fn edit_sticky(
    api: &impl GitHubApi,
    number: u64,
    marker: &str,
    body: &str,
) -> ApiResult<Option<Upserted>> {
    debug_assert!(body.contains(marker));
    let comments = api.list_comments(number).await?;
    match comments
        .iter()
        .find(|c| c.body.as_deref().is_some_and(|b| b.contains(marker)))
    {
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

/// The latest day a reminder for `reference` was posted, from the markers
/// in `comments`.
pub(crate) fn last_reminder(comments: &[Comment], reference: &SafeguardRef) -> Option<NaiveDate> {
    let prefix = format!("<!-- git-postmortem: reminder {reference} on ");
    comments
        .iter()
        .filter_map(|c| c.body.as_deref())
        .filter_map(|body| {
            let start = body.find(&prefix)? + prefix.len();
            let date = body.get(start..start + 10)?;
            NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
        })
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

    #[test]
    fn reminders_once_per_period() {
        let comments = vec![
            Comment {
                id: 1,
                body: Some(format!(
                    "x {}",
                    reminder_marker(&r("pm/S1"), day("2026-11-10"))
                )),
            },
            Comment {
                id: 2,
                body: Some(format!(
                    "y {}",
                    reminder_marker(&r("pm/S1"), day("2026-11-19"))
                )),
            },
            Comment {
                id: 3,
                body: Some(reminder_marker(&r("pm/S2"), day("2026-11-25"))),
            },
        ];
        let last = last_reminder(&comments, &r("pm/S1"));
        assert_eq!(last, Some(day("2026-11-19")));
        assert!(!reminder_due(last, day("2026-11-25"), 7));
        assert!(reminder_due(last, day("2026-11-26"), 7));
        assert!(reminder_due(None, day("2026-11-26"), 7));
        assert_eq!(last_reminder(&comments, &r("pm/S3")), None);
    }
}
