//! `stats`: the error-free counter, incidents per severity and quarter,
//! the safeguard ship rate and speed, and the patterns that repeat.

use clap::Args;

use crate::app::judge::Verdicts;
use crate::app::{show, Ctx, Outcome};
use crate::error::Result;
use crate::stats::{self, Stats};

use super::args::HistoryArgs;

/// Days since the last incident, safeguard ship rate, median days to ship,
/// recurring contributing factors and files several incidents' triggers
/// touched.
#[derive(Debug, Args)]
pub(crate) struct StatsArgs {
    /// One JSON document instead of text.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    history: HistoryArgs,
}

pub(crate) fn run(ctx: &mut Ctx, args: &StatsArgs) -> Result<Outcome> {
    let verdicts = Verdicts::gather(ctx, args.history.branch.as_deref(), args.history.today)?;
    let rows = verdicts.rows(ctx);
    let triggers = show::trigger_files(ctx.repo(), &verdicts.loaded);
    let judged = &verdicts.judged;
    let stats = stats::compute(
        &verdicts.loaded,
        &rows,
        &ctx.config.severities,
        &triggers,
        judged.today,
    );
    if args.json {
        ctx.out.json(&stats)?;
    } else {
        for line in human(&stats, &judged.history.branch.name) {
            ctx.out.line(line)?;
        }
    }
    Ok(verdicts.outcome)
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

/// The text report, a line each (a file name with a newline in it stays
/// on its line).
fn human(stats: &Stats, branch: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = |s: String| out.push(s);
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
    // The states a repository rarely has are named only when it has them.
    let rare: String = [
        (s.closed_not_planned, "closed-not-planned"),
        (s.reverted, "reverted"),
        (s.unknown, "unknown"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, name)| format!(", {n} {name}"))
    .collect();
    line(format!(
        "Safeguards: {} shipped of {} not dropped ({rate}) on {branch}; {} pending, {} overdue, {} closed-unverified{rare}, {} dropped",
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
            let kind = r.kind.as_str();
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
