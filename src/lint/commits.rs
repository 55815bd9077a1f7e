//! The `unresolved-commit` lint: trigger commits and ranges must name
//! history this repository has. The lookup is the model's [`CommitLookup`]
//! trait, so the lint stays free of git; `history` implements it.

use crate::diagnostic::{Finding, LintId};
use crate::key_path;
use crate::model::{CommitLookup, Postmortem};

pub(crate) fn check(postmortem: &Postmortem, commits: &dyn CommitLookup) -> Vec<Finding> {
    let Some(trigger) = &postmortem.trigger else {
        return Vec::new();
    };
    let mut findings = Vec::new();
    for (i, commit) in trigger.commits.iter().enumerate() {
        if !commits.has_commit(commit) {
            findings.push(Finding::warning(
                LintId::UnresolvedCommit,
                key_path!["trigger", "commits", i],
                format!(
                    "trigger commit `{commit}` is not in this repository; fetch it, or fix the oid"
                ),
            ));
        }
    }
    for (i, range) in trigger.ranges.iter().enumerate() {
        let Some((from, to)) = range.split_once("..") else {
            continue;
        };
        let to = to.trim_start_matches('.');
        for end in [from, to].into_iter().filter(|e| !e.is_empty()) {
            if !commits.has_commit(end) {
                findings.push(Finding::warning(
                    LintId::UnresolvedCommit,
                    key_path!["trigger", "ranges", i],
                    format!("`{end}` in trigger range `{range}` does not name a commit in this repository"),
                ));
            }
        }
    }
    findings
}
