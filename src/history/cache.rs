//! The ship cache: the result of a history scan kept in
//! `.git/postmortem/ship-cache.json`, one entry per branch, keyed by the
//! tip it was computed for. It holds every match (all trailer values and
//! all closing references, not only those of today's safeguards), so:
//!
//! - a run on an unchanged tip reads no commit at all;
//! - when the branch moved forward, only the new commits are scanned
//!   (`tip` walked, the old tip hidden) and their matches added; the index
//!   picks the oldest of all matches, so merges cannot fool it;
//! - when the old tip is no longer an ancestor (a force-push), the file is
//!   unparsable or from another version, the entry is rebuilt, never
//!   trusted.
//!
//! Writes go through a temporary file and a rename. A cache that cannot be
//! written (a read-only repository) only costs speed.

use std::collections::BTreeMap;
use std::path::PathBuf;

use git2::{Oid, Repository};
use serde::{Deserialize, Serialize};

use super::scan::{self, ShipIndex, ShipMatch};

/// Bump when the meaning of a cached match changes.
pub(crate) const CACHE_VERSION: u32 = 2;

/// How the index for a run was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CacheUse {
    /// The cached entry was for this very tip.
    Hit,
    /// The cached tip is an ancestor; this many new commits were scanned.
    Incremental { commits: u64 },
    /// Scanned from scratch, and why.
    Rebuilt { reason: String, commits: u64 },
}

/// The index for one branch tip, and how it came about.
pub(crate) struct Scanned {
    pub(crate) index: ShipIndex,
    pub(crate) how: CacheUse,
    /// Whether the index covers the whole history of the tip; false in a
    /// shallow clone, where older shipping commits are missing.
    pub(crate) complete: bool,
    /// Set when the cache could not be written.
    pub(crate) write_error: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    version: u32,
    #[serde(default)]
    branches: BTreeMap<String, BranchEntry>,
}

#[derive(Serialize, Deserialize)]
struct BranchEntry {
    tip: String,
    /// Commits scanned to build this entry, for the curious.
    commits: u64,
    /// Whether every commit reachable from `tip` was read: false when the
    /// scan met a shallow clone's edge (parents missing).
    complete: bool,
    matches: Vec<StoredMatch>,
}

#[derive(Serialize, Deserialize)]
struct StoredMatch {
    commit: String,
    time: i64,
    offset: i32,
    subject: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    trailers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    closes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    reverts: Vec<String>,
}

impl StoredMatch {
    fn of(found: &ShipMatch) -> Self {
        StoredMatch {
            commit: found.commit.to_string(),
            time: found.time,
            offset: found.offset_minutes,
            subject: found.subject.clone(),
            trailers: found.trailers.clone(),
            closes: found.closes.iter().map(ToString::to_string).collect(),
            reverts: found.reverts.iter().map(ToString::to_string).collect(),
        }
    }

    fn restore(self) -> Option<ShipMatch> {
        Some(ShipMatch {
            commit: Oid::from_str(&self.commit).ok()?,
            time: self.time,
            offset_minutes: self.offset,
            subject: self.subject,
            trailers: self.trailers,
            closes: self
                .closes
                .iter()
                .map(|c| c.parse().ok())
                .collect::<Option<_>>()?,
            reverts: self
                .reverts
                .iter()
                .map(|r| Oid::from_str(r).ok())
                .collect::<Option<_>>()?,
        })
    }
}

/// Where the cache lives: in the common git directory, so every worktree
/// of a repository shares it.
pub(crate) fn path(repo: &Repository) -> PathBuf {
    repo.commondir().join("postmortem").join("ship-cache.json")
}

/// The index of every match reachable from `tip`, for the branch known as
/// `key`, from the cache where it can be trusted and by scanning otherwise.
pub(crate) fn ship_index(repo: &Repository, key: &str, tip: Oid) -> Result<Scanned, git2::Error> {
    let file_path = path(repo);
    let (mut file, problem) = match std::fs::read(&file_path) {
        Ok(bytes) => match serde_json::from_slice::<CacheFile>(&bytes) {
            Ok(file) if file.version == CACHE_VERSION => (file, None),
            Ok(file) => (
                empty(),
                Some(format!(
                    "cache version {} is not {CACHE_VERSION}",
                    file.version
                )),
            ),
            Err(e) => (empty(), Some(format!("cache file is corrupt ({e})"))),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            (empty(), Some("no cache yet".to_string()))
        }
        Err(e) => (empty(), Some(format!("cache file is unreadable ({e})"))),
    };

    let cached = file.branches.remove(key).map(|entry| {
        let tip = Oid::from_str(&entry.tip).ok();
        let matches: Option<Vec<ShipMatch>> = entry
            .matches
            .into_iter()
            .map(StoredMatch::restore)
            .collect();
        (tip, matches, entry.commits, entry.complete)
    });
    let shallow = repo.is_shallow();
    // A cached entry is used only when what it cites is there and it is no
    // less complete than the history is now.
    let distrust = |matches: &[ShipMatch], complete: bool| -> Option<String> {
        if !complete && !shallow {
            return Some(
                "the cached scan met a shallow clone's edge, and the history is complete now"
                    .into(),
            );
        }
        let odb = repo.odb().ok()?;
        matches.iter().find(|m| !odb.exists(m.commit)).map(|m| {
            format!(
                "the cache cites commit {}, which the repository does not have",
                m.commit
            )
        })
    };
    let (cached, distrusted) = match cached {
        Some((Some(old), Some(matches), commits, complete)) => match distrust(&matches, complete) {
            Some(reason) => (None, Some(reason)),
            None => (Some((old, matches, commits, complete)), None),
        },
        Some(_) => (None, Some("cache entry is corrupt".to_string())),
        None => (None, None),
    };

    let (matches, how, total, complete) = match cached {
        Some((old, matches, commits, complete)) if old == tip => {
            (matches, CacheUse::Hit, commits, complete)
        }
        Some((old, mut matches, commits, complete))
            if repo.graph_descendant_of(tip, old).unwrap_or(false) =>
        {
            let (new, stats) = scan::scan_new(repo, tip, old)?;
            matches.extend(new);
            let how = CacheUse::Incremental {
                commits: stats.commits,
            };
            let complete = complete && !shallow && stats.missing_parents == 0;
            (matches, how, commits + stats.commits, complete)
        }
        other => {
            let reason = match (other, distrusted) {
                (_, Some(reason)) => reason,
                (Some(_), None) => {
                    "the cached tip is not an ancestor of the branch (history rewritten)".into()
                }
                (None, None) => problem.unwrap_or_else(|| format!("no cache entry for {key}")),
            };
            let (matches, stats) = scan::scan_all(repo, tip)?;
            let how = CacheUse::Rebuilt {
                reason,
                commits: stats.commits,
            };
            let complete = !shallow && stats.missing_parents == 0;
            (matches, how, stats.commits, complete)
        }
    };

    let mut write_error = None;
    if how != CacheUse::Hit {
        file.branches.insert(
            key.to_string(),
            BranchEntry {
                tip: tip.to_string(),
                commits: total,
                complete,
                matches: matches.iter().map(StoredMatch::of).collect(),
            },
        );
        if let Err(e) = save(&file_path, &file) {
            write_error = Some(format!("{}: {e}", file_path.display()));
        }
    }
    Ok(Scanned {
        index: ShipIndex::new(matches),
        how,
        complete,
        write_error,
    })
}

fn empty() -> CacheFile {
    CacheFile {
        version: CACHE_VERSION,
        branches: BTreeMap::new(),
    }
}

fn save(path: &std::path::Path, file: &CacheFile) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text = serde_json::to_string(file).map_err(std::io::Error::other)?;
    crate::atomic::write(path, &text)
}
