//! What the postmortem site shows, computed: one index entry per
//! postmortem (newest first, with the text its search reads and the values
//! its filters offer), and the dashboard's trends per quarter: safeguards
//! shipped, the share of them shipped on time, and how long incidents took
//! to resolve. Pure: the caller hands in the loaded postmortems and their
//! safeguard verdicts; rendering is `render::site`'s job.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::source::Loaded;
use crate::stats::{median, round};
use crate::status::{shipped_on_time, Row, SafeguardState};

/// One postmortem as the index lists, searches and filters it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct IndexEntry {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) severity: String,
    pub(crate) status: &'static str,
    /// RFC 3339, as written.
    pub(crate) occurred_at: String,
    /// `YYYY-MM-DD`, the day of `occurred_at` in its own offset.
    pub(crate) date: String,
    pub(crate) year: i32,
    pub(crate) summary: String,
    /// Contributing factor kinds, once each, in file order.
    pub(crate) factors: Vec<String>,
    pub(crate) services: Vec<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) safeguards: usize,
    pub(crate) safeguards_shipped: usize,
    /// The page, relative to the site's root.
    pub(crate) href: String,
    /// Lower-case text the search matches: title, summary, factor kinds and
    /// notes, services and tags.
    pub(crate) search: String,
}

/// The page of postmortem `id`, relative to the site's root. Ids are
/// `YYYY-MM-DD-slug` with a slug of `[a-z0-9-]`, so they are safe as file
/// names and in URLs.
pub(crate) fn page_of(id: &str) -> String {
    format!("p/{id}.html")
}

/// Every postmortem, newest first (ties by id), as the index shows it.
/// `labels` gives each postmortem's `services` and `tags` (by id).
pub(crate) fn index(
    loaded: &[Loaded],
    rows: &[Row<'_>],
    labels: &BTreeMap<String, Labels>,
) -> Vec<IndexEntry> {
    let mut shipped: BTreeMap<&str, usize> = BTreeMap::new();
    for row in rows {
        if row.state == SafeguardState::Shipped {
            *shipped
                .entry(row.reference.postmortem.as_str())
                .or_default() += 1;
        }
    }
    let mut entries: Vec<(&Loaded, IndexEntry)> = loaded
        .iter()
        .map(|l| {
            let pm = &l.postmortem;
            let mut factors: Vec<String> = Vec::new();
            for f in &pm.factors {
                let kind = f.kind.as_str().to_string();
                if !factors.contains(&kind) {
                    factors.push(kind);
                }
            }
            let found = labels.get(&l.id).cloned().unwrap_or_default();
            let mut search = vec![pm.title.clone(), pm.summary.clone().unwrap_or_default()];
            for f in &pm.factors {
                search.push(f.kind.as_str().to_string());
                search.extend(f.note.clone());
            }
            search.extend(found.services.iter().cloned());
            search.extend(found.tags.iter().cloned());
            let day = pm.occurred_at.0.date_naive();
            let entry = IndexEntry {
                id: l.id.clone(),
                title: pm.title.clone(),
                severity: pm.severity.clone(),
                status: pm.status.as_str(),
                occurred_at: pm.occurred_at.to_string(),
                date: day.format("%Y-%m-%d").to_string(),
                year: day.year(),
                summary: pm.summary.clone().unwrap_or_default().trim().to_string(),
                factors,
                services: found.services,
                tags: found.tags,
                safeguards: pm.safeguards.len(),
                safeguards_shipped: shipped.get(l.id.as_str()).copied().unwrap_or(0),
                href: page_of(&l.id),
                search: search.join("\n").to_lowercase(),
            };
            (l, entry)
        })
        .collect();
    entries.sort_by(|(a, ea), (b, eb)| {
        b.postmortem
            .occurred_at
            .cmp(&a.postmortem.occurred_at)
            .then_with(|| eb.id.cmp(&ea.id))
    });
    entries.into_iter().map(|(_, e)| e).collect()
}

/// A postmortem's `services` and `tags`, trimmed, blanks and repeats left
/// out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Labels {
    pub(crate) services: Vec<String>,
    pub(crate) tags: Vec<String>,
}

/// The labels of `pm`.
pub(crate) fn labels(pm: &crate::model::Postmortem) -> Labels {
    let clean = |list: &[String]| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in list {
            let s = s.trim();
            if !s.is_empty() && !out.iter().any(|o| o == s) {
                out.push(s.to_string());
            }
        }
        out
    };
    Labels {
        services: clean(&pm.services),
        tags: clean(&pm.tags),
    }
}

/// The values the index's filters offer.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Facets {
    /// The configured severities first (most severe first), then any other
    /// seen.
    pub(crate) severities: Vec<String>,
    pub(crate) statuses: Vec<&'static str>,
    /// Services and tags together, sorted, each once.
    pub(crate) labels: Vec<String>,
    /// Newest first.
    pub(crate) years: Vec<i32>,
}

/// What the filters can choose from, over `entries`.
pub(crate) fn facets(entries: &[IndexEntry], severities: &[String]) -> Facets {
    let mut facets = Facets::default();
    for s in severities {
        if entries.iter().any(|e| &e.severity == s) {
            facets.severities.push(s.clone());
        }
    }
    let mut labels = BTreeSet::new();
    let mut years = BTreeSet::new();
    for e in entries {
        if !facets.severities.contains(&e.severity) {
            facets.severities.push(e.severity.clone());
        }
        labels.extend(e.services.iter().cloned());
        labels.extend(e.tags.iter().cloned());
        years.insert(e.year);
    }
    for status in ["draft", "review", "final"] {
        if entries.iter().any(|e| e.status == status) {
            facets.statuses.push(status);
        }
    }
    facets.labels = labels.into_iter().collect();
    facets.years = years.into_iter().rev().collect();
    facets
}

/// One quarter of the dashboard's trends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct QuarterTrend {
    /// `2026-Q4`.
    pub(crate) quarter: String,
    /// Incidents that began in the quarter.
    pub(crate) incidents: usize,
    /// Safeguards whose shipping commit is dated in the quarter (in the
    /// commit's own offset).
    pub(crate) shipped: usize,
    /// Of those with a due date, how many shipped on or before it (grace
    /// included)…
    pub(crate) shipped_on_time: usize,
    /// …out of how many had a due date.
    pub(crate) shipped_with_due: usize,
    /// `shipped_on_time / shipped_with_due`, to three decimals; none when
    /// no safeguard with a due date shipped in the quarter.
    pub(crate) on_time_rate: Option<f64>,
    /// Incidents that began in the quarter and have `resolved_at`.
    pub(crate) resolved: usize,
    /// The median hours from `occurred_at` to `resolved_at` over those, to
    /// one decimal.
    pub(crate) median_hours_to_resolve: Option<f64>,
}

/// The trends per quarter, oldest first, every quarter from the first
/// incident or shipped safeguard to the last one (quarters with nothing in
/// them included, so a chart shows the quiet ones too).
pub(crate) fn quarterly(loaded: &[Loaded], rows: &[Row<'_>], grace: Duration) -> Vec<QuarterTrend> {
    #[derive(Default)]
    struct Acc {
        incidents: usize,
        shipped: usize,
        on_time: usize,
        with_due: usize,
        hours: Vec<f64>,
    }
    let mut by_quarter: BTreeMap<(i32, u32), Acc> = BTreeMap::new();
    let key = |day: NaiveDate| (day.year(), day.month0() / 3);
    for l in loaded {
        let pm = &l.postmortem;
        let acc = by_quarter
            .entry(key(pm.occurred_at.0.date_naive()))
            .or_default();
        acc.incidents += 1;
        if let Some(resolved) = pm.resolved_at {
            let seconds = resolved
                .0
                .signed_duration_since(pm.occurred_at.0)
                .num_seconds();
            if seconds >= 0 {
                acc.hours.push(seconds as f64 / 3600.0);
            }
        }
    }
    for row in rows {
        let Some(evidence) = &row.evidence else {
            continue;
        };
        let acc = by_quarter.entry(key(evidence.at.day().0)).or_default();
        acc.shipped += 1;
        if let Some(due) = row.safeguard.due {
            acc.with_due += 1;
            if shipped_on_time(evidence, due, grace) {
                acc.on_time += 1;
            }
        }
    }
    let (Some(first), Some(last)) = (
        by_quarter.keys().next().copied(),
        by_quarter.keys().next_back().copied(),
    ) else {
        return Vec::new();
    };
    let mut trends = Vec::new();
    let mut at = first;
    loop {
        let mut acc = by_quarter.remove(&at).unwrap_or_default();
        acc.hours.sort_by(f64::total_cmp);
        trends.push(QuarterTrend {
            quarter: format!("{}-Q{}", at.0, at.1 + 1),
            incidents: acc.incidents,
            shipped: acc.shipped,
            shipped_on_time: acc.on_time,
            shipped_with_due: acc.with_due,
            on_time_rate: (acc.with_due > 0)
                .then(|| round(acc.on_time as f64 / acc.with_due as f64, 1000.0)),
            resolved: acc.hours.len(),
            median_hours_to_resolve: median(&acc.hours).map(|m| round(m, 10.0)),
        });
        if at == last {
            break;
        }
        at = if at.1 == 3 {
            (at.0 + 1, 0)
        } else {
            (at.0, at.1 + 1)
        };
    }
    trends
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    fn loaded(id: &str, text: &str) -> Loaded {
        Loaded {
            id: id.to_string(),
            source: Source::new(format!("postmortems/{id}.toml"), text.to_string()),
            postmortem: toml::from_str(text).expect("a postmortem"),
        }
    }

    fn pm(title: &str, occurred: &str, resolved: Option<&str>) -> String {
        let mut text = format!(
            "schema = 1\ntitle = \"{title}\"\nstatus = \"draft\"\nseverity = \"sev2\"\noccurred_at = {occurred}\n"
        );
        if let Some(r) = resolved {
            text.push_str(&format!("resolved_at = {r}\n"));
        }
        text
    }

    #[test]
    fn labels_are_trimmed_once_each_and_absent_by_default() {
        let with = loaded(
            "2026-01-10-a",
            "schema = 1\ntitle = \"t\"\nstatus = \"draft\"\nseverity = \"sev2\"\noccurred_at = 2026-01-10T10:00:00Z\nservices = [\"checkout\", \" api \", \"checkout\", \"\"]\ntags = [\"db\"]\n",
        );
        assert_eq!(
            labels(&with.postmortem),
            Labels {
                services: vec!["checkout".into(), "api".into()],
                tags: vec!["db".into()],
            }
        );
        let without = loaded("2026-01-10-b", &pm("b", "2026-01-10T10:00:00Z", None));
        assert_eq!(labels(&without.postmortem), Labels::default());
    }

    #[test]
    fn trends_fill_quiet_quarters_and_take_medians() {
        let all = [
            loaded(
                "2026-01-10-a",
                &pm("a", "2026-01-10T10:00:00Z", Some("2026-01-10T12:00:00Z")),
            ),
            loaded(
                "2026-02-10-b",
                &pm("b", "2026-02-10T10:00:00Z", Some("2026-02-10T11:00:00Z")),
            ),
            loaded("2026-08-01-c", &pm("c", "2026-08-01T10:00:00+02:00", None)),
        ];
        let trends = quarterly(&all, &[], Duration::ZERO);
        let quarters: Vec<&str> = trends.iter().map(|t| t.quarter.as_str()).collect();
        assert_eq!(quarters, ["2026-Q1", "2026-Q2", "2026-Q3"]);
        assert_eq!(trends[0].incidents, 2);
        assert_eq!(trends[0].median_hours_to_resolve, Some(1.5));
        assert_eq!(trends[1].incidents, 0);
        assert_eq!(trends[1].median_hours_to_resolve, None);
        assert_eq!(trends[2].resolved, 0);
        assert!(quarterly(&[], &[], Duration::ZERO).is_empty());
    }

    #[test]
    fn the_index_is_newest_first_and_searchable() {
        let all = [
            loaded(
                "2026-01-10-a",
                &pm("Older DNS", "2026-01-10T10:00:00Z", None),
            ),
            loaded(
                "2026-02-10-b",
                &pm("Newer Checkout", "2026-02-10T10:00:00Z", None),
            ),
        ];
        let mut labels = BTreeMap::new();
        labels.insert(
            "2026-01-10-a".to_string(),
            Labels {
                services: vec!["Resolver".into()],
                tags: vec![],
            },
        );
        let entries = index(&all, &[], &labels);
        assert_eq!(entries[0].id, "2026-02-10-b");
        assert_eq!(entries[1].href, "p/2026-01-10-a.html");
        assert!(entries[1].search.contains("older dns"));
        assert!(entries[1].search.contains("resolver"));
        let facets = facets(&entries, &["sev1".into(), "sev2".into()]);
        assert_eq!(facets.severities, ["sev2"]);
        assert_eq!(facets.labels, ["Resolver"]);
        assert_eq!(facets.years, [2026]);
    }
}
