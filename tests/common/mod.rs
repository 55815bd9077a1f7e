//! Hermetic test environment: a real git repository in a temporary
//! directory, built with git2 at fixed times, and the real binary run in it
//! with a cleared environment and a pinned clock.

#![allow(dead_code)]

pub mod fixtures;
pub mod github;
pub mod json_schema;
pub mod openapi;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use git2::{Oid, Repository, Signature, Time};
use tempfile::TempDir;

/// The clock every command sees unless a test says otherwise.
pub const NOW: &str = "2026-11-26T12:00:00Z";

/// Seconds since the epoch of the first test commit: 2026-11-26T00:00:00Z,
/// after every fixture's incident (less the allowance for clock skew) and
/// before [`NOW`]. Each commit is [`COMMIT_STEP`] seconds after the last.
pub const FIRST_COMMIT_TIME: i64 = 1_795_651_200;

/// Seconds between two test commits: a minute, so that hundreds of
/// commits stay before [`NOW`].
pub const COMMIT_STEP: i64 = 60;

pub struct TestRepo {
    pub dir: TempDir,
    pub repo: Repository,
    commits: std::cell::Cell<i64>,
}

impl TestRepo {
    /// An empty repository on `main` with one commit and `init` run.
    pub fn new() -> TestRepo {
        let repo = TestRepo::bare_work_tree();
        repo.commit_file("README", "hello\n", "Initial commit");
        repo.cmd().arg("init").assert().success();
        repo
    }

    /// A repository with one commit and no `.postmortem.toml`.
    pub fn without_config() -> TestRepo {
        let repo = TestRepo::bare_work_tree();
        repo.commit_file("README", "hello\n", "Initial commit");
        repo
    }

    fn bare_work_tree() -> TestRepo {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        let repo = Repository::init_opts(dir.path().join("work"), &opts).expect("git init");
        {
            let mut config = repo.config().expect("repo config");
            config
                .set_str("user.name", "Dana Author")
                .expect("set name");
            config
                .set_str("user.email", "dana@example.com")
                .expect("set email");
        }
        std::fs::create_dir_all(dir.path().join("home")).expect("home");
        TestRepo {
            dir,
            repo,
            commits: std::cell::Cell::new(0),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("work")
    }

    pub fn file(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.file(rel)).expect("read file")
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.file(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write file");
    }

    /// Write a postmortem file by id.
    pub fn write_postmortem(&self, id: &str, text: &str) -> String {
        let rel = format!("postmortems/{id}.toml");
        self.write(&rel, text);
        rel
    }

    fn signature(&self) -> Signature<'static> {
        let n = self.commits.get();
        self.commits.set(n + 1);
        Signature::new(
            "Dana Author",
            "dana@example.com",
            &Time::new(FIRST_COMMIT_TIME + n * COMMIT_STEP, 0),
        )
        .expect("signature")
    }

    /// Commit `text` to `rel` on the current branch; returns the oid.
    pub fn commit_file(&self, rel: &str, text: &str, message: &str) -> Oid {
        let sig = self.signature();
        self.commit_file_as(rel, text, message, &sig)
    }

    /// An empty commit (same tree as HEAD but for `log.txt`) with `message`,
    /// authored and committed at `at` (RFC 3339, its offset kept) instead
    /// of the next hour in the sequence.
    pub fn commit_at(&self, message: &str, at: &str) -> Oid {
        let when = chrono::DateTime::parse_from_rfc3339(at).expect("RFC 3339 time");
        let n = self.commits.get();
        self.commits.set(n + 1);
        let sig = Signature::new(
            "Dana Author",
            "dana@example.com",
            &Time::new(when.timestamp(), when.offset().local_minus_utc() / 60),
        )
        .expect("signature");
        self.commit_file_as("log.txt", &format!("{n}\n"), message, &sig)
    }

    fn commit_file_as(&self, rel: &str, text: &str, message: &str, sig: &Signature<'_>) -> Oid {
        self.write(rel, text);
        let mut index = self.repo.index().expect("index");
        index.add_path(Path::new(rel)).expect("add");
        index.write().expect("write index");
        let tree = self
            .repo
            .find_tree(index.write_tree().expect("tree"))
            .expect("tree");
        let parents: Vec<git2::Commit> = match self.repo.head() {
            Ok(head) => vec![head.peel_to_commit().expect("head commit")],
            Err(_) => vec![],
        };
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        self.repo
            .commit(Some("HEAD"), sig, sig, message, &tree, &parents)
            .expect("commit")
    }

    /// Commit every file of the work tree, as `git add -A && git commit`.
    pub fn commit_all(&self, message: &str) -> Oid {
        let mut index = self.repo.index().expect("index");
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .expect("add all");
        index.update_all(["*"], None).expect("stage removals");
        index.write().expect("write index");
        let tree = self
            .repo
            .find_tree(index.write_tree().expect("tree"))
            .expect("tree");
        let sig = self.signature();
        let head = self
            .repo
            .head()
            .expect("head")
            .peel_to_commit()
            .expect("head commit");
        self.repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &[&head])
            .expect("commit")
    }

    /// Create branch `name` at HEAD and switch to it (the work tree is
    /// already HEAD's).
    pub fn branch(&self, name: &str) {
        let head = self
            .repo
            .head()
            .expect("head")
            .peel_to_commit()
            .expect("head commit");
        self.repo.branch(name, &head, false).expect("branch");
        self.repo
            .set_head(&format!("refs/heads/{name}"))
            .expect("switch branch");
    }

    /// Switch HEAD, the index and the work tree to branch `name`, as
    /// `git switch` does (untracked files stay).
    pub fn switch(&self, name: &str) {
        self.repo
            .set_head(&format!("refs/heads/{name}"))
            .expect("switch branch");
        let mut checkout = git2::build::CheckoutBuilder::new();
        checkout.force();
        self.repo
            .checkout_head(Some(&mut checkout))
            .expect("checkout");
    }

    /// An empty commit (same tree as HEAD) with `message`.
    pub fn commit(&self, message: &str) -> Oid {
        let n = self.commits.get();
        self.commit_file("log.txt", &format!("{n}\n"), message)
    }

    /// An empty commit on `branch` (created from HEAD when missing),
    /// leaving HEAD, the index and the work tree alone.
    pub fn commit_on(&self, branch: &str, message: &str) -> Oid {
        let refname = format!("refs/heads/{branch}");
        let parent = match self.repo.find_reference(&refname) {
            Ok(r) => r.peel_to_commit().expect("branch commit"),
            Err(_) => self
                .repo
                .head()
                .expect("head")
                .peel_to_commit()
                .expect("head commit"),
        };
        let tree = parent.tree().expect("tree");
        let sig = self.signature();
        self.repo
            .commit(Some(&refname), &sig, &sig, message, &tree, &[&parent])
            .expect("commit on branch")
    }

    /// A merge commit on HEAD of `branch`, keeping HEAD's tree.
    pub fn merge(&self, branch: &str, message: &str) -> Oid {
        let head = self
            .repo
            .head()
            .expect("head")
            .peel_to_commit()
            .expect("head commit");
        let other = self
            .repo
            .find_reference(&format!("refs/heads/{branch}"))
            .expect("branch")
            .peel_to_commit()
            .expect("branch commit");
        let tree = head.tree().expect("tree");
        let sig = self.signature();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &[&head, &other])
            .expect("merge commit")
    }

    /// Point `branch` at `oid`, as a force-push or `reset --hard` would.
    pub fn set_branch(&self, branch: &str, oid: Oid) {
        self.repo
            .reference(
                &format!("refs/heads/{branch}"),
                oid,
                true,
                "test: move branch",
            )
            .expect("move branch");
    }

    /// The ship cache's path.
    pub fn ship_cache(&self) -> PathBuf {
        self.path().join(".git/postmortem/ship-cache.json")
    }

    pub fn tag(&self, name: &str, oid: Oid) {
        let object = self.repo.find_object(oid, None).expect("object");
        self.repo
            .tag_lightweight(name, &object, false)
            .expect("tag");
    }

    /// `program`, to run in the work tree with a hermetic environment:
    /// no user or system git config, a temporary HOME, a pinned clock.
    pub fn hermetic(&self, program: impl AsRef<std::ffi::OsStr>) -> std::process::Command {
        let mut cmd = std::process::Command::new(program);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path().join("home"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_POSTMORTEM_NOW", NOW)
            .env("NO_COLOR", "1")
            .current_dir(self.path());
        cmd
    }

    /// The binary, run in the work tree with a hermetic environment.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.hermetic(assert_cmd::cargo::cargo_bin("git-postmortem")))
    }

    /// Run with `args`; (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let output = self.cmd().args(args).output().expect("run binary");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8(output.stdout).expect("utf-8 stdout"),
            String::from_utf8(output.stderr).expect("utf-8 stderr"),
        )
    }

    /// Run with `args` and extra environment variables.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
        let mut cmd = self.cmd();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let output = cmd.args(args).output().expect("run binary");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8(output.stdout).expect("utf-8 stdout"),
            String::from_utf8(output.stderr).expect("utf-8 stderr"),
        )
    }

    /// Every file under `postmortems/` with its bytes, to prove that a
    /// failed command changed nothing.
    pub fn snapshot_files(&self) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        for dir in [self.path(), self.file("postmortems")] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                if entry.path().is_file() {
                    files.push((
                        entry.path().display().to_string(),
                        std::fs::read(entry.path()).expect("read"),
                    ));
                }
            }
        }
        files.sort();
        files
    }
}

impl TestRepo {
    /// A repository holding the complete checkout postmortem
    /// (`fixtures::CHECKOUT`), its trigger commit real: lint-clean, S1 due
    /// 2026-12-15 with issue 123, S2 due 2026-12-01 (tables on lines 52 and
    /// 61). Returns the repository and the file's text.
    pub fn with_checkout() -> (TestRepo, String) {
        let repo = TestRepo::new();
        let trigger = repo.commit("Read pool size from DB_POOL_MAX");
        let text = fixtures::CHECKOUT.replace("{TRIGGER}", &trigger.to_string());
        repo.write_postmortem(fixtures::CHECKOUT_ID, &text);
        (repo, text)
    }

    /// Rewrite the checkout postmortem as `text` with its first `from`
    /// replaced by `to`.
    pub fn replace_in_checkout(&self, text: &str, from: &str, to: &str) {
        assert!(text.contains(from), "fixture lacks {from:?}");
        self.write_postmortem(fixtures::CHECKOUT_ID, &text.replacen(from, to, 1));
    }
}

/// `text` with `insert` added right after the only occurrence of `after`.
/// `PATH` with `dir` first, so a test finds its own `git-postmortem` (or a
/// fake of a tool) before anything installed.
pub fn path_with(dir: &std::path::Path) -> String {
    format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

pub fn inserted(text: &str, after: &str, insert: &str) -> String {
    assert_eq!(text.matches(after).count(), 1, "{after:?} must be unique");
    text.replacen(after, &format!("{after}{insert}"), 1)
}

/// A transcript of a run for snapshots: exit code, stdout, stderr.
pub fn transcript((code, stdout, stderr): &(i32, String, String)) -> String {
    format!("exit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}")
}
