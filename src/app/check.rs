//! `check`: every lint plus every safeguard's deadline, gathered once into
//! a [`CheckReport`] that each output format reads.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::diagnostic::{add_suppressed, plural, Diagnostic, Level, LintId, Report, Suppressed};
use crate::error::Result;
use crate::history::FileChange;
use crate::key_path;
use crate::lint;
use crate::model::{CommitSeen, Date, KeyPath, SafeguardRef};
use crate::output;
use crate::render::{Markup, CHECK_SUMMARY};
use crate::schema;
use crate::source::{Loaded, Source};
use crate::status::{self, Dangling, Row, SafeguardJson, SafeguardState};

use super::judge::{pinned_clock, Judged};
use super::{Ctx, Outcome};

/// What `check` found, ready for any output format.
pub(crate) struct CheckReport<'a> {
    pub(crate) files: usize,
    /// Lint findings, then one per failing safeguard, in file order.
    pub(crate) findings: Vec<Diagnostic>,
    /// Beside each of `findings`: the safeguard (`<postmortem-id>/S<n>`)
    /// when it is an `overdue` finding, else `None`.
    pub(crate) safeguards: Vec<Option<String>>,
    pub(crate) rows: Vec<Row<'a>>,
    pub(crate) judged: &'a Judged,
    pub(crate) outcome: Outcome,
    /// What configuration silenced, by lint.
    pub(crate) suppressed: Suppressed,
    trailer_values: Vec<(&'a str, CommitSeen)>,
    known: Vec<SafeguardRef>,
}

impl CheckReport<'_> {
    /// Trailers on the branch that name no safeguard.
    pub(crate) fn dangling(&self) -> Vec<Dangling<'_>> {
        status::dangling(&self.trailer_values, &self.known)
    }
}

/// The postmortems a check read: those that loaded, the sources of those
/// that did not (formats that quote lines read both), and the findings.
pub(crate) struct Checked {
    pub(crate) files: usize,
    pub(crate) loaded: Vec<Loaded>,
    pub(crate) unparsed: Vec<Source>,
    pub(crate) findings: Vec<Diagnostic>,
    pub(crate) lint_outcome: Outcome,
    /// What configuration silenced, by lint.
    pub(crate) suppressed: Suppressed,
}

impl Checked {
    /// Every postmortem file the check read, parsed or not, in path order.
    pub(crate) fn paths(&self) -> Vec<&str> {
        let loaded = self.loaded.iter().map(|l| &l.source);
        let mut paths: Vec<&str> = loaded
            .chain(&self.unparsed)
            .map(|source| source.path.as_str())
            .collect();
        paths.sort_unstable();
        paths
    }

    /// The text of the file shown as `path`, as the check read it.
    pub(crate) fn text_of(&self, path: &str) -> Option<&str> {
        let loaded = self.loaded.iter().map(|l| &l.source);
        loaded
            .chain(&self.unparsed)
            .find(|source| source.path == path)
            .map(|source| source.text.as_str())
    }
}

/// Load and lint every postmortem, once.
pub(crate) fn load_and_lint(ctx: &Ctx, today: Option<Date>) -> Result<Checked> {
    let clock = pinned_clock(ctx.clock(), today);
    let store = ctx.store();
    let ids = store.ids()?;
    let mut loaded: Vec<Loaded> = Vec::with_capacity(ids.len());
    let mut findings: Vec<Diagnostic> = Vec::new();
    let mut unparsed = Vec::new();
    let mut suppressed = Suppressed::new();
    for id in &ids {
        let source = store.read(id)?;
        match schema::parse_checked(id, &source, &ctx.config.severities) {
            Ok(postmortem) => {
                let linted = lint::lint_parsed_counted(
                    &postmortem,
                    &source,
                    &ctx.config,
                    &clock,
                    ctx.repo(),
                );
                findings.extend(linted.diagnostics);
                add_suppressed(&mut suppressed, &linted.suppressed);
                loaded.push(Loaded {
                    id: id.clone(),
                    source,
                    postmortem,
                });
            }
            Err(diagnostics) => {
                findings.extend(diagnostics);
                unparsed.push(source);
            }
        }
    }
    let lint_outcome = super::lint::outcome_of(&findings);
    Ok(Checked {
        files: ids.len(),
        loaded,
        unparsed,
        findings,
        lint_outcome,
        suppressed,
    })
}

/// Judge every safeguard of `checked` and add a finding for each that
/// fails the check.
pub(crate) fn report<'a>(ctx: &Ctx, checked: &'a Checked, judged: &'a Judged) -> CheckReport<'a> {
    let rows = judged.rows(ctx, &checked.loaded);
    let mut keyed: Vec<(Diagnostic, Option<String>)> = checked
        .findings
        .iter()
        .map(|finding| (finding.clone(), None))
        .collect();
    keyed.extend(rows.iter().filter(|row| row.fails_check()).map(|row| {
        (
            overdue_finding(row, &checked.loaded),
            Some(row.reference.to_string()),
        )
    }));
    keyed.sort_by(|(a, _), (b, _)| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    let (findings, safeguards) = keyed.into_iter().unzip();
    let overdue = rows.iter().any(Row::fails_check);
    // Unproven in a shallow clone: not an answer, so not a pass either.
    let unknown = rows.iter().any(|r| r.state == SafeguardState::Unknown);
    let outcome = checked
        .lint_outcome
        .and(if overdue {
            Outcome::Findings
        } else {
            Outcome::Ok
        })
        .and(if unknown {
            Outcome::BadInput
        } else {
            Outcome::Ok
        });
    CheckReport {
        files: checked.files,
        findings,
        safeguards,
        rows,
        judged,
        outcome,
        suppressed: checked.suppressed.clone(),
        trailer_values: judged.trailer_values(),
        known: super::judge::known_references(&checked.loaded),
    }
}

/// The postmortem files a pull request changes, when `check` runs for one
/// in GitHub Actions (`GITHUB_BASE_REF` is set): those added, modified or
/// renamed between the merge base of `origin/$GITHUB_BASE_REF` and `HEAD`,
/// as `review` finds them. `None` outside a pull request, and, after a
/// warning, when the base cannot be read: the order of annotations is not
/// worth failing a check for.
pub(crate) fn pull_request_changes(ctx: &Ctx) -> Option<BTreeSet<String>> {
    let base_ref = std::env::var("GITHUB_BASE_REF")
        .ok()
        .filter(|b| !b.trim().is_empty())?;
    let changed = || -> Result<Vec<String>> {
        let repo = ctx.repo();
        let base = super::review::resolve_base(
            repo,
            None,
            Some(&base_ref),
            ctx.config.default_branch.as_deref(),
        )?;
        let head = repo.resolve_commit("HEAD")?;
        let merge_base = repo
            .merge_base(&repo.resolve_commit(&base)?, &head)
            .map_err(|message| crate::error::Error::BadRevision {
                rev: base.clone(),
                message: format!("no common ancestor with HEAD ({message})"),
            })?;
        let files = repo.changed_files(&ctx.config.dir, &merge_base, &head)?;
        Ok(files
            .into_iter()
            .filter(|file| file.change != FileChange::Removed)
            .map(|file| file.path)
            .collect())
    };
    match changed() {
        Ok(paths) => Some(paths.into_iter().collect()),
        Err(e) => {
            output::warn(format_args!(
                "annotations are not ordered by the pull request's files: {e}"
            ));
            None
        }
    }
}

/// A failing safeguard as a finding on its `[[safeguards]]` table.
fn overdue_finding(row: &Row<'_>, loaded: &[Loaded]) -> Diagnostic {
    let source = loaded
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
    let late = format!("{days} day{} overdue", plural(days as usize));
    let message = match row.state {
        SafeguardState::ClosedNotPlanned => format!(
            "safeguard {} \"{}\"{owner}: issue #{} was closed as not planned and nothing ships it; {late} (due {due}). Drop it on purpose (`git postmortem safeguard drop {} {} --reason …`) or land it with the trailer `Postmortem-Safeguard: {}`",
            s.id,
            s.title,
            s.issue.unwrap_or(0),
            row.reference.postmortem,
            s.id,
            row.reference
        ),
        SafeguardState::Reverted => format!(
            "safeguard {} \"{}\"{owner}: {} shipped it, but {} reverted it; {late} (due {due}). Land it again with the trailer `Postmortem-Safeguard: {}`, or drop it with a reason",
            s.id,
            s.title,
            row.reverted.as_ref().map_or_else(String::new, |(e, _)| e.commit.as_str().chars().take(12).collect()),
            row.reverted.as_ref().map_or_else(String::new, |(_, by)| by.commit.as_str().chars().take(12).collect()),
            row.reference
        ),
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
    let message =
        match crate::status::predates_note(row, &|c| c.as_str().chars().take(12).collect()) {
            Some(note) => format!("{message} ({note})"),
            None => message,
        };
    Diagnostic {
        level: Level::Error,
        lint: LintId::Overdue,
        path: row.path.to_string(),
        line,
        column,
        message,
    }
}

/// At most this many safeguards are listed in the step summary; the rest
/// are counted.
const SUMMARY_ROWS: usize = 200;

#[derive(Serialize)]
struct SummaryView<'a> {
    verdict: &'static str,
    failing: usize,
    failing_plural: bool,
    lint_errors: usize,
    lint_errors_plural: bool,
    warnings: usize,
    warnings_plural: bool,
    branch: &'a str,
    tip: String,
    today: String,
    /// Our own text: `3 safeguards: 1 shipped, 2 pending`.
    summary: Markup,
    rows: Vec<SummaryRow<'a>>,
    more: Option<usize>,
}

#[derive(Serialize)]
struct SummaryRow<'a> {
    reference: String,
    title: &'a str,
    /// Our own Markdown: `**overdue** (3 days)`.
    state: Markup,
    owner: Option<&'a str>,
    due: Option<Date>,
    shipped: Option<Shipped<'a>>,
}

#[derive(Serialize)]
struct Shipped<'a> {
    short: String,
    subject: &'a str,
}

/// The step summary's Markdown, from the `check-summary.md` template.
pub(crate) fn summary_markdown(ctx: &Ctx, report: &CheckReport<'_>) -> Result<String> {
    let branch = &report.judged.history.branch;
    let repo = ctx.repo();
    let counts = Report::new(&report.findings);
    let lint_errors = report
        .findings
        .iter()
        .filter(|f| f.is_error() && f.lint != LintId::Overdue)
        .count();
    let failing = report.rows.iter().filter(|r| r.fails_check()).count();
    // Failing first, then pending, then the rest; each in id order.
    let mut listed: Vec<&Row<'_>> = report.rows.iter().collect();
    listed.sort_by_key(|r| match r.state {
        _ if r.fails_check() => 0,
        SafeguardState::ClosedUnverified
        | SafeguardState::ClosedNotPlanned
        | SafeguardState::Reverted
        | SafeguardState::Unknown
        | SafeguardState::Pending => 1,
        _ => 2,
    });
    let rows = listed
        .iter()
        .take(SUMMARY_ROWS)
        .map(|row| SummaryRow {
            reference: row.reference.to_string(),
            title: &row.safeguard.title,
            state: Markup(match row.state {
                SafeguardState::Overdue
                | SafeguardState::ClosedUnverified
                | SafeguardState::ClosedNotPlanned
                | SafeguardState::Reverted
                    if row.days_overdue > 0 =>
                {
                    format!(
                        "**{}** ({} day{})",
                        row.state.as_str(),
                        row.days_overdue,
                        plural(row.days_overdue as usize)
                    )
                }
                state => state.as_str().to_string(),
            }),
            owner: row.safeguard.owner.as_deref(),
            due: row.safeguard.due,
            shipped: row.evidence.as_ref().map(|e| Shipped {
                short: repo.short_oid(&e.commit),
                subject: &e.subject,
            }),
        })
        .collect();
    let view = SummaryView {
        verdict: if report.outcome == Outcome::Ok {
            "Passed"
        } else {
            "Failed"
        },
        failing,
        failing_plural: failing != 1,
        lint_errors,
        lint_errors_plural: lint_errors != 1,
        warnings: counts.warnings,
        warnings_plural: counts.warnings != 1,
        branch: &branch.name,
        tip: repo.short_oid(&branch.tip),
        today: report.judged.today.format("%Y-%m-%d").to_string(),
        summary: Markup(status::summary(&report.rows)),
        rows,
        more: (listed.len() > SUMMARY_ROWS).then(|| listed.len() - SUMMARY_ROWS),
    };
    ctx.templates.render(CHECK_SUMMARY, &view)
}

/// The `lint --json` document plus the `status --json` document's fields.
#[derive(Serialize)]
pub(crate) struct CheckJson<'a> {
    findings: &'a [Diagnostic],
    errors: usize,
    warnings: usize,
    suppressed: &'a Suppressed,
    today: String,
    branch: &'a str,
    tip: String,
    #[serde(skip_serializing_if = "is_true")]
    history_complete: bool,
    safeguards: Vec<SafeguardJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    dangling_trailers: Vec<Dangling<'a>>,
}

fn is_true(value: &bool) -> bool {
    *value
}

impl<'a> CheckJson<'a> {
    pub(crate) fn new(report: &'a CheckReport<'a>) -> Self {
        let counts = Report::new(&report.findings);
        let status = report.judged.document(&report.rows, report.dangling());
        CheckJson {
            findings: &report.findings,
            errors: counts.errors,
            warnings: counts.warnings,
            suppressed: &report.suppressed,
            today: status.today,
            branch: status.branch,
            tip: status.tip,
            history_complete: status.history_complete,
            safeguards: status.safeguards,
            dangling_trailers: status.dangling_trailers,
        }
    }
}
