//! GitLab Code Quality reports (`artifacts:reports:codequality`): a JSON
//! array of issues, the subset of the Code Climate format GitLab reads.
//! GitLab shows what a merge request adds or resolves by comparing the
//! issues' fingerprints with the target branch's report, so a fingerprint
//! must not change when nothing about the finding did:
//!
//! - it is the hex SHA-256 of the lint id, the path and the finding's key
//!   (the safeguard reference for `overdue`, whose message counts days; the
//!   message for the others), never the line, so that an edit above a
//!   finding does not make it new;
//! - the same lint, path and key a second time in one file (the same phrase
//!   in two fields) gets its occurrence number mixed in, so no two issues
//!   share one.
//!
//! Severities: `critical` for `schema` errors (the file is not read at
//! all), `major` for the other errors (overdue safeguards included), and
//! `minor` for warnings.

use std::collections::HashMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::diagnostic::{Diagnostic, Level, LintId};

/// One issue.
#[derive(Debug, Serialize)]
pub(crate) struct Issue<'a> {
    pub(crate) description: &'a str,
    pub(crate) check_name: &'static str,
    pub(crate) fingerprint: String,
    pub(crate) severity: Severity,
    pub(crate) location: Location<'a>,
}

/// GitLab's severities, of which this tool uses three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Minor,
    Major,
    Critical,
}

#[derive(Debug, Serialize)]
pub(crate) struct Location<'a> {
    pub(crate) path: &'a str,
    pub(crate) lines: Lines,
}

#[derive(Debug, Serialize)]
pub(crate) struct Lines {
    pub(crate) begin: usize,
}

/// The severity of `finding`, as the module documentation maps it.
pub(crate) fn severity(finding: &Diagnostic) -> Severity {
    match (finding.level, finding.lint) {
        (Level::Error, LintId::Schema) => Severity::Critical,
        (Level::Error, _) => Severity::Major,
        (Level::Warning, _) => Severity::Minor,
    }
}

/// The report for `findings`, each with its key (`None`: the message).
pub(crate) fn report<'a>(
    findings: impl IntoIterator<Item = (&'a Diagnostic, Option<&'a str>)>,
) -> Vec<Issue<'a>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    findings
        .into_iter()
        .map(|(finding, key)| {
            let mut fingerprint =
                fingerprint(finding.lint, &finding.path, key.unwrap_or(&finding.message));
            let n = seen.entry(fingerprint.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                fingerprint = hex(&Sha256::digest(format!("{fingerprint}\0{n}")));
            }
            Issue {
                description: &finding.message,
                check_name: finding.lint.as_str(),
                fingerprint,
                severity: severity(finding),
                location: Location {
                    path: &finding.path,
                    lines: Lines {
                        begin: finding.line,
                    },
                },
            }
        })
        .collect()
}

/// The hex SHA-256 of the lint, path and key, each ended by a NUL so that
/// no two triples hash the same text.
pub(crate) fn fingerprint(lint: LintId, path: &str, key: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [lint.as_str(), path, key] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(level: Level, lint: LintId, line: usize, message: &str) -> Diagnostic {
        Diagnostic {
            level,
            lint,
            path: "postmortems/a.toml".into(),
            line,
            column: 1,
            message: message.into(),
        }
    }

    #[test]
    fn fingerprints_ignore_lines_and_tell_repeats_apart() {
        let a = finding(Level::Warning, LintId::Blame, 3, "human error");
        let moved = finding(Level::Warning, LintId::Blame, 9, "human error");
        let late = finding(Level::Error, LintId::Overdue, 5, "2 days overdue");
        let later = finding(Level::Error, LintId::Overdue, 5, "3 days overdue");
        let first = report([(&a, None), (&late, Some("a/S1"))]);
        let second = report([(&moved, None), (&later, Some("a/S1"))]);
        assert_eq!(first[0].fingerprint, second[0].fingerprint);
        assert_eq!(first[1].fingerprint, second[1].fingerprint);
        assert_eq!(first[0].fingerprint.len(), 64);
        let twice = report([(&a, None), (&moved, None)]);
        assert_ne!(twice[0].fingerprint, twice[1].fingerprint);
        assert_eq!(twice[0].fingerprint, first[0].fingerprint);
        assert_ne!(
            fingerprint(LintId::Blame, "ab", "c"),
            fingerprint(LintId::Blame, "a", "bc")
        );
    }

    #[test]
    fn severities_follow_the_documented_mapping() {
        let of = |level, lint| severity(&finding(level, lint, 1, "m"));
        assert_eq!(of(Level::Error, LintId::Schema), Severity::Critical);
        assert_eq!(of(Level::Error, LintId::Overdue), Severity::Major);
        assert_eq!(of(Level::Error, LintId::HollowApology), Severity::Major);
        assert_eq!(of(Level::Warning, LintId::Blame), Severity::Minor);
    }
}
