//! The GitHub Action's steps other than the install (tests/cli/install.rs):
//! `scripts/action-deepen.sh` deepens a shallow checkout, and
//! `scripts/action-run.sh` runs the command and sets the outputs.
#![cfg(unix)]

use std::path::Path;
use std::process::Output;

use crate::common::TestRepo;
use crate::install::{have_tools, script};

fn git(repo: &TestRepo, dir: &Path, args: &[&str]) -> String {
    let output = repo
        .hermetic("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

fn shown(output: &Output) -> String {
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn a_shallow_checkout_is_deepened_with_a_notice_and_the_base_branch_fetched() {
    if !have_tools(&["bash", "git"]) {
        return;
    }
    let origin = TestRepo::new();
    for n in 0..5 {
        origin.commit(&format!("Commit {n}"));
    }
    origin.commit_on("release", "On the base branch");
    let clone = origin.dir.path().join("clone");
    let url = format!("file://{}", origin.path().display());
    git(
        &origin,
        origin.dir.path(),
        &[
            "clone",
            "--quiet",
            "--depth",
            "1",
            &url,
            clone.to_str().unwrap(),
        ],
    );
    assert_eq!(
        git(&origin, &clone, &["rev-parse", "--is-shallow-repository"]),
        "true"
    );

    let deepen = || {
        origin
            .hermetic("bash")
            .current_dir(&clone)
            .arg(script("action-deepen.sh"))
            .env("GITHUB_BASE_REF", "release")
            .output()
            .expect("run action-deepen.sh")
    };
    let output = deepen();
    assert!(output.status.success(), "{}", shown(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with(
            "::notice title=git-postmortem::shallow checkout: fetching the whole history"
        ),
        "{}",
        shown(&output)
    );
    assert_eq!(
        git(&origin, &clone, &["rev-parse", "--is-shallow-repository"]),
        "false"
    );
    assert_eq!(
        git(&origin, &clone, &["rev-list", "--count", "HEAD"]),
        git(&origin, &origin.path(), &["rev-list", "--count", "main"])
    );
    assert_eq!(
        git(
            &origin,
            &clone,
            &["rev-parse", "refs/remotes/origin/release"]
        ),
        git(&origin, &origin.path(), &["rev-parse", "release"])
    );

    // A complete checkout is left alone, silently.
    let output = deepen();
    assert!(output.status.success(), "{}", shown(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
}

/// Run the Action's run step in `repo` with `git postmortem` on PATH.
fn run_step(repo: &TestRepo, env: &[(&str, &str)]) -> (Output, String, String) {
    let bin = repo.dir.path().join("bin");
    if !bin.exists() {
        std::fs::create_dir_all(&bin).expect("mkdir");
        std::os::unix::fs::symlink(
            assert_cmd::cargo::cargo_bin("git-postmortem"),
            bin.join("git-postmortem"),
        )
        .expect("symlink");
    }
    let outputs = repo.dir.path().join("github-output");
    let summary = repo.dir.path().join("step-summary");
    std::fs::write(&outputs, "").expect("reset");
    std::fs::write(&summary, "").expect("reset");
    let temp = repo.dir.path().join("runner-temp");
    std::fs::create_dir_all(&temp).expect("mkdir");
    let output = repo
        .hermetic("bash")
        .arg(script("action-run.sh"))
        .env("PATH", crate::common::path_with(&bin))
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("RUNNER_TEMP", &temp)
        .envs(env.iter().copied())
        .output()
        .expect("run action-run.sh");
    (
        output,
        std::fs::read_to_string(outputs).expect("outputs"),
        std::fs::read_to_string(summary).expect("summary"),
    )
}

#[test]
fn check_sets_errors_overdue_and_the_summary_path() {
    if !have_tools(&["bash", "git", "jq|python3"]) {
        return;
    }
    let (repo, text) = TestRepo::with_checkout();
    let (output, outputs, summary) = run_step(&repo, &[("ARGS", "--today 2026-12-03")]);
    assert_eq!(output.status.code(), Some(1), "{}", shown(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains("::error file=postmortems/2026-11-20-checkout-500s.toml,line=61"),
        "{}",
        shown(&output)
    );
    let path = outputs
        .lines()
        .find_map(|l| l.strip_prefix("summary="))
        .expect("summary output");
    assert!(outputs.starts_with("errors=0\noverdue=1\n"), "{outputs}");
    let written = std::fs::read_to_string(path).expect("the summary file");
    assert!(written.starts_with("## Postmortem check"), "{written}");
    assert_eq!(summary, written, "appended to the job summary");

    // A lint error counts under errors, not overdue.
    repo.replace_in_checkout(
        &text,
        "We shipped a config change without a staging soak; it broke checkout for every customer for 42 minutes.",
        "Mistakes were made, and checkout broke for every customer for 42 minutes.",
    );
    let (output, outputs, _) = run_step(&repo, &[("ARGS", "--today 2026-11-30")]);
    assert_eq!(output.status.code(), Some(1), "{}", shown(&output));
    assert!(outputs.starts_with("errors=1\noverdue=0\n"), "{outputs}");

    // Clean: exit 0 and zeros.
    repo.replace_in_checkout(&text, "S2", "S2");
    let (output, outputs, _) = run_step(&repo, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    assert!(outputs.starts_with("errors=0\noverdue=0\n"), "{outputs}");
}

#[test]
fn digest_sets_the_summary_path_and_a_bad_command_is_refused() {
    if !have_tools(&["bash", "git"]) {
        return;
    }
    let (repo, _) = TestRepo::with_checkout();
    let (output, outputs, summary) =
        run_step(&repo, &[("COMMAND", "digest"), ("ARGS", "--since 7d")]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let path = outputs
        .strip_prefix("summary=")
        .expect("only the summary output")
        .trim_end();
    let written = std::fs::read_to_string(path).expect("the digest file");
    assert!(written.starts_with("## Postmortem digest"), "{written}");
    assert_eq!(summary, written);

    let (output, outputs, _) = run_step(&repo, &[("COMMAND", "check; rm -rf /")]);
    assert_eq!(output.status.code(), Some(2), "{}", shown(&output));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("::error::command must be"));
    assert_eq!(outputs, "");
}

#[test]
fn site_builds_the_site_and_sets_its_directory() {
    if !have_tools(&["bash", "git"]) {
        return;
    }
    let (repo, _) = TestRepo::with_checkout();
    let (output, outputs, summary) = run_step(&repo, &[("COMMAND", "site")]);
    assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
    let site = repo
        .path()
        .canonicalize()
        .expect("work tree")
        .join("postmortem-site");
    assert_eq!(outputs, format!("site={}\nsummary=\n", site.display()));
    assert!(site.join("index.html").is_file());
    assert_eq!(summary, "");

    for args in [
        "--out public --today 2026-12-01",
        "--today 2026-12-01 --out=public",
    ] {
        let (output, outputs, _) = run_step(&repo, &[("COMMAND", "site"), ("ARGS", args)]);
        assert_eq!(output.status.code(), Some(0), "{}", shown(&output));
        let public = repo
            .path()
            .canonicalize()
            .expect("work tree")
            .join("public");
        assert_eq!(outputs, format!("site={}\nsummary=\n", public.display()));
        assert!(public.join("dashboard.html").is_file());
    }
}

#[test]
fn action_yml_runs_the_scripts_that_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let action = std::fs::read_to_string(root.join("action.yml")).expect("action.yml");
    let mut scripts = 0;
    for line in action.lines() {
        if let Some(rest) = line.split("$GITHUB_ACTION_PATH/").nth(1) {
            let rel = rest.split('"').next().expect("path");
            assert!(
                root.join(rel).is_file(),
                "action.yml runs {rel}, which does not exist"
            );
            scripts += 1;
        }
    }
    assert_eq!(scripts, 3, "{action}");
}
