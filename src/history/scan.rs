//! The one pass over history that proves safeguards shipped (SPEC 3).
//!
//! The scan reads every commit reachable from a tip exactly once, straight
//! from the object database, and keeps only the commits whose message
//! carries a `Postmortem-Safeguard` trailer or a closing reference: a
//! [`ShipMatch`] each. It keeps *all* of them, for every reference, not
//! only those of today's safeguards, so that a cache of the result stays
//! valid when safeguards are added and can be extended incrementally. The
//! [`ShipIndex`] then answers, per safeguard, which commit shipped it: the
//! oldest by committer date.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use git2::{ErrorCode, ObjectType, Oid, Repository};

use super::commit_id;
use super::message::{self, ClosingRef, ParseOptions};
use crate::model::{CommitSeen, Predates, Proof, SafeguardRef, ShipEvidence, Timestamp, Via};

/// A commit whose message references safeguards or issues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShipMatch {
    pub(crate) commit: Oid,
    /// Committer time, seconds since the epoch, and its UTC offset.
    pub(crate) time: i64,
    pub(crate) offset_minutes: i32,
    pub(crate) subject: String,
    pub(crate) trailers: Vec<String>,
    pub(crate) closes: Vec<ClosingRef>,
    /// Commits this one reverts (`This reverts commit <oid>.`, as
    /// `git revert` writes it).
    pub(crate) reverts: Vec<Oid>,
}

/// What a scan read, besides its matches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ScanStats {
    pub(crate) commits: u64,
    /// Parents missing from the object database: a shallow clone's edge.
    pub(crate) missing_parents: u64,
}

/// A fast hasher for object ids, which are uniformly random already.
#[derive(Default)]
pub(crate) struct OidHasher(u64);

impl Hasher for OidHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8).take(2) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(word);
        }
    }
}

pub(crate) type OidSet = HashSet<Oid, BuildHasherDefault<OidHasher>>;

/// What a scan read: its matches, its counts, and every commit it read
/// (unordered), for the cache to stop the next incremental walk at.
pub(crate) struct Scan {
    pub(crate) matches: Vec<ShipMatch>,
    pub(crate) stats: ScanStats,
    pub(crate) read: Vec<Oid>,
}

/// Whether the scan follows the parents of a commit dated `time`: only
/// when it is no older than `since`. A commit older than `since` is read
/// (its date must be known) but what lies behind it only through another
/// path, so history older than the oldest incident costs nothing.
fn expands(time: i64, since: Option<i64>) -> bool {
    since.is_none_or(|since| time >= since)
}

/// Scan every commit reachable from `tip` through commits dated `since`
/// or later (all of them when `None`), reading each object once from the
/// object database; the order does not matter because the index keeps
/// every match and picks the oldest afterwards.
pub(crate) fn scan_all(
    repo: &Repository,
    tip: Oid,
    since: Option<i64>,
) -> Result<Scan, git2::Error> {
    walk(repo, tip, since, |_| Visit::Read)
}

/// What [`walk`] does with a commit before reading it.
enum Visit {
    Read,
    /// Already known: neither read nor followed.
    Skip,
}

/// The depth-first walk both scans share: from `tip`, reading every commit
/// `visit` lets through, following parents per [`expands`]. A parent
/// missing from the object database (a shallow clone's edge) is counted.
fn walk(
    repo: &Repository,
    tip: Oid,
    since: Option<i64>,
    mut visit: impl FnMut(Oid) -> Visit,
) -> Result<Scan, git2::Error> {
    let options = parse_options(repo);
    let _reading = read_like_git_log();
    let odb = repo.odb()?;
    let mut seen = OidSet::with_capacity_and_hasher(1 << 16, Default::default());
    let mut stack = vec![tip];
    seen.insert(tip);
    let mut parents: Vec<Oid> = Vec::with_capacity(4);
    let mut scan = Scan {
        matches: Vec::new(),
        stats: ScanStats::default(),
        read: Vec::new(),
    };
    while let Some(oid) = stack.pop() {
        if let Visit::Skip = visit(oid) {
            continue;
        }
        let object = match odb.read(oid) {
            Ok(object) => object,
            Err(e) if e.code() == ErrorCode::NotFound && oid != tip => {
                scan.stats.missing_parents += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        if object.kind() != ObjectType::Commit {
            return Err(git2::Error::from_str(&format!("{oid} is not a commit")));
        }
        scan.stats.commits += 1;
        scan.read.push(oid);
        parents.clear();
        let raw = parse_raw_commit(object.data(), &mut parents)
            .ok_or_else(|| git2::Error::from_str(&format!("commit {oid} is malformed")))?;
        let (time, offset) = parse_signature_time(raw.committer);
        if expands(time, since) {
            for parent in &parents {
                if seen.insert(*parent) {
                    stack.push(*parent);
                }
            }
        }
        if let Some(found) = match_commit(oid, &raw, time, offset, &options) {
            scan.matches.push(found);
        }
    }
    Ok(scan)
}

/// Scan the commits reachable from `tip` that an earlier scan of `old`
/// did not read: the walk stops at `old` and at every commit in `known`
/// (what that scan read), so it reads only the new commits, whatever
/// their dates, and the boundary it meets costs a lookup each. `None`
/// when `old` is not reachable that way: the history was rewritten.
pub(crate) fn scan_new(
    repo: &Repository,
    tip: Oid,
    old: Oid,
    known: &KnownCommits,
    since: Option<i64>,
) -> Result<Option<Scan>, git2::Error> {
    let mut reached = false;
    let scan = walk(repo, tip, since, |oid| {
        if oid == old {
            reached = true;
            Visit::Skip
        } else if known.contains(oid) {
            Visit::Skip
        } else {
            Visit::Read
        }
    })?;
    Ok(reached.then_some(scan))
}

/// Bytes in an object id: SHA-1, the only object format opened.
const ID_LEN: usize = 20;

/// The commits a scan read, as a sorted array of raw object ids: what the
/// cache keeps so an incremental walk can stop where the last one began,
/// looked up by binary search.
#[derive(Debug, Default)]
pub(crate) struct KnownCommits {
    ids: Vec<[u8; ID_LEN]>,
}

impl KnownCommits {
    /// From raw 20-byte ids, sorted and without repeats; `None` when the
    /// bytes are not that, or are empty (a scan reads its tip at least).
    pub(crate) fn from_sorted(bytes: &[u8]) -> Option<KnownCommits> {
        let (ids, rest) = bytes.as_chunks::<ID_LEN>();
        let sorted = ids.windows(2).all(|pair| pair[0] < pair[1]);
        (!ids.is_empty() && rest.is_empty() && sorted).then(|| KnownCommits { ids: ids.to_vec() })
    }

    /// The union of these and `more`, merged in one pass.
    pub(crate) fn with(&self, more: &[Oid]) -> KnownCommits {
        let mut added: Vec<[u8; ID_LEN]> = more
            .iter()
            .filter_map(|oid| oid.as_bytes().try_into().ok())
            .collect();
        added.sort_unstable();
        added.dedup();
        let mut ids = Vec::with_capacity(self.ids.len() + added.len());
        let mut old = self.ids.iter().copied().peekable();
        for id in added {
            ids.extend(std::iter::from_fn(|| old.next_if(|o| *o < id)));
            if old.peek() != Some(&id) {
                ids.push(id);
            }
        }
        ids.extend(old);
        KnownCommits { ids }
    }

    pub(crate) fn contains(&self, oid: Oid) -> bool {
        <[u8; ID_LEN]>::try_from(oid.as_bytes()).is_ok_and(|id| self.ids.binary_search(&id).is_ok())
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.ids.as_flattened()
    }
}

/// How this repository's messages are read: its `core.commentChar` (or
/// `core.commentString`), `auto` and unset meaning `#`.
pub(super) fn parse_options(repo: &Repository) -> ParseOptions {
    let config = repo.config().ok();
    let get = |key: &str| config.as_ref().and_then(|c| c.get_string(key).ok());
    let value = get("core.commentString").or_else(|| get("core.commentChar"));
    ParseOptions::from_git_config(value.as_deref())
}

/// Read objects as `git log` does. libgit2 re-hashes every object it reads
/// by default, which on a large history costs more than the inflating; the
/// objects come from the repository's own packs, whose checksums git
/// verified when it wrote or received them. And it keeps every object read
/// in its cache, which a scan that reads each commit once only pays for.
/// Both switches are libgit2 defaults again when the returned guard is
/// dropped, for whatever runs after the scan.
fn read_like_git_log() -> impl Drop {
    struct Restore;
    impl Drop for Restore {
        fn drop(&mut self) {
            git2::opts::enable_caching(true);
            git2::opts::strict_hash_verification(true);
        }
    }
    git2::opts::strict_hash_verification(false);
    git2::opts::enable_caching(false);
    Restore
}

/// The parts of a raw commit object the scan needs.
struct RawCommit<'a> {
    committer: &'a [u8],
    message: &'a [u8],
}

/// Split a raw commit object: parents into `parents`, the committer line
/// and the message. Other headers (`tree`, `author`, `gpgsig` and its
/// continuation lines, `encoding`) are skipped.
fn parse_raw_commit<'a>(data: &'a [u8], parents: &mut Vec<Oid>) -> Option<RawCommit<'a>> {
    let mut committer: &[u8] = b"";
    let mut rest = data;
    loop {
        let end = memchr::memchr(b'\n', rest)?;
        let line = &rest[..end];
        rest = &rest[end + 1..];
        if line.is_empty() {
            return Some(RawCommit {
                committer,
                message: rest,
            });
        }
        if let Some(hex) = line.strip_prefix(b"parent ") {
            parents.push(Oid::from_str(std::str::from_utf8(hex).ok()?).ok()?);
        } else if let Some(who) = line.strip_prefix(b"committer ") {
            committer = who;
        }
    }
}

/// `Name <email> 1700000000 +0130` → (seconds, offset in minutes).
fn parse_signature_time(signature: &[u8]) -> (i64, i32) {
    let text = std::str::from_utf8(signature).unwrap_or("");
    let mut parts = text.rsplitn(3, ' ');
    let tz = parts.next().unwrap_or("+0000");
    let seconds = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let offset = match (tz.get(..1), tz.get(1..3), tz.get(3..5)) {
        (Some(sign), Some(h), Some(m)) => {
            let minutes = h.parse::<i32>().unwrap_or(0) * 60 + m.parse::<i32>().unwrap_or(0);
            if sign == "-" {
                -minutes
            } else {
                minutes
            }
        }
        _ => 0,
    };
    (seconds, offset)
}

fn match_commit(
    oid: Oid,
    raw: &RawCommit<'_>,
    time: i64,
    offset_minutes: i32,
    options: &ParseOptions,
) -> Option<ShipMatch> {
    let (trailer, closing) = message::might_reference(raw.message);
    let reverts = reverted_commits(raw.message);
    if !trailer && !closing && reverts.is_empty() {
        return None;
    }
    let refs = message::parse_with(raw.message, trailer, closing, options);
    if refs.is_empty() && reverts.is_empty() {
        return None;
    }
    Some(ShipMatch {
        commit: oid,
        time,
        offset_minutes,
        subject: message::subject(raw.message),
        trailers: refs.trailers,
        closes: refs.closes,
        reverts,
    })
}

/// The commits a message says it reverts: every `This reverts commit
/// <oid>` (git revert's wording, with a full oid).
fn reverted_commits(message: &[u8]) -> Vec<Oid> {
    const PHRASE: &[u8] = b"This reverts commit ";
    static FINDER: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(PHRASE));
    FINDER
        .find_iter(message)
        .filter_map(|at| {
            let hex = message.get(at + PHRASE.len()..)?;
            let len = hex.iter().take_while(|b| b.is_ascii_hexdigit()).count();
            if len != 40 && len != 64 {
                return None;
            }
            Oid::from_str(std::str::from_utf8(&hex[..len]).ok()?).ok()
        })
        .collect()
}

/// Matches indexed by what they reference.
#[derive(Debug, Default)]
pub(crate) struct ShipIndex {
    matches: Vec<ShipMatch>,
    /// Lower-cased trailer value → positions in `matches`.
    by_trailer: HashMap<String, Vec<usize>>,
    by_issue: HashMap<ClosingRef, Vec<usize>>,
    /// A reverted commit → positions of the commits that revert it.
    reverted_by: HashMap<Oid, Vec<usize>>,
}

impl ShipIndex {
    pub(crate) fn new(matches: Vec<ShipMatch>) -> Self {
        let mut index = ShipIndex::default();
        index.extend(matches);
        index
    }

    pub(crate) fn extend(&mut self, matches: Vec<ShipMatch>) {
        for found in matches {
            let at = self.matches.len();
            for value in &found.trailers {
                self.by_trailer
                    .entry(value.to_ascii_lowercase())
                    .or_default()
                    .push(at);
            }
            for close in &found.closes {
                self.by_issue.entry(close.clone()).or_default().push(at);
            }
            for reverted in &found.reverts {
                self.reverted_by.entry(*reverted).or_default().push(at);
            }
            self.matches.push(found);
        }
    }

    pub(crate) fn matches(&self) -> &[ShipMatch] {
        &self.matches
    }

    /// What history says about `query`'s safeguard: the oldest commit (by
    /// committer date; ties: trailers first, then by oid) that ships it and
    /// was not reverted, through its trailer or a closing reference to its
    /// issue; else, when every such commit was reverted, the latest of them
    /// and its revert. A reference naming a repository counts only when it
    /// names `github_repo` (compared case-insensitively); with no
    /// repository known, only bare `#N` references count. An issue URL
    /// counts when it names `github_repo` on `github_host` (`github.com`
    /// when `None`). A commit dated before `query.not_before` (or, for a
    /// closing reference, before `query.issue_not_before`) never ships it;
    /// when only such commits reference it, the latest of them is
    /// [`Proof::Predates`].
    pub(crate) fn evidence(&self, query: &ShipQuery<'_>) -> Option<Proof> {
        let mut candidates: Vec<(usize, Via)> = Vec::new();
        if let Some(hits) = self
            .by_trailer
            .get(&query.safeguard.to_string().to_ascii_lowercase())
        {
            candidates.extend(hits.iter().map(|&i| (i, Via::Trailer)));
        }
        if let Some(number) = query.issue {
            let mut keys = vec![ClosingRef::new(None, number)];
            if let Some(repo) = query.github_repo {
                keys.push(ClosingRef::new(Some(repo), number));
                // The issue's own URL, on this repository's GitHub host.
                let host = query.github_host.unwrap_or(message::DEFAULT_GITHUB_HOST);
                keys.push(ClosingRef::url(host, repo, number));
            }
            for key in &keys {
                if let Some(hits) = self.by_issue.get(key) {
                    candidates.extend(hits.iter().map(|&i| (i, Via::ClosingRef)));
                }
            }
        }
        let too_old = |i: usize, via: Via| {
            let time = self.matches[i].time;
            if query.not_before.is_some_and(|t| time < t) {
                Some(Predates::Incident)
            } else if via == Via::ClosingRef && query.issue_not_before.is_some_and(|t| time < t) {
                Some(Predates::Issue)
            } else {
                None
            }
        };
        let (mut candidates, stale): (Vec<_>, Vec<_>) = candidates
            .into_iter()
            .partition(|&(i, via)| too_old(i, via).is_none());
        candidates.sort_by(|(a, via_a), (b, via_b)| {
            let (a, b) = (&self.matches[*a], &self.matches[*b]);
            (a.time, via_a, a.commit).cmp(&(b.time, via_b, b.commit))
        });
        let evidence = |i: usize, via: Via| ShipEvidence {
            commit: commit_id(self.matches[i].commit),
            at: self.time_of(i),
            subject: self.matches[i].subject.clone(),
            via,
            pull_request: None,
        };
        if let Some(&(i, via)) = candidates
            .iter()
            .find(|(i, _)| self.live_revert_of(self.matches[*i].commit, 0).is_none())
        {
            return Some(Proof::Shipped(evidence(i, via)));
        }
        let Some(&(i, via)) = candidates.last() else {
            let &(i, via) = stale
                .iter()
                .max_by_key(|(i, via)| (self.matches[*i].time, *via, self.matches[*i].commit))?;
            return Some(Proof::Predates {
                seen: evidence(i, via),
                what: too_old(i, via)?,
            });
        };
        let by = self.live_revert_of(self.matches[i].commit, 0)?;
        Some(Proof::Reverted {
            shipped: evidence(i, via),
            by: CommitSeen {
                commit: commit_id(self.matches[by].commit),
                at: self.time_of(by),
                subject: self.matches[by].subject.clone(),
            },
        })
    }

    /// The oldest commit on the branch that reverts `commit` and was not
    /// itself reverted (a revert of the revert re-lands the change).
    fn live_revert_of(&self, commit: Oid, depth: usize) -> Option<usize> {
        // Revert chains are short; a bound keeps a crafted history cheap.
        const MAX_DEPTH: usize = 16;
        if depth > MAX_DEPTH {
            return None;
        }
        let mut reverts: Vec<usize> = self.reverted_by.get(&commit)?.clone();
        reverts.sort_by_key(|&r| (self.matches[r].time, self.matches[r].commit));
        reverts.into_iter().find(|&r| {
            self.live_revert_of(self.matches[r].commit, depth + 1)
                .is_none()
        })
    }

    /// The live revert of `commit` on the branch, when it was reverted.
    pub(crate) fn revert_of(&self, commit: &crate::model::CommitId) -> Option<CommitSeen> {
        let oid = Oid::from_str(commit.as_str()).ok()?;
        let by = self.live_revert_of(oid, 0)?;
        Some(CommitSeen {
            commit: commit_id(self.matches[by].commit),
            at: self.time_of(by),
            subject: self.matches[by].subject.clone(),
        })
    }

    fn time_of(&self, i: usize) -> Timestamp {
        let found = &self.matches[i];
        Timestamp::from_unix(found.time, found.offset_minutes)
            .or_else(|| Timestamp::from_unix(found.time, 0))
            .unwrap_or_else(Timestamp::epoch)
    }

    /// Every `Postmortem-Safeguard` trailer value on the branch, once, with
    /// the oldest commit that carries it.
    pub(crate) fn trailer_values(&self) -> Vec<(&str, CommitSeen)> {
        let mut values: Vec<(&str, CommitSeen)> = self
            .by_trailer
            .iter()
            .filter_map(|(key, hits)| {
                let &oldest = hits
                    .iter()
                    .min_by_key(|&&i| (self.matches[i].time, self.matches[i].commit))?;
                let found = &self.matches[oldest];
                let value = found
                    .trailers
                    .iter()
                    .find(|t| t.eq_ignore_ascii_case(key))?;
                let seen = CommitSeen {
                    commit: commit_id(found.commit),
                    at: self.time_of(oldest),
                    subject: found.subject.clone(),
                };
                Some((value.as_str(), seen))
            })
            .collect();
        values.sort_by(|a, b| (a.1.at, a.0).cmp(&(b.1.at, b.0)));
        values
    }
}

/// What [`ShipIndex::evidence`] is asked about.
pub(crate) struct ShipQuery<'a> {
    pub(crate) safeguard: &'a SafeguardRef,
    /// The safeguard's issue number, when `sync` recorded one.
    pub(crate) issue: Option<u64>,
    pub(crate) github_repo: Option<&'a str>,
    pub(crate) github_host: Option<&'a str>,
    /// Commits dated before this (seconds since the epoch) do not ship it:
    /// the incident, less the allowance for clock skew.
    pub(crate) not_before: Option<i64>,
    /// Closing references dated before this do not ship it: the issue's
    /// creation, less the allowance, once `sync` recorded it.
    pub(crate) issue_not_before: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(n: u8) -> Oid {
        Oid::from_bytes(&[n; 20]).expect("oid")
    }

    fn found(n: u8, time: i64, trailers: &[&str], closes: &[&str]) -> ShipMatch {
        ShipMatch {
            commit: oid(n),
            time,
            offset_minutes: 0,
            subject: format!("commit {n}"),
            trailers: trailers.iter().map(|s| s.to_string()).collect(),
            closes: closes.iter().map(|s| s.parse().expect("ref")).collect(),
            reverts: Vec::new(),
        }
    }

    /// The commit that ships `safeguard`, when one does.
    fn shipped_by(
        index: &ShipIndex,
        safeguard: &SafeguardRef,
        issue: Option<u64>,
        github_repo: Option<&str>,
        github_host: Option<&str>,
    ) -> Option<ShipEvidence> {
        let query = ShipQuery {
            safeguard,
            issue,
            github_repo,
            github_host,
            not_before: None,
            issue_not_before: None,
        };
        match index.evidence(&query)? {
            Proof::Shipped(evidence) => Some(evidence),
            Proof::Reverted { .. } | Proof::Predates { .. } => None,
        }
    }

    #[test]
    fn raw_commits_split_into_parents_committer_and_message() {
        let raw = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\
parent 0101010101010101010101010101010101010101\n\
parent 0202020202020202020202020202020202020202\n\
author A <a@b> 1 +0000\n\
committer C <c@d> 1700000000 -0130\n\
gpgsig -----BEGIN PGP SIGNATURE-----\n \n -----END PGP SIGNATURE-----\n\
\n\
Subject\n\nBody\n";
        let mut parents = Vec::new();
        let commit = parse_raw_commit(raw, &mut parents).expect("parses");
        assert_eq!(parents, [oid(1), oid(2)]);
        assert_eq!(parse_signature_time(commit.committer), (1_700_000_000, -90));
        assert_eq!(commit.message, b"Subject\n\nBody\n");
    }

    #[test]
    fn the_oldest_match_wins_whatever_the_order() {
        let s1 = SafeguardRef::new("2026-11-24-x", "S1");
        let index = ShipIndex::new(vec![
            found(3, 300, &["2026-11-24-x/S1"], &[]),
            found(1, 100, &[], &["#123"]),
            found(2, 200, &["2026-11-24-X/s1"], &[]),
        ]);
        let by_trailer = shipped_by(&index, &s1, None, None, None).expect("shipped");
        assert_eq!(
            (by_trailer.commit, by_trailer.via),
            (commit_id(oid(2)), Via::Trailer)
        );
        let with_issue = shipped_by(&index, &s1, Some(123), None, None).expect("shipped");
        assert_eq!(
            (with_issue.commit, with_issue.via),
            (commit_id(oid(1)), Via::ClosingRef)
        );
    }

    /// Whether the one reference `close` ships the safeguard whose issue is
    /// `number`, with `repo` and `host` known.
    fn closes(close: &str, number: u64, repo: Option<&str>, host: Option<&str>) -> bool {
        let index = ShipIndex::new(vec![found(1, 100, &[], &[close])]);
        let s1 = SafeguardRef::new("p", "S1");
        shipped_by(&index, &s1, Some(number), repo, host).is_some()
    }

    #[test]
    fn a_reference_closes_the_issue_of_its_repository_on_its_host() {
        assert!(closes("#7", 7, None, None));
        assert!(closes("#7", 7, Some("acme/shop"), Some("ghe.example")));
        assert!(!closes("#7", 8, Some("acme/shop"), None));

        assert!(closes("Acme/Shop#7", 7, Some("acme/SHOP"), None));
        assert!(closes(
            "Acme/Shop#7",
            7,
            Some("acme/shop"),
            Some("ghe.example")
        ));
        assert!(!closes("Acme/Shop#7", 7, Some("acme/other"), None));
        assert!(!closes("Acme/Shop#7", 7, None, None));

        let url = "https://GitHub.com/acme/shop/issues/7";
        assert!(closes(url, 7, Some("Acme/Shop"), None));
        assert!(closes(url, 7, Some("acme/shop"), Some("GITHUB.COM")));
        assert!(closes(
            url,
            7,
            Some("acme/shop"),
            Some("https://github.com/")
        ));
        assert!(!closes(url, 7, Some("acme/shop"), Some("ghe.example")));
        assert!(!closes(url, 7, Some("acme/other"), None));
        assert!(!closes(url, 7, None, None));
        assert!(!closes(url, 8, Some("acme/shop"), None));

        let enterprise = "https://ghe.example/acme/shop/issues/7";
        assert!(closes(
            enterprise,
            7,
            Some("acme/shop"),
            Some("GHE.example")
        ));
        assert!(!closes(enterprise, 7, Some("acme/shop"), None));
        assert!(!closes(
            enterprise,
            7,
            Some("acme/shop"),
            Some("github.com")
        ));
    }

    #[test]
    fn qualified_references_count_only_for_the_known_repository() {
        let s1 = SafeguardRef::new("p", "S1");
        let index = ShipIndex::new(vec![found(1, 100, &[], &["acme/shop#7", "other/lib#8"])]);
        assert!(shipped_by(&index, &s1, Some(7), None, None).is_none());
        assert!(shipped_by(&index, &s1, Some(7), Some("Acme/Shop"), None).is_some());
        assert!(shipped_by(&index, &s1, Some(8), Some("acme/shop"), None).is_none());
        assert!(shipped_by(&index, &s1, Some(12), Some("acme/shop"), None).is_none());
    }

    #[test]
    fn known_commits_merge_sorted_and_answer_by_binary_search() {
        let known = KnownCommits::default().with(&[oid(5), oid(1), oid(3), oid(3)]);
        assert!([1, 3, 5].iter().all(|&n| known.contains(oid(n))));
        assert!(!known.contains(oid(2)));
        let more = known.with(&[oid(4), oid(0), oid(9)]);
        assert!([0, 1, 3, 4, 5, 9].iter().all(|&n| more.contains(oid(n))));
        assert!(!more.contains(oid(7)));
        let bytes = more.as_bytes().to_vec();
        assert_eq!(bytes.len(), 6 * 20);
        let read = KnownCommits::from_sorted(&bytes).expect("sorted");
        assert!(read.contains(oid(9)));
        // Torn, unsorted or empty lists are refused.
        assert!(KnownCommits::from_sorted(&bytes[..30]).is_none());
        let mut swapped = bytes[20..40].to_vec();
        swapped.extend_from_slice(&bytes[..20]);
        assert!(KnownCommits::from_sorted(&swapped).is_none());
        assert!(KnownCommits::from_sorted(&[]).is_none());
    }
}
