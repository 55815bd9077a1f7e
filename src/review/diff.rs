//! What changed in a postmortem between two versions, as a list of plain
//! facts for reviewers: "status draft → review", "S2 due 2026-12-01 →
//! 2026-12-15", "new timeline entry", "new update on A1". Pure: it compares
//! two parsed postmortems and does no I/O and no Markdown.
//!
//! Actions and safeguards are matched by id, so a reordered file shows no
//! change; timeline entries, factors, requirements and updates are matched
//! by their whole content, so an edited entry shows as removed and added.

use std::fmt;

use serde::Serialize;

use crate::model::{
    Action, Date, Factor, FactorKind, ItemKind, Postmortem, Requirement, Safeguard, TimelineEntry,
    Timestamp, Update,
};

/// An action or safeguard, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ItemRef {
    pub(crate) kind: ItemKind,
    pub(crate) id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub(crate) enum Change {
    /// A short value changed, appeared (`from` is `None`) or went (`to` is
    /// `None`): the postmortem's `status`, or `S2`'s `due`.
    Field {
        item: Option<ItemRef>,
        field: &'static str,
        from: Option<String>,
        to: Option<String>,
    },
    /// A piece of prose changed; the file's diff shows how.
    Rewritten {
        field: &'static str,
    },
    Added(Entry),
    Removed(Entry),
}

/// Something that can be added to or removed from a postmortem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "entry", rename_all = "snake_case")]
pub(crate) enum Entry {
    Timeline {
        at: Timestamp,
        event: String,
    },
    Factor {
        kind: FactorKind,
        note: Option<String>,
    },
    Requirement {
        from: String,
        text: String,
    },
    /// An action or a safeguard, with everything in it.
    Item {
        item: ItemRef,
        title: String,
    },
    /// A dated progress update of an action or a safeguard.
    Update {
        item: ItemRef,
        at: Date,
        note: String,
    },
    /// One value of a list: an author, a reviewer, a sign-off (`approved_by`),
    /// a trigger commit or range.
    Listed {
        field: &'static str,
        value: String,
    },
}

/// Everything that changed from `base` to `head`, in the order the file
/// format lists things.
pub(crate) fn diff(base: &Postmortem, head: &Postmortem) -> Vec<Change> {
    let mut changes = Vec::new();
    let c = &mut changes;
    field(c, None, "title", Some(&base.title), Some(&head.title));
    field(
        c,
        None,
        "status",
        Some(base.status.as_str()),
        Some(head.status.as_str()),
    );
    field(
        c,
        None,
        "severity",
        Some(&base.severity),
        Some(&head.severity),
    );
    field(
        c,
        None,
        "occurred_at",
        Some(base.occurred_at.to_string()),
        Some(head.occurred_at.to_string()),
    );
    field(
        c,
        None,
        "detected_at",
        base.detected_at.map(|t| t.to_string()),
        head.detected_at.map(|t| t.to_string()),
    );
    field(
        c,
        None,
        "resolved_at",
        base.resolved_at.map(|t| t.to_string()),
        head.resolved_at.map(|t| t.to_string()),
    );
    listed(c, "authors", &base.authors, &head.authors);
    listed(c, "reviewers", &base.reviewers, &head.reviewers);
    listed(c, "approved_by", &base.approved_by, &head.approved_by);
    listed(c, "services", &base.services, &head.services);
    listed(c, "tags", &base.tags, &head.tags);
    prose(
        c,
        "summary",
        base.summary.as_deref(),
        head.summary.as_deref(),
    );

    let (bi, hi) = (base.impact.as_ref(), head.impact.as_ref());
    prose(
        c,
        "impact.description",
        bi.and_then(|i| i.description.as_deref()),
        hi.and_then(|i| i.description.as_deref()),
    );
    field(
        c,
        None,
        "impact.users_affected",
        bi.and_then(|i| i.users_affected).map(|n| n.to_string()),
        hi.and_then(|i| i.users_affected).map(|n| n.to_string()),
    );
    field(
        c,
        None,
        "impact.revenue_lost",
        bi.and_then(|i| i.revenue_lost.as_deref()),
        hi.and_then(|i| i.revenue_lost.as_deref()),
    );

    let (bt, ht) = (base.trigger.as_ref(), head.trigger.as_ref());
    let none = Vec::new();
    listed(
        c,
        "trigger.commits",
        bt.map_or(&none, |t| &t.commits),
        ht.map_or(&none, |t| &t.commits),
    );
    listed(
        c,
        "trigger.ranges",
        bt.map_or(&none, |t| &t.ranges),
        ht.map_or(&none, |t| &t.ranges),
    );
    prose(
        c,
        "trigger.note",
        bt.and_then(|t| t.note.as_deref()),
        ht.and_then(|t| t.note.as_deref()),
    );

    entries(c, &base.timeline, &head.timeline, |t: &TimelineEntry| {
        Entry::Timeline {
            at: t.at,
            event: t.event.clone(),
        }
    });
    entries(c, &base.factors, &head.factors, |f: &Factor| {
        Entry::Factor {
            kind: f.kind,
            note: f.note.clone(),
        }
    });
    prose(
        c,
        "accountability.statement",
        base.accountability.as_ref().map(|a| a.statement.as_str()),
        head.accountability.as_ref().map(|a| a.statement.as_str()),
    );
    entries(
        c,
        &base.requirements,
        &head.requirements,
        |r: &Requirement| Entry::Requirement {
            from: r.from.clone(),
            text: r.text.clone(),
        },
    );
    items(c, &base.actions, &head.actions);
    items(c, &base.safeguards, &head.safeguards);
    changes
}

fn field<T: AsRef<str>>(
    changes: &mut Vec<Change>,
    item: Option<&ItemRef>,
    name: &'static str,
    from: Option<T>,
    to: Option<T>,
) {
    let from = from.map(|s| s.as_ref().to_string());
    let to = to.map(|s| s.as_ref().to_string());
    if from != to {
        changes.push(Change::Field {
            item: item.cloned(),
            field: name,
            from,
            to,
        });
    }
}

/// Prose counts as changed when more than its whitespace did.
fn prose(changes: &mut Vec<Change>, name: &'static str, from: Option<&str>, to: Option<&str>) {
    fn words(s: Option<&str>) -> Vec<&str> {
        s.map(|s| s.split_whitespace().collect())
            .unwrap_or_default()
    }
    if words(from) != words(to) {
        changes.push(Change::Rewritten { field: name });
    }
}

fn listed(changes: &mut Vec<Change>, name: &'static str, base: &[String], head: &[String]) {
    let (added, removed) = multiset_diff(base, head);
    changes.extend(added.into_iter().map(|v| {
        Change::Added(Entry::Listed {
            field: name,
            value: v.clone(),
        })
    }));
    changes.extend(removed.into_iter().map(|v| {
        Change::Removed(Entry::Listed {
            field: name,
            value: v.clone(),
        })
    }));
}

fn entries<T>(changes: &mut Vec<Change>, base: &[T], head: &[T], entry: impl Fn(&T) -> Entry) {
    let base: Vec<Entry> = base.iter().map(&entry).collect();
    let head: Vec<Entry> = head.iter().map(&entry).collect();
    let (added, removed) = multiset_diff(&base, &head);
    changes.extend(added.into_iter().cloned().map(Change::Added));
    changes.extend(removed.into_iter().cloned().map(Change::Removed));
}

/// What `head` has that `base` lacks (in `head`'s order) and what `base`
/// has that `head` lacks (in `base`'s order), counting repeats.
fn multiset_diff<'a, T: PartialEq>(base: &'a [T], head: &'a [T]) -> (Vec<&'a T>, Vec<&'a T>) {
    let mut unmatched: Vec<Option<&T>> = base.iter().map(Some).collect();
    let mut added = Vec::new();
    for h in head {
        match unmatched.iter_mut().find(|b| b.is_some_and(|b| b == h)) {
            Some(slot) => *slot = None,
            None => added.push(h),
        }
    }
    (added, unmatched.into_iter().flatten().collect())
}

/// The fields of an action or a safeguard, compared one by one.
trait Item {
    const KIND: ItemKind;
    fn id(&self) -> &str;
    fn title(&self) -> &str;
    fn updates(&self) -> &[Update];
    /// Every compared field but `id` and `updates`, by name.
    fn fields(&self) -> Vec<(&'static str, Option<String>)>;
}

impl Item for Action {
    const KIND: ItemKind = ItemKind::Action;
    fn id(&self) -> &str {
        &self.id
    }
    fn title(&self) -> &str {
        &self.title
    }
    fn updates(&self) -> &[Update] {
        &self.updates
    }
    fn fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("title", Some(self.title.clone())),
            ("owner", self.owner.clone()),
            ("due", self.due.map(|d| d.to_string())),
            ("status", Some(self.status.as_str().into())),
            ("reason", self.reason.clone()),
        ]
    }
}

impl Item for Safeguard {
    const KIND: ItemKind = ItemKind::Safeguard;
    fn id(&self) -> &str {
        &self.id
    }
    fn title(&self) -> &str {
        &self.title
    }
    fn updates(&self) -> &[Update] {
        &self.updates
    }
    fn fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("title", Some(self.title.clone())),
            ("kind", self.kind.map(|k| k.as_str().into())),
            ("owner", self.owner.clone()),
            ("due", self.due.map(|d| d.to_string())),
            ("issue", self.issue.map(|n| n.to_string())),
            ("status", Some(self.status.as_str().into())),
            ("reason", self.reason.clone()),
        ]
    }
}

fn items<T: Item>(changes: &mut Vec<Change>, base: &[T], head: &[T]) {
    let item_ref = |t: &T| ItemRef {
        kind: T::KIND,
        id: t.id().to_string(),
    };
    for h in head {
        let item = item_ref(h);
        let Some(b) = base.iter().find(|b| b.id() == h.id()) else {
            changes.push(Change::Added(Entry::Item {
                item,
                title: h.title().to_string(),
            }));
            continue;
        };
        for ((name, from), (_, to)) in b.fields().into_iter().zip(h.fields()) {
            field(changes, Some(&item), name, from, to);
        }
        let update = |u: &Update| Entry::Update {
            item: item.clone(),
            at: u.at,
            note: u.note.clone(),
        };
        entries(changes, b.updates(), h.updates(), update);
    }
    for b in base {
        if !head.iter().any(|h| h.id() == b.id()) {
            changes.push(Change::Removed(Entry::Item {
                item: item_ref(b),
                title: b.title().to_string(),
            }));
        }
    }
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

impl Entry {
    /// What kind of thing this is, as a reader calls it: "timeline entry",
    /// "safeguard S3", "update on A1", "sign-off".
    pub(crate) fn what(&self) -> String {
        match self {
            Entry::Timeline { .. } => "timeline entry".into(),
            Entry::Factor { .. } => "contributing factor".into(),
            Entry::Requirement { .. } => "requirement".into(),
            Entry::Item { item, .. } => format!("{} {}", item.kind.noun(), item.id),
            Entry::Update { item, .. } => format!("update on {}", item.id),
            Entry::Listed { field, .. } => match *field {
                "authors" => "author",
                "reviewers" => "reviewer",
                "approved_by" => "sign-off",
                "services" => "service",
                "tags" => "tag",
                "trigger.commits" => "trigger commit",
                "trigger.ranges" => "trigger range",
                other => other,
            }
            .into(),
        }
    }
}

/// Plain text, one line per change: what the unit tests and logs read.
impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
        match self {
            Change::Field {
                item,
                field,
                from,
                to,
            } => {
                if let Some(item) = item {
                    write!(f, "{item} ")?;
                }
                write!(f, "{field} {} → {}", or_none(from), or_none(to))
            }
            Change::Rewritten { field } => write!(f, "{field} rewritten"),
            Change::Added(entry) => write!(f, "new {}: {}", entry.what(), entry_text(entry)),
            Change::Removed(entry) => write!(f, "removed {}: {}", entry.what(), entry_text(entry)),
        }
    }
}

/// The content of an entry in one line of plain text.
fn entry_text(entry: &Entry) -> String {
    match entry {
        Entry::Timeline { at, event } => format!("{at} {event}"),
        Entry::Factor { kind, note } => match note {
            Some(note) => format!("{} ({note})", kind.as_str()),
            None => kind.as_str().into(),
        },
        Entry::Requirement { from, text } => format!("{from}: {text}"),
        Entry::Item { title, .. } => title.clone(),
        Entry::Update { at, note, .. } => format!("{at} {note}"),
        Entry::Listed { value, .. } => value.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::parse;

    const BASE: &str = r#"
schema = 1
title = "Checkout returned HTTP 500"
status = "draft"
severity = "sev2"
occurred_at = 2026-11-20T14:02:00Z
reviewers = ["sre-lead", "support-lead"]
summary = "A config change broke checkout."

[[timeline]]
at = 2026-11-20T14:02:00Z
event = "Deploy starts"

[[actions]]
id = "A1"
title = "Refund failed orders"
owner = "dana"
updates = [{ at = 2026-11-25, note = "Refunds 60% done" }]

[[safeguards]]
id = "S1"
title = "Fail deploy on a missing env var"
owner = "dana"
due = 2026-12-15

[[safeguards]]
id = "S2"
title = "Alert on checkout 5xx"
owner = "sre-lead"
due = 2026-12-01
"#;

    fn pm(text: &str) -> Postmortem {
        parse(text).expect("valid postmortem")
    }

    fn lines(base: &str, head: &str) -> Vec<String> {
        diff(&pm(base), &pm(head))
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn identical_versions_have_no_changes() {
        assert_eq!(lines(BASE, BASE), Vec::<String>::new());
        // Layout, comments and whitespace in prose are not changes.
        let relaid = BASE
            .replace("summary = \"A config", "# why\nsummary = \"A  config")
            .replace(
                "owner = \"dana\"\nupdates = [{ at = 2026-11-25, note = \"Refunds 60% done\" }]",
                "updates = [\n  { at = 2026-11-25, note = \"Refunds 60% done\" },\n]\nowner = \"dana\"  # still",
            );
        assert_ne!(relaid, BASE);
        assert_eq!(lines(BASE, &relaid), Vec::<String>::new());
    }

    #[test]
    fn the_review_scenario_reads_as_a_list_of_facts() {
        let head = BASE
            .replace("status = \"draft\"", "status = \"review\"")
            .replace(
                "event = \"Deploy starts\"\n",
                "event = \"Deploy starts\"\n\n[[timeline]]\nat = 2026-11-20T14:44:00Z\nevent = \"Rollback completes\"\n",
            )
            .replace("due = 2026-12-01", "due = 2026-12-15")
            .replace(
                "note = \"Refunds 60% done\" }]",
                "note = \"Refunds 60% done\" }, { at = 2026-11-26, note = \"All refunds sent\" }]",
            )
            + "\n[[safeguards]]\nid = \"S3\"\ntitle = \"Soak config changes in staging\"\n";
        assert_eq!(
            lines(BASE, &head),
            [
                "status draft → review",
                "new timeline entry: 2026-11-20T14:44:00Z Rollback completes",
                "new update on A1: 2026-11-26 All refunds sent",
                "S2 due 2026-12-01 → 2026-12-15",
                "new safeguard S3: Soak config changes in staging",
            ]
        );
    }

    #[test]
    fn fields_that_appear_or_go_are_changes_too() {
        let head = BASE
            .replace("owner = \"sre-lead\"\n", "")
            .replace(
                "title = \"Alert on checkout 5xx\"",
                "title = \"Alert on checkout 5xx\"\nstatus = \"dropped\"\nreason = \"Covered by S1\"\nissue = 7",
            )
            .replace("severity = \"sev2\"", "severity = \"sev1\"\ndetected_at = 2026-11-20T14:09:00Z");
        assert_eq!(
            lines(BASE, &head),
            [
                "severity sev2 → sev1",
                "detected_at (none) → 2026-11-20T14:09:00Z",
                "S2 owner sre-lead → (none)",
                "S2 issue (none) → 7",
                "S2 status active → dropped",
                "S2 reason (none) → Covered by S1",
            ]
        );
    }

    #[test]
    fn lists_prose_and_removals() {
        let head = BASE
            .replace(
                "reviewers = [\"sre-lead\", \"support-lead\"]",
                "reviewers = [\"sre-lead\", \"support-lead\"]\napproved_by = [\"sre-lead\"]\n",
            )
            .replace("A config change broke checkout.", "A config change broke checkout for 42 minutes.")
            .replace("[[actions]]\nid = \"A1\"", "[[factors]]\nkind = \"tooling\"\n\n[[actions]]\nid = \"A1\"")
            .replace("updates = [{ at = 2026-11-25, note = \"Refunds 60% done\" }]", "")
            .replace(
                "[[safeguards]]\nid = \"S1\"\ntitle = \"Fail deploy on a missing env var\"\nowner = \"dana\"\ndue = 2026-12-15\n",
                "",
            );
        assert_eq!(
            lines(BASE, &head),
            [
                "new sign-off: sre-lead",
                "summary rewritten",
                "new contributing factor: tooling",
                "removed update on A1: 2026-11-25 Refunds 60% done",
                "removed safeguard S1: Fail deploy on a missing env var",
            ]
        );
    }

    #[test]
    fn services_and_tags_are_listed_changes() {
        let base = BASE.replace(
            "reviewers = [\"sre-lead\", \"support-lead\"]",
            "reviewers = [\"sre-lead\", \"support-lead\"]\nservices = [\"checkout\"]\ntags = [\"deploy\"]",
        );
        let head = base
            .replace(
                "services = [\"checkout\"]",
                "services = [\"checkout\", \"payments\"]",
            )
            .replace("tags = [\"deploy\"]", "tags = []");
        assert_ne!(base, BASE);
        assert_eq!(
            lines(&base, &head),
            ["new service: payments", "removed tag: deploy"]
        );
    }

    #[test]
    fn an_edited_timeline_entry_is_removed_and_added() {
        let head = BASE.replace(
            "event = \"Deploy starts\"",
            "event = \"Deploy of v1.4.2 starts\"",
        );
        assert_eq!(
            lines(BASE, &head),
            [
                "new timeline entry: 2026-11-20T14:02:00Z Deploy of v1.4.2 starts",
                "removed timeline entry: 2026-11-20T14:02:00Z Deploy starts",
            ]
        );
    }

    #[test]
    fn reordered_items_are_not_changes() {
        let s1 = "[[safeguards]]\nid = \"S1\"\ntitle = \"Fail deploy on a missing env var\"\nowner = \"dana\"\ndue = 2026-12-15\n";
        let head = format!("{}\n{s1}", BASE.replace(s1, ""));
        assert_eq!(lines(BASE, &head), Vec::<String>::new());
    }
}
