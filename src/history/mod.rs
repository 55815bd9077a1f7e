//! Everything read from git with git2: the repository and its work tree,
//! revisions resolved to commits, and commit details for rendering. The
//! shipped-safeguard scan will live beside this as its own module.

use std::path::{Path, PathBuf};

use git2::{Oid, Repository};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::lint::CommitLookup;

/// Open the repository around the current directory, honouring `GIT_DIR`
/// and friends as git does.
pub fn open(cwd: &Path) -> Result<(Repository, PathBuf)> {
    let repo = if std::env::var_os("GIT_DIR").is_some() {
        Repository::open_from_env()
    } else {
        Repository::discover(cwd)
    }
    .map_err(|_| Error::NotARepository {
        path: cwd.to_path_buf(),
    })?;
    let root = repo
        .workdir()
        .ok_or_else(|| Error::BareRepository {
            path: repo.path().to_path_buf(),
        })?
        .to_path_buf();
    Ok((repo, root))
}

/// A commit as shown to people.
#[derive(Debug, Clone, Serialize)]
pub struct CommitInfo {
    pub oid: String,
    pub short: String,
    pub subject: String,
    pub author: String,
    pub date: String,
}

/// Resolve any revision git understands (`HEAD~3`, a tag, a short oid) to
/// the commit it names.
pub fn resolve_commit(repo: &Repository, rev: &str) -> Result<Oid> {
    let object = repo.revparse_single(rev).map_err(|e| Error::BadRevision {
        rev: rev.into(),
        message: e.message().to_string(),
    })?;
    let commit = object.peel_to_commit().map_err(|e| Error::BadRevision {
        rev: rev.into(),
        message: e.message().to_string(),
    })?;
    Ok(commit.id())
}

pub fn commit_info(repo: &Repository, oid: Oid) -> Result<CommitInfo> {
    let commit = repo.find_commit(oid)?;
    let author = commit.author();
    let time = commit.time();
    let date = chrono::FixedOffset::east_opt(time.offset_minutes() * 60)
        .and_then(|tz| {
            chrono::DateTime::from_timestamp(time.seconds(), 0).map(|t| t.with_timezone(&tz))
        })
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default();
    Ok(CommitInfo {
        oid: oid.to_string(),
        short: short_oid(repo, oid),
        subject: commit
            .summary_bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default(),
        author: author.name().unwrap_or("").to_string(),
        date,
    })
}

/// The shortest unique abbreviation, at least 7 characters, like git.
pub fn short_oid(repo: &Repository, oid: Oid) -> String {
    repo.find_object(oid, None)
        .and_then(|o| o.short_id())
        .ok()
        .and_then(|b| b.as_str().ok().map(String::from))
        .unwrap_or_else(|| oid.to_string()[..7].to_string())
}

/// The commits in `A..B` (reachable from B, not from A), newest first.
pub fn range_commits(repo: &Repository, range: &str, limit: usize) -> Result<Vec<CommitInfo>> {
    let Some((from, to)) = range.split_once("..") else {
        return Err(Error::BadRevision {
            rev: range.into(),
            message: "not a range; write A..B".into(),
        });
    };
    if to.starts_with('.') {
        return Err(Error::BadRevision {
            rev: range.into(),
            message: "symmetric ranges (A...B) are not supported; write A..B".into(),
        });
    }
    let to = if to.is_empty() { "HEAD" } else { to };
    let from = resolve_commit(repo, if from.is_empty() { "HEAD" } else { from })?;
    let to = resolve_commit(repo, to)?;
    let mut walk = repo.revwalk()?;
    walk.push(to)?;
    walk.hide(from)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)?;
    walk.take(limit)
        .map(|oid| commit_info(repo, oid?))
        .collect()
}

impl CommitLookup for Repository {
    fn has_commit(&self, rev: &str) -> bool {
        resolve_commit(self, rev).is_ok()
    }
}
