//! Linting files: which files a `lint` run covers, every finding of each,
//! and what they add up to.

use std::path::PathBuf;

use crate::diagnostic::{add_suppressed, Diagnostic, Suppressed};
use crate::error::{Error, Result};
use crate::lint;
use crate::source::Source;

use super::{Ctx, Outcome};

/// What a lint run found in how many files.
pub(crate) struct Linted {
    pub(crate) files: usize,
    pub(crate) findings: Vec<Diagnostic>,
    /// What configuration silenced, by lint, over every file.
    pub(crate) suppressed: Suppressed,
}

/// Lint `paths` (files, or postmortem ids and prefixes), or every
/// postmortem when there are none.
pub(crate) fn lint_paths(ctx: &Ctx, paths: &[String]) -> Result<Linted> {
    let store = ctx.store();
    let targets: Vec<(String, PathBuf)> = if paths.is_empty() {
        store
            .ids()?
            .into_iter()
            .map(|id| {
                let path = store.path_of(&id);
                (id, path)
            })
            .collect()
    } else {
        paths
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
    let mut findings = Vec::new();
    let mut suppressed = Suppressed::new();
    for (id, path) in &targets {
        let shown = store.display_path(&path.canonicalize().unwrap_or_else(|_| path.clone()));
        let bytes = std::fs::read(path).map_err(|e| Error::io(shown.clone(), e))?;
        let source = Source::from_bytes(shown, bytes);
        let linted = lint::lint_file_counted(id, &source, &ctx.config, ctx.clock(), ctx.repo());
        findings.extend(linted.diagnostics);
        add_suppressed(&mut suppressed, &linted.suppressed);
    }
    Ok(Linted {
        files: targets.len(),
        findings,
        suppressed,
    })
}

/// 2 for schema errors, 1 for other errors, 0 for warnings only.
pub(crate) fn outcome_of(findings: &[Diagnostic]) -> Outcome {
    if findings.iter().any(Diagnostic::is_schema) {
        Outcome::BadInput
    } else if findings.iter().any(Diagnostic::is_error) {
        Outcome::Findings
    } else {
        Outcome::Ok
    }
}
