//! The digest (`digest`): what happened over a period of days ending today,
//! for a team channel, an email or a CI job summary. Which safeguards
//! shipped, which became overdue, what is overdue in all, which incidents
//! are new, what progress was noted, and the error-free counter. Pure: it
//! reads the safeguards' rows that `status` judged from the one history
//! scan, and never git itself.
//!
//! Days are calendar days as written: a commit counts on the day of its
//! committer date in its own offset, a postmortem on the day of its
//! `occurred_at` in its own offset, an update on its `at` date.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::model::{CommitId, Date, ItemKind, Timestamp};
use crate::source::Loaded;
use crate::stats::{self, ErrorFree};
use crate::status::{self, Row, SafeguardJson, SafeguardState};

/// The days a digest covers: `(today - days, today]`, that is the last
/// `days` days with today included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Period {
    /// The first day in the period.
    pub(crate) start: NaiveDate,
    /// The last day in the period: today.
    pub(crate) end: NaiveDate,
    pub(crate) days: u64,
}

impl Period {
    /// The `days` days that end with `today`; `days` is at least 1.
    pub(crate) fn ending(today: NaiveDate, days: u64) -> Period {
        let days = days.max(1);
        Period {
            start: today
                .checked_sub_days(Days::new(days - 1))
                .unwrap_or(NaiveDate::MIN),
            end: today,
            days,
        }
    }

    pub(crate) fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// The `digest --format json` document, also what the Markdown template
/// renders (with a few extras, see [`DigestView`]).
#[derive(Debug, Serialize)]
pub(crate) struct Digest<'a> {
    pub(crate) today: Date,
    pub(crate) period: PeriodJson,
    pub(crate) branch: &'a str,
    pub(crate) tip: String,
    pub(crate) error_free: ErrorFree,
    /// Safeguards whose shipping commit is dated in the period, oldest
    /// first.
    pub(crate) shipped: Vec<DigestSafeguard<'a>>,
    /// Safeguards that failed `check` for the first time in the period
    /// (`due` plus grace ran out) and still do, oldest deadline first.
    pub(crate) became_overdue: Vec<DigestSafeguard<'a>>,
    /// Every safeguard that fails `check` today, the latest first.
    pub(crate) overdue: Overdue<'a>,
    /// Postmortems whose incident began in the period, oldest first.
    pub(crate) new_postmortems: Vec<NewPostmortem<'a>>,
    /// Progress updates on actions and safeguards dated in the period,
    /// oldest first.
    pub(crate) updates: Vec<UpdateJson<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct PeriodJson {
    /// First day in the period, inclusive.
    pub(crate) start: Date,
    /// Last day in the period (today), inclusive.
    pub(crate) end: Date,
    pub(crate) days: u64,
}

/// A safeguard as `status --json` shows it, plus what the digest adds.
#[derive(Debug, Serialize)]
pub(crate) struct DigestSafeguard<'a> {
    #[serde(flatten)]
    pub(crate) safeguard: SafeguardJson<'a>,
    /// The shipping commit's abbreviated oid, when shipped.
    pub(crate) commit_short: Option<String>,
    /// The first day it counted as overdue, when it has a due date.
    pub(crate) overdue_since: Option<Date>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Overdue<'a> {
    pub(crate) count: usize,
    pub(crate) safeguards: Vec<DigestSafeguard<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct NewPostmortem<'a> {
    pub(crate) id: &'a str,
    pub(crate) path: &'a str,
    pub(crate) title: &'a str,
    pub(crate) severity: &'a str,
    pub(crate) status: &'static str,
    pub(crate) occurred_at: Timestamp,
}

#[derive(Debug, Serialize)]
pub(crate) struct UpdateJson<'a> {
    /// `<postmortem-id>/A<n>` or `<postmortem-id>/S<n>`.
    #[serde(rename = "ref")]
    pub(crate) reference: String,
    pub(crate) postmortem: &'a str,
    pub(crate) kind: ItemKind,
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) at: Date,
    pub(crate) note: &'a str,
}

/// What the digest is computed from.
pub(crate) struct Inputs<'a> {
    pub(crate) loaded: &'a [Loaded],
    pub(crate) rows: &'a [Row<'a>],
    pub(crate) period: Period,
    pub(crate) grace: std::time::Duration,
    pub(crate) branch: &'a str,
    pub(crate) tip: String,
    /// The abbreviated oid of a shipping commit.
    pub(crate) short_oid: &'a dyn Fn(&CommitId) -> String,
}

pub(crate) fn compute<'a>(inputs: &Inputs<'a>) -> Digest<'a> {
    let period = inputs.period;
    let entry = |row: &'a Row<'a>| DigestSafeguard {
        safeguard: SafeguardJson::of(row),
        commit_short: row.evidence.as_ref().map(|e| (inputs.short_oid)(&e.commit)),
        overdue_since: row
            .safeguard
            .due
            .filter(|_| !matches!(row.state, SafeguardState::Shipped | SafeguardState::Dropped))
            .map(|due| Date(status::overdue_from(due.0, inputs.grace))),
    };

    let mut shipped: Vec<&'a Row<'a>> = inputs
        .rows
        .iter()
        .filter(|row| {
            row.evidence
                .as_ref()
                .is_some_and(|e| period.contains(e.at.day().0))
        })
        .collect();
    shipped.sort_by_key(|row| row.evidence.as_ref().map(|e| (e.at, e.commit.clone())));

    let mut overdue: Vec<&'a Row<'a>> = inputs.rows.iter().filter(|r| r.fails_check()).collect();
    let mut became_overdue: Vec<&'a Row<'a>> = overdue
        .iter()
        .copied()
        .filter(|row| {
            row.safeguard
                .due
                .is_some_and(|due| period.contains(status::overdue_from(due.0, inputs.grace)))
        })
        .collect();
    became_overdue.sort_by_key(|row| row.safeguard.due);
    // Stable: equally late safeguards keep postmortem and file order.
    overdue.sort_by_key(|row| std::cmp::Reverse(row.days_overdue));

    let mut new_postmortems: Vec<NewPostmortem<'a>> = inputs
        .loaded
        .iter()
        .filter(|l| period.contains(l.postmortem.occurred_at.0.date_naive()))
        .map(|l| NewPostmortem {
            id: &l.id,
            path: &l.source.path,
            title: &l.postmortem.title,
            severity: &l.postmortem.severity,
            status: l.postmortem.status.as_str(),
            occurred_at: l.postmortem.occurred_at,
        })
        .collect();
    new_postmortems.sort_by_key(|p| p.occurred_at);

    let mut updates = Vec::new();
    for l in inputs.loaded {
        let pm = &l.postmortem;
        let actions = pm.actions.iter().map(|a| {
            (
                ItemKind::Action,
                a.id.as_str(),
                a.title.as_str(),
                &a.updates,
            )
        });
        let safeguards = pm.safeguards.iter().map(|s| {
            (
                ItemKind::Safeguard,
                s.id.as_str(),
                s.title.as_str(),
                &s.updates,
            )
        });
        for (kind, id, title, notes) in actions.chain(safeguards) {
            updates.extend(
                notes
                    .iter()
                    .filter(|u| period.contains(u.at.0))
                    .map(|u| UpdateJson {
                        reference: format!("{}/{id}", l.id),
                        postmortem: &l.id,
                        kind,
                        id,
                        title,
                        at: u.at,
                        note: &u.note,
                    }),
            );
        }
    }
    // Stable: same-day updates keep postmortem, then file order.
    updates.sort_by_key(|u| u.at);

    Digest {
        today: Date(period.end),
        period: PeriodJson {
            start: Date(period.start),
            end: Date(period.end),
            days: period.days,
        },
        branch: inputs.branch,
        tip: inputs.tip.clone(),
        error_free: stats::error_free(inputs.loaded, period.end),
        shipped: shipped.into_iter().map(entry).collect(),
        became_overdue: became_overdue.into_iter().map(entry).collect(),
        overdue: Overdue {
            count: overdue.len(),
            safeguards: overdue.into_iter().map(entry).collect(),
        },
        new_postmortems,
        updates,
    }
}

/// Overdue safeguards listed in the Markdown, at most; the rest are
/// counted (`--format json` has them all).
pub(crate) const OVERDUE_LISTED: usize = 50;

/// What the `digest.md` template sees: the JSON document and a few
/// things worked out for it.
#[derive(Debug, Serialize)]
pub(crate) struct DigestView<'a> {
    #[serde(flatten)]
    pub(crate) digest: &'a Digest<'a>,
    /// The period in words: `2026-11-20 to 2026-11-26`, or one day.
    pub(crate) period_text: String,
    pub(crate) tip_short: String,
    /// `2 safeguards shipped, 1 became overdue, …`.
    pub(crate) summary: String,
    pub(crate) overdue_listed: &'a [DigestSafeguard<'a>],
    pub(crate) overdue_unlisted: usize,
}

impl<'a> DigestView<'a> {
    pub(crate) fn new(digest: &'a Digest<'a>, tip_short: String) -> Self {
        let period = &digest.period;
        let period_text = if period.start == period.end {
            period.end.to_string()
        } else {
            format!("{} to {}", period.start, period.end)
        };
        let listed = digest.overdue.safeguards.len().min(OVERDUE_LISTED);
        DigestView {
            digest,
            period_text,
            tip_short,
            summary: summary(digest),
            overdue_listed: &digest.overdue.safeguards[..listed],
            overdue_unlisted: digest.overdue.safeguards.len() - listed,
        }
    }
}

/// One sentence with every count: `2 safeguards shipped, 1 became
/// overdue, 3 overdue in all; 1 new postmortem, 4 progress updates.`
pub(crate) fn summary(digest: &Digest<'_>) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} shipped, {} became overdue, {} overdue in all; {}, {}.",
        count(digest.shipped.len(), "safeguard", "safeguards"),
        digest.became_overdue.len(),
        digest.overdue.count,
        count(
            digest.new_postmortems.len(),
            "new postmortem",
            "new postmortems"
        ),
        count(digest.updates.len(), "progress update", "progress updates"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse::<Date>().expect("date").0
    }

    #[test]
    fn a_period_ends_today_and_excludes_its_start() {
        let week = Period::ending(day("2026-11-26"), 7);
        assert_eq!(
            (week.start, week.end),
            (day("2026-11-20"), day("2026-11-26"))
        );
        assert!(!week.contains(day("2026-11-19")));
        assert!(week.contains(day("2026-11-20")));
        assert!(week.contains(day("2026-11-26")));
        assert!(!week.contains(day("2026-11-27")));
        let today = Period::ending(day("2026-11-26"), 1);
        assert_eq!(today.start, today.end);
        let forever = Period::ending(day("2026-11-26"), u64::MAX);
        assert_eq!(forever.start, NaiveDate::MIN);
    }

    #[test]
    fn commits_count_on_their_own_day() {
        // 2026-11-20T23:30:00Z is already the 21st at +01:00.
        let t = 1_795_217_400;
        let commit_day = |seconds, offset| {
            Timestamp::from_unix(seconds, offset)
                .expect("in range")
                .day()
                .0
        };
        assert_eq!(commit_day(t, 0), day("2026-11-20"));
        assert_eq!(commit_day(t, 60), day("2026-11-21"));
    }
}
