//! What git knows of a postmortem's trigger: its commits and the commits of
//! its ranges, for `show` and `review`, and the files they touched, for
//! `stats`.

use std::collections::BTreeMap;

use crate::history::Repo;
use crate::model::{CommitId, Postmortem};
use crate::render::show;
use crate::render::view::{ShowView, TriggerCommit, TriggerRange};
use crate::source::Loaded;

/// Commits listed per trigger range before "…".
pub(crate) const RANGE_LIMIT: usize = 50;

/// Commits of a trigger range whose files `stats` reads.
const FILES_RANGE_LIMIT: usize = 200;

/// The `show` view of `pm`, its trigger resolved in `repo`.
pub(crate) fn show_view<'a>(
    repo: &Repo,
    github_repo: Option<&str>,
    id: &'a str,
    path: &'a str,
    pm: &'a Postmortem,
) -> ShowView<'a> {
    let (commits, ranges) = match &pm.trigger {
        None => (Vec::new(), Vec::new()),
        Some(trigger) => (
            trigger
                .commits
                .iter()
                .map(|rev| TriggerCommit {
                    rev,
                    commit: repo
                        .resolve_commit(rev)
                        .and_then(|id| repo.commit_info(&id))
                        .ok(),
                })
                .collect(),
            trigger
                .ranges
                .iter()
                .map(|range| match repo.range_commits(range, RANGE_LIMIT + 1) {
                    Ok(mut commits) => {
                        let truncated = commits.len() > RANGE_LIMIT;
                        commits.truncate(RANGE_LIMIT);
                        TriggerRange {
                            range,
                            commits,
                            truncated,
                            error: None,
                        }
                    }
                    Err(e) => TriggerRange {
                        range,
                        commits: Vec::new(),
                        truncated: false,
                        error: Some(e.to_string()),
                    },
                })
                .collect(),
        ),
    };
    show::show_view(id, path, pm, github_repo, commits, ranges)
}

/// The files each postmortem's trigger commits (and the commits of its
/// trigger ranges) changed against their first parent. Commits the
/// repository lacks are skipped: `lint` reports them.
pub(crate) fn trigger_files(repo: &Repo, loaded: &[Loaded]) -> BTreeMap<String, Vec<String>> {
    let mut by_id = BTreeMap::new();
    for l in loaded {
        let Some(trigger) = &l.postmortem.trigger else {
            continue;
        };
        let mut commits: Vec<CommitId> = trigger
            .commits
            .iter()
            .filter_map(|rev| repo.resolve_commit(rev).ok())
            .collect();
        for range in &trigger.ranges {
            if let Ok(listed) = repo.range_commits(range, FILES_RANGE_LIMIT) {
                commits.extend(listed.iter().filter_map(|c| CommitId::from_hex(&c.oid)));
            }
        }
        let mut files: Vec<String> = commits
            .iter()
            .filter_map(|id| repo.touched_files(id).ok())
            .flatten()
            .collect();
        files.sort();
        files.dedup();
        if !files.is_empty() {
            by_id.insert(l.id.clone(), files);
        }
    }
    by_id
}
