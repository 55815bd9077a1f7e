//! The postmortem file format, schema 1 (SPEC section 2.2), as plain serde
//! types. No I/O happens here: parsing takes a string, validation returns
//! findings with key paths that the caller locates in the source.

mod ids;
mod time;

use serde::{Deserialize, Serialize};

pub use ids::{is_postmortem_id, next_item_id, slugify, ItemId};
pub use time::{Date, Timestamp};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Postmortem {
    pub schema: u32,
    pub title: String,
    pub status: Status,
    pub severity: String,
    pub occurred_at: Timestamp,
    #[serde(default)]
    pub detected_at: Option<Timestamp>,
    #[serde(default)]
    pub resolved_at: Option<Timestamp>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub reviewers: Vec<String>,
    #[serde(default)]
    pub approved_by: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub impact: Option<Impact>,
    #[serde(default)]
    pub trigger: Option<Trigger>,
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    #[serde(default)]
    pub factors: Vec<Factor>,
    #[serde(default)]
    pub accountability: Option<Accountability>,
    #[serde(default)]
    pub requirements: Vec<Requirement>,
    #[serde(default)]
    pub actions: Vec<Action>,
    #[serde(default)]
    pub safeguards: Vec<Safeguard>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Draft,
    Review,
    Final,
}

impl Status {
    pub const ALL: [&'static str; 3] = ["draft", "review", "final"];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Final => "final",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Impact {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub users_affected: Option<u64>,
    #[serde(default)]
    pub revenue_lost: Option<String>,
}

/// The cliff point: the commits and ranges that caused the incident.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    #[serde(default)]
    pub commits: Vec<String>,
    #[serde(default)]
    pub ranges: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    pub at: Timestamp,
    pub event: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    pub kind: FactorKind,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactorKind {
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

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Accountability {
    pub statement: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub from: String,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Update {
    pub at: Date,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub due: Option<Date>,
    #[serde(default)]
    pub status: ActionStatus,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub updates: Vec<Update>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    #[default]
    Open,
    Done,
    Dropped,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Safeguard {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub kind: Option<SafeguardKind>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub due: Option<Date>,
    /// Written back by `sync`; never by hand.
    #[serde(default)]
    pub issue: Option<u64>,
    #[serde(default)]
    pub status: SafeguardStatus,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub updates: Vec<Update>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SafeguardStatus {
    #[default]
    Active,
    Dropped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SafeguardKind {
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
    pub const ALL: [&'static str; 8] = [
        "test",
        "alert",
        "automation",
        "policy",
        "access",
        "pairing",
        "docs",
        "other",
    ];
}

/// Parse a postmortem's text. The error is toml's own, which carries the
/// byte span of the offending key or value.
pub fn parse(text: &str) -> Result<Postmortem, toml::de::Error> {
    toml::from_str(text)
}

impl Postmortem {
    /// Every piece of free text the writing lints read, with the key path
    /// where it lives.
    pub fn prose(&self) -> Vec<(KeyPath, &str)> {
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
pub enum Seg<'a> {
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
pub type KeyPath = Vec<Seg<'static>>;

/// Build a key path: `key_path!["safeguards", 0, "owner"]`.
#[macro_export]
macro_rules! key_path {
    ($($seg:expr),* $(,)?) => {
        vec![$($crate::model::Seg::from($seg)),*]
    };
}
