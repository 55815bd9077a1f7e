//! The last known state of each safeguard's issue, recorded by `sync` in
//! `.git/postmortem/issues.json` so that offline commands (`status`,
//! `check`) can tell `closed-unverified` from `pending` without a network.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::github::api::IssueState;

const VERSION: u32 = 1;

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct IssueStates {
    version: u32,
    /// `owner/name` the numbers belong to.
    pub(crate) repo: String,
    pub(crate) issues: BTreeMap<u64, IssueState>,
}

pub(crate) fn path(git_dir: &Path) -> PathBuf {
    git_dir.join("postmortem").join("issues.json")
}

impl IssueStates {
    pub(crate) fn new(repo: String, issues: BTreeMap<u64, IssueState>) -> Self {
        IssueStates {
            version: VERSION,
            repo,
            issues,
        }
    }

    /// The recorded states, or none when the file is missing, unreadable,
    /// of another version, or about another repository.
    pub(crate) fn load(git_dir: &Path, repo: Option<&str>) -> IssueStates {
        std::fs::read_to_string(path(git_dir))
            .ok()
            .and_then(|text| serde_json::from_str::<IssueStates>(&text).ok())
            .filter(|s| s.version == VERSION && repo.is_none_or(|r| r == s.repo))
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
