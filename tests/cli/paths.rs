//! Paths: writes stay inside the work tree, `dir` is a relative path in
//! it, ids and path arguments name one postmortem or none, file names carry
//! real dates, read-only files are left alone, and the work tree is found
//! as git finds it.

use std::path::{Path, PathBuf};

use crate::common::fixtures::{minimal, CHECKOUT, CHECKOUT_ID};
use crate::common::github::checkout_with_issue;
use crate::common::TestRepo;

const PATH: &str = "postmortems/2026-11-20-checkout-500s.toml";

fn with_checkout() -> (TestRepo, String) {
    let repo = TestRepo::new();
    let text = CHECKOUT.replace("{TRIGGER}", "0123456789012345678901234567890123456789");
    repo.write_postmortem(CHECKOUT_ID, &text);
    (repo, text)
}

/// Every file below `dir` with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((path.clone(), std::fs::read(&path).expect("read")));
            }
        }
    }
    files.sort();
    files
}

/// Move `postmortems/` out of the work tree and leave a symlink to it.
#[cfg(unix)]
fn symlink_postmortems_out(repo: &TestRepo) -> tempfile::TempDir {
    let outside = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(repo.file("postmortems"))
        .expect("dir")
        .flatten()
    {
        std::fs::copy(entry.path(), outside.path().join(entry.file_name())).expect("copy");
    }
    std::fs::remove_dir_all(repo.file("postmortems")).expect("remove");
    std::os::unix::fs::symlink(outside.path(), repo.file("postmortems")).expect("symlink");
    outside
}

#[cfg(unix)]
#[test]
fn a_postmortem_dir_symlinked_out_of_the_work_tree_is_never_written() {
    let (repo, _) = with_checkout();
    let outside = symlink_postmortems_out(&repo);
    let before = tree(outside.path());
    let edits: [&[&str]; 4] = [
        &["new", "Disk full", "--no-edit"],
        &[
            "safeguard",
            "add",
            CHECKOUT_ID,
            "--title",
            "Soak in staging",
        ],
        &["update", CHECKOUT_ID, "A1", "All refunded"],
        &["action", "done", CHECKOUT_ID, "A1"],
    ];
    for edit in edits {
        let (code, stdout, stderr) = repo.run(edit);
        assert_eq!((code, stdout.as_str()), (2, ""), "{edit:?}: {stderr}");
        assert!(
            stderr.starts_with("error: postmortems")
                && stderr.contains(", outside the work tree; refusing to write there\n"),
            "{edit:?}: {stderr}"
        );
        assert!(
            stderr.contains("hint: the postmortem directory (`dir` in .postmortem.toml) and its files must be inside the repository"),
            "{stderr}"
        );
    }
    assert_eq!(tree(outside.path()), before);
    // Reading through the link is fine.
    let (code, stdout, _) = repo.run(&["list"]);
    assert_eq!(code, 0);
    assert!(stdout.contains(CHECKOUT_ID));
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn sync_refuses_before_touching_github_when_write_backs_would_leave_the_work_tree() {
    let (repo, gh) = checkout_with_issue().await;
    let outside = symlink_postmortems_out(&repo);
    let before = tree(outside.path());
    let (code, _, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("outside the work tree"), "{stderr}");
    assert_eq!(gh.requests().await.len(), 0, "nothing asked of GitHub");
    assert_eq!(tree(outside.path()), before);
}

#[cfg(unix)]
#[test]
fn a_postmortem_symlinked_inside_the_work_tree_is_edited_through_the_link() {
    let (repo, text) = with_checkout();
    std::fs::create_dir_all(repo.file("docs")).expect("mkdir");
    std::fs::rename(repo.file(PATH), repo.file("docs/checkout.toml")).expect("move");
    std::os::unix::fs::symlink("../docs/checkout.toml", repo.file(PATH)).expect("symlink");
    let (code, _, stderr) = repo.run(&["update", CHECKOUT_ID, "A1", "All refunded"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = repo.run(&["update", PATH, "A1", "Checked"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(repo
        .file(PATH)
        .symlink_metadata()
        .expect("link")
        .file_type()
        .is_symlink());
    assert_eq!(
        repo.read("docs/checkout.toml"),
        text.replace(
            "note = \"Refunds 60% done\" }]",
            "note = \"Refunds 60% done\" }, { at = 2026-11-26, note = \"All refunded\" }, { at = 2026-11-26, note = \"Checked\" }]"
        )
    );
}

#[test]
fn dir_must_be_a_relative_path_inside_the_work_tree_outside_git() {
    for (dir, why) in [
        ("/etc", "is absolute"),
        ("../elsewhere", "uses `..`"),
        ("docs/../../elsewhere", "uses `..`"),
        (".git/postmortems", "is inside .git"),
        ("./", "is the top of the repository itself"),
    ] {
        let repo = TestRepo::without_config();
        repo.write(".postmortem.toml", &format!("dir = {dir:?}\n"));
        let before = tree(&repo.path());
        for args in [&["list"][..], &["new", "Disk full", "--no-edit"]] {
            let (code, stdout, stderr) = repo.run(args);
            assert_eq!((code, stdout.as_str()), (2, ""), "{dir}");
            assert_eq!(
                stderr,
                format!(
                    "error: .postmortem.toml:1:7: [schema] `dir = {dir:?}` {why}; it must be a relative path inside the repository, outside .git, such as \"postmortems\"\n"
                ),
                "{dir}"
            );
        }
        assert_eq!(tree(&repo.path()), before, "{dir}: nothing written");
    }
    assert!(!Path::new("/etc/2026-11-26-disk-full.toml").exists());
}

#[test]
fn an_empty_id_matches_no_postmortem() {
    let (repo, text) = with_checkout();
    for query in ["", "  "] {
        let (code, _, stderr) = repo.run(&["update", query, "A1", "Edited by mistake"]);
        assert_eq!(code, 2, "{query:?}");
        assert_eq!(
            stderr,
            "error: ID: the postmortem id is empty; give an id, a unique prefix of one, or the path to its file\n"
        );
    }
    assert_eq!(repo.read(PATH), text);
}

#[test]
fn a_path_that_is_not_a_postmortem_file_matches_no_postmortem() {
    let (repo, text) = with_checkout();
    repo.write("notes/2026-11-20-checkout-500s.toml", &text);
    for query in [
        "notes/2026-11-20.toml",
        "notes/2026-11-20-checkout-500s.toml",
        "elsewhere/2026-11-20-checkout-500s",
        "2026-11-20.toml",
        ".postmortem.toml",
    ] {
        let (code, _, stderr) = repo.run(&["update", query, "A1", "Edited by mistake"]);
        assert_eq!(code, 2, "{query}");
        assert!(
            stderr.starts_with(&format!("error: {query}: "))
                && stderr.contains(
                    "give the path to a `.toml` file in the postmortem directory `postmortems`"
                ),
            "{query}: {stderr}"
        );
    }
    assert_eq!(repo.read(PATH), text);
    assert_eq!(repo.read("notes/2026-11-20-checkout-500s.toml"), text);
    // The real path still works, from anywhere.
    std::fs::create_dir_all(repo.file("notes/deeper")).expect("mkdir");
    let (code, _, stderr) = repo.run(&[
        "-C",
        "notes/deeper",
        "update",
        "../../postmortems/2026-11-20-checkout-500s.toml",
        "A1",
        "All refunded",
    ]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_file_name_with_an_impossible_date_is_a_schema_error() {
    let repo = TestRepo::new();
    repo.write_postmortem(
        "2026-13-45-disk-full",
        &minimal("Disk full", "draft", "2026-11-20T10:00:00Z"),
    );
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: postmortems/2026-13-45-disk-full.toml:1:1: [schema] file name `2026-13-45-disk-full.toml` is not a postmortem id: use YYYY-MM-DD-slug.toml with a real date"),
        "{stderr}"
    );
    let (code, _, _) = repo.run(&["list"]);
    assert_eq!(code, 2);
}

#[cfg(unix)]
#[test]
fn a_read_only_postmortem_is_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let (repo, text) = with_checkout();
    std::fs::set_permissions(repo.file(PATH), std::fs::Permissions::from_mode(0o444))
        .expect("chmod");
    let edits: [&[&str]; 3] = [
        &["update", CHECKOUT_ID, "A1", "All refunded"],
        &[
            "safeguard",
            "add",
            CHECKOUT_ID,
            "--title",
            "Soak in staging",
        ],
        &[
            "safeguard",
            "drop",
            CHECKOUT_ID,
            "S2",
            "--reason",
            "Covered",
        ],
    ];
    for edit in edits {
        let (code, _, stderr) = repo.run(edit);
        assert_eq!(code, 2, "{edit:?}");
        assert_eq!(
            stderr,
            format!("error: {PATH} is read-only; refusing to replace it\nhint: make it writable (chmod u+w {PATH}) if it is meant to be edited\n")
        );
    }
    assert_eq!(repo.read(PATH), text);
    let mode = std::fs::metadata(repo.file(PATH))
        .expect("stat")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o444);
}

/// Where `init` wrote `.postmortem.toml` when run in `dir` with `env`, and
/// what `git rev-parse --show-toplevel` says there, with the same `env`.
fn top_levels(repo: &TestRepo, dir: &Path, env: &[(&str, &str)]) -> (String, String) {
    let mut git = repo.hermetic("git");
    git.args(["rev-parse", "--show-toplevel"]).current_dir(dir);
    let mut ours = repo.cmd();
    ours.arg("init").current_dir(dir);
    for (k, v) in env {
        git.env(k, v);
        ours.env(k, v);
    }
    let git = git.output().expect("git");
    let git = if git.status.success() {
        String::from_utf8_lossy(&git.stdout).trim().to_string()
    } else {
        "(no work tree)".to_string()
    };
    let output = ours.output().expect("git-postmortem");
    let found: Vec<PathBuf> = tree(&repo.dir.path().join("work"))
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.ends_with(".postmortem.toml"))
        .collect();
    let ours = match found.as_slice() {
        [one] => {
            let top = one
                .parent()
                .expect("parent")
                .canonicalize()
                .expect("canonical");
            std::fs::remove_file(one).expect("clean up");
            top.display().to_string()
        }
        [] if !output.status.success() => "(no work tree)".to_string(),
        other => panic!("{other:?}: {}", String::from_utf8_lossy(&output.stderr)),
    };
    (ours, git)
}

/// What a case is about, where it runs, and with which variables.
type Case<'a> = (&'a str, PathBuf, Vec<(&'a str, &'a str)>);

#[test]
fn git_dir_and_git_work_tree_find_the_top_level_as_git_does() {
    let repo = TestRepo::without_config();
    let top = repo.path().canonicalize().expect("canonical");
    std::fs::create_dir_all(top.join("sub/deeper")).expect("mkdir");
    let git_dir = top.join(".git");
    let git_dir = git_dir.to_str().expect("utf-8");
    let top_str = top.to_str().expect("utf-8");
    let cases: Vec<Case> = vec![
        ("discovered", top.join("sub/deeper"), vec![]),
        (
            "GIT_DIR relative, from a subdirectory",
            top.join("sub"),
            vec![("GIT_DIR", "../.git")],
        ),
        (
            "GIT_DIR absolute, from deeper",
            top.join("sub/deeper"),
            vec![("GIT_DIR", git_dir)],
        ),
        (
            "GIT_DIR and GIT_WORK_TREE",
            top.join("sub/deeper"),
            vec![("GIT_DIR", git_dir), ("GIT_WORK_TREE", top_str)],
        ),
        (
            "GIT_WORK_TREE relative, discovered GIT_DIR",
            top.clone(),
            vec![("GIT_WORK_TREE", "sub")],
        ),
        (
            "GIT_WORK_TREE upwards",
            top.join("sub/deeper"),
            vec![("GIT_WORK_TREE", "..")],
        ),
        (
            "GIT_CEILING_DIRECTORIES stops discovery",
            top.join("sub"),
            vec![("GIT_CEILING_DIRECTORIES", top_str)],
        ),
    ];
    for (what, dir, env) in &cases {
        let (ours, git) = top_levels(&repo, dir, env);
        assert_eq!(ours, git, "{what}");
    }
    // core.worktree, with and without GIT_DIR.
    let status = repo
        .hermetic("git")
        .args(["config", "core.worktree", &format!("{top_str}/sub")])
        .status()
        .expect("git config");
    assert!(status.success());
    for env in [vec![], vec![("GIT_DIR", git_dir)]] {
        let (ours, git) = top_levels(&repo, &top.join("sub/deeper"), &env);
        assert_eq!(ours, git, "core.worktree with {env:?}");
        assert_eq!(git, format!("{top_str}/sub"));
    }
}

#[test]
fn a_sha256_repository_is_named_as_such() {
    let repo = TestRepo::without_config();
    let dir = repo.dir.path().join("sha256");
    let status = repo
        .hermetic("git")
        .args(["init", "-q", "--object-format=sha256"])
        .arg(&dir)
        .status()
        .expect("git init");
    assert!(status.success());
    std::fs::create_dir_all(dir.join("sub")).expect("mkdir");
    for args in [&["init"][..], &["list"]] {
        let output = repo
            .cmd()
            .args(args)
            .current_dir(dir.join("sub"))
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.starts_with(&format!(
                "error: {} is a repository with SHA-256 object ids (extensions.objectformat = sha256), which git-postmortem cannot read\nhint: ",
                dir.display()
            )),
            "{stderr}"
        );
    }
    assert!(!dir.join(".postmortem.toml").exists());
}

#[test]
fn alternate_object_directories_are_read_as_git_reads_them() {
    let repo = TestRepo::new();
    let other = TestRepo::without_config();
    let foreign = other.commit("Only in the other repository");
    let objects = other.path().join(".git/objects");
    let objects = objects.to_str().expect("utf-8");
    let oid = foreign.to_string();
    let git_sees = |env: &[(&str, &str)]| {
        let mut git = repo.hermetic("git");
        git.args(["cat-file", "-t", &oid]);
        for (k, v) in env {
            git.env(k, v);
        }
        git.output().expect("git").status.success()
    };
    assert!(!git_sees(&[]));
    assert!(git_sees(&[("GIT_ALTERNATE_OBJECT_DIRECTORIES", objects)]));
    let (code, _, _) = repo.run(&["new", "Without", "--commit", &oid, "--no-edit"]);
    assert_eq!(code, 2);
    let (code, stdout, stderr) = repo.run_env(
        &["new", "With", "--commit", &oid, "--no-edit"],
        &[("GIT_ALTERNATE_OBJECT_DIRECTORIES", objects)],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(repo.read(stdout.trim()).contains(&oid));
}
