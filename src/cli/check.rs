//! `check`: every lint plus the safeguards' status, for CI. Exit 1 when a
//! safeguard is overdue or a postmortem has a lint error, 2 when a file
//! does not follow the schema. Each output format is one function over the
//! [`CheckReport`] that `app::check` gathers.

use std::collections::BTreeSet;

use clap::{Args, ValueEnum};

use crate::app::check::{self, CheckJson, CheckReport, Checked};
use crate::app::judge::Judged;
use crate::app::{Ctx, Outcome};
use crate::diagnostic::{plural, Diagnostic, Level, LintId, Report};
use crate::error::Result;
use crate::output::{self, Join};
use crate::render::junit::{self, Case, Verdict};
use crate::render::{annotations, codequality, rdjson};
use crate::status::{self, SafeguardState};

use super::args::HistoryArgs;

/// Run every lint and check every safeguard's deadline: what CI runs.
///
/// Exit 0 when clean (warnings allowed), 1 when a safeguard is overdue or a
/// postmortem has a lint error, 2 when a file does not follow the schema.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Output format: lines on stderr; GitHub workflow annotations (at most
    /// 10 errors and 10 warnings, a pull request's files first, then a
    /// notice counting the rest) and a step summary when
    /// GITHUB_STEP_SUMMARY is set; one JSON document; reviewdog's
    /// Diagnostic Format (rdjson); JUnit XML (a test case per postmortem
    /// file and per safeguard); or a GitLab Code Quality report.
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
    Junit,
    Gitlab,
}

pub(crate) fn run(ctx: &mut Ctx, args: &CheckArgs) -> Result<Outcome> {
    let checked = check::load_and_lint(ctx, args.history.today)?;
    let judged = Judged::new(
        ctx,
        &checked.loaded,
        args.history.branch.as_deref(),
        args.history.today,
    )?;
    let report = check::report(ctx, &checked, &judged);
    let dangling = report.dangling();
    match args.format {
        CheckFormat::Human => {
            for d in &dangling {
                output::warn(super::dangling_message(ctx.repo(), d));
            }
            human(&report)
        }
        CheckFormat::Github => {
            let changed = check::pull_request_changes(ctx);
            let full_list = if output::step_summary_wanted() {
                "the full list is in the job summary"
            } else {
                "run `git postmortem check` for the full list"
            };
            let ordered = annotation_order(&report.findings, changed.as_ref());
            let dangling: Vec<String> = dangling
                .iter()
                .map(|d| super::dangling_message(ctx.repo(), d))
                .collect();
            for command in annotations::capped(ordered, &dangling, full_list) {
                ctx.out.workflow_command(&command)?;
            }
            output::say(counts_line(&report));
            if output::step_summary_wanted() {
                let markdown = check::summary_markdown(ctx, &report)?;
                output::append_step_summary(&markdown, Join::Direct)?;
            }
        }
        CheckFormat::Json => ctx.out.json(&CheckJson::new(&report))?,
        CheckFormat::Rdjson => {
            let doc = rdjson::document(&report.findings, |path| checked.text_of(path));
            ctx.out.json(&doc)?;
        }
        CheckFormat::Junit => {
            let cases = junit_cases(&checked, &report);
            ctx.out
                .text(&junit::document("git-postmortem check", &cases)?)?;
        }
        CheckFormat::Gitlab => {
            let keyed = report
                .findings
                .iter()
                .zip(report.safeguards.iter().map(Option::as_deref));
            ctx.out.json(&codequality::report(keyed))?;
        }
    }
    Ok(report.outcome)
}

/// The findings in the order their annotations are printed. In a pull
/// request (`changed` holds its postmortem files): errors in the files it
/// changes, then overdue safeguards, then the other errors, then warnings,
/// those in changed files first; each group in file and line order. GitHub
/// keeps only the first ten of each level, so these are the ones shown.
/// Outside a pull request, file and line order, as in every format.
fn annotation_order<'r>(
    findings: &'r [Diagnostic],
    changed: Option<&BTreeSet<String>>,
) -> Vec<&'r Diagnostic> {
    let mut ordered: Vec<&Diagnostic> = findings.iter().collect();
    if let Some(changed) = changed {
        ordered.sort_by_key(|f| {
            let in_changed = changed.contains(&f.path);
            match (f.level, in_changed) {
                (Level::Error, true) => 0,
                _ if f.lint == LintId::Overdue => 1,
                (Level::Error, false) => 2,
                (Level::Warning, true) => 3,
                (Level::Warning, false) => 4,
            }
        });
    }
    ordered
}

/// One test case per postmortem file, failing on its lint errors (schema
/// errors included; warnings go to its output), then one per safeguard,
/// failing when it is overdue and skipped when it was dropped.
fn junit_cases(checked: &Checked, report: &CheckReport<'_>) -> Vec<Case> {
    let mut cases: Vec<Case> = checked
        .paths()
        .into_iter()
        .map(|path| {
            let (errors, warnings): (Vec<&Diagnostic>, Vec<&Diagnostic>) = report
                .findings
                .iter()
                .filter(|f| f.path == path && f.lint != LintId::Overdue)
                .partition(|f| f.is_error());
            let lines = |found: &[&Diagnostic]| {
                found
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            let verdict = match errors.first() {
                None => Verdict::Passed,
                Some(first) => Verdict::Failed {
                    message: format!(
                        "{} lint error{}: [{}] {}",
                        errors.len(),
                        plural(errors.len()),
                        first.lint,
                        first.message
                    ),
                    kind: first.lint.as_str(),
                    text: lines(&errors),
                },
            };
            Case {
                classname: "postmortems",
                name: path.to_string(),
                verdict,
                system_out: (!warnings.is_empty()).then(|| lines(&warnings)),
            }
        })
        .collect();
    cases.extend(report.rows.iter().map(|row| {
        let reference = row.reference.to_string();
        let overdue = report
            .findings
            .iter()
            .zip(&report.safeguards)
            .find(|(_, of)| of.as_deref() == Some(reference.as_str()))
            .map(|(finding, _)| finding);
        let verdict = match (overdue, row.state) {
            (Some(finding), _) => Verdict::Failed {
                message: finding.message.clone(),
                kind: LintId::Overdue.as_str(),
                text: finding.to_string(),
            },
            (None, SafeguardState::Dropped) => Verdict::Skipped {
                message: match &row.safeguard.reason {
                    Some(reason) => format!("dropped: {reason}"),
                    None => "dropped".to_string(),
                },
            },
            (None, _) => Verdict::Passed,
        };
        Case {
            classname: "safeguards",
            name: format!("{reference}: {}", row.safeguard.title),
            verdict,
            system_out: None,
        }
    }));
    cases
}

/// `2 files checked: 1 error, 0 warnings; 3 safeguards: …`
fn counts_line(report: &CheckReport<'_>) -> String {
    let suppressed = crate::diagnostic::suppressed_summary(&report.suppressed)
        .map_or_else(String::new, |s| format!(", {s}"));
    format!(
        "{} file{} checked: {}{suppressed}; {}",
        report.files,
        plural(report.files),
        Report::new(&report.findings).summary(),
        status::summary(&report.rows)
    )
}

fn human(report: &CheckReport<'_>) {
    report.findings.iter().for_each(output::diagnostic);
    output::say(format_args!(
        "{} on {}",
        counts_line(report),
        report.judged.history.branch.name
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(level: Level, lint: LintId, path: &str, line: usize) -> Diagnostic {
        Diagnostic {
            level,
            lint,
            path: path.into(),
            line,
            column: 1,
            message: "m".into(),
        }
    }

    #[test]
    fn a_pull_requests_files_come_first_at_each_level() {
        let findings = [
            finding(Level::Warning, LintId::Blame, "a.toml", 1),
            finding(Level::Error, LintId::HollowApology, "a.toml", 2),
            finding(Level::Error, LintId::Overdue, "a.toml", 3),
            finding(Level::Warning, LintId::Blame, "b.toml", 1),
            finding(Level::Error, LintId::HollowApology, "b.toml", 2),
            finding(Level::Error, LintId::Overdue, "b.toml", 3),
        ];
        let shown = |changed: Option<&BTreeSet<String>>| -> Vec<(&str, usize)> {
            annotation_order(&findings, changed)
                .iter()
                .map(|f| (f.path.as_str(), f.line))
                .collect()
        };
        let changed: BTreeSet<String> = ["b.toml".to_string()].into();
        assert_eq!(
            shown(Some(&changed)),
            [
                ("b.toml", 2),
                ("b.toml", 3),
                ("a.toml", 3),
                ("a.toml", 2),
                ("b.toml", 1),
                ("a.toml", 1)
            ]
        );
        assert_eq!(
            shown(None),
            [
                ("a.toml", 1),
                ("a.toml", 2),
                ("a.toml", 3),
                ("b.toml", 1),
                ("b.toml", 2),
                ("b.toml", 3)
            ]
        );
    }
}
