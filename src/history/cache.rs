//! The ship cache: the result of a history scan kept in
//! `.git/postmortem/ship-cache.json`, one entry per branch, keyed by the
//! tip it was computed for. It holds every match (all trailer values and
//! all closing references, not only those of today's safeguards), so:
//!
//! - a run on an unchanged tip reads no commit at all;
//! - when the branch moved forward, only the new commits are scanned: the
//!   walk from the new tip stops at every commit the cached scan read
//!   (kept beside the entry as a sorted array of object ids,
//!   `ship-cache.<n>.commits`, looked up by binary search), so its cost is
//!   the new commits whatever their dates, and the index picks the oldest
//!   of all matches, so merges cannot fool it;
//! - a scan follows history only through commits dated on or after the
//!   entry's `since` (the oldest incident, less the allowance for clock
//!   skew): an entry serves any run whose `since` is no earlier, and is
//!   rebuilt for an older incident;
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

use super::scan::{self, KnownCommits, ShipIndex, ShipMatch};

/// Bump when the meaning of a cached match changes.
pub(crate) const CACHE_VERSION: u32 = 3;

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
    /// Commits dated before this (seconds since the epoch) were not
    /// followed; `None`: the whole history was.
    #[serde(default)]
    since: Option<i64>,
    /// The file, beside this one, holding the object ids of every commit
    /// the scans of this entry read.
    #[serde(default)]
    commits_file: Option<String>,
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

/// The index of every match reachable from `tip` through commits dated
/// `since` or later (see [`scan::scan_all`]), for the branch known as
/// `key`, from the cache where it can be trusted and by scanning otherwise.
pub(crate) fn ship_index(
    repo: &Repository,
    key: &str,
    tip: Oid,
    since: Option<i64>,
) -> Result<Scanned, git2::Error> {
    let file_path = path(repo);
    let dir = file_path.parent().map(std::path::Path::to_path_buf);
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

    let previous = file.branches.remove(key);
    let old_commits_file = previous.as_ref().and_then(|e| e.commits_file.clone());
    let cached = previous.map(|mut entry| {
        let tip = Oid::from_str(&entry.tip).ok();
        let matches: Option<Vec<ShipMatch>> = std::mem::take(&mut entry.matches)
            .into_iter()
            .map(StoredMatch::restore)
            .collect();
        (tip, matches, entry)
    });
    let shallow = repo.is_shallow();
    // A cached entry is used only when what it cites is there, it is no
    // less complete than the history is now, and it reaches back as far
    // as this run needs.
    let distrust = |matches: &[ShipMatch], entry: &BranchEntry| -> Option<String> {
        if !entry.complete && !shallow {
            return Some(
                "the cached scan met a shallow clone's edge, and the history is complete now"
                    .into(),
            );
        }
        if let (Some(cached), needed) = (entry.since, since) {
            if needed.is_none_or(|needed| needed < cached) {
                return Some("an incident is older than the cached scan reaches".into());
            }
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
        Some((Some(old), Some(matches), entry)) => match distrust(&matches, &entry) {
            Some(reason) => (None, Some(reason)),
            None => (Some((old, matches, entry)), None),
        },
        Some(_) => (None, Some("cache entry is corrupt".to_string())),
        None => (None, None),
    };

    // An entry that moved forward: scan only what is new, when the
    // commits its scans read are at hand and its tip is still reachable.
    let mut rebuild_reason = None;
    let mut known = None;
    let outcome = match cached {
        Some((old, matches, entry)) if old == tip => Some((
            matches,
            CacheUse::Hit,
            entry.commits,
            entry.complete,
            entry.since,
        )),
        Some((old, mut matches, entry)) => {
            let read = entry
                .commits_file
                .as_deref()
                .zip(dir.as_deref())
                .and_then(|(name, dir)| read_known(&dir.join(name)));
            match read {
                None => {
                    rebuild_reason = Some("the cached list of scanned commits is missing".into());
                    None
                }
                Some(before) => match scan::scan_new(repo, tip, old, &before, entry.since)? {
                    None => {
                        rebuild_reason = Some(
                            "the cached tip is not an ancestor of the branch (history rewritten)"
                                .into(),
                        );
                        None
                    }
                    Some(new) => {
                        matches.extend(new.matches);
                        let how = CacheUse::Incremental {
                            commits: new.stats.commits,
                        };
                        let complete = entry.complete && !shallow && new.stats.missing_parents == 0;
                        known = Some(before.with(&new.read));
                        Some((
                            matches,
                            how,
                            entry.commits + new.stats.commits,
                            complete,
                            entry.since,
                        ))
                    }
                },
            }
        }
        None => None,
    };
    let (matches, how, total, complete, scanned_since) = match outcome {
        Some(found) => found,
        None => {
            let reason = rebuild_reason
                .or(distrusted)
                .or(problem)
                .unwrap_or_else(|| format!("no cache entry for {key}"));
            let scan = scan::scan_all(repo, tip, since)?;
            known = Some(KnownCommits::default().with(&scan.read));
            let how = CacheUse::Rebuilt {
                reason,
                commits: scan.stats.commits,
            };
            let complete = !shallow && scan.stats.missing_parents == 0;
            (scan.matches, how, scan.stats.commits, complete, since)
        }
    };

    let mut write_error = None;
    if how != CacheUse::Hit {
        let commits_file = format!("ship-commits-{tip}.bin");
        let written = dir.as_deref().map_or(Ok(()), |dir| {
            let known = known.unwrap_or_default();
            std::fs::create_dir_all(dir)?;
            write_commits(dir, &commits_file, &known)
        });
        file.branches.insert(
            key.to_string(),
            BranchEntry {
                tip: tip.to_string(),
                commits: total,
                complete,
                since: scanned_since,
                commits_file: written.is_ok().then(|| commits_file.clone()),
                matches: matches.iter().map(StoredMatch::of).collect(),
            },
        );
        match written.and_then(|()| save(&file_path, &file)) {
            Ok(()) => {
                // The list the entry pointed at before, unless another
                // entry still does.
                let still_used = |name: &str| {
                    file.branches
                        .values()
                        .any(|e| e.commits_file.as_deref() == Some(name))
                };
                if let (Some(old), Some(dir)) = (old_commits_file, dir.as_deref()) {
                    if old != commits_file && !still_used(&old) {
                        let _ = std::fs::remove_file(dir.join(old));
                    }
                }
            }
            Err(e) => write_error = Some(format!("{}: {e}", file_path.display())),
        }
    }
    Ok(Scanned {
        index: ShipIndex::new(matches),
        how,
        complete,
        write_error,
    })
}

/// Write the list of scanned commits through a temporary file and a
/// rename. Not synced: a list lost in a crash only makes the next run
/// rebuild (an empty or torn file is refused by [`read_known`]).
fn write_commits(dir: &std::path::Path, name: &str, known: &KnownCommits) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp = tempfile::Builder::new()
        .prefix(".ship-commits-")
        .tempfile_in(dir)?;
    tmp.write_all(known.as_bytes())?;
    tmp.persist(dir.join(name)).map_err(|e| e.error)?;
    Ok(())
}

/// The commits listed in a `ship-commits-*.bin` file, when it is one.
fn read_known(path: &std::path::Path) -> Option<KnownCommits> {
    let bytes = std::fs::read(path).ok()?;
    KnownCommits::from_sorted(&bytes)
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
