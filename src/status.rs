//! The state of every safeguard (SPEC 3): pure decisions from a postmortem,
//! the ship evidence found in history, the GitHub issue's state when known,
//! and the day it is. No I/O; `status`, `check` and `stats` all read this.

use std::collections::HashMap;
use std::time::Duration;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{
    closest_reference, Action, ActionStatus, CommitSeen, Date, IssueLinks, IssueState, Predates,
    Proof, Safeguard, SafeguardKind, SafeguardRef, SafeguardStatus, ShipEvidence, Timestamp, Via,
};
use crate::source::Loaded;

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub(crate) enum SafeguardState {
    Shipped,
    Pending,
    Overdue,
    ClosedUnverified,
    /// Its issue was closed as not planned, and nothing ships it.
    ClosedNotPlanned,
    /// Every commit that shipped it was reverted on the branch.
    Reverted,
    /// The history is incomplete (a shallow clone): it may have shipped
    /// before the oldest commit there is.
    Unknown,
    Dropped,
}

impl SafeguardState {
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The state of one safeguard and, when its deadline has passed, by how
/// many days.
///
/// In order: a shipping commit makes it `shipped` (even when it was later
/// dropped: the protection is in the code); `status = "dropped"` makes it
/// `dropped`; a closed issue without a shipping commit is
/// `closed-unverified`; otherwise it is `overdue` when `due + grace` is
/// before `today` and `pending` when not, or when it has no due date.
/// The grace counts whole days. `days_overdue` is also reported for a
/// `closed-unverified` safeguard past its deadline, so that `check` can
/// still fail on it: closing a ticket is not shipping.
pub(crate) fn state(
    safeguard: &Safeguard,
    shipped: bool,
    issue: Option<&IssueState>,
    today: NaiveDate,
    grace: Duration,
) -> (SafeguardState, i64) {
    if shipped {
        return (SafeguardState::Shipped, 0);
    }
    if safeguard.status == SafeguardStatus::Dropped {
        return (SafeguardState::Dropped, 0);
    }
    let days_overdue = safeguard.due.map_or(0, |due| {
        (today - last_day_on_time(due.0, grace)).num_days().max(0)
    });
    if issue.is_some_and(IssueState::is_not_planned) {
        return (SafeguardState::ClosedNotPlanned, days_overdue);
    }
    if issue.is_some_and(IssueState::is_closed) {
        return (SafeguardState::ClosedUnverified, days_overdue);
    }
    if days_overdue > 0 {
        (SafeguardState::Overdue, days_overdue)
    } else {
        (SafeguardState::Pending, 0)
    }
}

/// The last day a safeguard due on `due` is still on time: `due` plus the
/// grace in whole days. It counts as overdue from the day after.
pub(crate) fn last_day_on_time(due: NaiveDate, grace: Duration) -> NaiveDate {
    let grace_days = grace.as_secs() / 86_400;
    due.checked_add_days(chrono::Days::new(grace_days))
        .unwrap_or(NaiveDate::MAX)
}

/// Whether `shipped` landed on time for a safeguard due on `due`: on or
/// before [`last_day_on_time`], the shipping commit's day as its committer
/// wrote it.
pub(crate) fn shipped_on_time(shipped: &ShipEvidence, due: Date, grace: Duration) -> bool {
    shipped.at.day().0 <= last_day_on_time(due.0, grace)
}

/// The first day a safeguard due on `due` counts as overdue.
pub(crate) fn overdue_from(due: NaiveDate, grace: Duration) -> NaiveDate {
    last_day_on_time(due, grace)
        .succ_opt()
        .unwrap_or(NaiveDate::MAX)
}

/// One safeguard with what is known about it.
#[derive(Debug, Clone)]
pub(crate) struct Row<'a> {
    pub(crate) reference: SafeguardRef,
    /// Its position in the postmortem's `safeguards`, to locate it.
    pub(crate) index: usize,
    pub(crate) path: &'a str,
    pub(crate) safeguard: &'a Safeguard,
    pub(crate) state: SafeguardState,
    pub(crate) days_overdue: i64,
    /// The commit that shipped it (state `shipped`).
    pub(crate) evidence: Option<ShipEvidence>,
    /// The shipping commit and the commit that reverted it (state
    /// `reverted`, or a later state such as `dropped`).
    pub(crate) reverted: Option<(ShipEvidence, CommitSeen)>,
    /// Open pull requests that will close the safeguard's still-open
    /// issue, as `sync` last saw them.
    pub(crate) closing_pull_requests: Vec<u64>,
    /// The latest commit that references it but is older than the
    /// incident (or the issue), when no commit ships it: why it did not
    /// count.
    pub(crate) predates: Option<(ShipEvidence, Predates)>,
}

impl Row<'_> {
    /// Overdue, or past its deadline without a live shipping commit
    /// (closed, closed as not planned, reverted): what makes `check` fail.
    pub(crate) fn fails_check(&self) -> bool {
        match self.state {
            SafeguardState::Overdue => true,
            SafeguardState::ClosedUnverified
            | SafeguardState::ClosedNotPlanned
            | SafeguardState::Reverted => self.days_overdue > 0,
            _ => false,
        }
    }
}

/// What history proves about a safeguard, by its reference or its issue,
/// for an incident that occurred at the time given.
pub(crate) type EvidenceFn<'a> =
    dyn Fn(&SafeguardRef, Option<u64>, &Timestamp) -> Option<Proof> + 'a;

/// What the status of a repository is judged with.
pub(crate) struct Judge<'a> {
    /// What history proves about a safeguard (by its reference, or by
    /// closing its issue) of an incident that occurred at the time given.
    pub(crate) evidence: &'a EvidenceFn<'a>,
    /// Whether the history holds every commit; when not, what it does not
    /// prove is `unknown`.
    pub(crate) history_complete: bool,
    pub(crate) today: NaiveDate,
    pub(crate) grace: Duration,
    /// Issue states recorded by `sync`, by issue number; empty until a
    /// sync has run.
    pub(crate) issues: &'a HashMap<u64, IssueState>,
    /// What closed each issue and which open pull requests will, by issue
    /// number, as `sync` recorded it; empty until a sync has read it.
    pub(crate) links: &'a HashMap<u64, IssueLinks>,
}

/// Every safeguard of every postmortem, in postmortem id order and then
/// file order.
pub(crate) fn rows<'a>(loaded: &'a [Loaded], judge: &Judge<'_>) -> Vec<Row<'a>> {
    let mut rows = Vec::new();
    for pm in loaded {
        for (index, safeguard) in pm.postmortem.safeguards.iter().enumerate() {
            let reference = SafeguardRef::new(&pm.id, &safeguard.id);
            let proof = (judge.evidence)(&reference, safeguard.issue, &pm.postmortem.occurred_at);
            let (evidence, reverted, predates) = match proof {
                Some(Proof::Shipped(evidence)) => (Some(evidence), None, None),
                Some(Proof::Reverted { shipped, by }) => (None, Some((shipped, by)), None),
                Some(Proof::Predates { seen, what }) => (None, None, Some((seen, what))),
                None => (None, None, None),
            };
            let issue = safeguard.issue.and_then(|n| judge.issues.get(&n));
            let (mut state, mut days_overdue) = state(
                safeguard,
                evidence.is_some(),
                issue,
                judge.today,
                judge.grace,
            );
            let proven = matches!(state, SafeguardState::Shipped | SafeguardState::Dropped);
            if !proven && !judge.history_complete {
                (state, days_overdue) = (SafeguardState::Unknown, 0);
            } else if !proven && reverted.is_some() {
                state = SafeguardState::Reverted;
            }
            let closing_pull_requests = match (safeguard.issue, issue) {
                (Some(n), Some(IssueState::Open)) => judge
                    .links
                    .get(&n)
                    .map(|l| l.closing_prs.clone())
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            rows.push(Row {
                reference,
                index,
                path: &pm.source.path,
                safeguard,
                state,
                days_overdue,
                evidence,
                reverted,
                closing_pull_requests,
                predates,
            });
        }
    }
    rows
}

/// Why the commit of [`Row::predates`] did not ship the safeguard:
/// "the closing reference to #124 in 9f2c1e0 (2019-01-01) predates the
/// incident". `short` abbreviates a commit id.
pub(crate) fn predates_note(
    row: &Row<'_>,
    short: &dyn Fn(&crate::model::CommitId) -> String,
) -> Option<String> {
    let (seen, what) = row.predates.as_ref()?;
    let how = match seen.via {
        Via::Trailer => format!("the trailer `Postmortem-Safeguard: {}`", row.reference),
        Via::ClosingRef => format!(
            "the closing reference to #{}",
            row.safeguard.issue.unwrap_or(0)
        ),
        Via::PullRequest => format!("the merge of #{}", seen.pull_request.unwrap_or(0)),
    };
    let older = match what {
        Predates::Incident => "the incident".to_string(),
        Predates::Issue => format!("issue #{}", row.safeguard.issue.unwrap_or(0)),
    };
    Some(format!(
        "{how} in {} ({}) predates {older}",
        short(&seen.commit),
        seen.at.day()
    ))
}

/// Where an action stands on `today`, in the words `status` uses: `done`,
/// `dropped`, `overdue` once `due` plus the grace has passed (as for a
/// safeguard), else `open`; and by how many days it is late.
pub(crate) fn action_state(
    action: &Action,
    today: NaiveDate,
    grace: Duration,
) -> (&'static str, i64) {
    match action.status {
        ActionStatus::Done => ("done", 0),
        ActionStatus::Dropped => ("dropped", 0),
        ActionStatus::Open => {
            let late = action.due.map_or(0, |due| {
                (today - last_day_on_time(due.0, grace)).num_days().max(0)
            });
            if late > 0 {
                ("overdue", late)
            } else {
                ("open", 0)
            }
        }
    }
}

/// The states an action can be in, as [`action_state`] names them.
pub(crate) const ACTION_STATES: [&str; 4] = ["open", "overdue", "done", "dropped"];

/// An action of the plan and where it stands: what `status --owner` and
/// `status --mine` list beside the safeguards.
#[derive(Debug, Serialize)]
pub(crate) struct ActionRow<'a> {
    /// `<postmortem-id>/A<n>`.
    #[serde(rename = "ref")]
    pub(crate) reference: String,
    pub(crate) postmortem: &'a str,
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) owner: Option<&'a str>,
    pub(crate) due: Option<Date>,
    /// `open`, `overdue`, `done` or `dropped`.
    pub(crate) state: &'static str,
    pub(crate) days_overdue: i64,
    /// Why it was dropped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<&'a str>,
}

/// Every action of every postmortem, in postmortem id order and then file
/// order.
pub(crate) fn action_rows<'a>(
    loaded: &'a [Loaded],
    today: NaiveDate,
    grace: Duration,
) -> Vec<ActionRow<'a>> {
    let mut rows = Vec::new();
    for pm in loaded {
        for action in &pm.postmortem.actions {
            let (state, days_overdue) = action_state(action, today, grace);
            rows.push(ActionRow {
                reference: format!("{}/{}", pm.id, action.id),
                postmortem: &pm.id,
                id: &action.id,
                title: &action.title,
                owner: action.owner.as_deref(),
                due: action.due,
                state,
                days_overdue,
                reason: action.reason.as_deref(),
            });
        }
    }
    rows
}

/// A `Postmortem-Safeguard` trailer on the branch that names no safeguard:
/// a typo that would otherwise surface only when the safeguard turns
/// overdue.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Dangling<'a> {
    /// The trailer's value, as written.
    pub(crate) value: &'a str,
    /// The oldest commit that carries it.
    pub(crate) commit: &'a crate::model::CommitId,
    /// The existing reference closest to it, when one is close.
    pub(crate) did_you_mean: Option<String>,
}

/// The trailer values (with their commit) that name none of `known`,
/// compared case-insensitively, each with the closest known reference.
pub(crate) fn dangling<'a>(
    values: &'a [(&'a str, CommitSeen)],
    known: &[SafeguardRef],
) -> Vec<Dangling<'a>> {
    let lower: std::collections::HashSet<String> = known
        .iter()
        .map(|k| k.to_string().to_ascii_lowercase())
        .collect();
    values
        .iter()
        .filter(|(value, _)| !lower.contains(&value.to_ascii_lowercase()))
        .map(|(value, seen)| Dangling {
            value,
            commit: &seen.commit,
            did_you_mean: closest_reference(value, known).map(ToString::to_string),
        })
        .collect()
}

/// How many safeguards are in each state, every state present.
pub(crate) fn counts(rows: &[Row<'_>]) -> Vec<(SafeguardState, usize)> {
    <SafeguardState as strum::VariantArray>::VARIANTS
        .iter()
        .map(|s| (*s, rows.iter().filter(|r| r.state == *s).count()))
        .collect()
}

/// `5 safeguards: 2 shipped, 1 pending, 1 overdue, 1 dropped` (states with
/// none left out).
pub(crate) fn summary(rows: &[Row<'_>]) -> String {
    let parts: Vec<String> = counts(rows)
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {}", s.as_str()))
        .collect();
    let n = rows.len();
    let head = format!("{n} safeguard{}", crate::diagnostic::plural(n));
    if parts.is_empty() {
        head
    } else {
        format!("{head}: {}", parts.join(", "))
    }
}

/// The `status --json` document (SPEC 4).
#[derive(Debug, Serialize)]
pub(crate) struct StatusDocument<'a> {
    pub(crate) today: String,
    pub(crate) branch: &'a str,
    pub(crate) tip: String,
    /// Written only when false: a shallow clone, where unproven safeguards
    /// are `unknown`.
    #[serde(skip_serializing_if = "is_true")]
    pub(crate) history_complete: bool,
    pub(crate) safeguards: Vec<SafeguardJson<'a>>,
    /// Trailers on the branch that name no safeguard; written when there
    /// are any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) dangling_trailers: Vec<Dangling<'a>>,
    /// The selected owners' actions: written with `--owner` or `--mine`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) actions: Option<Vec<ActionRow<'a>>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SafeguardJson<'a> {
    #[serde(rename = "ref")]
    pub(crate) reference: &'a SafeguardRef,
    pub(crate) postmortem: &'a str,
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) kind: Option<SafeguardKind>,
    pub(crate) owner: Option<&'a str>,
    pub(crate) due: Option<Date>,
    pub(crate) issue: Option<u64>,
    pub(crate) state: SafeguardState,
    pub(crate) days_overdue: i64,
    pub(crate) shipped_by: Option<ShippedBy<'a>>,
    /// Open pull requests that will close the still-open issue.
    #[serde(skip_serializing_if = "<[u64]>::is_empty")]
    pub(crate) closing_pull_requests: &'a [u64],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reverted: Option<RevertedJson<'a>>,
    /// The latest commit that references it but does not count, being
    /// older than the incident or the issue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) predating_commit: Option<PredatingJson<'a>>,
}

/// A commit that references a safeguard but is too old to ship it.
#[derive(Debug, Serialize)]
pub(crate) struct PredatingJson<'a> {
    pub(crate) commit: &'a crate::model::CommitId,
    pub(crate) date: crate::model::Timestamp,
    pub(crate) subject: &'a str,
    pub(crate) via: Via,
    /// `incident` or `issue`.
    pub(crate) predates: Predates,
}

fn is_true(value: &bool) -> bool {
    *value
}

/// A reverted shipping commit and its revert.
#[derive(Debug, Serialize)]
pub(crate) struct RevertedJson<'a> {
    pub(crate) commit: &'a crate::model::CommitId,
    pub(crate) date: crate::model::Timestamp,
    pub(crate) subject: &'a str,
    pub(crate) via: Via,
    pub(crate) by: RevertJson<'a>,
}

/// The commit that reverted a shipping commit.
#[derive(Debug, Serialize)]
pub(crate) struct RevertJson<'a> {
    pub(crate) commit: &'a crate::model::CommitId,
    pub(crate) date: crate::model::Timestamp,
    pub(crate) subject: &'a str,
}

#[derive(Debug, Serialize)]
pub(crate) struct ShippedBy<'a> {
    pub(crate) commit: &'a crate::model::CommitId,
    pub(crate) date: crate::model::Timestamp,
    pub(crate) subject: &'a str,
    pub(crate) via: Via,
    /// The pull request, when `via` is `pull-request`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) pull_request: Option<u64>,
}

impl<'a> SafeguardJson<'a> {
    pub(crate) fn of(row: &'a Row<'a>) -> Self {
        SafeguardJson {
            reference: &row.reference,
            postmortem: &row.reference.postmortem,
            id: &row.safeguard.id,
            title: &row.safeguard.title,
            kind: row.safeguard.kind,
            owner: row.safeguard.owner.as_deref(),
            due: row.safeguard.due,
            issue: row.safeguard.issue,
            state: row.state,
            days_overdue: row.days_overdue,
            shipped_by: row.evidence.as_ref().map(|e| ShippedBy {
                commit: &e.commit,
                date: e.at,
                subject: &e.subject,
                via: e.via,
                pull_request: e.pull_request,
            }),
            closing_pull_requests: &row.closing_pull_requests,
            reverted: row.reverted.as_ref().map(|(e, by)| RevertedJson {
                commit: &e.commit,
                date: e.at,
                subject: &e.subject,
                via: e.via,
                by: RevertJson {
                    commit: &by.commit,
                    date: by.at,
                    subject: &by.subject,
                },
            }),
            predating_commit: row.predates.as_ref().map(|(e, what)| PredatingJson {
                commit: &e.commit,
                date: e.at,
                subject: &e.subject,
                via: e.via,
                predates: *what,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safeguard(due: Option<&str>, dropped: bool) -> Safeguard {
        Safeguard {
            id: "S1".into(),
            title: "t".into(),
            kind: None,
            owner: None,
            due: due.map(|d| d.parse().expect("date")),
            issue: None,
            status: if dropped {
                SafeguardStatus::Dropped
            } else {
                SafeguardStatus::Active
            },
            reason: None,
            updates: Vec::new(),
            lint_allow: Vec::new(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse::<Date>().expect("date").0
    }

    const NO_GRACE: Duration = Duration::ZERO;

    fn closed() -> IssueState {
        IssueState::Closed { reason: None }
    }

    #[test]
    fn shipped_wins_over_everything() {
        let s = safeguard(Some("2026-01-01"), true);
        let got = state(&s, true, Some(&closed()), day("2026-11-26"), NO_GRACE);
        assert_eq!(got, (SafeguardState::Shipped, 0));
    }

    #[test]
    fn dropped_unless_shipped() {
        let s = safeguard(Some("2026-01-01"), true);
        let got = state(&s, false, Some(&closed()), day("2026-11-26"), NO_GRACE);
        assert_eq!(got, (SafeguardState::Dropped, 0));
    }

    #[test]
    fn overdue_only_after_due_plus_grace() {
        let s = safeguard(Some("2026-11-20"), false);
        let today = day("2026-11-26");
        assert_eq!(
            state(&s, false, None, today, NO_GRACE),
            (SafeguardState::Overdue, 6)
        );
        let week = Duration::from_secs(7 * 86_400);
        assert_eq!(
            state(&s, false, None, today, week),
            (SafeguardState::Pending, 0)
        );
        let five_and_a_half = Duration::from_secs(5 * 86_400 + 12 * 3600);
        assert_eq!(
            state(&s, false, None, today, five_and_a_half),
            (SafeguardState::Overdue, 1)
        );
        // Due today is not overdue yet.
        let s = safeguard(Some("2026-11-26"), false);
        assert_eq!(
            state(&s, false, None, today, NO_GRACE),
            (SafeguardState::Pending, 0)
        );
    }

    #[test]
    fn no_due_date_is_pending_forever() {
        let s = safeguard(None, false);
        assert_eq!(
            state(
                &s,
                false,
                Some(&IssueState::Open),
                day("2099-01-01"),
                NO_GRACE
            ),
            (SafeguardState::Pending, 0)
        );
    }

    #[test]
    fn a_closed_issue_without_a_commit_is_closed_unverified() {
        let today = day("2026-11-26");
        let late = safeguard(Some("2026-11-20"), false);
        assert_eq!(
            state(&late, false, Some(&closed()), today, NO_GRACE),
            (SafeguardState::ClosedUnverified, 6)
        );
        let early = safeguard(Some("2026-12-20"), false);
        assert_eq!(
            state(&early, false, Some(&closed()), today, NO_GRACE),
            (SafeguardState::ClosedUnverified, 0)
        );
        assert_eq!(
            state(&early, false, Some(&IssueState::Open), today, NO_GRACE),
            (SafeguardState::Pending, 0)
        );
    }

    #[test]
    fn actions_are_open_until_their_deadline_passes() {
        let day = |s: &str| s.parse::<crate::model::Date>().expect("date").0;
        let pm = crate::model::parse(&format!("schema = 1\ntitle = \"t\"\nstatus = \"draft\"\nseverity = \"sev2\"\noccurred_at = 2026-11-20T10:00:00Z\n{}", "[[actions]]\nid = \"A1\"\ntitle = \"x\"\ndue = 2026-11-25\n\n[[actions]]\nid = \"A2\"\ntitle = \"y\"\nstatus = \"done\"\n")).expect("parses");
        let zero = std::time::Duration::ZERO;
        assert_eq!(
            action_state(&pm.actions[0], day("2026-11-25"), zero),
            ("open", 0)
        );
        assert_eq!(
            action_state(&pm.actions[0], day("2026-11-27"), zero),
            ("overdue", 2)
        );
        let two_days = std::time::Duration::from_secs(2 * 86_400);
        assert_eq!(
            action_state(&pm.actions[0], day("2026-11-27"), two_days),
            ("open", 0)
        );
        assert_eq!(
            action_state(&pm.actions[1], day("2026-11-27"), zero),
            ("done", 0)
        );
    }
}
