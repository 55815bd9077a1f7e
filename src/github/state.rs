//! The last known state of each safeguard's issue, recorded by `sync` in
//! `.git/postmortem/issues.json` so that offline commands (`status`,
//! `check`) can tell `closed-unverified` from `pending` without a network,
//! and, since version 2, what closed each issue and which open pull
//! requests will (`links`). A version 1 file is still read: it has no
//! links, which the next `sync` fills in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::github::api::IssueState;
use crate::model::IssueLinks;

const VERSION: u32 = 2;
/// Versions [`IssueStates::load`] reads: 1 is 2 without `links`.
const READABLE: [u32; 2] = [1, 2];

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct IssueStates {
    version: u32,
    /// `owner/name` the numbers belong to.
    pub(crate) repo: String,
    pub(crate) issues: BTreeMap<u64, IssueState>,
    /// Closers and open closing pull requests, by issue number; issues
    /// with neither are left out.
    #[serde(default)]
    pub(crate) links: BTreeMap<u64, IssueLinks>,
}

pub(crate) fn path(git_dir: &Path) -> PathBuf {
    git_dir.join("postmortem").join("issues.json")
}

impl IssueStates {
    pub(crate) fn new(
        repo: String,
        issues: BTreeMap<u64, IssueState>,
        links: BTreeMap<u64, IssueLinks>,
    ) -> Self {
        IssueStates {
            version: VERSION,
            repo,
            issues,
            links: links.into_iter().filter(|(_, l)| !l.is_empty()).collect(),
        }
    }

    /// The recorded states, or none when the file is missing, unreadable,
    /// of an unknown version, or about another repository.
    pub(crate) fn load(git_dir: &Path, repo: Option<&str>) -> IssueStates {
        std::fs::read_to_string(path(git_dir))
            .ok()
            .and_then(|text| serde_json::from_str::<IssueStates>(&text).ok())
            .filter(|s| READABLE.contains(&s.version) && repo.is_none_or(|r| r == s.repo))
            .unwrap_or_default()
    }

    pub(crate) fn save(&self, git_dir: &Path) -> std::io::Result<()> {
        let path = path(git_dir);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        crate::atomic::write(&path, &text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Closer;

    #[test]
    fn version_1_files_are_read_without_links() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("postmortem")).expect("mkdir");
        std::fs::write(
            path(dir.path()),
            r#"{"version":1,"repo":"acme/shop","issues":{"7":{"state":"closed","reason":"completed"},"8":{"state":"open"}}}"#,
        )
        .expect("write");
        let loaded = IssueStates::load(dir.path(), Some("acme/shop"));
        assert_eq!(loaded.issues.len(), 2);
        assert!(loaded.links.is_empty());
    }

    #[test]
    fn links_round_trip_and_empty_ones_are_left_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let links = BTreeMap::from([
            (
                7,
                IssueLinks {
                    closer: Some(Closer::PullRequest {
                        number: 456,
                        base_ref: Some("main".into()),
                        merge_commit: Some("3fb0429".repeat(5) + "ab3fb"),
                    }),
                    closing_prs: Vec::new(),
                    created_at: Some(1_795_000_000),
                },
            ),
            (8, IssueLinks::default()),
        ]);
        let states = BTreeMap::from([
            (7, IssueState::Closed { reason: None }),
            (8, IssueState::Open),
        ]);
        IssueStates::new("acme/shop".into(), states, links.clone())
            .save(dir.path())
            .expect("save");
        let loaded = IssueStates::load(dir.path(), None);
        assert_eq!(loaded.version, VERSION);
        assert_eq!(loaded.links.len(), 1);
        assert_eq!(loaded.links[&7], links[&7]);
    }
}
