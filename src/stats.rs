//! Numbers across all postmortems (`stats`): the error-free counter,
//! incidents per severity and quarter, how many safeguards shipped and how
//! fast, and the patterns that repeat: contributing factors seen in several
//! postmortems, and files that the triggers of several incidents touched.
//! Pure: the caller reads git and hands in what the triggers touched.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::model::FactorKind;
use crate::source::Loaded;
use crate::status::{Row, SafeguardState};

#[derive(Debug, Serialize)]
pub(crate) struct Stats {
    pub(crate) today: String,
    pub(crate) postmortems: usize,
    /// Whole days since the most recent incident began.
    pub(crate) days_since_last_incident: Option<i64>,
    pub(crate) last_incident: Option<String>,
    pub(crate) by_severity: Vec<SeverityCount>,
    pub(crate) by_quarter: Vec<QuarterCount>,
    pub(crate) safeguards: SafeguardCounts,
    /// Median days from `occurred_at` to the shipping commit, over shipped
    /// safeguards, to one decimal.
    pub(crate) median_days_to_ship: Option<f64>,
    pub(crate) recurring_factors: Vec<Recurring>,
    pub(crate) shared_trigger_files: Vec<SharedFile>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SeverityCount {
    pub(crate) severity: String,
    pub(crate) incidents: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct QuarterCount {
    /// `2026-Q4`.
    pub(crate) quarter: String,
    pub(crate) incidents: usize,
}

#[derive(Debug, Default, Serialize)]
pub(crate) struct SafeguardCounts {
    pub(crate) total: usize,
    pub(crate) shipped: usize,
    pub(crate) pending: usize,
    pub(crate) overdue: usize,
    pub(crate) closed_unverified: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub(crate) closed_not_planned: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub(crate) reverted: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub(crate) unknown: usize,
    pub(crate) dropped: usize,
    /// Shipped over all safeguards not dropped, to three decimals.
    pub(crate) ship_rate: Option<f64>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Recurring {
    pub(crate) kind: FactorKind,
    pub(crate) count: usize,
    pub(crate) postmortems: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct SharedFile {
    pub(crate) path: String,
    pub(crate) postmortems: Vec<String>,
}

/// Everything `stats` reports. `trigger_files` holds, per postmortem id,
/// the files its trigger commits changed.
pub(crate) fn compute(
    loaded: &[Loaded],
    rows: &[Row<'_>],
    severities: &[String],
    trigger_files: &BTreeMap<String, Vec<String>>,
    today: NaiveDate,
) -> Stats {
    let error_free = error_free(loaded, today);

    let mut by_severity: Vec<SeverityCount> = severities
        .iter()
        .map(|s| SeverityCount {
            severity: s.clone(),
            incidents: 0,
        })
        .collect();
    let mut quarters: BTreeMap<String, usize> = BTreeMap::new();
    for l in loaded {
        let pm = &l.postmortem;
        match by_severity.iter_mut().find(|c| c.severity == pm.severity) {
            Some(c) => c.incidents += 1,
            None => by_severity.push(SeverityCount {
                severity: pm.severity.clone(),
                incidents: 1,
            }),
        }
        let day = pm.occurred_at.0.date_naive();
        *quarters
            .entry(format!("{}-Q{}", day.year(), day.month0() / 3 + 1))
            .or_default() += 1;
    }

    let mut safeguards = SafeguardCounts {
        total: rows.len(),
        ..SafeguardCounts::default()
    };
    for row in rows {
        let slot = match row.state {
            SafeguardState::Shipped => &mut safeguards.shipped,
            SafeguardState::Pending => &mut safeguards.pending,
            SafeguardState::Overdue => &mut safeguards.overdue,
            SafeguardState::ClosedUnverified => &mut safeguards.closed_unverified,
            SafeguardState::ClosedNotPlanned => &mut safeguards.closed_not_planned,
            SafeguardState::Reverted => &mut safeguards.reverted,
            SafeguardState::Unknown => &mut safeguards.unknown,
            SafeguardState::Dropped => &mut safeguards.dropped,
        };
        *slot += 1;
    }
    let counted = safeguards.total - safeguards.dropped;
    safeguards.ship_rate =
        (counted > 0).then(|| round(safeguards.shipped as f64 / counted as f64, 1000.0));

    let mut days_to_ship: Vec<f64> = rows
        .iter()
        .filter_map(|row| {
            let evidence = row.evidence.as_ref()?;
            let pm = loaded.iter().find(|l| l.id == row.reference.postmortem)?;
            let seconds = evidence.at.unix_seconds() - pm.postmortem.occurred_at.0.timestamp();
            Some(seconds as f64 / 86_400.0)
        })
        .collect();
    days_to_ship.sort_by(f64::total_cmp);
    let median_days_to_ship = median(&days_to_ship).map(|m| round(m, 10.0));

    Stats {
        today: today.format("%Y-%m-%d").to_string(),
        postmortems: loaded.len(),
        days_since_last_incident: error_free.days_since_last_incident,
        last_incident: error_free.last_incident,
        by_severity,
        by_quarter: quarters
            .into_iter()
            .map(|(quarter, incidents)| QuarterCount { quarter, incidents })
            .collect(),
        safeguards,
        median_days_to_ship,
        recurring_factors: recurring_factors(loaded),
        shared_trigger_files: shared_files(trigger_files),
    }
}

/// The error-free counter: the most recent incident that began on or
/// before `today` (on the day of its own `occurred_at` offset), and the
/// whole days since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ErrorFree {
    pub(crate) days_since_last_incident: Option<i64>,
    pub(crate) last_incident: Option<String>,
}

pub(crate) fn error_free(loaded: &[Loaded], today: NaiveDate) -> ErrorFree {
    let last = loaded
        .iter()
        .filter(|l| l.postmortem.occurred_at.0.date_naive() <= today)
        .max_by_key(|l| l.postmortem.occurred_at);
    ErrorFree {
        days_since_last_incident: last
            .map(|l| (today - l.postmortem.occurred_at.0.date_naive()).num_days()),
        last_incident: last.map(|l| l.id.clone()),
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn round(value: f64, scale: f64) -> f64 {
    (value * scale).round() / scale
}

fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// Factor kinds named by at least two postmortems (a kind counts once per
/// postmortem), most frequent first.
fn recurring_factors(loaded: &[Loaded]) -> Vec<Recurring> {
    let mut by_kind: BTreeMap<FactorKind, BTreeSet<String>> = BTreeMap::new();
    for l in loaded {
        for factor in &l.postmortem.factors {
            by_kind.entry(factor.kind).or_default().insert(l.id.clone());
        }
    }
    let mut recurring: Vec<Recurring> = by_kind
        .into_iter()
        .filter(|(_, ids)| ids.len() >= 2)
        .map(|(kind, ids)| Recurring {
            kind,
            count: ids.len(),
            postmortems: ids.into_iter().collect(),
        })
        .collect();
    recurring.sort_by_key(|r| std::cmp::Reverse(r.count));
    recurring
}

/// Files touched by the triggers of at least two postmortems, the most
/// shared first.
fn shared_files(trigger_files: &BTreeMap<String, Vec<String>>) -> Vec<SharedFile> {
    let mut by_path: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (id, files) in trigger_files {
        for file in files {
            by_path.entry(file).or_default().insert(id);
        }
    }
    let mut shared: Vec<SharedFile> = by_path
        .into_iter()
        .filter(|(_, ids)| ids.len() >= 2)
        .map(|(path, ids)| SharedFile {
            path: path.to_string(),
            postmortems: ids.into_iter().map(String::from).collect(),
        })
        .collect();
    shared.sort_by_key(|f| std::cmp::Reverse(f.postmortems.len()));
    shared
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[1.0, 2.0, 9.0]), Some(2.0));
        assert_eq!(median(&[1.0, 2.0, 4.0, 9.0]), Some(3.0));
    }

    #[test]
    fn shared_files_need_two_postmortems() {
        let mut triggers = BTreeMap::new();
        triggers.insert(
            "a".to_string(),
            vec!["x.rs".to_string(), "y.rs".to_string()],
        );
        triggers.insert("b".to_string(), vec!["x.rs".to_string()]);
        let shared = shared_files(&triggers);
        assert_eq!(shared.len(), 1);
        assert_eq!(shared[0].path, "x.rs");
        assert_eq!(shared[0].postmortems, ["a", "b"]);
    }
}
