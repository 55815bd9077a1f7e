//! Numbers across all postmortems (`stats`): the error-free counter,
//! incidents per severity and quarter, how many safeguards shipped and how
//! fast, and the patterns that repeat: contributing factors seen in several
//! postmortems, and files that the triggers of several incidents touched;
//! and the metrics leads report: time to detect and to resolve (median and
//! p90, per severity and quarter), safeguards shipped on time, shipped per
//! quarter, and open safeguards by age. Pure: the caller reads git and
//! hands in what the triggers touched.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::model::{FactorKind, Postmortem, Timestamp};
use crate::source::Loaded;
use crate::status::{self, Row, SafeguardState};

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
    /// `detected_at - occurred_at`.
    pub(crate) time_to_detect: TimeTo,
    /// `resolved_at - occurred_at`.
    pub(crate) time_to_resolve: TimeTo,
    /// Safeguards with a deadline: shipped by it, after it, or not at all.
    pub(crate) safeguards_on_time: OnTime,
    /// Safeguards by the quarter of their shipping commit's day.
    pub(crate) shipped_by_quarter: Vec<QuarterShipped>,
    /// Safeguards neither shipped nor dropped, by days since the incident.
    pub(crate) open_safeguards_by_age: Vec<AgeBucket>,
}

/// How long from `occurred_at` to one of the other timestamps, over every
/// postmortem and per severity and quarter (of `occurred_at`).
#[derive(Debug, Serialize)]
pub(crate) struct TimeTo {
    #[serde(flatten)]
    pub(crate) all: Spread,
    /// Severities with a postmortem, configured ones first, in order.
    pub(crate) by_severity: Vec<SeveritySpread>,
    pub(crate) by_quarter: Vec<QuarterSpread>,
}

/// The median and 90th percentile of a set of durations, and the
/// postmortems left out of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Spread {
    /// Postmortems measured.
    pub(crate) measured: usize,
    /// Minutes, to one decimal; `null` with nothing measured.
    pub(crate) median_minutes: Option<f64>,
    /// Nearest rank: the smallest duration that at least 90% of the
    /// measured ones do not exceed.
    pub(crate) p90_minutes: Option<f64>,
    /// `missing_detected_at` or `missing_resolved_at`: postmortems
    /// without the timestamp.
    #[serde(flatten)]
    pub(crate) missing: BTreeMap<&'static str, usize>,
    /// Postmortems whose timestamp is earlier than `occurred_at`, left
    /// out as a mistake in the file.
    pub(crate) before_occurred_at: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct SeveritySpread {
    pub(crate) severity: String,
    #[serde(flatten)]
    pub(crate) spread: Spread,
}

#[derive(Debug, Serialize)]
pub(crate) struct QuarterSpread {
    pub(crate) quarter: String,
    #[serde(flatten)]
    pub(crate) spread: Spread,
}

/// Safeguards with a due date, judged against it: `on_time` shipped on or
/// before `due` plus `safeguard_grace` (the last day `check` lets pass),
/// `late` shipped after it, `missed` not shipped (nor dropped) with the
/// deadline past. Those not yet due, dropped, or unknown (a shallow clone)
/// are not counted.
#[derive(Debug, Default, Serialize)]
pub(crate) struct OnTime {
    pub(crate) on_time: usize,
    pub(crate) late: usize,
    pub(crate) missed: usize,
    /// `on_time / (on_time + late + missed)`, to three decimals.
    pub(crate) rate: Option<f64>,
    /// Shipped safeguards without a due date, not counted above.
    pub(crate) shipped_without_due: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct QuarterShipped {
    /// `2026-Q4`.
    pub(crate) quarter: String,
    pub(crate) shipped: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct AgeBucket {
    /// `<30d`, `30-90d` or `>90d` since the incident's day.
    pub(crate) age: &'static str,
    pub(crate) safeguards: usize,
}

/// The open-safeguard age buckets: under 30 days, 30 to 90 days, over 90.
pub(crate) const AGE_BUCKETS: [&str; 3] = ["<30d", "30-90d", ">90d"];

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

impl SafeguardCounts {
    /// Every state with its count, in the order `status` names states.
    pub(crate) fn by_state(&self) -> [(&'static str, usize); 8] {
        [
            ("shipped", self.shipped),
            ("pending", self.pending),
            ("overdue", self.overdue),
            ("closed-unverified", self.closed_unverified),
            ("closed-not-planned", self.closed_not_planned),
            ("reverted", self.reverted),
            ("unknown", self.unknown),
            ("dropped", self.dropped),
        ]
    }
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
    grace: Duration,
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
        *quarters
            .entry(quarter(pm.occurred_at.0.date_naive()))
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
        time_to_detect: time_to(loaded, severities, "detected_at", |pm| pm.detected_at),
        time_to_resolve: time_to(loaded, severities, "resolved_at", |pm| pm.resolved_at),
        safeguards_on_time: on_time(rows, grace),
        shipped_by_quarter: shipped_by_quarter(rows),
        open_safeguards_by_age: open_by_age(loaded, rows, today),
    }
}

/// `2026-Q4`: the quarter of a day.
fn quarter(day: NaiveDate) -> String {
    format!("{}-Q{}", day.year(), day.month0() / 3 + 1)
}

/// The time from `occurred_at` to the timestamp `key` (`detected_at`,
/// `resolved_at`) that `at` reads, over every postmortem, per severity
/// and per quarter of `occurred_at`.
fn time_to(
    loaded: &[Loaded],
    severities: &[String],
    key: &'static str,
    at: impl Fn(&Postmortem) -> Option<Timestamp>,
) -> TimeTo {
    // Per postmortem: Some(minutes), or None when the timestamp is missing.
    let measured: Vec<(&Postmortem, Option<f64>)> = loaded
        .iter()
        .map(|l| {
            let pm = &l.postmortem;
            let minutes = at(pm)
                .map(|t| t.0.signed_duration_since(pm.occurred_at.0).num_seconds() as f64 / 60.0);
            (pm, minutes)
        })
        .collect();
    let spread = |group: &[Option<f64>]| spread(group, key);
    let mut by_severity: Vec<(String, Vec<Option<f64>>)> =
        severities.iter().map(|s| (s.clone(), Vec::new())).collect();
    let mut by_quarter: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
    for (pm, minutes) in &measured {
        match by_severity.iter_mut().find(|(s, _)| *s == pm.severity) {
            Some((_, group)) => group.push(*minutes),
            None => by_severity.push((pm.severity.clone(), vec![*minutes])),
        }
        by_quarter
            .entry(quarter(pm.occurred_at.0.date_naive()))
            .or_default()
            .push(*minutes);
    }
    let all: Vec<Option<f64>> = measured.iter().map(|(_, m)| *m).collect();
    TimeTo {
        all: spread(&all),
        by_severity: by_severity
            .into_iter()
            .filter(|(_, group)| !group.is_empty())
            .map(|(severity, group)| SeveritySpread {
                severity,
                spread: spread(&group),
            })
            .collect(),
        by_quarter: by_quarter
            .into_iter()
            .map(|(quarter, group)| QuarterSpread {
                quarter,
                spread: spread(&group),
            })
            .collect(),
    }
}

/// The median and p90 of the durations that are there and not negative.
fn spread(group: &[Option<f64>], key: &'static str) -> Spread {
    let mut minutes: Vec<f64> = group
        .iter()
        .flatten()
        .copied()
        .filter(|m| *m >= 0.0)
        .collect();
    minutes.sort_by(f64::total_cmp);
    let missing = group.iter().filter(|m| m.is_none()).count();
    Spread {
        measured: minutes.len(),
        median_minutes: median(&minutes).map(|m| round(m, 10.0)),
        p90_minutes: percentile(&minutes, 90).map(|m| round(m, 10.0)),
        missing: BTreeMap::from([(missing_key(key), missing)]),
        before_occurred_at: group.iter().flatten().filter(|m| **m < 0.0).count(),
    }
}

/// `missing_detected_at`, `missing_resolved_at`.
fn missing_key(key: &'static str) -> &'static str {
    match key {
        "detected_at" => "missing_detected_at",
        "resolved_at" => "missing_resolved_at",
        _ => "missing",
    }
}

/// The nearest-rank percentile of sorted values: the value at rank
/// ⌈p/100 × n⌉.
fn percentile(sorted: &[f64], p: usize) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let rank = (p * n).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

fn on_time(rows: &[Row<'_>], grace: Duration) -> OnTime {
    let mut counts = OnTime::default();
    for row in rows {
        match (&row.evidence, row.safeguard.due) {
            (Some(_), None) => counts.shipped_without_due += 1,
            (Some(shipped), Some(due)) => {
                if status::shipped_on_time(shipped, due, grace) {
                    counts.on_time += 1;
                } else {
                    counts.late += 1;
                }
            }
            (None, Some(_)) if row.days_overdue > 0 && row.state != SafeguardState::Dropped => {
                counts.missed += 1;
            }
            (None, _) => {}
        }
    }
    let judged = counts.on_time + counts.late + counts.missed;
    counts.rate = (judged > 0).then(|| round(counts.on_time as f64 / judged as f64, 1000.0));
    counts
}

fn shipped_by_quarter(rows: &[Row<'_>]) -> Vec<QuarterShipped> {
    let mut quarters: BTreeMap<String, usize> = BTreeMap::new();
    for evidence in rows.iter().filter_map(|r| r.evidence.as_ref()) {
        *quarters.entry(quarter(evidence.at.day().0)).or_default() += 1;
    }
    quarters
        .into_iter()
        .map(|(quarter, shipped)| QuarterShipped { quarter, shipped })
        .collect()
}

/// Safeguards neither shipped nor dropped, by whole days from the day the
/// incident began (as written) to today.
fn open_by_age(loaded: &[Loaded], rows: &[Row<'_>], today: NaiveDate) -> Vec<AgeBucket> {
    let mut counts = [0usize; 3];
    for row in rows {
        if matches!(row.state, SafeguardState::Shipped | SafeguardState::Dropped) {
            continue;
        }
        let Some(pm) = loaded.iter().find(|l| l.id == row.reference.postmortem) else {
            continue;
        };
        let age = (today - pm.postmortem.occurred_at.0.date_naive()).num_days();
        let bucket = match age {
            ..30 => 0,
            30..=90 => 1,
            _ => 2,
        };
        counts[bucket] += 1;
    }
    AGE_BUCKETS
        .iter()
        .zip(counts)
        .map(|(age, safeguards)| AgeBucket { age, safeguards })
        .collect()
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

/// `value` rounded to `1 / scale`: `round(2.345, 10.0)` is 2.3.
pub(crate) fn round(value: f64, scale: f64) -> f64 {
    (value * scale).round() / scale
}

/// The median of sorted values; none of none.
pub(crate) fn median(sorted: &[f64]) -> Option<f64> {
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
    fn percentiles_by_nearest_rank() {
        assert_eq!(percentile(&[], 90), None);
        assert_eq!(percentile(&[5.0], 90), Some(5.0));
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&ten, 90), Some(9.0));
        let eleven: Vec<f64> = (1..=11).map(f64::from).collect();
        assert_eq!(percentile(&eleven, 90), Some(10.0));
        assert_eq!(percentile(&[1.0, 2.0], 90), Some(2.0));
    }

    #[test]
    fn spreads_count_missing_and_backwards_timestamps() {
        let s = spread(
            &[Some(10.0), None, Some(-3.0), Some(30.0), Some(20.0)],
            "detected_at",
        );
        assert_eq!(s.measured, 3);
        assert_eq!(s.median_minutes, Some(20.0));
        assert_eq!(s.p90_minutes, Some(30.0));
        assert_eq!(s.missing.get("missing_detected_at"), Some(&1));
        assert_eq!(s.before_occurred_at, 1);
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
