//! The postmortem file format, schema 1 (SPEC section 2.2), as plain serde
//! types. No I/O happens here: parsing takes a string, validation returns
//! findings with key paths that the caller locates in the source.

mod evidence;
mod ids;
mod refs;
mod time;

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub(crate) use evidence::{
    Closer, CommitSeen, IssueLinks, IssueState, Predates, Proof, ShipEvidence, Via,
    CLOCK_SKEW_ALLOWANCE_SECONDS,
};
pub(crate) use ids::{
    is_postmortem_id, is_repo_slug, next_item_id, repo_slug_problem, slugify, toml_string, ItemId,
};
pub(crate) use refs::{closest_reference, CommitId, CommitInfo, SafeguardRef};
pub(crate) use time::{Date, Days, Timestamp};

pub(crate) const SCHEMA_VERSION: u32 = 1;

/// A postmortem: one file in `postmortems/`, named by its id
/// (`YYYY-MM-DD-slug.toml`). Check it with `git postmortem lint`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "git-postmortem postmortem")]
pub(crate) struct Postmortem {
    /// The file format's version: 1.
    #[schemars(range(min = 1, max = 1))]
    pub(crate) schema: u32,
    /// What broke, as a newcomer would say it: "Checkout returned HTTP 500
    /// for 42 minutes". The `blame` lint flags "human error", "careless" and
    /// kin here as in every piece of prose.
    pub(crate) title: String,
    /// `draft` until the cool-off period (`cool_off` in `.postmortem.toml`)
    /// after `occurred_at` has passed: the `cool-off` lint flags `review` or
    /// `final` earlier. `review` and `final` need a summary, an impact
    /// description, an accountability statement and a timeline entry (the
    /// `incomplete` lint); `final` needs every reviewer in `approved_by`
    /// (`sign-off`) and at least one safeguard (`no-safeguard`).
    pub(crate) status: Status,
    /// One of the `severities` of `.postmortem.toml` (default `sev1` to
    /// `sev4`, most severe first); any other is a `schema` error.
    pub(crate) severity: String,
    /// When impact began: a TOML datetime with an offset, without quotes
    /// (2026-11-24T14:02:00Z). The file name's date is this day.
    pub(crate) occurred_at: Timestamp,
    /// When someone noticed: a TOML datetime with an offset, without quotes.
    #[serde(default)]
    pub(crate) detected_at: Option<Timestamp>,
    /// When impact ended: a TOML datetime with an offset, without quotes.
    #[serde(default)]
    pub(crate) resolved_at: Option<Timestamp>,
    /// Who wrote the postmortem.
    #[serde(default)]
    pub(crate) authors: Vec<String>,
    /// Who must approve before `final`: the `sign-off` lint flags a `final`
    /// postmortem without reviewers, or with one missing from `approved_by`.
    #[serde(default)]
    pub(crate) reviewers: Vec<String>,
    /// The reviewers who signed off; `final` needs every one of `reviewers`
    /// here (the `sign-off` lint).
    #[serde(default)]
    pub(crate) approved_by: Vec<String>,
    /// The services the incident touched: `["checkout", "payments"]`.
    /// `list`, `status`, `digest` and `stats` select postmortems by them
    /// with `--service` (case-insensitive), and the site's index searches
    /// and filters by them. The `services-tags` lint flags an empty, padded
    /// or repeated entry.
    #[serde(default)]
    pub(crate) services: Vec<String>,
    /// Free labels: `["config", "deploy"]`. `list`, `status`, `digest` and
    /// `stats` select postmortems by them with `--tag` (case-insensitive).
    /// The `services-tags` lint flags an empty, padded or repeated entry.
    #[serde(default)]
    pub(crate) tags: Vec<String>,
    /// One paragraph a newcomer understands: what happened, to whom, how it
    /// ended. `review` and `final` need it (the `incomplete` lint).
    #[serde(default)]
    pub(crate) summary: Option<String>,
    /// Who was affected, how and for how long. `review` and `final` need
    /// its `description` (the `incomplete` lint).
    #[serde(default)]
    pub(crate) impact: Option<Impact>,
    /// The cliff point: the commits and ranges that caused the incident.
    #[serde(default)]
    pub(crate) trigger: Option<Trigger>,
    /// What happened, in order. `review` and `final` need at least one entry
    /// (the `incomplete` lint).
    #[serde(default)]
    pub(crate) timeline: Vec<TimelineEntry>,
    /// Why it made sense at the time: the pressures and gaps behind the
    /// decisions. `stats` lists the factors two or more postmortems name.
    #[serde(default)]
    pub(crate) factors: Vec<Factor>,
    /// What the team owns. `review` and `final` need its `statement` (the
    /// `incomplete` lint).
    #[serde(default)]
    pub(crate) accountability: Option<Accountability>,
    /// What stakeholders asked for.
    #[serde(default)]
    pub(crate) requirements: Vec<Requirement>,
    /// The plan: `A1`, `A2`, … Mark one done with
    /// `git postmortem action done ID A1`.
    #[serde(default)]
    pub(crate) actions: Vec<Action>,
    /// Protections that must ship: `S1`, `S2`, … Add one with
    /// `git postmortem safeguard add`; a commit on the default branch with
    /// the trailer `Postmortem-Safeguard: <postmortem-id>/S1` ships it.
    /// `final` needs at least one (the `no-safeguard` lint).
    #[serde(default)]
    pub(crate) safeguards: Vec<Safeguard>,
}

/// Where the postmortem is in its workflow.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Deserialize,
    Serialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub(crate) enum Status {
    /// Being written; no workflow lint applies yet.
    Draft,
    /// Ready for the reviewers, after the cool-off period.
    Review,
    /// Signed off by every reviewer, with at least one safeguard.
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

/// Who was affected, how and for how long.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Impact {
    /// Who was affected, how, for how long. `review` and `final` need it
    /// (the `incomplete` lint); the `hollow-apology` lint reads the
    /// accountability statement against it.
    #[serde(default)]
    pub(crate) description: Option<String>,
    /// How many users were affected, as a number.
    #[serde(default)]
    pub(crate) users_affected: Option<u64>,
    /// What the incident cost, as text: "$12,400 in refunds".
    #[serde(default)]
    pub(crate) revenue_lost: Option<String>,
    /// Lints whose findings in this entry are suppressed, e.g. `["blame"]`
    /// on a requirement that quotes a customer; any lint but `schema`.
    /// `lint` counts what this suppresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) lint_allow: Vec<String>,
}

/// The cliff point: the commits and ranges that caused the incident.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Trigger {
    /// Full object ids of the commits that caused the incident
    /// (`new --commit REV` writes them). The `unresolved-commit` lint warns
    /// about one the repository does not contain.
    #[serde(default)]
    pub(crate) commits: Vec<String>,
    /// Commit ranges `A..B`, kept as written. The `unresolved-commit` lint
    /// warns when a range's end is not in the repository.
    #[serde(default)]
    pub(crate) ranges: Vec<String>,
    /// Why these commits, in a sentence or two.
    #[serde(default)]
    pub(crate) note: Option<String>,
    /// Lints whose findings in this entry are suppressed, e.g. `["blame"]`
    /// on a requirement that quotes a customer; any lint but `schema`.
    /// `lint` counts what this suppresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) lint_allow: Vec<String>,
}

/// One moment of the incident.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TimelineEntry {
    /// When: a TOML datetime with an offset, without quotes.
    pub(crate) at: Timestamp,
    /// What happened, without blame: what the system and the team did.
    pub(crate) event: String,
    /// Lints whose findings in this entry are suppressed, e.g. `["blame"]`
    /// on a requirement that quotes a customer; any lint but `schema`.
    /// `lint` counts what this suppresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) lint_allow: Vec<String>,
}

/// A pressure or gap that made a decision make sense at the time.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Factor {
    /// The kind of pressure or gap.
    pub(crate) kind: FactorKind,
    /// How it played out, without blame: the `blame` lint flags "human
    /// error", "careless", "should have known" and kin.
    #[serde(default)]
    pub(crate) note: Option<String>,
    /// Lints whose findings in this entry are suppressed, e.g. `["blame"]`
    /// on a requirement that quotes a customer; any lint but `schema`.
    /// `lint` counts what this suppresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) lint_allow: Vec<String>,
}

/// Why a decision made sense at the time.
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
    JsonSchema,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::VariantArray,
    strum::EnumString,
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

/// What the team owns.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Accountability {
    /// What the team owns: name the impact, no hollow apologies, no blame.
    /// The `hollow-apology` lint flags "sorry for any inconvenience",
    /// "mistakes were made" and a statement that names no impact; `review`
    /// and `final` need one (the `incomplete` lint).
    pub(crate) statement: String,
    /// Lints whose findings in this entry are suppressed, e.g. `["blame"]`
    /// on a requirement that quotes a customer; any lint but `schema`.
    /// `lint` counts what this suppresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) lint_allow: Vec<String>,
}

/// Something a stakeholder asked for.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Requirement {
    /// Who asked: "support", "legal", a customer.
    pub(crate) from: String,
    /// What they asked for.
    pub(crate) text: String,
    /// Lints whose findings in this entry are suppressed, e.g. `["blame"]`
    /// on a requirement that quotes a customer; any lint but `schema`.
    /// `lint` counts what this suppresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) lint_allow: Vec<String>,
}

/// A dated progress note.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Update {
    /// The day of the update: a TOML date, without quotes (2026-12-15).
    pub(crate) at: Date,
    /// What moved. `git postmortem update ID A1 "…"` appends one.
    pub(crate) note: String,
}

/// One step of the plan.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Action {
    /// `A1`, `A2`, …: unique in the file; a duplicate or malformed id is a
    /// `schema` error.
    #[schemars(regex(pattern = r"^A[1-9][0-9]*$"))]
    pub(crate) id: String,
    /// What will be done.
    pub(crate) title: String,
    /// Who does it.
    #[serde(default)]
    pub(crate) owner: Option<String>,
    /// By when: a TOML date, without quotes (2026-12-15).
    #[serde(default)]
    pub(crate) due: Option<Date>,
    /// `open` (the default), `done` or `dropped`; set it with
    /// `git postmortem action done|drop`.
    #[serde(default)]
    pub(crate) status: ActionStatus,
    /// Why the action was dropped.
    #[serde(default)]
    pub(crate) reason: Option<String>,
    /// Dated progress notes, oldest first.
    #[serde(default)]
    pub(crate) updates: Vec<Update>,
    /// Lints whose findings in this entry are suppressed, e.g. `["blame"]`
    /// on a requirement that quotes a customer; any lint but `schema`.
    /// `lint` counts what this suppresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) lint_allow: Vec<String>,
}

/// Where an action of the plan stands.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Deserialize,
    Serialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub(crate) enum ActionStatus {
    /// Still to do.
    #[default]
    Open,
    /// Done.
    Done,
    /// Not done, on purpose; say why in `reason`.
    Dropped,
}

impl ActionStatus {
    /// The name the file format uses.
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A protection the team commits to ship.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Safeguard {
    /// `S1`, `S2`, …: unique in the file; a duplicate or malformed id is a
    /// `schema` error. A commit ships the safeguard with the trailer
    /// `Postmortem-Safeguard: <postmortem-id>/S1`.
    #[schemars(regex(pattern = r"^S[1-9][0-9]*$"))]
    pub(crate) id: String,
    /// The protection, as a change someone can ship: "Fail the deploy when
    /// an env var is missing".
    pub(crate) title: String,
    /// What sort of protection it is.
    #[serde(default)]
    pub(crate) kind: Option<SafeguardKind>,
    /// Who owns shipping it; the `safeguard-owner` lint flags a safeguard
    /// without an owner or a due date.
    #[serde(default)]
    pub(crate) owner: Option<String>,
    /// When it must ship: a TOML date, without quotes (2026-12-15). The
    /// `safeguard-owner` lint flags a safeguard without an owner or a due
    /// date; `check` fails once it is past and nothing shipped it.
    #[serde(default)]
    pub(crate) due: Option<Date>,
    /// The GitHub issue tracking it. Written back by `sync`; never by hand.
    #[serde(default)]
    pub(crate) issue: Option<u64>,
    /// `active` (the default) or `dropped`; drop one with
    /// `git postmortem safeguard drop ID S1 --reason "…"`.
    #[serde(default)]
    pub(crate) status: SafeguardStatus,
    /// Why the safeguard was dropped.
    #[serde(default)]
    pub(crate) reason: Option<String>,
    /// Dated progress notes, oldest first.
    #[serde(default)]
    pub(crate) updates: Vec<Update>,
    /// Lints whose findings in this entry are suppressed, e.g. `["blame"]`
    /// on a requirement that quotes a customer; any lint but `schema`.
    /// `lint` counts what this suppresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) lint_allow: Vec<String>,
}

/// Whether a safeguard is still promised.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Deserialize,
    Serialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub(crate) enum SafeguardStatus {
    /// Promised: shipped once a commit on the default branch names it.
    #[default]
    Active,
    /// Retired on purpose; say why in `reason`.
    Dropped,
}

impl SafeguardStatus {
    /// The name the file format uses.
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What sort of protection a safeguard is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Deserialize,
    Serialize,
    JsonSchema,
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

    /// Every entry with a `lint_allow`, by key path: findings at or below
    /// that path of a lint it names are suppressed.
    pub(crate) fn lint_allows<'a>(&'a self) -> Vec<(KeyPath, &'a [String])> {
        use Seg::{Index as I, Key as K};
        let mut out: Vec<(KeyPath, &[String])> = Vec::new();
        let mut entry = |path: KeyPath, allow: &'a [String]| out.push((path, allow));
        if let Some(impact) = &self.impact {
            entry(vec![K("impact")], &impact.lint_allow);
        }
        if let Some(trigger) = &self.trigger {
            entry(vec![K("trigger")], &trigger.lint_allow);
        }
        if let Some(a) = &self.accountability {
            entry(vec![K("accountability")], &a.lint_allow);
        }
        for (i, t) in self.timeline.iter().enumerate() {
            entry(vec![K("timeline"), I(i)], &t.lint_allow);
        }
        for (i, f) in self.factors.iter().enumerate() {
            entry(vec![K("factors"), I(i)], &f.lint_allow);
        }
        for (i, r) in self.requirements.iter().enumerate() {
            entry(vec![K("requirements"), I(i)], &r.lint_allow);
        }
        for (i, a) in self.actions.iter().enumerate() {
            entry(vec![K("actions"), I(i)], &a.lint_allow);
        }
        for (i, s) in self.safeguards.iter().enumerate() {
            entry(vec![K("safeguards"), I(i)], &s.lint_allow);
        }
        out.retain(|(_, allow)| !allow.is_empty());
        out
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
