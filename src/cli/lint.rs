//! `lint [PATH…]`: schema errors and writing lints, one line each on
//! stderr, or one JSON document.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::app::{self, Ctx, Outcome};
use crate::diagnostic::{Diagnostic, Report};
use crate::error::{Error, Result};
use crate::lint;
use crate::source::Source;

/// Check postmortems for schema errors and writing lints.
///
/// Exit 0 when clean (warnings allowed), 1 when a lint found an error, 2 when
/// a file does not parse or does not follow the schema.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files or postmortem ids to check [default: every postmortem].
    #[arg(value_name = "PATH")]
    paths: Vec<String>,

    /// One JSON document on stdout instead of lines on stderr.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &mut Ctx, args: &LintArgs) -> Result<Outcome> {
    let store = ctx.store();
    let targets: Vec<(String, PathBuf)> = if args.paths.is_empty() {
        store
            .ids()?
            .into_iter()
            .map(|id| {
                let path = store.path_of(&id);
                (id, path)
            })
            .collect()
    } else {
        args.paths
            .iter()
            .map(|arg| {
                let path = ctx.ws.cwd.join(arg);
                if path.is_file() {
                    let id = path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    Ok((id, path))
                } else {
                    let id = store.resolve(arg, &ctx.ws.cwd)?;
                    let path = store.path_of(&id);
                    Ok((id, path))
                }
            })
            .collect::<Result<_>>()?
    };

    let mut findings: Vec<Diagnostic> = Vec::new();
    for (id, path) in &targets {
        let shown = store.display_path(&path.canonicalize().unwrap_or_else(|_| path.clone()));
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(shown.clone(), e))?;
        let source = Source::new(shown, text);
        findings.extend(lint::lint_file(
            id,
            &source,
            &ctx.config,
            ctx.clock(),
            ctx.repo(),
        ));
    }

    let report = Report::new(&findings);
    if args.json {
        serde_json::to_writer_pretty(&mut ctx.out, &report)
            .map_err(|e| Error::io("stdout", e.into()))?;
        writeln!(ctx.out).map_err(|e| Error::io("stdout", e))?;
    } else {
        findings.iter().for_each(app::report);
        eprintln!(
            "{} file{} checked: {}",
            targets.len(),
            crate::diagnostic::plural(targets.len()),
            report.summary()
        );
    }
    Ok(outcome_of(&findings))
}

/// 2 for schema errors, 1 for other errors, 0 for warnings only.
pub fn outcome_of(findings: &[Diagnostic]) -> Outcome {
    if findings.iter().any(Diagnostic::is_schema) {
        Outcome::BadInput
    } else if findings.iter().any(Diagnostic::is_error) {
        Outcome::Findings
    } else {
        Outcome::Ok
    }
}
