//! View models: what templates see. Times are formatted, durations
//! computed and commits resolved here, so templates stay declarative.

use serde::Serialize;

use crate::model::{CommitInfo, Postmortem, SafeguardStatus, Timestamp};

#[derive(Debug, Serialize)]
pub(crate) struct ShowView<'a> {
    pub(crate) id: &'a str,
    pub(crate) path: &'a str,
    pub(crate) title: &'a str,
    pub(crate) status: &'static str,
    pub(crate) severity: &'a str,
    pub(crate) occurred_at: String,
    pub(crate) detected_at: Option<String>,
    pub(crate) resolved_at: Option<String>,
    pub(crate) time_to_detect: Option<String>,
    pub(crate) time_to_resolve: Option<String>,
    pub(crate) authors: String,
    /// `services`, then `tags`, each joined with `, `.
    pub(crate) services: String,
    pub(crate) tags: String,
    pub(crate) reviewers: Vec<ReviewerView<'a>>,
    /// The postmortem with blank text and empty sections removed, so a
    /// template's `{{#if}}` means "has content".
    pub(crate) pm: Postmortem,
    pub(crate) trigger_commits: Vec<TriggerCommit<'a>>,
    pub(crate) trigger_ranges: Vec<TriggerRange<'a>>,
    pub(crate) safeguards: Vec<SafeguardView<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ReviewerView<'a> {
    pub(crate) name: &'a str,
    pub(crate) approved: bool,
}

/// A trigger commit as written, and what git knows of it (None when the
/// repository does not contain it).
#[derive(Debug, Serialize)]
pub(crate) struct TriggerCommit<'a> {
    pub(crate) rev: &'a str,
    pub(crate) commit: Option<CommitInfo>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TriggerRange<'a> {
    pub(crate) range: &'a str,
    pub(crate) commits: Vec<CommitInfo>,
    pub(crate) truncated: bool,
    pub(crate) error: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SafeguardView<'a> {
    #[serde(flatten)]
    pub(crate) safeguard: &'a crate::model::Safeguard,
    pub(crate) dropped: bool,
    pub(crate) issue_url: Option<String>,
}

impl<'a> SafeguardView<'a> {
    pub(crate) fn new(safeguard: &'a crate::model::Safeguard, repo: Option<&str>) -> Self {
        SafeguardView {
            safeguard,
            dropped: safeguard.status == SafeguardStatus::Dropped,
            issue_url: match (safeguard.issue, repo) {
                (Some(n), Some(repo)) => Some(format!("https://github.com/{repo}/issues/{n}")),
                _ => None,
            },
        }
    }
}

impl<'a> ShowView<'a> {
    pub(crate) fn new(id: &'a str, path: &'a str, pm: &'a Postmortem) -> Self {
        ShowView {
            id,
            path,
            title: &pm.title,
            status: pm.status.as_str(),
            severity: &pm.severity,
            occurred_at: format_time(&pm.occurred_at),
            detected_at: pm.detected_at.as_ref().map(format_time),
            resolved_at: pm.resolved_at.as_ref().map(format_time),
            time_to_detect: pm.detected_at.map(|d| between(&pm.occurred_at, &d)),
            time_to_resolve: pm.resolved_at.map(|r| between(&pm.occurred_at, &r)),
            authors: pm.authors.join(", "),
            services: pm.services.join(", "),
            tags: pm.tags.join(", "),
            reviewers: pm
                .reviewers
                .iter()
                .map(|r| ReviewerView {
                    name: r,
                    approved: pm.approved_by.contains(r),
                })
                .collect(),
            pm: without_blanks(pm),
            trigger_commits: Vec::new(),
            trigger_ranges: Vec::new(),
            safeguards: Vec::new(),
        }
    }
}

/// `2026-11-24 14:02 UTC`, or with the written offset when not UTC.
pub(crate) fn format_time(t: &Timestamp) -> String {
    let offset = t.0.offset().local_minus_utc();
    if offset == 0 {
        t.0.format("%Y-%m-%d %H:%M UTC").to_string()
    } else {
        t.0.format("%Y-%m-%d %H:%M %:z").to_string()
    }
}

/// The time from `a` to `b` as `42m`, `1h 5m` or `2d 3h`.
pub(crate) fn between(a: &Timestamp, b: &Timestamp) -> String {
    let minutes = b.0.signed_duration_since(a.0).num_minutes();
    if minutes < 0 {
        return format!("-{}", human_minutes(-minutes));
    }
    human_minutes(minutes)
}

pub(crate) fn human_minutes(minutes: i64) -> String {
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours, mins) {
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, 0, _) => format!("{d}d"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

/// A copy of `pm` where blank strings are `None` and sections with nothing
/// in them are gone.
pub(crate) fn without_blanks(pm: &Postmortem) -> Postmortem {
    fn text(s: &Option<String>) -> Option<String> {
        s.as_ref().filter(|s| !s.trim().is_empty()).cloned()
    }
    let mut pm = pm.clone();
    pm.summary = text(&pm.summary);
    pm.impact = pm.impact.take().and_then(|mut i| {
        i.description = text(&i.description);
        i.revenue_lost = text(&i.revenue_lost);
        (i.description.is_some() || i.users_affected.is_some() || i.revenue_lost.is_some())
            .then_some(i)
    });
    pm.trigger = pm.trigger.take().and_then(|mut t| {
        t.note = text(&t.note);
        (t.note.is_some() || !t.commits.is_empty() || !t.ranges.is_empty()).then_some(t)
    });
    pm.accountability = pm
        .accountability
        .take()
        .filter(|a| !a.statement.trim().is_empty());
    for f in &mut pm.factors {
        f.note = text(&f.note);
    }
    pm
}
