//! Findings about a file: schema errors and writing lints. One type serves
//! the human line format (`error: path:line:col: [lint] message`) and the
//! JSON document of `lint --json`.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Error,
    Warning,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Error => "error",
            Level::Warning => "warning",
        })
    }
}

/// One finding, located in a file. `line` and `column` are 1-based; the
/// column counts characters, as editors do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub level: Level,
    pub lint: &'static str,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Diagnostic {
    /// `path:line:col: [lint] message`, the part after the level.
    pub fn location_message(&self) -> String {
        format!(
            "{}:{}:{}: [{}] {}",
            self.path, self.line, self.column, self.lint, self.message
        )
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// Schema errors mean the file could not be read as a postmortem at all:
    /// that is bad input (exit 2), not a finding (exit 1).
    pub fn is_schema(&self) -> bool {
        self.lint == crate::lint::SCHEMA
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.level, self.location_message())
    }
}

/// The `lint --json` document.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub findings: &'a [Diagnostic],
    pub errors: usize,
    pub warnings: usize,
}

impl<'a> Report<'a> {
    pub fn new(findings: &'a [Diagnostic]) -> Self {
        let errors = findings.iter().filter(|d| d.is_error()).count();
        Report {
            findings,
            errors,
            warnings: findings.len() - errors,
        }
    }

    /// `2 errors, 1 warning` with the right plurals.
    pub fn summary(&self) -> String {
        format!(
            "{} error{}, {} warning{}",
            self.errors,
            plural(self.errors),
            self.warnings,
            plural(self.warnings)
        )
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
