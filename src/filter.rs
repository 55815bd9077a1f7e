//! Which postmortems, safeguards and actions a command reports, from the
//! `--service`, `--tag`, `--severity`, `--status`, `--since`/`--until`,
//! `--owner`, `--mine` and `--state` flags: the values of one flag are
//! alternatives (any of them matches), different flags must all match.
//! Names compare case-insensitively; owners also without a leading `@`.
//! Pure: the command line builds a [`Filter`], the commands ask it.

use chrono::NaiveDate;

use crate::model::Postmortem;

/// What a command was asked to report. An empty list (or `None`) selects
/// everything.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    /// `--service`: a postmortem naming any of these in `services`.
    pub(crate) services: Vec<String>,
    /// `--tag`: a postmortem with any of these in `tags`.
    pub(crate) tags: Vec<String>,
    /// `--severity`: a postmortem of any of these severities.
    pub(crate) severities: Vec<String>,
    /// `list --status`: a postmortem in any of these states.
    pub(crate) statuses: Vec<String>,
    /// `--since`: an incident that began on or after this day (the day of
    /// `occurred_at` in its own offset).
    pub(crate) since: Option<NaiveDate>,
    /// `--until`: an incident that began on or before this day.
    pub(crate) until: Option<NaiveDate>,
    /// `--owner`, `--mine`: one group per flag; an owner matches when it
    /// is one of every group's names.
    pub(crate) owners: Vec<Vec<String>>,
    /// `status --state`: a safeguard or action in any of these states.
    pub(crate) states: Vec<String>,
}

impl Filter {
    /// Whether the postmortem is selected by what it is about: services,
    /// tags, severity, status and when the incident began.
    pub(crate) fn postmortem(&self, pm: &Postmortem) -> bool {
        let day = pm.occurred_at.0.date_naive();
        any_named(&self.services, &pm.services)
            && any_named(&self.tags, &pm.tags)
            && (self.severities.is_empty() || self.severities.contains(&pm.severity))
            && (self.statuses.is_empty() || self.statuses.iter().any(|s| s == pm.status.as_str()))
            && self.since.is_none_or(|since| since <= day)
            && self.until.is_none_or(|until| day <= until)
    }

    /// Whether `--owner` or `--mine` was given.
    pub(crate) fn by_owner(&self) -> bool {
        !self.owners.is_empty()
    }

    /// Whether an item with this owner is selected: always without
    /// `--owner` and `--mine`, never for an item without an owner with
    /// them.
    pub(crate) fn owner(&self, owner: Option<&str>) -> bool {
        if self.owners.is_empty() {
            return true;
        }
        let Some(owner) = owner.map(owner_key).filter(|o| !o.is_empty()) else {
            return false;
        };
        self.owners
            .iter()
            .all(|group| group.iter().any(|name| owner_key(name) == owner))
    }

    /// Whether a postmortem with an action or a safeguard of a selected
    /// owner is selected (what `list --owner` asks).
    pub(crate) fn owns_something(&self, pm: &Postmortem) -> bool {
        !self.by_owner()
            || pm.actions.iter().any(|a| self.owner(a.owner.as_deref()))
            || pm.safeguards.iter().any(|s| self.owner(s.owner.as_deref()))
    }

    /// Whether a safeguard or action in `state` is selected by `--state`.
    pub(crate) fn state(&self, state: &str) -> bool {
        self.states.is_empty() || self.states.iter().any(|s| s == state)
    }

    /// The `--service` and `--tag` values no postmortem of `all` names: a
    /// typo, most likely. Each as (`service` or `tag`, the value).
    pub(crate) fn unnamed<'a>(&'a self, all: &[&Postmortem]) -> Vec<(&'static str, &'a str)> {
        let mut unnamed = Vec::new();
        for (what, wanted, named) in [
            (
                "service",
                &self.services,
                all.iter().flat_map(|pm| &pm.services).collect::<Vec<_>>(),
            ),
            (
                "tag",
                &self.tags,
                all.iter().flat_map(|pm| &pm.tags).collect(),
            ),
        ] {
            for value in wanted {
                if !named.iter().any(|n| same_name(n, value)) {
                    unnamed.push((what, value.as_str()));
                }
            }
        }
        unnamed
    }
}

fn any_named(wanted: &[String], named: &[String]) -> bool {
    wanted.is_empty() || wanted.iter().any(|w| named.iter().any(|n| same_name(n, w)))
}

/// Services and tags are the same when they are, ignoring case and
/// surrounding spaces.
fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// An owner as compared: trimmed, without a leading `@`, in lower case.
fn owner_key(owner: &str) -> String {
    let owner = owner.trim();
    owner.strip_prefix('@').unwrap_or(owner).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pm(extra: &str) -> Postmortem {
        let text = format!(
            "schema = 1\ntitle = \"t\"\nstatus = \"draft\"\nseverity = \"sev2\"\noccurred_at = 2026-11-20T23:30:00-05:00\n{extra}"
        );
        crate::model::parse(&text).expect("parses")
    }

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn values_of_one_flag_are_alternatives_and_flags_combine() {
        let checkout = pm("services = [\"Checkout\", \"payments\"]\ntags = [\"deploy\"]\n");
        let any = Filter::default();
        assert!(any.postmortem(&checkout));
        let services = Filter {
            services: strings(&["search", "checkout"]),
            ..Filter::default()
        };
        assert!(services.postmortem(&checkout));
        let both = Filter {
            tags: strings(&["config"]),
            ..services.clone()
        };
        assert!(!both.postmortem(&checkout));
        let severity = Filter {
            severities: strings(&["sev1"]),
            ..services
        };
        assert!(!severity.postmortem(&checkout));
        assert!(!Filter {
            statuses: strings(&["final"]),
            ..Filter::default()
        }
        .postmortem(&checkout));
    }

    #[test]
    fn incidents_count_on_their_own_day() {
        // 23:30 at -05:00 is the 21st in UTC, but the 20th as written.
        let late = pm("");
        let day = |s: &str| s.parse::<crate::model::Date>().expect("date").0;
        let since = |d| Filter {
            since: Some(day(d)),
            ..Filter::default()
        };
        let until = |d| Filter {
            until: Some(day(d)),
            ..Filter::default()
        };
        assert!(since("2026-11-20").postmortem(&late));
        assert!(!since("2026-11-21").postmortem(&late));
        assert!(until("2026-11-20").postmortem(&late));
        assert!(!until("2026-11-19").postmortem(&late));
    }

    #[test]
    fn owners_match_without_case_or_at_and_every_group_must_match() {
        let filter = Filter {
            owners: vec![strings(&["@Dana", "sam"])],
            ..Filter::default()
        };
        assert!(filter.owner(Some("dana")));
        assert!(filter.owner(Some("@SAM")));
        assert!(!filter.owner(Some("sre")));
        assert!(!filter.owner(None));
        assert!(Filter::default().owner(None));
        let mine = Filter {
            owners: vec![
                strings(&["dana", "sam"]),
                strings(&["dana", "dana@example.com"]),
            ],
            ..Filter::default()
        };
        assert!(mine.owner(Some("dana")));
        assert!(!mine.owner(Some("sam")));
    }

    #[test]
    fn unnamed_values_are_reported() {
        let a = pm("services = [\"checkout\"]\ntags = [\"deploy\"]\n");
        let filter = Filter {
            services: strings(&["CHECKOUT", "chekout"]),
            tags: strings(&["deploy", "dns"]),
            ..Filter::default()
        };
        assert_eq!(
            filter.unnamed(&[&a]),
            [("service", "chekout"), ("tag", "dns")]
        );
    }
}
