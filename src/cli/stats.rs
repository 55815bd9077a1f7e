//! `stats`: the error-free counter, incidents per severity and quarter,
//! the safeguard ship rate and speed, and the patterns that repeat.

use std::collections::BTreeMap;
use std::io::Write;

use clap::Args;

use crate::app::{Ctx, Outcome};
use crate::error::{Error, Result};
use crate::history;
use crate::stats::{self, Stats};
use crate::store::Loaded;

use super::status::{HistoryArgs, Judged};

/// Days since the last incident, safeguard ship rate, median days to ship,
/// recurring contributing factors and files several incidents' triggers
/// touched.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// One JSON document instead of text.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    history: HistoryArgs,
}

/// Trigger range commits looked at per range, at most.
const RANGE_LIMIT: usize = 200;

pub fn run(ctx: &mut Ctx, args: &StatsArgs) -> Result<Outcome> {
    let (loaded, failed) = ctx.store().load_all()?;
    let outcome = super::list::report_failures(&failed);
    let judged = Judged::new(ctx, &args.history)?;
    let rows = judged.rows(ctx, &loaded);
    let triggers = trigger_files(ctx, &loaded);
    let stats = stats::compute(
        &loaded,
        &rows,
        &ctx.config.severities,
        &triggers,
        judged.today,
    );
    if args.json {
        serde_json::to_writer_pretty(&mut ctx.out, &stats)
            .map_err(|e| Error::io("stdout", e.into()))?;
        writeln!(ctx.out).map_err(|e| Error::io("stdout", e))?;
    } else {
        let text = human(&stats, &judged.history.branch.name);
        ctx.out
            .write_all(text.as_bytes())
            .map_err(|e| Error::io("stdout", e))?;
    }
    Ok(outcome)
}

/// The files each postmortem's trigger commits (and the commits of its
/// trigger ranges) changed against their first parent. Commits the
/// repository lacks are skipped: `lint` reports them.
fn trigger_files(ctx: &Ctx, loaded: &[Loaded]) -> BTreeMap<String, Vec<String>> {
    let repo = ctx.repo();
    let mut by_id = BTreeMap::new();
    for l in loaded {
        let Some(trigger) = &l.postmortem.trigger else {
            continue;
        };
        let mut oids: Vec<git2::Oid> = trigger
            .commits
            .iter()
            .filter_map(|rev| history::resolve_commit(repo, rev).ok())
            .collect();
        for range in &trigger.ranges {
            if let Ok(commits) = history::range_commits(repo, range, RANGE_LIMIT) {
                oids.extend(
                    commits
                        .iter()
                        .filter_map(|c| git2::Oid::from_str(&c.oid).ok()),
                );
            }
        }
        let mut files: Vec<String> = oids
            .into_iter()
            .filter_map(|oid| history::touched_files(repo, oid).ok())
            .flatten()
            .collect();
        files.sort();
        files.dedup();
        if !files.is_empty() {
            by_id.insert(l.id.clone(), files);
        }
    }
    by_id
}

/// Postmortem ids listed per line in text output; `--json` has them all.
const LISTED: usize = 5;

/// The most recent ids (ids sort by date), and how many more there are.
fn latest(ids: &[String]) -> String {
    let shown = &ids[ids.len().saturating_sub(LISTED)..];
    let mut text = shown.join(", ");
    if ids.len() > shown.len() {
        text.push_str(&format!(" and {} earlier", ids.len() - shown.len()));
    }
    text
}

fn human(stats: &Stats, branch: &str) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    match (&stats.last_incident, stats.days_since_last_incident) {
        (Some(id), Some(days)) => line(format!("Days since the last incident: {days} ({id})")),
        _ => line("Days since the last incident: no incidents recorded".into()),
    }
    line(format!("Incidents: {}", stats.postmortems));
    let severities: Vec<String> = stats
        .by_severity
        .iter()
        .map(|s| format!("{} {}", s.severity, s.incidents))
        .collect();
    line(format!("  by severity: {}", severities.join(", ")));
    if !stats.by_quarter.is_empty() {
        let quarters: Vec<String> = stats
            .by_quarter
            .iter()
            .map(|q| format!("{} {}", q.quarter, q.incidents))
            .collect();
        line(format!("  by quarter:  {}", quarters.join(", ")));
    }
    let s = &stats.safeguards;
    let rate = s
        .ship_rate
        .map_or_else(|| "-".to_string(), |r| format!("{:.0}%", r * 100.0));
    line(format!(
        "Safeguards: {} shipped of {} not dropped ({rate}) on {branch}; {} pending, {} overdue, {} closed-unverified, {} dropped",
        s.shipped,
        s.total - s.dropped,
        s.pending,
        s.overdue,
        s.closed_unverified,
        s.dropped
    ));
    line(match stats.median_days_to_ship {
        Some(days) => format!("Median days from incident to shipped safeguard: {days:.1}"),
        None => "Median days from incident to shipped safeguard: - (none shipped)".into(),
    });
    if stats.recurring_factors.is_empty() {
        line("Recurring factors: none seen in two postmortems yet".into());
    } else {
        line("Recurring factors:".into());
        for r in &stats.recurring_factors {
            let kind = serde_json::to_value(r.kind)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            line(format!(
                "  {kind} ({}): {}",
                r.count,
                latest(&r.postmortems)
            ));
        }
    }
    if stats.shared_trigger_files.is_empty() {
        line("Files touched by the triggers of several incidents: none".into());
    } else {
        line("Files touched by the triggers of several incidents:".into());
        for f in &stats.shared_trigger_files {
            line(format!("  {}: {}", f.path, latest(&f.postmortems)));
        }
    }
    out
}
