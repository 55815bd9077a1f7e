//! `.pre-commit-hooks.yaml`: the hook that lets pre-commit users run
//! `lint` on the postmortem files a commit stages.

use std::path::Path;

use crate::common::fixtures::CHECKOUT_ID;
use crate::common::TestRepo;

/// The value of `key:` in the hook entry of `.pre-commit-hooks.yaml`.
fn yaml_value(text: &str, key: &str) -> String {
    text.lines()
        .map(|line| line.trim_start().trim_start_matches("- "))
        .find_map(|line| line.strip_prefix(&format!("{key}:")))
        .map(|v| v.trim().trim_matches(|c| c == '\'' || c == '"').to_string())
        .unwrap_or_else(|| panic!("no `{key}:` in .pre-commit-hooks.yaml:\n{text}"))
}

#[test]
fn pre_commit_hook_runs_lint_on_postmortem_files() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    let text = std::fs::read_to_string(&path).expect("read .pre-commit-hooks.yaml");
    assert_eq!(yaml_value(&text, "id"), "git-postmortem-lint");
    assert_eq!(yaml_value(&text, "language"), "system");
    assert_eq!(yaml_value(&text, "pass_filenames"), "true");
    let files = regex::Regex::new(&yaml_value(&text, "files")).expect("files is a regex");
    assert!(files.is_match("postmortems/2026-11-20-checkout-500s.toml"));
    assert!(!files.is_match(".postmortem.toml"));
    assert!(!files.is_match("src/postmortems.rs"));

    // pre-commit runs the entry with the staged files that match.
    let entry = yaml_value(&text, "entry");
    let words: Vec<&str> = entry.split_whitespace().collect();
    assert_eq!(words[..2], ["git", "postmortem"], "{entry}");
    let (repo, _) = TestRepo::with_checkout();
    let file = format!("postmortems/{CHECKOUT_ID}.toml");
    let args: Vec<&str> = words[2..].iter().copied().chain([file.as_str()]).collect();
    let (code, _, stderr) = repo.run(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("1 file checked"), "{stderr}");
    repo.write(&file, &repo.read(&file).replace("safeguards", "safegaurds"));
    let (code, _, stderr) = repo.run(&args);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("unknown key `safegaurds`"), "{stderr}");
}
