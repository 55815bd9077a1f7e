//! reviewdog's Diagnostic Format as one JSON document (rdjson): a
//! `DiagnosticResult` of `proto/rdf/reviewdog.proto`, which reviewdog reads
//! with protojson, so field names are the proto's and unknown fields would
//! be rejected. `check --format rdjson | reviewdog -f=rdjson` turns findings
//! into review comments.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Level};

/// The whole result.
#[derive(Debug, Serialize)]
pub(crate) struct DiagnosticResult<'a> {
    pub(crate) source: Source,
    /// The most severe of the diagnostics' severities; `INFO` when there
    /// are none.
    pub(crate) severity: Severity,
    pub(crate) diagnostics: Vec<RdDiagnostic<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Source {
    pub(crate) name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) url: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum Severity {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Serialize)]
pub(crate) struct RdDiagnostic<'a> {
    pub(crate) message: &'a str,
    pub(crate) location: Location<'a>,
    pub(crate) severity: Severity,
    pub(crate) code: Code,
}

#[derive(Debug, Serialize)]
pub(crate) struct Location<'a> {
    pub(crate) path: &'a str,
    pub(crate) range: Range,
}

/// A zero-width range: reviewdog needs only where a finding starts.
#[derive(Debug, Serialize)]
pub(crate) struct Range {
    pub(crate) start: Position,
}

/// 1-based line and column; the column counts UTF-8 bytes.
#[derive(Debug, Serialize)]
pub(crate) struct Position {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct Code {
    pub(crate) value: &'static str,
}

/// The tool as reviewdog names it in comments; the URL is the package's
/// `repository`, when it has one.
pub(crate) fn source() -> Source {
    Source {
        name: env!("CARGO_PKG_NAME"),
        url: Some(env!("CARGO_PKG_REPOSITORY")).filter(|u| !u.is_empty()),
    }
}

/// The result for `findings`. `text_of` gives a finding's file text, when
/// it can be read, to turn its character column into a byte column.
pub(crate) fn document<'a>(
    findings: &'a [Diagnostic],
    text_of: impl Fn(&str) -> Option<&'a str>,
) -> DiagnosticResult<'a> {
    let severity = |level| match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
    };
    let overall = findings
        .iter()
        .map(|f| f.level)
        .min()
        .map_or(Severity::Info, severity);
    DiagnosticResult {
        source: source(),
        severity: overall,
        diagnostics: findings
            .iter()
            .map(|f| RdDiagnostic {
                message: &f.message,
                location: Location {
                    path: &f.path,
                    range: Range {
                        start: Position {
                            line: f.line,
                            column: text_of(&f.path)
                                .map_or(f.column, |text| byte_column(text, f.line, f.column)),
                        },
                    },
                },
                severity: severity(f.level),
                code: Code {
                    value: f.lint.as_str(),
                },
            })
            .collect(),
    }
}

/// The 1-based byte column of the 1-based character `column` on `line` of
/// `text`; `column` itself when the line is not there.
pub(crate) fn byte_column(text: &str, line: usize, column: usize) -> usize {
    let Some(content) = text.split('\n').nth(line.saturating_sub(1)) else {
        return column;
    };
    let before: usize = content
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    before + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_bytes() {
        let text = "a = 1\ntitle = \"a𐐀b €\"\n";
        assert_eq!(byte_column(text, 1, 3), 3);
        // Before `b`, the 12th character of line 2: `title = "a` (10
        // bytes) and `𐐀` (4).
        assert_eq!(byte_column(text, 2, 11), 11);
        assert_eq!(byte_column(text, 2, 12), 15);
        assert_eq!(byte_column(text, 2, 14), 17);
        assert_eq!(byte_column(text, 9, 4), 4);
    }

    #[test]
    fn overall_severity_is_the_worst() {
        let finding = |level| Diagnostic {
            level,
            lint: crate::diagnostic::LintId::Blame,
            path: "p.toml".into(),
            line: 1,
            column: 1,
            message: "m".into(),
        };
        let none = |_: &str| None;
        assert_eq!(document(&[], none).severity, Severity::Info);
        let warn = [finding(Level::Warning)];
        assert_eq!(document(&warn, none).severity, Severity::Warning);
        let both = [finding(Level::Warning), finding(Level::Error)];
        assert_eq!(document(&both, none).severity, Severity::Error);
    }
}
