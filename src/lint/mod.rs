//! Schema errors and writing lints (SPEC section 5). Each lint family lives
//! in its own file and yields [`Finding`]s: a lint id, a level, the key path
//! it is about and a message. [`lint_file`] locates them in the source.

pub mod commits;
pub mod language;
pub mod schema;
pub mod workflow;

use crate::clock::Clock;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Level};
use crate::model::{KeyPath, Postmortem};
use crate::source::Source;

pub use commits::CommitLookup;

pub const SCHEMA: &str = "schema";
pub const COOL_OFF: &str = "cool-off";
pub const SIGN_OFF: &str = "sign-off";
pub const HOLLOW_APOLOGY: &str = "hollow-apology";
pub const BLAME: &str = "blame";
pub const INCOMPLETE: &str = "incomplete";
pub const NO_SAFEGUARD: &str = "no-safeguard";
pub const SAFEGUARD_OWNER: &str = "safeguard-owner";
pub const UNRESOLVED_COMMIT: &str = "unresolved-commit";

/// A finding before it is placed in a file.
#[derive(Debug, Clone)]
pub struct Finding {
    pub lint: &'static str,
    pub level: Level,
    pub path: KeyPath,
    /// Text inside the value to point at (case-insensitive), when the
    /// finding is about a phrase rather than the whole value.
    pub needle: Option<regex::Regex>,
    pub message: String,
}

impl Finding {
    pub fn error(lint: &'static str, path: KeyPath, message: impl Into<String>) -> Self {
        Finding {
            lint,
            level: Level::Error,
            path,
            needle: None,
            message: message.into(),
        }
    }

    pub fn warning(lint: &'static str, path: KeyPath, message: impl Into<String>) -> Self {
        Finding {
            level: Level::Warning,
            ..Finding::error(lint, path, message)
        }
    }

    pub fn locate(self, source: &Source) -> Diagnostic {
        let (line, column) = match &self.needle {
            Some(re) => source.position_in(&self.path, |raw| re.find(raw).map(|m| m.start())),
            None => source.position(&self.path),
        };
        Diagnostic {
            level: self.level,
            lint: self.lint,
            path: source.path.clone(),
            line,
            column,
            message: self.message,
        }
    }
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
    match schema::parse_checked(id, source, config) {
        Ok(postmortem) => lint_parsed(&postmortem, source, config, clock, commits),
        Err(diagnostics) => diagnostics,
    }
}

/// The lints after the schema on a file already parsed, located in its
/// source and in file order.
pub fn lint_parsed(
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
pub fn lint_postmortem(
    postmortem: &Postmortem,
    config: &Config,
    clock: &Clock,
    commits: &dyn CommitLookup,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(workflow::check(postmortem, config, clock));
    findings.extend(language::check(postmortem));
    findings.extend(commits::check(postmortem, commits));
    findings
}
