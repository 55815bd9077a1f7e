//! The postmortem file format, schema 1 (SPEC section 2.2), as plain serde
//! types. No I/O happens here: parsing takes a string, validation returns
//! findings with key paths that the caller locates in the source.

mod evidence;
mod ids;
mod refs;
mod time;

use std::fmt;

use serde::{Deserialize, Serialize};

pub(crate) use evidence::{Closer, CommitSeen, IssueLinks, IssueState, Proof, ShipEvidence, Via};
pub(crate) use ids::{is_postmortem_id, is_repo_slug, next_item_id, slugify, toml_string, ItemId};
pub(crate) use refs::{CommitId, CommitInfo, SafeguardRef};
pub(crate) use time::{Date, Days, Timestamp};

pub(crate) const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Postmortem {
    pub(crate) schema: u32,
    pub(crate) title: String,
    pub(crate) status: Status,
    pub(crate) severity: String,
    pub(crate) occurred_at: Timestamp,
    #[serde(default)]
    pub(crate) detected_at: Option<Timestamp>,
    #[serde(default)]
    pub(crate) resolved_at: Option<Timestamp>,
    #[serde(default)]
    pub(crate) authors: Vec<String>,
    #[serde(default)]
    pub(crate) reviewers: Vec<String>,
    #[serde(default)]
    pub(crate) approved_by: Vec<String>,
    #[serde(default)]
    pub(crate) summary: Option<String>,
    #[serde(default)]
    pub(crate) impact: Option<Impact>,
    #[serde(default)]
    pub(crate) trigger: Option<Trigger>,
    #[serde(default)]
    pub(crate) timeline: Vec<TimelineEntry>,
    #[serde(default)]
    pub(crate) factors: Vec<Factor>,
    #[serde(default)]
    pub(crate) accountability: Option<Accountability>,
    #[serde(default)]
    pub(crate) requirements: Vec<Requirement>,
    #[serde(default)]
    pub(crate) actions: Vec<Action>,
    #[serde(default)]
    pub(crate) safeguards: Vec<Safeguard>,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Deserialize,
    Serialize,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub(crate) enum Status {
    Draft,
    Review,
    Final,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Status {
    /// The name the file format uses.
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Impact {
    #[serde(default)]
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) users_affected: Option<u64>,
    #[serde(default)]
    pub(crate) revenue_lost: Option<String>,
}

/// The cliff point: the commits and ranges that caused the incident.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Trigger {
    #[serde(default)]
    pub(crate) commits: Vec<String>,
    #[serde(default)]
    pub(crate) ranges: Vec<String>,
    #[serde(default)]
    pub(crate) note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TimelineEntry {
    pub(crate) at: Timestamp,
    pub(crate) event: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Factor {
    pub(crate) kind: FactorKind,
    #[serde(default)]
    pub(crate) note: Option<String>,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Deserialize,
    Serialize,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub(crate) enum FactorKind {
    Scared,
    Greedy,
    IllInformed,
    Competitive,
    BurnedOut,
    TimePressure,
    Tooling,
    Process,
    Communication,
    Monitoring,
    Other,
}

impl FactorKind {
    /// The name the file format uses.
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Accountability {
    pub(crate) statement: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Requirement {
    pub(crate) from: String,
    pub(crate) text: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Update {
    pub(crate) at: Date,
    pub(crate) note: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Action {
    pub(crate) id: String,
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) owner: Option<String>,
    #[serde(default)]
    pub(crate) due: Option<Date>,
    #[serde(default)]
    pub(crate) status: ActionStatus,
    #[serde(default)]
    pub(crate) reason: Option<String>,
    #[serde(default)]
    pub(crate) updates: Vec<Update>,
}

#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Deserialize,
    Serialize,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub(crate) enum ActionStatus {
    #[default]
    Open,
    Done,
    Dropped,
}

impl ActionStatus {
    /// The name the file format uses.
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Safeguard {
    pub(crate) id: String,
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) kind: Option<SafeguardKind>,
    #[serde(default)]
    pub(crate) owner: Option<String>,
    #[serde(default)]
    pub(crate) due: Option<Date>,
    /// Written back by `sync`; never by hand.
    #[serde(default)]
    pub(crate) issue: Option<u64>,
    #[serde(default)]
    pub(crate) status: SafeguardStatus,
    #[serde(default)]
    pub(crate) reason: Option<String>,
    #[serde(default)]
    pub(crate) updates: Vec<Update>,
}

#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Deserialize,
    Serialize,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub(crate) enum SafeguardStatus {
    #[default]
    Active,
    Dropped,
}

impl SafeguardStatus {
    /// The name the file format uses.
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Deserialize,
    Serialize,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::VariantArray,
    strum::EnumString,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub(crate) enum SafeguardKind {
    Test,
    Alert,
    Automation,
    Policy,
    Access,
    Pairing,
    Docs,
    Other,
}

impl SafeguardKind {
    /// The name the file format uses.
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The two kinds of numbered entries a postmortem tracks: actions (`A<n>`)
/// and safeguards (`S<n>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ItemKind {
    Action,
    Safeguard,
}

impl ItemKind {
    /// The kind an id like `A2` or `S1` names, by its letter.
    pub(crate) fn of_id(id: &str) -> Option<ItemKind> {
        if ItemId::parse(id, 'A').is_some() {
            Some(ItemKind::Action)
        } else if ItemId::parse(id, 'S').is_some() {
            Some(ItemKind::Safeguard)
        } else {
            None
        }
    }

    /// The key of the array in the file: `actions`, `safeguards`.
    pub(crate) fn key(self) -> &'static str {
        match self {
            ItemKind::Action => "actions",
            ItemKind::Safeguard => "safeguards",
        }
    }

    /// `action`, `safeguard`.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            ItemKind::Action => "action",
            ItemKind::Safeguard => "safeguard",
        }
    }
}

/// Whether a revision names a commit of the repository: how the
/// `unresolved-commit` lint asks git without depending on it.
pub trait CommitLookup {
    /// Whether `rev` names a commit in the repository.
    fn has_commit(&self, rev: &str) -> bool;
}

/// Parse a postmortem's text. The error is toml's own, which carries the
/// byte span of the offending key or value.
pub(crate) fn parse(text: &str) -> Result<Postmortem, toml::de::Error> {
    toml::from_str(text)
}

impl Postmortem {
    /// The ids of every action or every safeguard, in file order.
    pub(crate) fn item_ids(&self, kind: ItemKind) -> Vec<&str> {
        match kind {
            ItemKind::Action => self.actions.iter().map(|a| a.id.as_str()).collect(),
            ItemKind::Safeguard => self.safeguards.iter().map(|s| s.id.as_str()).collect(),
        }
    }

    /// The title of the action or safeguard `id`, if there is one.
    pub(crate) fn item_title(&self, kind: ItemKind, id: &str) -> Option<&str> {
        match kind {
            ItemKind::Action => self.actions.iter().find(|a| a.id == id).map(|a| &a.title),
            ItemKind::Safeguard => self
                .safeguards
                .iter()
                .find(|s| s.id == id)
                .map(|s| &s.title),
        }
        .map(String::as_str)
    }

    /// Every piece of free text the writing lints read, with the key path
    /// where it lives.
    pub(crate) fn prose(&self) -> Vec<(KeyPath, &str)> {
        use Seg::{Index as I, Key as K};
        let mut out: Vec<(KeyPath, &str)> = Vec::new();
        out.push((vec![K("title")], &self.title));
        if let Some(s) = &self.summary {
            out.push((vec![K("summary")], s));
        }
        if let Some(d) = self.impact.as_ref().and_then(|i| i.description.as_deref()) {
            out.push((vec![K("impact"), K("description")], d));
        }
        if let Some(n) = self.trigger.as_ref().and_then(|t| t.note.as_deref()) {
            out.push((vec![K("trigger"), K("note")], n));
        }
        for (i, t) in self.timeline.iter().enumerate() {
            out.push((vec![K("timeline"), I(i), K("event")], &t.event));
        }
        for (i, f) in self.factors.iter().enumerate() {
            if let Some(n) = &f.note {
                out.push((vec![K("factors"), I(i), K("note")], n));
            }
        }
        if let Some(a) = &self.accountability {
            out.push((vec![K("accountability"), K("statement")], &a.statement));
        }
        for (i, r) in self.requirements.iter().enumerate() {
            out.push((vec![K("requirements"), I(i), K("text")], &r.text));
        }
        for (i, a) in self.actions.iter().enumerate() {
            out.push((vec![K("actions"), I(i), K("title")], &a.title));
            for (j, u) in a.updates.iter().enumerate() {
                out.push((
                    vec![K("actions"), I(i), K("updates"), I(j), K("note")],
                    &u.note,
                ));
            }
        }
        for (i, s) in self.safeguards.iter().enumerate() {
            out.push((vec![K("safeguards"), I(i), K("title")], &s.title));
            for (j, u) in s.updates.iter().enumerate() {
                out.push((
                    vec![K("safeguards"), I(i), K("updates"), I(j), K("note")],
                    &u.note,
                ));
            }
        }
        out
    }
}

/// One step of a path into a TOML document: a key or an array index.
/// Findings carry such paths; the source map turns them into positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> From<&'a str> for Seg<'a> {
    fn from(key: &'a str) -> Self {
        Seg::Key(key)
    }
}

impl From<usize> for Seg<'_> {
    fn from(index: usize) -> Self {
        Seg::Index(index)
    }
}

/// An owned key path.
pub(crate) type KeyPath = Vec<Seg<'static>>;

/// Build a key path: `key_path!["safeguards", 0, "owner"]`.
#[macro_export]
macro_rules! key_path {
    ($($seg:expr),* $(,)?) => {
        vec![$($crate::model::Seg::from($seg)),*]
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `as_str` names are the ones serde reads and writes.
    #[test]
    fn names_match_the_file_format() {
        let name = |v: serde_json::Value| v.as_str().map(String::from);
        for k in [
            FactorKind::IllInformed,
            FactorKind::TimePressure,
            FactorKind::Other,
        ] {
            assert_eq!(name(serde_json::json!(k)).as_deref(), Some(k.as_str()));
        }
        for k in <SafeguardKind as strum::VariantNames>::VARIANTS {
            let kind: SafeguardKind = serde_json::from_value(serde_json::json!(k)).expect("kind");
            assert_eq!(kind.as_str(), *k);
        }
        for s in [
            ActionStatus::Open,
            ActionStatus::Done,
            ActionStatus::Dropped,
        ] {
            assert_eq!(name(serde_json::json!(s)).as_deref(), Some(s.as_str()));
        }
        for s in [SafeguardStatus::Active, SafeguardStatus::Dropped] {
            assert_eq!(name(serde_json::json!(s)).as_deref(), Some(s.as_str()));
        }
        assert_eq!(ItemKind::of_id("A12"), Some(ItemKind::Action));
        assert_eq!(ItemKind::of_id("S1"), Some(ItemKind::Safeguard));
        assert_eq!(ItemKind::of_id("S0"), None);
        assert_eq!(ItemKind::of_id("X1"), None);
    }
}
