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
//!
//! GitHub keeps only [`PER_LEVEL`] annotations of each level (error,
//! warning, notice) per step and drops the rest without a word;
//! [`capped`] prints that many and one notice counting what it left out.

use crate::diagnostic::{plural, Diagnostic, Level};

/// How many annotations of one level GitHub shows per step: 10 errors, 10
/// warnings and 10 notices (the Actions toolkit's documented limits).
pub(crate) const PER_LEVEL: usize = 10;

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

/// The workflow commands for `findings`, in their order, then for
/// `warnings` (messages about no file): at most [`PER_LEVEL`] `::error` and
/// as many `::warning` lines, then, when any were left out, one `::notice`
/// saying how many and where `full_list` is (e.g. "in the job summary").
pub(crate) fn capped<'a>(
    findings: impl IntoIterator<Item = &'a Diagnostic>,
    warnings_without_file: &[String],
    full_list: &str,
) -> Vec<String> {
    let (mut errors, mut warnings, mut left_out) = (0, 0, 0);
    let mut lines = Vec::new();
    for finding in findings {
        let shown = match finding.level {
            Level::Error => &mut errors,
            Level::Warning => &mut warnings,
        };
        if *shown < PER_LEVEL {
            *shown += 1;
            lines.push(annotation(finding));
        } else {
            left_out += 1;
        }
    }
    for message in warnings_without_file {
        if warnings < PER_LEVEL {
            warnings += 1;
            lines.push(format!(
                "::warning title=git-postmortem::{}",
                escape_data(message)
            ));
        } else {
            left_out += 1;
        }
    }
    if left_out > 0 {
        lines.push(format!(
            "::notice::{}",
            escape_data(&format!(
                "{left_out} more finding{} {} not annotated (GitHub shows {PER_LEVEL} errors and {PER_LEVEL} warnings per step); {full_list}",
                plural(left_out),
                if left_out == 1 { "is" } else { "are" },
            ))
        ));
    }
    lines
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
    fn ten_of_each_level_then_one_notice() {
        let mut findings: Vec<Diagnostic> = (0..12)
            .map(|i| diagnostic(Level::Error, &format!("e{i}"), "m"))
            .collect();
        findings.extend((0..11).map(|i| diagnostic(Level::Warning, &format!("w{i}"), "m")));
        let lines = capped(&findings, &[], "the full list is in the job summary");
        assert_eq!(lines.len(), 21);
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::error ")).count(),
            10
        );
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::warning ")).count(),
            10
        );
        assert!(lines[9].starts_with("::error file=e9,"), "{}", lines[9]);
        assert!(lines[10].starts_with("::warning file=w0,"), "{}", lines[10]);
        assert_eq!(
            lines[20],
            "::notice::3 more findings are not annotated (GitHub shows 10 errors and 10 warnings per step); the full list is in the job summary"
        );
        let few = capped(&findings[..11], &[], "x");
        assert_eq!(few.last().map(String::as_str), Some("::notice::1 more finding is not annotated (GitHub shows 10 errors and 10 warnings per step); x"));
        assert_eq!(capped(&findings[..10], &[], "x").len(), 10);
    }

    #[test]
    fn warnings_without_a_file_share_the_warning_cap() {
        let findings: Vec<Diagnostic> = (0..9)
            .map(|i| diagnostic(Level::Warning, &format!("w{i}"), "m"))
            .collect();
        let loose = vec!["typo, 100%".to_string(), "another".to_string()];
        let lines = capped(&findings, &loose, "x");
        assert_eq!(lines[9], "::warning title=git-postmortem::typo, 100%25");
        assert_eq!(
            lines.last().map(String::as_str),
            Some("::notice::1 more finding is not annotated (GitHub shows 10 errors and 10 warnings per step); x")
        );
        assert_eq!(lines.len(), 11);
    }

    #[test]
    fn only_true_means_actions() {
        assert!(in_github_actions(Some("true")));
        assert!(!in_github_actions(Some("false")));
        assert!(!in_github_actions(None));
    }
}
