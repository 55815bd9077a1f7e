//! Schema errors and writing lints (SPEC section 5). Each lint family lives
//! in its own file and yields [`Finding`]s: a lint id, a level, the key path
//! it is about and a message. [`lint_file`] locates them in the source.
//! The schema itself is checked by [`crate::schema`], which loading shares.

pub(crate) mod commits;
pub(crate) mod language;
pub(crate) mod services_tags;
pub(crate) mod workflow;

use crate::clock::Clock;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Finding};
use crate::model::Postmortem;
use crate::schema;
use crate::source::Source;

pub use crate::model::CommitLookup;

/// Every lint over one file. Schema errors stop the rest: a file that does
/// not follow the schema has nothing reliable to lint.
pub fn lint_file(
    id: &str,
    source: &Source,
    config: &Config,
    clock: &Clock,
    commits: &dyn CommitLookup,
) -> Vec<Diagnostic> {
    match schema::parse_checked(id, source, &config.severities) {
        Ok(postmortem) => lint_parsed(&postmortem, source, config, clock, commits),
        Err(diagnostics) => diagnostics,
    }
}

/// The lints after the schema on a file already parsed, located in its
/// source and in file order.
pub(crate) fn lint_parsed(
    postmortem: &Postmortem,
    source: &Source,
    config: &Config,
    clock: &Clock,
    commits: &dyn CommitLookup,
) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = lint_postmortem(postmortem, config, clock, commits)
        .into_iter()
        .map(|f| f.locate(source))
        .collect();
    diagnostics.sort_by_key(|d| (d.line, d.column, d.level));
    diagnostics
}

/// The lints after the schema, on a parsed postmortem.
pub(crate) fn lint_postmortem(
    postmortem: &Postmortem,
    config: &Config,
    clock: &Clock,
    commits: &dyn CommitLookup,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(workflow::check(postmortem, config, clock));
    findings.extend(language::check(postmortem));
    findings.extend(commits::check(postmortem, commits));
    findings.extend(services_tags::check(postmortem));
    findings
}
