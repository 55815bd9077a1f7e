//! Everything read from git with git2: the repository and its work tree,
//! revisions resolved to commits, the default branch, commit details for
//! rendering, and the files a commit touched. The shipped-safeguard scan
//! ([`scan`]) and its cache ([`cache`]) live beside this.

pub mod cache;
pub mod message;
pub mod scan;

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
    let date = format_git_time(time.seconds(), time.offset_minutes());
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

/// The branch "shipped" is measured against, resolved to its tip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    /// The name as the user knows it: `main`, `origin/main`.
    pub name: String,
    /// The full reference name, which keys the ship cache.
    pub refname: String,
    pub tip: Oid,
}

/// The default branch (SPEC 2.1): `--branch`, else `default_branch` from the
/// config, else what `origin/HEAD` points at, else `main`, else `master`.
/// A name given by the user that does not resolve is an error rather than a
/// reason to fall back.
pub fn resolve_branch(
    repo: &Repository,
    flag: Option<&str>,
    configured: Option<&str>,
) -> Result<Branch> {
    if let Some(name) = flag {
        return named_branch(repo, name).ok_or_else(|| Error::UnknownBranch {
            name: name.into(),
            from: "--branch",
        });
    }
    if let Some(name) = configured {
        return named_branch(repo, name).ok_or_else(|| Error::UnknownBranch {
            name: name.into(),
            from: "default_branch in .postmortem.toml",
        });
    }
    if let Some(branch) = origin_head(repo) {
        return Ok(branch);
    }
    for name in ["main", "master"] {
        if let Some(branch) = named_branch(repo, name) {
            return Ok(branch);
        }
    }
    Err(Error::NoDefaultBranch {
        tried: "origin/HEAD, main, master".into(),
    })
}

/// A branch by name: as git abbreviates it (`main`, `origin/main`,
/// `refs/heads/main`), else the remote-tracking `origin/<name>` (a CI
/// checkout often has no local branch).
fn named_branch(repo: &Repository, name: &str) -> Option<Branch> {
    let (reference, name) = match repo.resolve_reference_from_short_name(name) {
        Ok(reference) => (reference, name.to_string()),
        Err(_) => (
            repo.find_reference(&format!("refs/remotes/origin/{name}"))
                .ok()?,
            format!("origin/{name}"),
        ),
    };
    let refname = reference.name().ok()?.to_string();
    let tip = reference.peel_to_commit().ok()?.id();
    Some(Branch { name, refname, tip })
}

fn origin_head(repo: &Repository) -> Option<Branch> {
    let head = repo.find_reference("refs/remotes/origin/HEAD").ok()?;
    let target = head.symbolic_target().ok()??.to_string();
    let reference = repo.find_reference(&target).ok()?;
    let tip = reference.peel_to_commit().ok()?.id();
    let name = target
        .strip_prefix("refs/remotes/")
        .unwrap_or(&target)
        .to_string();
    Some(Branch {
        name,
        refname: target,
        tip,
    })
}

/// The paths a commit changed against its first parent (or, for a root
/// commit, everything it added), sorted and without duplicates.
pub fn touched_files(repo: &Repository, oid: Oid) -> Result<Vec<String>> {
    let commit = repo.find_commit(oid)?;
    let tree = commit.tree()?;
    let parent_tree = match commit.parent(0) {
        Ok(parent) => Some(parent.tree()?),
        Err(_) => None,
    };
    let diff = repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), None)?;
    let mut files: Vec<String> = diff
        .deltas()
        .flat_map(|d| [d.old_file().path(), d.new_file().path()])
        .flatten()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    files.sort();
    files.dedup();
    Ok(files)
}

/// The time of a commit as RFC 3339 in its own offset (`Z` for UTC).
pub fn format_git_time(seconds: i64, offset_minutes: i32) -> String {
    chrono::FixedOffset::east_opt(offset_minutes * 60)
        .and_then(|tz| chrono::DateTime::from_timestamp(seconds, 0).map(|t| t.with_timezone(&tz)))
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

impl CommitLookup for Repository {
    fn has_commit(&self, rev: &str) -> bool {
        resolve_commit(self, rev).is_ok()
    }
}
