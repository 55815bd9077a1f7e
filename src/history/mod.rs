//! Everything read from git, and the only module that uses git2: the
//! repository and its work tree ([`Repo`]), revisions resolved to commits,
//! the default branch, commit details for rendering, the files a commit
//! touched, the trees a review compares, and the shipped-safeguard scan
//! ([`scan`]) with its cache ([`cache`]).
//!
//! Outside this module commits are [`CommitId`]s; every git error is
//! turned into [`Error::Git`] naming the object and what was being done.

pub(crate) mod cache;
pub(crate) mod message;
pub(crate) mod scan;

use std::path::{Path, PathBuf};

use git2::{Delta, DiffFindOptions, DiffOptions, Oid, Repository};

use crate::error::{Error, Result};
use crate::model::{CommitId, CommitInfo, CommitLookup};

/// A git repository with a work tree.
pub(crate) struct Repo {
    repo: Repository,
    root: PathBuf,
}

/// `what` failed in git: the error that says so.
fn git(what: impl Into<String>) -> impl FnOnce(git2::Error) -> Error {
    let what = what.into();
    move |e| Error::Git {
        what,
        message: e.message().to_string(),
    }
}

/// Objects git would read from `GIT_OBJECT_DIRECTORY` and
/// `GIT_ALTERNATE_OBJECT_DIRECTORIES` (as in a quarantined push), read as
/// alternates of the repository's own.
fn add_object_directories_from_env(repo: &Repository, cwd: &Path) -> Result<()> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os("GIT_OBJECT_DIRECTORY").filter(|v| !v.is_empty()) {
        dirs.push(cwd.join(dir));
    }
    if let Some(list) = std::env::var_os("GIT_ALTERNATE_OBJECT_DIRECTORIES") {
        dirs.extend(std::env::split_paths(&list).map(|d| cwd.join(d)));
    }
    if dirs.is_empty() {
        return Ok(());
    }
    let odb = repo.odb().map_err(git("opening the object database"))?;
    for dir in dirs {
        let shown = dir.display().to_string();
        odb.add_disk_alternate(&dir.to_string_lossy())
            .map_err(git(format!("reading objects from {shown}")))?;
    }
    Ok(())
}

/// Why the repository around `cwd` (or at `git_dir`) could not be opened:
/// none there, one with SHA-256 object ids, which libgit2 cannot read, or
/// what git2 said.
fn open_error(cwd: &Path, git_dir: Option<&Path>, error: &git2::Error) -> Error {
    let candidates: Vec<PathBuf> = match git_dir {
        Some(dir) => vec![dir.to_path_buf()],
        None => cwd.ancestors().map(|d| d.join(".git")).collect(),
    };
    if let Some(found) = candidates.iter().find_map(|c| sha256_repository(c)) {
        return Error::Sha256Repository { path: found };
    }
    if error.code() == git2::ErrorCode::NotFound {
        return Error::NotARepository {
            path: git_dir.unwrap_or(cwd).to_path_buf(),
        };
    }
    Error::Git {
        what: format!(
            "opening the repository at {}",
            git_dir.unwrap_or(cwd).display()
        ),
        message: error.message().to_string(),
    }
}

/// The repository at `dot_git` (a git directory, or a `.git` file pointing
/// at one) when its config says `extensions.objectformat = sha256`.
fn sha256_repository(dot_git: &Path) -> Option<PathBuf> {
    let git_dir = if dot_git.is_file() {
        let text = std::fs::read_to_string(dot_git).ok()?;
        let target = text.trim().strip_prefix("gitdir:")?.trim();
        dot_git.parent()?.join(target)
    } else if dot_git.is_dir() {
        dot_git.to_path_buf()
    } else {
        return None;
    };
    // A linked worktree's config is its repository's (`commondir`).
    let common = std::fs::read_to_string(git_dir.join("commondir"))
        .map(|c| git_dir.join(c.trim()))
        .unwrap_or_else(|_| git_dir.clone());
    let config = git2::Config::open(&common.join("config")).ok()?;
    let format = config.get_string("extensions.objectformat").ok()?;
    format
        .eq_ignore_ascii_case("sha256")
        .then(|| dot_git.parent().map_or(git_dir.clone(), Path::to_path_buf))
}

/// A git2 object id as the model's commit id.
pub(crate) fn commit_id(oid: Oid) -> CommitId {
    CommitId::from_hex(&oid.to_string()).unwrap_or_else(|| unreachable!("git2 oids are hex"))
}

fn oid(id: &CommitId) -> Result<Oid> {
    Oid::from_str(id.as_str()).map_err(git(format!("reading the object id {id}")))
}

/// The branch "shipped" is measured against, resolved to its tip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Branch {
    /// The name as the user knows it: `main`, `origin/main`.
    pub(crate) name: String,
    /// The full reference name, which keys the ship cache.
    pub(crate) refname: String,
    pub(crate) tip: CommitId,
}

/// A postmortem file a branch touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ChangedFile {
    pub(crate) change: FileChange,
    /// Path from the repository root, with `/`: at the head, or at the
    /// base for a removed file.
    pub(crate) path: String,
}

/// What [`Repo::regular_file_at`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TreeFile {
    /// Nothing at the path.
    Missing,
    /// A regular file's bytes.
    Regular(Vec<u8>),
    /// Something else, or something else on the way, as in "the file is
    /// a symbolic link".
    Refused(String),
}

/// The kind bits of a tree entry's file mode, and the kinds.
const MODE_KIND: i32 = 0o170000;
const MODE_TREE: i32 = 0o040000;
const MODE_FILE: i32 = 0o100000;
const MODE_LINK: i32 = 0o120000;
const MODE_COMMIT: i32 = 0o160000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileChange {
    Added,
    Modified,
    Renamed { from: String },
    Removed,
}

impl Repo {
    /// Open the repository around `cwd` and find its work tree as git does
    /// (`git rev-parse --show-toplevel`): `GIT_DIR` names the repository
    /// (relative to `cwd`) and turns discovery off; `GIT_WORK_TREE` names
    /// the work tree (relative to `cwd`), else `core.worktree`, else, with
    /// `GIT_DIR`, `cwd` itself; discovery stops at
    /// `GIT_CEILING_DIRECTORIES` and, unless
    /// `GIT_DISCOVERY_ACROSS_FILESYSTEM`, at a file system boundary.
    pub(crate) fn open(cwd: &Path) -> Result<Repo> {
        let env_path = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(|v| cwd.join(v))
        };
        let git_dir = env_path("GIT_DIR");
        let work_tree = env_path("GIT_WORK_TREE");
        let opened = match &git_dir {
            Some(dir) => Repository::open_ext(
                dir,
                git2::RepositoryOpenFlags::NO_SEARCH | git2::RepositoryOpenFlags::NO_DOTGIT,
                std::iter::empty::<&std::ffi::OsStr>(),
            ),
            None => {
                let ceilings: Vec<PathBuf> = std::env::var_os("GIT_CEILING_DIRECTORIES")
                    .map(|v| {
                        std::env::split_paths(&v)
                            .filter(|p| p.is_absolute())
                            .collect()
                    })
                    .unwrap_or_default();
                let mut flags = git2::RepositoryOpenFlags::empty();
                if std::env::var("GIT_DISCOVERY_ACROSS_FILESYSTEM").is_ok_and(|v| {
                    matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")
                }) {
                    flags |= git2::RepositoryOpenFlags::CROSS_FS;
                }
                Repository::open_ext(cwd, flags, &ceilings)
            }
        };
        let repo = opened.map_err(|e| open_error(cwd, git_dir.as_deref(), &e))?;
        add_object_directories_from_env(&repo, cwd)?;
        let configured_work_tree = repo
            .config()
            .and_then(|c| c.get_string("core.worktree"))
            .is_ok();
        let root = match (work_tree, &git_dir) {
            (Some(tree), _) => Some(tree),
            (None, Some(_)) if !configured_work_tree && !repo.is_bare() => Some(cwd.to_path_buf()),
            (None, _) => repo.workdir().map(Path::to_path_buf),
        };
        let Some(root) = root else {
            return Err(Error::BareRepository {
                path: repo.path().to_path_buf(),
            });
        };
        let root = root.canonicalize().map_err(|e| Error::Git {
            what: format!("reading the work tree {}", root.display()),
            message: e.to_string(),
        })?;
        if repo.workdir() != Some(root.as_path()) {
            repo.set_workdir(&root, false)
                .map_err(git(format!("using {} as the work tree", root.display())))?;
        }
        Ok(Repo { repo, root })
    }

    /// The top of the work tree.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// This work tree's git directory (`.git`, or a worktree's own).
    pub(crate) fn git_dir(&self) -> &Path {
        self.repo.path()
    }

    /// A string from git's configuration (`user.name`, `core.editor`).
    pub(crate) fn config_string(&self, key: &str) -> Option<String> {
        self.repo.config().and_then(|c| c.get_string(key)).ok()
    }

    /// Every value of a multi-valued git config key, in the order git
    /// reads them (system, global, then the repository's); none when it is
    /// unset.
    pub(crate) fn config_strings(&self, key: &str) -> Vec<String> {
        let mut values = Vec::new();
        let Ok(config) = self.repo.config() else {
            return values;
        };
        if let Ok(entries) = config.multivar(key, None) {
            let _ = entries.for_each(|entry| {
                if let Ok(value) = entry.value() {
                    values.push(value.to_string());
                }
            });
        }
        values
    }

    /// How this repository's commit messages are read: its comment string
    /// (`core.commentChar` or `core.commentString`, `#` by default).
    pub(crate) fn message_options(&self) -> message::ParseOptions {
        scan::parse_options(&self.repo)
    }

    /// Where git runs hooks from: `core.hooksPath` (a relative one from the
    /// top of the work tree, as git runs hooks there), else `hooks/` in the
    /// git directory every worktree shares.
    pub(crate) fn hooks_dir(&self) -> PathBuf {
        let configured = self
            .repo
            .config()
            .and_then(|c| c.get_path("core.hooksPath"))
            .ok();
        match configured {
            Some(path) if path.is_absolute() => path,
            Some(path) => self.root.join(path),
            None => self.repo.commondir().join("hooks"),
        }
    }

    /// The URL of the `origin` remote.
    pub(crate) fn origin_url(&self) -> Option<String> {
        let remote = self.repo.find_remote("origin").ok()?;
        remote.url().ok().map(String::from)
    }

    /// Resolve any revision git understands (`HEAD~3`, a tag, a short oid)
    /// to the commit it names.
    pub(crate) fn resolve_commit(&self, rev: &str) -> Result<CommitId> {
        self.resolve_oid(rev).map(commit_id)
    }

    fn resolve_oid(&self, rev: &str) -> Result<Oid> {
        let bad = |e: git2::Error| Error::BadRevision {
            rev: rev.into(),
            message: e.message().to_string(),
        };
        let object = self.repo.revparse_single(rev).map_err(bad)?;
        Ok(object.peel_to_commit().map_err(bad)?.id())
    }

    pub(crate) fn commit_info(&self, id: &CommitId) -> Result<CommitInfo> {
        self.commit_info_of(oid(id)?)
    }

    fn commit_info_of(&self, oid: Oid) -> Result<CommitInfo> {
        let commit = self
            .repo
            .find_commit(oid)
            .map_err(git(format!("reading commit {oid}")))?;
        let author = commit.author();
        let time = commit.time();
        let date = crate::model::Timestamp::from_unix(time.seconds(), time.offset_minutes())
            .map(|t| t.to_string())
            .unwrap_or_default();
        Ok(CommitInfo {
            oid: oid.to_string(),
            short: self.short_oid_of(oid),
            subject: commit
                .summary_bytes()
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default(),
            author: author.name().unwrap_or("").to_string(),
            date,
        })
    }

    /// The shortest unique abbreviation, at least 7 characters, like git.
    pub(crate) fn short_oid(&self, id: &CommitId) -> String {
        match oid(id) {
            Ok(oid) => self.short_oid_of(oid),
            Err(_) => id.as_str().chars().take(7).collect(),
        }
    }

    /// Asks the object database's indexes whether a prefix is unique,
    /// without reading the object (which `git_object_short_id` does).
    fn short_oid_of(&self, oid: Oid) -> String {
        let hex = oid.to_string();
        let Ok(odb) = self.repo.odb() else {
            return hex[..7].to_string();
        };
        for len in 7..hex.len() {
            let Ok(prefix) = Oid::from_str(&hex[..len]) else {
                break;
            };
            match odb.exists_prefix(prefix, len) {
                Ok(_) => return hex[..len].to_string(),
                Err(e) if e.code() == git2::ErrorCode::Ambiguous => continue,
                Err(_) => break,
            }
        }
        hex[..7].to_string()
    }

    /// The commits in `A..B` (reachable from B, not from A), newest first.
    pub(crate) fn range_commits(&self, range: &str, limit: usize) -> Result<Vec<CommitInfo>> {
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
        let from = self.resolve_oid(if from.is_empty() { "HEAD" } else { from })?;
        let to = self.resolve_oid(to)?;
        let walking = || git(format!("walking {range}"));
        let mut walk = self.repo.revwalk().map_err(walking())?;
        walk.push(to)
            .and_then(|()| walk.hide(from))
            .and_then(|()| walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME))
            .map_err(walking())?;
        walk.take(limit)
            .map(|oid| self.commit_info_of(oid.map_err(walking())?))
            .collect()
    }

    /// The paths a commit changed against its first parent (or, for a root
    /// commit, everything it added), sorted and without duplicates.
    pub(crate) fn touched_files(&self, id: &CommitId) -> Result<Vec<String>> {
        let oid = oid(id)?;
        let diffing = || git(format!("diffing commit {oid} against its parent"));
        let commit = self.repo.find_commit(oid).map_err(diffing())?;
        let tree = commit.tree().map_err(diffing())?;
        let parent_tree = match commit.parent(0) {
            Ok(parent) => Some(parent.tree().map_err(diffing())?),
            Err(_) => None,
        };
        let diff = self
            .repo
            .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), None)
            .map_err(diffing())?;
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

    /// The default branch (SPEC 2.1): `--branch`, else `default_branch` from
    /// the config, else what `origin/HEAD` points at, else `main`, else
    /// `master`. A name given by the user that does not resolve is an error
    /// rather than a reason to fall back.
    pub(crate) fn resolve_branch(
        &self,
        flag: Option<&str>,
        configured: Option<&str>,
    ) -> Result<Branch> {
        if let Some(name) = flag {
            return self.named_branch(name, "--branch");
        }
        if let Some(name) = configured {
            return self.named_branch(name, "default_branch in .postmortem.toml");
        }
        if let Some(branch) = self.origin_head() {
            return Ok(branch);
        }
        for name in ["main", "master"] {
            match self.named_branch(name, "the default") {
                Ok(branch) => return Ok(branch),
                Err(Error::UnknownBranch { .. }) => continue,
                Err(other) => return Err(other),
            }
        }
        Err(Error::NoDefaultBranch {
            tried: "origin/HEAD, main, master".into(),
        })
    }

    /// A branch by name, never a tag: `main` is `refs/heads/main`, else
    /// `refs/remotes/origin/main` (a CI checkout often has no local
    /// branch); `origin/main` is `refs/remotes/origin/main`; a full name
    /// must be under `refs/heads/` or `refs/remotes/`. git's own short-name
    /// lookup tries tags before branches, so a tag named like the branch
    /// would be measured instead; this lookup never looks at tags. A name
    /// that two branches answer to is refused.
    fn named_branch(&self, name: &str, from: &'static str) -> Result<Branch> {
        let unknown = || Error::UnknownBranch {
            name: name.into(),
            from,
        };
        let candidates: Vec<String> = if name.starts_with("refs/") {
            if !(name.starts_with("refs/heads/") || name.starts_with("refs/remotes/")) {
                return Err(unknown());
            }
            vec![name.to_string()]
        } else {
            vec![format!("refs/heads/{name}"), format!("refs/remotes/{name}")]
        };
        let mut found: Vec<git2::Reference<'_>> = candidates
            .iter()
            .filter_map(|refname| self.repo.find_reference(refname).ok())
            .collect();
        let (reference, shown) = match found.len() {
            0 if !name.starts_with("refs/") => (
                self.repo
                    .find_reference(&format!("refs/remotes/origin/{name}"))
                    .map_err(|_| unknown())?,
                format!("origin/{name}"),
            ),
            0 => return Err(unknown()),
            1 => (found.remove(0), name.to_string()),
            _ => {
                return Err(Error::AmbiguousBranch {
                    name: name.into(),
                    from,
                    candidates: found
                        .iter()
                        .filter_map(|r| r.name().ok().map(String::from))
                        .collect(),
                })
            }
        };
        let refname = reference.name().map_err(|_| unknown())?.to_string();
        let tip = reference.peel_to_commit().map_err(|_| unknown())?.id();
        Ok(Branch {
            name: shown,
            refname,
            tip: commit_id(tip),
        })
    }

    fn origin_head(&self) -> Option<Branch> {
        let head = self.repo.find_reference("refs/remotes/origin/HEAD").ok()?;
        let target = head.symbolic_target().ok()??.to_string();
        // Only a remote-tracking branch, never a tag.
        if !target.starts_with("refs/remotes/") {
            return None;
        }
        let reference = self.repo.find_reference(&target).ok()?;
        let tip = commit_id(reference.peel_to_commit().ok()?.id());
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

    /// Whether `commit` is in the history of `tip` (`tip` itself
    /// included), with its committer time and subject when it is. `None`
    /// when it is not, or when this clone does not have it.
    pub(crate) fn reachable_commit(
        &self,
        tip: &CommitId,
        commit: &CommitId,
    ) -> Option<(crate::model::Timestamp, String)> {
        let (tip, wanted) = (oid(tip).ok()?, oid(commit).ok()?);
        let found = self.repo.find_commit(wanted).ok()?;
        if tip != wanted && !self.repo.graph_descendant_of(tip, wanted).ok()? {
            return None;
        }
        let time = found.time();
        let at = crate::model::Timestamp::from_unix(time.seconds(), time.offset_minutes())
            .or_else(|| crate::model::Timestamp::from_unix(time.seconds(), 0))?;
        let subject = found
            .summary_bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        Some((at, subject))
    }

    /// The index of every ship match on `branch`, through the ship cache.
    pub(crate) fn ship_index(&self, branch: &Branch, since: Option<i64>) -> Result<cache::Scanned> {
        let tip = oid(&branch.tip)?;
        cache::ship_index(&self.repo, &branch.refname, tip, since)
            .map_err(git(format!("scanning the history of {}", branch.name)))
    }

    /// The merge base of two commits, for a review; `None` when they share
    /// no history (a shallow clone, unrelated branches), with git's reason.
    pub(crate) fn merge_base(&self, a: &CommitId, b: &CommitId) -> Result<CommitId, String> {
        let (a, b) = (
            oid(a).map_err(|e| e.to_string())?,
            oid(b).map_err(|e| e.to_string())?,
        );
        self.repo
            .merge_base(a, b)
            .map(commit_id)
            .map_err(|e| e.message().to_string())
    }

    /// The postmortem files (`*.toml` directly in `dir`) that differ
    /// between two commits' trees, in path order, with renames detected.
    pub(crate) fn changed_files(
        &self,
        dir: &str,
        base: &CommitId,
        head: &CommitId,
    ) -> Result<Vec<ChangedFile>> {
        let diffing = || git(format!("comparing {dir}/ between {base} and {head}"));
        let tree = |id: &CommitId| -> Result<git2::Tree<'_>> {
            self.repo
                .find_commit(oid(id)?)
                .and_then(|c| c.tree())
                .map_err(diffing())
        };
        let (base_tree, head_tree) = (tree(base)?, tree(head)?);
        let mut options = DiffOptions::new();
        options.pathspec(dir);
        let mut delta_list = self
            .repo
            .diff_tree_to_tree(Some(&base_tree), Some(&head_tree), Some(&mut options))
            .map_err(diffing())?;
        delta_list
            .find_similar(Some(DiffFindOptions::new().renames(true)))
            .map_err(diffing())?;
        let is_postmortem = |p: Option<&Path>| {
            p.is_some_and(|p| {
                p.parent() == Some(Path::new(dir)) && p.extension().is_some_and(|e| e == "toml")
            })
        };
        let shown = |p: Option<&Path>| {
            p.map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default()
        };
        let mut files = Vec::new();
        for delta in delta_list.deltas() {
            let (old, new) = (delta.old_file().path(), delta.new_file().path());
            let change = match delta.status() {
                Delta::Added | Delta::Copied if is_postmortem(new) => FileChange::Added,
                Delta::Modified | Delta::Typechange if is_postmortem(new) => FileChange::Modified,
                Delta::Deleted if is_postmortem(old) => FileChange::Removed,
                Delta::Renamed => match (is_postmortem(old), is_postmortem(new)) {
                    (true, true) => FileChange::Renamed { from: shown(old) },
                    (false, true) => FileChange::Added,
                    (true, false) => FileChange::Removed,
                    (false, false) => continue,
                },
                _ => continue,
            };
            let path = match change {
                FileChange::Removed => shown(old),
                _ => shown(new),
            };
            files.push(ChangedFile { change, path });
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// The bytes of `path` in `commit`'s tree, if it is there. Bytes, not
    /// text: whether they are UTF-8 is the schema's finding to make.
    pub(crate) fn read_file_at(&self, commit: &CommitId, path: &str) -> Result<Option<Vec<u8>>> {
        let reading = || git(format!("reading {path} at {commit}"));
        let tree = self
            .repo
            .find_commit(oid(commit)?)
            .and_then(|c| c.tree())
            .map_err(reading())?;
        let entry = match tree.get_path(Path::new(path)) {
            Ok(entry) => entry,
            Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(reading()(e)),
        };
        let blob = entry
            .to_object(&self.repo)
            .and_then(|o| o.peel_to_blob())
            .map_err(reading())?;
        Ok(Some(blob.content().to_vec()))
    }

    /// The bytes of `path` in `commit`'s tree if it is a regular file there,
    /// reached through directories only: a symbolic link or a submodule at
    /// `path` or on the way to it, or a directory at `path`, is
    /// [`TreeFile::Refused`].
    pub(crate) fn regular_file_at(&self, commit: &CommitId, path: &str) -> Result<TreeFile> {
        let reading = || git(format!("reading {path} at {commit}"));
        let mut tree = self
            .repo
            .find_commit(oid(commit)?)
            .and_then(|c| c.tree())
            .map_err(reading())?;
        let parts: Vec<&str> = path.split('/').collect();
        for (i, part) in parts.iter().enumerate() {
            let Some(entry) = tree.get_name(part).map(|e| e.to_owned()) else {
                return Ok(TreeFile::Missing);
            };
            let last = i + 1 == parts.len();
            let what = if last {
                "the file".to_string()
            } else {
                format!("`{}/`", parts[..=i].join("/"))
            };
            let refused = |kind: &str| Ok(TreeFile::Refused(format!("{what} is {kind}")));
            match (entry.filemode() & MODE_KIND, last) {
                (MODE_TREE, false) => {
                    tree = entry
                        .to_object(&self.repo)
                        .and_then(|o| o.peel_to_tree())
                        .map_err(reading())?;
                }
                (MODE_FILE, true) => {
                    let blob = entry
                        .to_object(&self.repo)
                        .and_then(|o| o.peel_to_blob())
                        .map_err(reading())?;
                    return Ok(TreeFile::Regular(blob.content().to_vec()));
                }
                (MODE_LINK, _) => return refused("a symbolic link"),
                (MODE_COMMIT, _) => return refused("a submodule"),
                (MODE_TREE, true) => return refused("a directory"),
                _ if last => return refused("not a regular file"),
                _ => return Ok(TreeFile::Missing),
            }
        }
        Ok(TreeFile::Missing)
    }

    /// Whether the work tree has changes under `dir` that HEAD lacks
    /// (untracked files included).
    pub(crate) fn has_uncommitted_changes(&self, dir: &str) -> bool {
        let mut options = git2::StatusOptions::new();
        options
            .pathspec(dir)
            .include_untracked(true)
            .recurse_untracked_dirs(true);
        self.repo
            .statuses(Some(&mut options))
            .is_ok_and(|statuses| {
                statuses
                    .iter()
                    .any(|s| !s.status().is_ignored() && !s.status().is_empty())
            })
    }
}

impl CommitLookup for Repo {
    fn has_commit(&self, rev: &str) -> bool {
        self.resolve_oid(rev).is_ok()
    }
}
