//! `check`: every lint plus the safeguards' status, for CI. Exit 1 when a
//! safeguard is overdue or a postmortem has a lint error, 2 when a file
//! does not follow the schema. The findings are gathered once into a
//! [`CheckReport`]; each output format is one function over it.

use std::io::Write;

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::app::{self, Ctx, Outcome};
use crate::diagnostic::{Diagnostic, Level, Report};
use crate::error::{Error, Result};
use crate::key_path;
use crate::lint::{self, schema};
use crate::model::KeyPath;
use crate::render::{annotations, escape, rdjson};
use crate::source::Source;
use crate::status::{self, Row, SafeguardJson, SafeguardState};
use crate::store::Loaded;

use super::status::{HistoryArgs, Judged};

/// The lint id of findings about safeguards past their deadline.
pub const OVERDUE: &str = "overdue";

/// Run every lint and check every safeguard's deadline: what CI runs.
///
/// Exit 0 when clean (warnings allowed), 1 when a safeguard is overdue or a
/// postmortem has a lint error, 2 when a file does not follow the schema.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format: lines on stderr, GitHub workflow annotations (and a
    /// step summary when GITHUB_STEP_SUMMARY is set), one JSON document, or
    /// reviewdog's Diagnostic Format (rdjson).
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    format: CheckFormat,

    #[command(flatten)]
    history: HistoryArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Human,
    Github,
    Json,
    Rdjson,
}

/// What `check` found, ready for any output format.
struct CheckReport<'a> {
    files: usize,
    /// Lint findings, then one per failing safeguard, in file order.
    findings: Vec<Diagnostic>,
    rows: Vec<Row<'a>>,
    judged: &'a Judged,
}

pub fn run(ctx: &mut Ctx, args: &CheckArgs) -> Result<Outcome> {
    let clock = args.history.clock(ctx.clock());
    let store = ctx.store();
    let ids = store.ids()?;
    let mut loaded: Vec<Loaded> = Vec::with_capacity(ids.len());
    let mut findings: Vec<Diagnostic> = Vec::new();
    for id in &ids {
        let source = store.read(id)?;
        match schema::parse_checked(id, &source, &ctx.config) {
            Ok(postmortem) => {
                findings.extend(lint::lint_parsed(
                    &postmortem,
                    &source,
                    &ctx.config,
                    &clock,
                    ctx.repo(),
                ));
                loaded.push(Loaded {
                    id: id.clone(),
                    source,
                    postmortem,
                });
            }
            Err(diagnostics) => findings.extend(diagnostics),
        }
    }
    let lint_outcome = super::lint::outcome_of(&findings);

    let judged = Judged::new(ctx, &args.history)?;
    let rows = judged.rows(ctx, &loaded);
    findings.extend(
        rows.iter()
            .filter(|row| row.fails_check())
            .map(|row| overdue_finding(row, &loaded)),
    );
    findings.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    let overdue = rows.iter().any(Row::fails_check);
    let outcome = lint_outcome.and(if overdue {
        Outcome::Findings
    } else {
        Outcome::Ok
    });

    let report = CheckReport {
        files: ids.len(),
        findings,
        rows,
        judged: &judged,
    };
    match args.format {
        CheckFormat::Human => human(&report),
        CheckFormat::Github => {
            github_annotations(ctx, &report)?;
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
                append_step_summary(ctx, &report, outcome, std::path::Path::new(&path))?;
            }
        }
        CheckFormat::Json => json(ctx, &report)?,
        CheckFormat::Rdjson => rdjson(ctx, &report)?,
    }
    Ok(outcome)
}

/// A failing safeguard as a finding on its `[[safeguards]]` table.
fn overdue_finding(row: &Row<'_>, loaded: &[Loaded]) -> Diagnostic {
    let source: Option<&Source> = loaded
        .iter()
        .find(|l| l.id == row.reference.postmortem)
        .map(|l| &l.source);
    let path: KeyPath = key_path!["safeguards", row.index];
    let (line, column) = source.map_or((1, 1), |s| s.position(&path));
    let s = row.safeguard;
    let owner = s
        .owner
        .as_deref()
        .map_or_else(String::new, |o| format!(" (owner {o})"));
    let due = s.due.map_or_else(String::new, |d| d.to_string());
    let days = row.days_overdue;
    let late = format!(
        "{days} day{} overdue",
        crate::diagnostic::plural(days as usize)
    );
    let message = match row.state {
        SafeguardState::ClosedUnverified => format!(
            "safeguard {} \"{}\"{owner}: issue #{} is closed but no commit on the default branch ships it; {late} (due {due}). Land the change with the trailer `Postmortem-Safeguard: {}`",
            s.id,
            s.title,
            s.issue.unwrap_or(0),
            row.reference
        ),
        _ => format!(
            "safeguard {} \"{}\"{owner} was due {due} and has not shipped: {late}. Land it with the trailer `Postmortem-Safeguard: {}`, or drop it with a reason",
            s.id, s.title, row.reference
        ),
    };
    Diagnostic {
        level: Level::Error,
        lint: OVERDUE,
        path: row.path.to_string(),
        line,
        column,
        message,
    }
}

fn human(report: &CheckReport<'_>) {
    report.findings.iter().for_each(app::report);
    let counts = Report::new(&report.findings);
    let branch = &report.judged.history.branch;
    eprintln!(
        "{} file{} checked: {}; {} on {}",
        report.files,
        crate::diagnostic::plural(report.files),
        counts.summary(),
        status::summary(&report.rows),
        branch.name
    );
}

/// `::error file=…,line=…,col=…::[lint] message` per finding, on stdout
/// where the runner reads workflow commands.
fn github_annotations(ctx: &mut Ctx, report: &CheckReport<'_>) -> Result<()> {
    let io = |e| Error::io("stdout", e);
    for finding in &report.findings {
        writeln!(ctx.out, "{}", annotations::annotation(finding)).map_err(io)?;
    }
    let counts = Report::new(&report.findings);
    eprintln!(
        "{} file{} checked: {}; {}",
        report.files,
        crate::diagnostic::plural(report.files),
        counts.summary(),
        status::summary(&report.rows)
    );
    Ok(())
}

/// At most this many safeguards are listed in the step summary; the rest
/// are counted.
const SUMMARY_ROWS: usize = 200;

fn append_step_summary(
    ctx: &Ctx,
    report: &CheckReport<'_>,
    outcome: Outcome,
    path: &std::path::Path,
) -> Result<()> {
    let branch = &report.judged.history.branch;
    let short = |oid| crate::history::short_oid(ctx.repo(), oid);
    let counts = Report::new(&report.findings);
    let lint_errors = report
        .findings
        .iter()
        .filter(|f| f.is_error() && f.lint != OVERDUE)
        .count();
    let failing = report.rows.iter().filter(|r| r.fails_check()).count();
    let mut md = String::new();
    md.push_str("## Postmortem check\n\n");
    md.push_str(&format!(
        "**{}**: {} overdue safeguard{}, {} lint error{}, {} warning{}. Branch `{}` at `{}`, {}.\n\n",
        if outcome == Outcome::Ok { "Passed" } else { "Failed" },
        failing,
        crate::diagnostic::plural(failing),
        lint_errors,
        crate::diagnostic::plural(lint_errors),
        counts.warnings,
        crate::diagnostic::plural(counts.warnings),
        escape::markdown(&branch.name),
        short(branch.tip),
        report.judged.today.format("%Y-%m-%d"),
    ));
    md.push_str(&format!("{}\n\n", status::summary(&report.rows)));
    // Failing first, then pending, then the rest; each in id order.
    let mut listed: Vec<&Row<'_>> = report.rows.iter().collect();
    listed.sort_by_key(|r| match r.state {
        _ if r.fails_check() => 0,
        SafeguardState::ClosedUnverified | SafeguardState::Pending => 1,
        _ => 2,
    });
    if !listed.is_empty() {
        md.push_str("| safeguard | state | owner | due | shipped by |\n");
        md.push_str("| --- | --- | --- | --- | --- |\n");
        for row in listed.iter().take(SUMMARY_ROWS) {
            let s = row.safeguard;
            let state = match row.state {
                SafeguardState::Overdue | SafeguardState::ClosedUnverified
                    if row.days_overdue > 0 =>
                {
                    format!(
                        "**{}** ({} day{})",
                        row.state.as_str(),
                        row.days_overdue,
                        crate::diagnostic::plural(row.days_overdue as usize)
                    )
                }
                state => state.as_str().to_string(),
            };
            let shipped = row.evidence.as_ref().map_or_else(String::new, |e| {
                format!("`{}` {}", short(e.commit), escape::table_cell(&e.subject))
            });
            md.push_str(&format!(
                "| {} {} | {} | {} | {} | {} |\n",
                escape::code_span(&row.reference.to_string()),
                escape::table_cell(&s.title),
                state,
                escape::table_cell(s.owner.as_deref().unwrap_or("")),
                s.due.map_or_else(String::new, |d| d.to_string()),
                shipped
            ));
        }
        if listed.len() > SUMMARY_ROWS {
            md.push_str(&format!(
                "\n…and {} more, not listed.\n",
                listed.len() - SUMMARY_ROWS
            ));
        }
        md.push('\n');
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Error::io(path.display().to_string(), e))?;
    file.write_all(md.as_bytes())
        .map_err(|e| Error::io(path.display().to_string(), e))
}

/// The `lint --json` document plus the `status --json` document's fields.
#[derive(Serialize)]
struct CheckJson<'a> {
    findings: &'a [Diagnostic],
    errors: usize,
    warnings: usize,
    today: String,
    branch: &'a str,
    tip: String,
    safeguards: Vec<SafeguardJson<'a>>,
}

fn json(ctx: &mut Ctx, report: &CheckReport<'_>) -> Result<()> {
    let counts = Report::new(&report.findings);
    let status = report.judged.document(&report.rows);
    let doc = CheckJson {
        findings: &report.findings,
        errors: counts.errors,
        warnings: counts.warnings,
        today: status.today,
        branch: status.branch,
        tip: status.tip,
        safeguards: status.safeguards,
    };
    serde_json::to_writer_pretty(&mut ctx.out, &doc).map_err(|e| Error::io("stdout", e.into()))?;
    writeln!(ctx.out).map_err(|e| Error::io("stdout", e))
}

/// reviewdog's `DiagnosticResult`: every finding, overdue safeguards on
/// their `[[safeguards]]` line, columns in bytes as reviewdog counts them.
fn rdjson(ctx: &mut Ctx, report: &CheckReport<'_>) -> Result<()> {
    let mut texts: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for finding in &report.findings {
        if !texts.contains_key(finding.path.as_str()) {
            if let Ok(text) = std::fs::read_to_string(ctx.root().join(&finding.path)) {
                texts.insert(&finding.path, text);
            }
        }
    }
    let doc = rdjson::document(&report.findings, |path| texts.get(path).map(String::as_str));
    serde_json::to_writer_pretty(&mut ctx.out, &doc).map_err(|e| Error::io("stdout", e.into()))?;
    writeln!(ctx.out).map_err(|e| Error::io("stdout", e))
}
