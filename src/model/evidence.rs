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
}

/// The commit that shipped one safeguard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShipEvidence {
    pub(crate) commit: CommitId,
    /// The committer date, in the committer's offset.
    pub(crate) at: Timestamp,
    pub(crate) subject: String,
    pub(crate) via: Via,
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
}

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
