//! Findings about a file: schema errors, writing lints and overdue
//! safeguards. A [`Finding`] is what a check produces (a lint id, a level,
//! the key path it is about and a message); located in its [`Source`] it
//! becomes a [`Diagnostic`], the one type behind the human line format
//! (`error: path:line:col: [lint] message`), `lint --json`, annotations and
//! rdjson.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::model::KeyPath;
use crate::source::Source;
use crate::text;

/// Every kind of finding, by the id users see in `[brackets]`, in JSON and
/// in annotations.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    strum::Display,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum LintId {
    /// The file is not a postmortem of the schema: exit 2, not 1.
    Schema,
    /// `review`/`final` before the cool-off period ended.
    CoolOff,
    /// `final` without every reviewer's approval.
    SignOff,
    /// An apology that owns nothing.
    HollowApology,
    /// Language that points at people, not the system.
    Blame,
    /// A section `review`/`final` needs is missing.
    Incomplete,
    /// No safeguard to prevent a repeat.
    NoSafeguard,
    /// A safeguard without an owner or a due date.
    SafeguardOwner,
    /// A trigger commit the repository does not have.
    UnresolvedCommit,
    /// An empty, padded or repeated entry in `services` or `tags`.
    ServicesTags,
    /// A safeguard past its deadline without a shipping commit (`check`).
    Overdue,
}

impl LintId {
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether `[lints]` in `.postmortem.toml` and `lint_allow` in a
    /// postmortem may name it: every lint but `schema` (a file that does
    /// not follow the schema cannot be read at all) and `overdue` (the
    /// deadline `check` gates on, not a finding about the text).
    pub(crate) fn is_configurable(self) -> bool {
        !matches!(self, LintId::Schema | LintId::Overdue)
    }

    /// The lints that can be configured, in their order.
    pub(crate) fn configurable() -> impl Iterator<Item = LintId> {
        <LintId as strum::VariantArray>::VARIANTS
            .iter()
            .copied()
            .filter(|l| l.is_configurable())
    }

    /// Whether the lint matches phrases, so `[lints]` can add (`extra`)
    /// and `allow` some.
    pub(crate) fn takes_phrases(self) -> bool {
        matches!(self, LintId::HollowApology | LintId::Blame)
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    strum::Display,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
/// How bad a finding is.
pub enum Level {
    /// Fails `lint` and `check`.
    Error,
    /// Reported, never fails.
    Warning,
}

/// One finding, located in a file. `line` and `column` are 1-based; the
/// column counts characters, as editors do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// Which check found it.
    pub lint: LintId,
    /// The file, relative to the repository root, with `/`.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong and what to do.
    pub message: String,
}

impl Diagnostic {
    /// `path:line:col: [lint] message`, the part after the level, on one
    /// line: a newline or control character in the path or the message
    /// (which may quote a file) is shown as `\n` or `\u{1b}`.
    pub(crate) fn location_message(&self) -> String {
        format!(
            "{}:{}:{}: [{}] {}",
            text::one_line(&self.path),
            self.line,
            self.column,
            self.lint,
            text::one_line(&self.message)
        )
    }

    pub(crate) fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// Schema errors mean the file could not be read as a postmortem at all:
    /// that is bad input (exit 2), not a finding (exit 1).
    pub(crate) fn is_schema(&self) -> bool {
        self.lint == LintId::Schema
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.level, self.location_message())
    }
}

/// A finding before it is placed in a file.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub lint: LintId,
    pub level: Level,
    pub path: KeyPath,
    /// Text inside the value to point at (case-insensitive), when the
    /// finding is about a phrase rather than the whole value.
    pub(crate) needle: Option<regex::Regex>,
    /// Which match of `needle` the finding is about (0: the first), when
    /// the phrase occurs more than once in the value.
    pub(crate) occurrence: usize,
    pub message: String,
}

impl Finding {
    pub(crate) fn error(lint: LintId, path: KeyPath, message: impl Into<String>) -> Self {
        Finding {
            lint,
            level: Level::Error,
            path,
            needle: None,
            occurrence: 0,
            message: message.into(),
        }
    }

    pub(crate) fn warning(lint: LintId, path: KeyPath, message: impl Into<String>) -> Self {
        Finding {
            level: Level::Warning,
            ..Finding::error(lint, path, message)
        }
    }

    /// The finding at its line and column in `source`.
    pub(crate) fn locate(self, source: &Source) -> Diagnostic {
        let (line, column) = match &self.needle {
            Some(re) => source.position_in(&self.path, |raw| {
                let mut matches = re.find_iter(raw);
                matches
                    .nth(self.occurrence)
                    .or_else(|| re.find(raw))
                    .map(|m| m.start())
            }),
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

/// Findings that configuration silenced, by lint: `[lints]` set to `off`,
/// an `allow` phrase, or a `lint_allow` in the file.
pub(crate) type Suppressed = BTreeMap<LintId, usize>;

/// Add the counts of `more` to `into`.
pub(crate) fn add_suppressed(into: &mut Suppressed, more: &Suppressed) {
    for (lint, n) in more {
        *into.entry(*lint).or_default() += n;
    }
}

/// `3 suppressed by configuration (blame: 2, cool-off: 1)`, or `None`
/// when nothing was.
pub(crate) fn suppressed_summary(suppressed: &Suppressed) -> Option<String> {
    let total: usize = suppressed.values().sum();
    (total > 0).then(|| {
        let each: Vec<String> = suppressed
            .iter()
            .map(|(lint, n)| format!("{lint}: {n}"))
            .collect();
        format!("{total} suppressed by configuration ({})", each.join(", "))
    })
}

/// The `lint --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct Report<'a> {
    pub(crate) findings: &'a [Diagnostic],
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    /// Findings configuration silenced, by lint id.
    pub(crate) suppressed: Suppressed,
}

impl<'a> Report<'a> {
    pub(crate) fn new(findings: &'a [Diagnostic]) -> Self {
        let errors = findings.iter().filter(|d| d.is_error()).count();
        Report {
            findings,
            errors,
            warnings: findings.len() - errors,
            suppressed: Suppressed::new(),
        }
    }

    /// The report, counting what configuration suppressed.
    pub(crate) fn with_suppressed(mut self, suppressed: &Suppressed) -> Self {
        self.suppressed = suppressed.clone();
        self
    }

    /// `2 errors, 1 warning` with the right plurals.
    pub(crate) fn summary(&self) -> String {
        format!(
            "{} error{}, {} warning{}",
            self.errors,
            plural(self.errors),
            self.warnings,
            plural(self.warnings)
        )
    }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    /// The names users see are the ones serde writes and strum parses.
    #[test]
    fn lint_ids_have_one_name() {
        for id in LintId::VARIANTS {
            let json = serde_json::to_value(id).expect("serializes");
            assert_eq!(json.as_str(), Some(id.as_str()));
            assert_eq!(id.as_str().parse::<LintId>().ok(), Some(*id));
        }
        assert_eq!(LintId::HollowApology.to_string(), "hollow-apology");
        assert_eq!(Level::Warning.to_string(), "warning");
    }
}
