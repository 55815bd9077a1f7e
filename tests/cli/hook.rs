//! `hook install`: a `commit-msg` hook that makes `git commit` refuse a
//! `Postmortem-Safeguard` trailer naming no safeguard, driven through real
//! `git commit`s; and the hidden `hook check-message` it runs.
#![cfg(unix)]

use std::path::{Path, PathBuf};

use crate::common::fixtures::CHECKOUT_ID;
use crate::common::TestRepo;

const HOOK_MARKER: &str = "# git-postmortem commit-msg hook";

/// `git` in the work tree, hermetic, with the binary under test on PATH so
/// that the hook's `git postmortem` finds it.
fn git(repo: &TestRepo, dir: &Path, args: &[&str]) -> (bool, String, String) {
    let bin = assert_cmd::cargo::cargo_bin("git-postmortem");
    let bin_dir = bin.parent().expect("binary directory");
    let output = repo
        .hermetic("git")
        .current_dir(dir)
        .args(args)
        .env("PATH", crate::common::path_with(bin_dir))
        .output()
        .expect("run git");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn head(repo: &TestRepo) -> git2::Oid {
    repo.repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .map(|c| c.id())
        .expect("HEAD")
}

fn commit_with_trailer(repo: &TestRepo, trailer: &str) -> (bool, String, String) {
    git(
        repo,
        &repo.path(),
        &[
            "commit",
            "--allow-empty",
            "-q",
            "-m",
            "Alert on checkout 5xx",
            "-m",
            &format!("Postmortem-Safeguard: {trailer}"),
        ],
    )
}

fn installed(repo: &TestRepo) -> PathBuf {
    let (code, stdout, stderr) = repo.run(&["hook", "install"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "installed the commit-msg hook: .git/hooks/commit-msg\n"
    );
    repo.file(".git/hooks/commit-msg")
}

#[test]
fn git_commit_refuses_a_trailer_naming_no_safeguard_and_suggests_the_closest() {
    let (repo, _) = TestRepo::with_checkout();
    let hook = installed(&repo);
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&hook).expect("hook").permissions(),
    );
    assert_eq!(mode & 0o111, 0o111, "{mode:o}");
    let before = head(&repo);

    let (ok, _, stderr) = commit_with_trailer(&repo, "2026-11-20-checkout-500/S2");
    assert!(!ok, "the commit went through: {stderr}");
    assert!(
        stderr.contains(
            "error: commit message: Postmortem-Safeguard: 2026-11-20-checkout-500/S2 names no safeguard (did you mean 2026-11-20-checkout-500s/S2?)\n"
        ),
        "{stderr}"
    );
    assert_eq!(head(&repo), before);

    let (ok, _, stderr) = commit_with_trailer(&repo, "2026-11-20-checkout-500s/S7");
    assert!(!ok, "the commit went through: {stderr}");
    assert!(
        stderr.contains("2026-11-20-checkout-500s/S7 names no safeguard (did you mean 2026-11-20-checkout-500s/S1?)"),
        "{stderr}"
    );

    let (ok, _, stderr) = commit_with_trailer(&repo, "elsewhere/S1");
    assert!(!ok, "the commit went through: {stderr}");
    assert!(
        stderr.contains(
            "error: commit message: Postmortem-Safeguard: elsewhere/S1 names no safeguard\n"
        ),
        "{stderr}"
    );
    assert_eq!(head(&repo), before);

    // References compare case-insensitively, as the history scan reads them.
    let (ok, _, stderr) = commit_with_trailer(&repo, &format!("{CHECKOUT_ID}/s2"));
    assert!(ok, "{stderr}");
    assert_ne!(head(&repo), before);

    let (ok, _, stderr) = git(
        &repo,
        &repo.path(),
        &["commit", "--allow-empty", "-q", "-m", "Tidy the README"],
    );
    assert!(ok, "{stderr}");
}

#[test]
fn check_message_reads_the_message_as_git_commit_records_it() {
    let (repo, _) = TestRepo::with_checkout();
    let typo = "2026-11-20-checkout-500s/S9";

    // Below the scissors line is the diff of `git commit -v`: not the message.
    let scissors = "# ------------------------ >8 ------------------------";
    repo.write(
        "MSG",
        &format!("Subject\n\nPostmortem-Safeguard: {CHECKOUT_ID}/S1\n{scissors}\n\nPostmortem-Safeguard: {typo}\n"),
    );
    let (code, _, stderr) = repo.run(&["hook", "check-message", "MSG"]);
    assert_eq!(code, 0, "{stderr}");

    // With `;` as the comment character a `;` line is a comment, so the
    // trailer below it is the message's last paragraph, and it is checked.
    repo.write(
        "MSG",
        &format!("Subject\n\n; Please enter the commit message.\nPostmortem-Safeguard: {typo}\n"),
    );
    let (code, _, _) = repo.run(&["hook", "check-message", "MSG"]);
    assert_eq!(code, 0, "with `#` comments the last paragraph is prose");
    repo.repo
        .config()
        .and_then(|mut c| c.set_str("core.commentChar", ";"))
        .expect("set commentChar");
    let (code, _, stderr) = repo.run(&["hook", "check-message", "MSG"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("{typo} names no safeguard")),
        "{stderr}"
    );

    let (code, _, stderr) = repo.run(&["hook", "check-message", "missing-file"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: missing-file: "), "{stderr}");
}

#[test]
fn install_keeps_a_hook_it_did_not_write_unless_forced() {
    let (repo, _) = TestRepo::with_checkout();
    let foreign = "#!/bin/sh\nexec commitlint --edit \"$1\"\n";
    repo.write(".git/hooks/commit-msg", foreign);

    let (code, stdout, stderr) = repo.run(&["hook", "install"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: .git/hooks/commit-msg is a hook git-postmortem did not write; refusing to replace it\n\
         hint: pass --force to replace it, or call `git postmortem hook check-message \"$1\"` from it\n"
    );
    assert_eq!(repo.read(".git/hooks/commit-msg"), foreign);

    let (code, stdout, stderr) = repo.run(&["hook", "install", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "replaced the existing hook with the commit-msg hook: .git/hooks/commit-msg\n"
    );
    assert!(repo.read(".git/hooks/commit-msg").contains(HOOK_MARKER));

    // Its own hook it replaces without being asked.
    let (code, stdout, stderr) = repo.run(&["hook", "install"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "updated the commit-msg hook: .git/hooks/commit-msg\n"
    );
}

#[test]
fn install_writes_where_git_runs_hooks_from() {
    // core.hooksPath, relative to the top of the work tree.
    let (repo, _) = TestRepo::with_checkout();
    repo.repo
        .config()
        .and_then(|mut c| c.set_str("core.hooksPath", "githooks"))
        .expect("set hooksPath");
    let (code, stdout, stderr) = repo.run(&["hook", "install"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "installed the commit-msg hook: githooks/commit-msg\n"
    );
    assert!(!repo.file(".git/hooks/commit-msg").exists());
    let (ok, _, stderr) = commit_with_trailer(&repo, "2026-11-20-checkout-500s/S3");
    assert!(!ok && stderr.contains("names no safeguard"), "{stderr}");

    // From a linked worktree, the hooks every worktree shares.
    let (repo, _) = TestRepo::with_checkout();
    repo.commit_all("Add the checkout postmortem");
    let linked = repo.dir.path().join("linked");
    let (ok, _, stderr) = git(
        &repo,
        &repo.path(),
        &[
            "worktree",
            "add",
            "-q",
            linked.to_str().unwrap(),
            "-b",
            "side",
        ],
    );
    assert!(ok, "{stderr}");
    let output = repo
        .cmd()
        .current_dir(&linked)
        .args(["hook", "install"])
        .output()
        .expect("run");
    assert!(output.status.success(), "{output:?}");
    assert!(repo.file(".git/hooks/commit-msg").exists());
    let (ok, _, stderr) = git(
        &repo,
        &linked,
        &[
            "commit",
            "--allow-empty",
            "-q",
            "-m",
            "Alert on 5xx",
            "-m",
            "Postmortem-Safeguard: 2026-11-20-checkout-500s/S5",
        ],
    );
    assert!(!ok && stderr.contains("names no safeguard"), "{stderr}");
}
