//! `stats`: the error-free counter, incidents per severity and quarter,
//! the safeguard ship rate and speed, and the patterns that repeat.

use clap::{Args, ValueEnum};

use crate::app::judge::Verdicts;
use crate::app::{show, Ctx, Outcome};
use crate::diagnostic::plural;
use crate::error::{Error, Result};
use crate::render::view::human_minutes;
use crate::stats::{self, Spread, Stats};

use super::args::{self, HistoryArgs, SelectArgs, WhenArgs};

/// Days since the last incident, safeguard ship rate, median days to ship,
/// recurring contributing factors and files several incidents' triggers
/// touched
///
/// Also what leads report: time to detect (`detected_at - occurred_at`)
/// and to resolve (`resolved_at - occurred_at`), median and p90, per
/// severity and per quarter, with the postmortems that lack the timestamp
/// counted; safeguards shipped on time (by `due` plus `safeguard_grace`),
/// shipped per quarter, and open safeguards by days since the incident.
///
/// `--format csv` writes one `metric,dimension,group,value` row per number,
/// for spreadsheets and dashboards. The selection flags restrict every
/// number to the postmortems they select.
#[derive(Debug, Args)]
pub(crate) struct StatsArgs {
    /// One JSON document instead of text (`--format json`).
    #[arg(long, conflicts_with = "format")]
    json: bool,

    /// Output format: text, one JSON document, or CSV rows.
    #[arg(long, value_enum, default_value_t = StatsFormat::Human)]
    format: StatsFormat,

    #[command(flatten)]
    history: HistoryArgs,

    #[command(flatten)]
    select: SelectArgs,

    #[command(flatten)]
    when: WhenArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum StatsFormat {
    Human,
    Json,
    Csv,
}

pub(crate) fn run(ctx: &mut Ctx, args: &StatsArgs) -> Result<Outcome> {
    let mut verdicts = Verdicts::gather(ctx, args.history.branch.as_deref(), args.history.today)?;
    let filter = args::filter(
        &args.select,
        Some(&args.when),
        &ctx.config.severities,
        verdicts.judged.today,
    )?;
    args::note_unnamed(&filter, &verdicts.loaded);
    verdicts.loaded.retain(|l| filter.postmortem(&l.postmortem));
    let rows = verdicts.rows(ctx);
    let triggers = show::trigger_files(ctx.repo(), &verdicts.loaded);
    let judged = &verdicts.judged;
    let stats = stats::compute(
        &verdicts.loaded,
        &rows,
        &ctx.config.severities,
        &triggers,
        judged.today,
        ctx.config.safeguard_grace,
    );
    let format = if args.json {
        StatsFormat::Json
    } else {
        args.format
    };
    match format {
        StatsFormat::Json => ctx.out.json(&stats)?,
        StatsFormat::Csv => ctx.out.text(&csv(&stats)?)?,
        StatsFormat::Human => {
            for line in human(&stats, &judged.history.branch.name) {
                ctx.out.line(line)?;
            }
        }
    }
    Ok(verdicts.outcome)
}

/// The tidy long form: a header, then one `metric,dimension,group,value`
/// row per number. `dimension` is what `group` is (`all` for the whole,
/// with an empty `group`; `severity`, `quarter`, `state`, `age`,
/// `factor`, `path`); `value` is empty where there is no number (a median
/// of nothing). A group that a spreadsheet would read as a formula (it
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a `'`
/// before it.
fn csv(stats: &Stats) -> Result<String> {
    fn number(n: impl ToString) -> String {
        n.to_string()
    }
    let mut rows: Vec<[String; 4]> = Vec::new();
    let mut row = |metric: &str, dimension: &str, group: &str, value: Option<String>| {
        rows.push([
            metric.to_string(),
            dimension.to_string(),
            defuse_formula(group),
            value.unwrap_or_default(),
        ]);
    };
    row(
        "days_since_last_incident",
        "all",
        "",
        stats.days_since_last_incident.map(number),
    );
    row("incidents", "all", "", Some(number(stats.postmortems)));
    for s in &stats.by_severity {
        row(
            "incidents",
            "severity",
            &s.severity,
            Some(number(s.incidents)),
        );
    }
    for q in &stats.by_quarter {
        row(
            "incidents",
            "quarter",
            &q.quarter,
            Some(number(q.incidents)),
        );
    }
    let s = &stats.safeguards;
    row("safeguards", "all", "", Some(number(s.total)));
    for (state, n) in s.by_state() {
        row("safeguards", "state", state, Some(number(n)));
    }
    row("ship_rate", "all", "", s.ship_rate.map(number));
    row(
        "median_days_to_ship",
        "all",
        "",
        stats.median_days_to_ship.map(number),
    );
    for (name, time_to) in [
        ("time_to_detect", &stats.time_to_detect),
        ("time_to_resolve", &stats.time_to_resolve),
    ] {
        let groups = std::iter::once(("all", "", &time_to.all))
            .chain(
                time_to
                    .by_severity
                    .iter()
                    .map(|g| ("severity", g.severity.as_str(), &g.spread)),
            )
            .chain(
                time_to
                    .by_quarter
                    .iter()
                    .map(|g| ("quarter", g.quarter.as_str(), &g.spread)),
            );
        for (dimension, group, spread) in groups {
            let metric = |what: &str| format!("{name}_{what}");
            row(
                &metric("median_minutes"),
                dimension,
                group,
                spread.median_minutes.map(number),
            );
            row(
                &metric("p90_minutes"),
                dimension,
                group,
                spread.p90_minutes.map(number),
            );
            row(
                &metric("measured"),
                dimension,
                group,
                Some(number(spread.measured)),
            );
            for (key, n) in &spread.missing {
                row(&metric(key), dimension, group, Some(number(n)));
            }
            row(
                &metric("before_occurred_at"),
                dimension,
                group,
                Some(number(spread.before_occurred_at)),
            );
        }
    }
    let on_time = &stats.safeguards_on_time;
    row(
        "safeguards_on_time",
        "all",
        "",
        Some(number(on_time.on_time)),
    );
    row("safeguards_late", "all", "", Some(number(on_time.late)));
    row("safeguards_missed", "all", "", Some(number(on_time.missed)));
    row("on_time_rate", "all", "", on_time.rate.map(number));
    row(
        "safeguards_shipped_without_due",
        "all",
        "",
        Some(number(on_time.shipped_without_due)),
    );
    for q in &stats.shipped_by_quarter {
        row(
            "safeguards_shipped",
            "quarter",
            &q.quarter,
            Some(number(q.shipped)),
        );
    }
    for b in &stats.open_safeguards_by_age {
        row("open_safeguards", "age", b.age, Some(number(b.safeguards)));
    }
    for r in &stats.recurring_factors {
        row(
            "recurring_factor",
            "factor",
            r.kind.as_str(),
            Some(number(r.count)),
        );
    }
    for f in &stats.shared_trigger_files {
        row(
            "shared_trigger_file",
            "path",
            &f.path,
            Some(number(f.postmortems.len())),
        );
    }

    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let fail = |e: ::csv::Error| Error::io("stdout", std::io::Error::other(e));
    writer
        .write_record(["metric", "dimension", "group", "value"])
        .map_err(fail)?;
    for r in &rows {
        writer.write_record(r).map_err(fail)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::io("stdout", std::io::Error::other(e.to_string())))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A cell a spreadsheet would take for a formula, quoted with a leading
/// `'` (the OWASP advice for CSV injection).
fn defuse_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
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
    for (what, key, time_to) in [
        ("detect", "detected_at", &stats.time_to_detect),
        ("resolve", "resolved_at", &stats.time_to_resolve),
    ] {
        line(format!("Time to {what}: {}", spread(&time_to.all, key)));
        let groups = time_to
            .by_severity
            .iter()
            .map(|g| (&g.severity, &g.spread))
            .chain(time_to.by_quarter.iter().map(|g| (&g.quarter, &g.spread)));
        for (group, s) in groups {
            line(format!("  {group}: {}", spread(s, key)));
        }
    }
    let on_time = &stats.safeguards_on_time;
    let judged = on_time.on_time + on_time.late + on_time.missed;
    line(match on_time.rate {
        Some(rate) => format!(
            "Safeguards shipped on time: {} of {judged} due by now ({:.0}%); {} shipped late, {} missed",
            on_time.on_time,
            rate * 100.0,
            on_time.late,
            on_time.missed
        ),
        None => "Safeguards shipped on time: - (none due by now)".into(),
    });
    if !stats.shipped_by_quarter.is_empty() {
        let quarters: Vec<String> = stats
            .shipped_by_quarter
            .iter()
            .map(|q| format!("{} {}", q.quarter, q.shipped))
            .collect();
        line(format!(
            "Safeguards shipped per quarter: {}",
            quarters.join(", ")
        ));
    }
    let ages: Vec<String> = stats
        .open_safeguards_by_age
        .iter()
        .map(|b| format!("{} {}", b.age, b.safeguards))
        .collect();
    line(format!(
        "Open safeguards by days since the incident: {}",
        ages.join(", ")
    ));
    out
}

/// `median 7m, p90 30m over 3 postmortems; 1 without detected_at`.
fn spread(s: &Spread, key: &str) -> String {
    let minutes = |m: f64| human_minutes(m.round() as i64);
    let mut text = match (s.median_minutes, s.p90_minutes) {
        (Some(median), Some(p90)) => format!(
            "median {}, p90 {} over {} postmortem{}",
            minutes(median),
            minutes(p90),
            s.measured,
            plural(s.measured)
        ),
        _ => "none measured".to_string(),
    };
    let missing: usize = s.missing.values().sum();
    if missing > 0 {
        text.push_str(&format!("; {missing} without {key}"));
    }
    if s.before_occurred_at > 0 {
        text.push_str(&format!(
            "; {} with {key} before occurred_at, left out",
            s.before_occurred_at
        ));
    }
    text
}
