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
}
