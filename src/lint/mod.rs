//! Schema errors and writing lints (SPEC section 5). Each lint family lives
//! in its own file and yields [`Finding`]s: a lint id, a level, the key path
//! it is about and a message. [`lint_file`] locates them in the source.
//! The schema itself is checked by [`crate::schema`], which loading shares.
//!
//! `[lints]` in `.postmortem.toml` then sets each finding's level or turns
//! its lint off, and a `lint_allow` on an entry of the file silences the
//! lints it names there; what is silenced is counted ([`Suppressed`]),
//! never dropped unseen.

pub(crate) mod commits;
pub(crate) mod language;
pub(crate) mod services_tags;
pub(crate) mod workflow;

use crate::clock::Clock;
use crate::config::Config;
pub(crate) use crate::diagnostic::Suppressed;
use crate::diagnostic::{Diagnostic, Finding};
use crate::model::Postmortem;
use crate::schema;
use crate::source::Source;

pub use crate::model::CommitLookup;

/// What the lints found in one file, and what was silenced.
#[derive(Debug, Default)]
pub(crate) struct Linted {
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) suppressed: Suppressed,
}

/// Every lint over one file. Schema errors stop the rest: a file that does
/// not follow the schema has nothing reliable to lint.
pub fn lint_file(
    id: &str,
    source: &Source,
    config: &Config,
    clock: &Clock,
    commits: &dyn CommitLookup,
) -> Vec<Diagnostic> {
    lint_file_counted(id, source, config, clock, commits).diagnostics
}

/// [`lint_file`], with the count of what was suppressed.
pub(crate) fn lint_file_counted(
    id: &str,
    source: &Source,
    config: &Config,
    clock: &Clock,
    commits: &dyn CommitLookup,
) -> Linted {
    match schema::parse_checked(id, source, &config.severities) {
        Ok(postmortem) => lint_parsed_counted(&postmortem, source, config, clock, commits),
        Err(diagnostics) => Linted {
            diagnostics,
            suppressed: Suppressed::new(),
        },
    }
}

/// The lints after the schema on a file already parsed, located in its
/// source and in file order, with the count of what was suppressed.
pub(crate) fn lint_parsed_counted(
    postmortem: &Postmortem,
    source: &Source,
    config: &Config,
    clock: &Clock,
    commits: &dyn CommitLookup,
) -> Linted {
    let (findings, suppressed) = lint_postmortem(postmortem, config, clock, commits);
    let mut diagnostics: Vec<Diagnostic> = findings.into_iter().map(|f| f.locate(source)).collect();
    diagnostics.sort_by_key(|d| (d.line, d.column, d.level));
    Linted {
        diagnostics,
        suppressed,
    }
}

/// The lints after the schema, on a parsed postmortem, as configured:
/// what is reported, at its level, and what was suppressed.
pub(crate) fn lint_postmortem(
    postmortem: &Postmortem,
    config: &Config,
    clock: &Clock,
    commits: &dyn CommitLookup,
) -> (Vec<Finding>, Suppressed) {
    let mut suppressed = Suppressed::new();
    let mut findings = Vec::new();
    findings.extend(workflow::check(postmortem, config, clock));
    let (language, allowed) = language::check(postmortem, &config.lints);
    findings.extend(language);
    for finding in allowed {
        *suppressed.entry(finding.lint).or_default() += 1;
    }
    findings.extend(commits::check(postmortem, commits));
    findings.extend(services_tags::check(postmortem));
    let allows = postmortem.lint_allows();
    findings.retain_mut(|finding| {
        let allowed_here = allows.iter().any(|(path, names)| {
            finding.path.starts_with(path) && names.iter().any(|n| n == finding.lint.as_str())
        });
        match config.lints.level(finding.lint, finding.level) {
            Some(level) if !allowed_here => {
                finding.level = level;
                true
            }
            _ => {
                *suppressed.entry(finding.lint).or_default() += 1;
                false
            }
        }
    });
    (findings, suppressed)
}
