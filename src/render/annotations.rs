//! GitHub Actions workflow commands for findings, so that a lint error
//! shows on the line of the pull request's diff it is about:
//!
//! ```text
//! ::error file=postmortems/x.toml,line=12,col=3,title=hollow-apology::"Mistakes were made": …
//! ```
//!
//! The escaping is GitHub's (`@actions/core`'s `escapeData` and
//! `escapeProperty`): without it a message holding a newline would end the
//! command early, and a path holding `,` or `:` would end its property.
//! `review` and `check --format github` both print these.

use crate::diagnostic::{Diagnostic, Level};

/// Whether the process runs in GitHub Actions (`GITHUB_ACTIONS=true`),
/// given that variable's value.
pub(crate) fn in_github_actions(value: Option<&str>) -> bool {
    value == Some("true")
}

/// One workflow command for `diagnostic`: `::error …` or `::warning …`.
pub(crate) fn annotation(diagnostic: &Diagnostic) -> String {
    let command = match diagnostic.level {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    format!(
        "::{command} file={},line={},col={},title={}::{}",
        escape_property(&diagnostic.path),
        diagnostic.line,
        diagnostic.column,
        escape_property(diagnostic.lint.as_str()),
        escape_data(&diagnostic.message)
    )
}

/// The message part of a workflow command: `%`, `\r` and `\n` encoded.
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value of a workflow command: as [`escape_data`], and `:` and
/// `,`, which would end the value.
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic(level: Level, path: &str, message: &str) -> Diagnostic {
        Diagnostic {
            level,
            lint: crate::diagnostic::LintId::Blame,
            path: path.into(),
            line: 12,
            column: 3,
            message: message.into(),
        }
    }

    #[test]
    fn annotations_carry_file_line_column_and_lint() {
        assert_eq!(
            annotation(&diagnostic(
                Level::Warning,
                "postmortems/2026-11-20-x.toml",
                "\"human error\": ask what made the mistake easy"
            )),
            "::warning file=postmortems/2026-11-20-x.toml,line=12,col=3,title=blame::\"human error\": ask what made the mistake easy"
        );
        assert!(annotation(&diagnostic(Level::Error, "p", "m")).starts_with("::error file=p,"));
    }

    #[test]
    fn annotations_escape_what_github_would_misread() {
        assert_eq!(
            annotation(&diagnostic(
                Level::Error,
                "odd,dir/a:b%.toml",
                "100% wrong\r\nsecond line: a, b"
            )),
            "::error file=odd%2Cdir/a%3Ab%25.toml,line=12,col=3,title=blame::100%25 wrong%0D%0Asecond line: a, b"
        );
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn only_true_means_actions() {
        assert!(in_github_actions(Some("true")));
        assert!(!in_github_actions(Some("false")));
        assert!(!in_github_actions(None));
    }
}
