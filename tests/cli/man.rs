//! The man pages: generated from the clap definitions by the hidden
//! `generate-man`, committed under `man/man1/`, shipped in the release
//! archives, and opened by `git postmortem --help` once installed.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::common::TestRepo;

const REGENERATE: &str = "cargo run -- generate-man --out man/man1";

fn pages(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read page"),
            )
        })
        .collect()
}

fn generate(repo: &TestRepo, out: &Path) {
    let (code, stdout, stderr) = repo.run(&["generate-man", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let ours = pages(out)
        .keys()
        .filter(|name| name.starts_with("git-postmortem"))
        .count();
    assert_eq!(stdout.lines().count(), ours, "{stdout}");
}

#[test]
fn committed_man_pages_match_the_command_line() {
    let repo = TestRepo::without_config();
    let fresh = repo.dir.path().join("man1");
    generate(&repo, &fresh);
    let committed_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man/man1");
    let committed = pages(&committed_dir);
    let fresh = pages(&fresh);

    let mut stale = Vec::new();
    for (name, bytes) in &fresh {
        match committed.get(name) {
            None => stale.push(format!("{name} is missing")),
            Some(old) if old != bytes => stale.push(format!("{name} differs")),
            Some(_) => {}
        }
    }
    for name in committed.keys().filter(|n| !fresh.contains_key(*n)) {
        stale.push(format!("{name} is for a command that no longer exists"));
    }
    assert!(
        stale.is_empty(),
        "man/man1 is stale ({}): regenerate it with `{REGENERATE}` and commit the result",
        stale.join(", ")
    );
}

#[test]
fn every_visible_subcommand_has_a_page_and_generate_man_stays_hidden() {
    let repo = TestRepo::without_config();
    let out = repo.dir.path().join("man");
    generate(&repo, &out);
    let pages = pages(&out);
    for name in [
        "git-postmortem.1",
        "git-postmortem-check.1",
        "git-postmortem-safeguard.1",
        "git-postmortem-safeguard-add.1",
        "git-postmortem-safeguard-drop.1",
        "git-postmortem-action-done.1",
        "git-postmortem-completions.1",
    ] {
        assert!(
            pages.contains_key(name),
            "{name} missing: {:?}",
            pages.keys()
        );
    }
    assert!(!pages
        .keys()
        .any(|n| n.contains("generate-man") || n.contains("help")));

    let top = String::from_utf8_lossy(&pages["git-postmortem.1"]).into_owned();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        top.contains(&format!(
            ".TH git-postmortem 1 \"\" \"git-postmortem {version}\" \"Git Postmortem Manual\"\n"
        )),
        "{top}"
    );
    let add = String::from_utf8_lossy(&pages["git-postmortem-safeguard-add.1"]).into_owned();
    assert!(add.contains("git postmortem safeguard add"), "{add}");

    let (_, help, _) = repo.run(&["--help"]);
    assert!(!help.contains("generate-man"), "{help}");

    // Pages of commands that are gone do not linger in the directory.
    std::fs::write(out.join("git-postmortem-frobnicate.1"), "old").expect("write");
    std::fs::write(out.join("other-tool.1"), "kept").expect("write");
    generate(&repo, &out);
    assert!(!out.join("git-postmortem-frobnicate.1").exists());
    assert!(out.join("other-tool.1").exists());
}

/// What the README's install path does: the binary in `~/.cargo/bin`, the
/// pages in `~/.cargo/share/man/man1`, which man-db adds to the manual path
/// for a `bin` directory on PATH. Then git turns
/// `git postmortem --help` into `man git-postmortem`, which finds them.
#[cfg(target_os = "linux")]
#[test]
fn git_postmortem_help_opens_the_installed_manual() {
    let tools = ["git", "man"];
    for tool in tools {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            eprintln!("skipped: `{tool}` is not installed");
            return;
        }
    }
    let repo = TestRepo::without_config();
    let cargo_home = repo.dir.path().join("home/.cargo");
    let bin = cargo_home.join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    std::os::unix::fs::symlink(
        assert_cmd::cargo::cargo_bin("git-postmortem"),
        bin.join("git-postmortem"),
    )
    .expect("symlink");
    generate(&repo, &cargo_home.join("share/man/man1"));

    let output = repo
        .hermetic("git")
        .args(["postmortem", "--help"])
        .env("PATH", crate::common::path_with(&bin))
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
        .expect("run git");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("git-postmortem"), "{stdout}\n{stderr}");
    assert!(stdout.contains("SYNOPSIS"), "{stdout}\n{stderr}");
    assert!(stdout.contains("git postmortem"), "{stdout}\n{stderr}");
}
