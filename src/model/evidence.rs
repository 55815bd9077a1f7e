//! What the outside world says about a safeguard: the commit that shipped
//! it (read from history) and the state of its GitHub issue (recorded by
//! `sync`). Plain data; `history` and `github` produce it, the status
//! decision reads it.

use serde::{Deserialize, Serialize};

use super::refs::CommitId;
use super::time::Timestamp;

/// How a commit ships a safeguard.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub(crate) enum Via {
    Trailer,
    ClosingRef,
    /// The merge commit of the pull request GitHub says closed the issue.
    PullRequest,
}

/// The commit that shipped one safeguard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShipEvidence {
    pub(crate) commit: CommitId,
    /// The committer date, in the committer's offset.
    pub(crate) at: Timestamp,
    pub(crate) subject: String,
    pub(crate) via: Via,
    /// The pull request whose merge commit this is, for
    /// [`Via::PullRequest`].
    pub(crate) pull_request: Option<u64>,
}

/// A commit as history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CommitSeen {
    pub(crate) commit: CommitId,
    /// The committer date, in the committer's offset.
    pub(crate) at: Timestamp,
    pub(crate) subject: String,
}

/// What the branch's history says about one safeguard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Proof {
    /// The oldest commit that ships it and was not reverted.
    Shipped(ShipEvidence),
    /// Every commit that shipped it was reverted on the branch: the latest
    /// of them, and the commit that reverted it.
    Reverted {
        shipped: ShipEvidence,
        by: CommitSeen,
    },
    /// Only commits older than the incident (or than the issue, for a
    /// closing reference) reference it: the latest of them, which does not
    /// ship it.
    Predates { seen: ShipEvidence, what: Predates },
}

/// What a commit that references a safeguard is older than.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub(crate) enum Predates {
    /// The postmortem's `occurred_at`, less the allowance.
    Incident,
    /// The issue's creation on GitHub, less the allowance.
    Issue,
}

/// How much older than the incident (or the issue) a commit's committer
/// date may be and still ship: clocks of machines that commit disagree.
pub(crate) const CLOCK_SKEW_ALLOWANCE_SECONDS: i64 = 86_400;

/// A GitHub issue's state, as `sync` last saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub(crate) enum IssueState {
    Open,
    /// `reason` is GitHub's `state_reason`: `completed`, `not_planned`…
    Closed {
        reason: Option<String>,
    },
}

impl IssueState {
    pub(crate) fn is_closed(&self) -> bool {
        matches!(self, IssueState::Closed { .. })
    }

    /// Closed as "not planned" (GitHub's `state_reason`).
    pub(crate) fn is_not_planned(&self) -> bool {
        matches!(self, IssueState::Closed { reason: Some(r) } if r == "not_planned")
    }
}

/// What GitHub says closed an issue (its last `ClosedEvent`'s `closer`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Closer {
    /// A merged pull request (`Fixes #124` in its description, or linked
    /// by hand). `merge_commit` is the full oid of the commit the merge
    /// put on `base_ref`.
    PullRequest {
        number: u64,
        #[serde(default)]
        base_ref: Option<String>,
        #[serde(default)]
        merge_commit: Option<String>,
    },
    /// A commit whose message closed the issue: its full oid.
    Commit { oid: String },
}

impl Closer {
    /// The commit that has to be on the default branch for the issue's
    /// safeguard to count as shipped.
    pub(crate) fn commit(&self) -> Option<&str> {
        match self {
            Closer::PullRequest { merge_commit, .. } => merge_commit.as_deref(),
            Closer::Commit { oid } => Some(oid),
        }
    }
}

/// What GitHub links to an issue besides its state, as `sync` last saw
/// it: what closed it (closed issues), and the open pull requests that
/// will close it when merged (open issues).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IssueLinks {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) closer: Option<Closer>,
    /// Open pull requests whose merge closes the issue, by number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) closing_prs: Vec<u64>,
    /// When the issue was created, as GitHub says, in seconds since the
    /// epoch: a closing reference older than this (less the allowance)
    /// does not ship it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) created_at: Option<i64>,
}

impl IssueLinks {
    pub(crate) fn is_empty(&self) -> bool {
        self.closer.is_none() && self.closing_prs.is_empty() && self.created_at.is_none()
    }
}
