use git2::Oid;

use crate::common::fixtures::minimal;
use crate::common::{transcript, TestRepo};

const ID: &str = "2026-11-20-checkout";

/// A draft postmortem whose safeguards are given as TOML tables.
fn with_safeguards(safeguards: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write_postmortem(
        ID,
        &format!(
            "{}\n{safeguards}",
            minimal("Checkout 500s", "draft", "2026-11-20T10:00:00Z")
        ),
    );
    repo
}

const TWO: &str = r#"[[safeguards]]
id = "S1"
title = "Fail deploy when an env var is missing"
owner = "dana"
due = 2026-12-15
issue = 123

[[safeguards]]
id = "S2"
title = "Alert on 5xx"
owner = "sam"
due = 2026-12-01
"#;

fn status_json(repo: &TestRepo, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["status", "--json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = repo.run(&all);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).expect("json")
}

/// `(state, shipping commit, via)` of one safeguard.
fn state_of(repo: &TestRepo, id: &str, args: &[&str]) -> (String, Option<String>, Option<String>) {
    let doc = status_json(repo, args);
    let s = doc["safeguards"]
        .as_array()
        .expect("safeguards")
        .iter()
        .find(|s| s["id"] == id)
        .expect("safeguard listed")
        .clone();
    let by = &s["shipped_by"];
    (
        s["state"].as_str().expect("state").to_string(),
        by["commit"].as_str().map(String::from),
        by["via"].as_str().map(String::from),
    )
}

fn shipped(commit: Oid, via: &str) -> (String, Option<String>, Option<String>) {
    (
        "shipped".into(),
        Some(commit.to_string()),
        Some(via.to_string()),
    )
}

fn pending() -> (String, Option<String>, Option<String>) {
    ("pending".into(), None, None)
}

#[test]
fn a_trailer_in_the_last_paragraph_ships() {
    let repo = with_safeguards(TWO);
    let oid = repo.commit(&format!(
        "Check env vars before deploy\n\nThe deploy now stops early.\n\nPostmortem-Safeguard: {ID}/S2\nSigned-off-by: Dana <dana@example.com>\n"
    ));
    repo.commit("Unrelated change");
    assert_eq!(state_of(&repo, "S2", &[]), shipped(oid, "trailer"));
    assert_eq!(state_of(&repo, "S1", &[]), pending());
}

#[test]
fn a_trailer_looking_line_in_the_body_does_not_ship() {
    let repo = with_safeguards(TWO);
    repo.commit(&format!(
        "Mention the safeguard\n\nPostmortem-Safeguard: {ID}/S2\n\nThis paragraph is prose, so the line above is no trailer.\n"
    ));
    repo.commit(&format!("Postmortem-Safeguard: {ID}/S2"));
    assert_eq!(state_of(&repo, "S2", &[]), pending());
}

#[test]
fn closing_references_must_name_the_whole_issue_number() {
    let repo = with_safeguards(TWO);
    repo.commit("Fix login\n\nFixes #12");
    repo.commit("Prefixes #123 are not keywords");
    assert_eq!(state_of(&repo, "S1", &[]), pending());
    let oid = repo.commit("Check env vars (fixes #123)");
    repo.commit("Follow-up\n\nCloses #123");
    assert_eq!(state_of(&repo, "S1", &[]), shipped(oid, "closing-ref"));
}

#[test]
fn a_reference_naming_a_repository_counts_only_for_the_configured_one() {
    let repo = with_safeguards(TWO);
    repo.commit("Vendor update\n\nResolves other/lib#123");
    assert_eq!(state_of(&repo, "S1", &[]), pending());
    // Without a known repository, qualified references do not count.
    let oid = repo.commit("Check env vars\n\nCloses acme/shop#123");
    assert_eq!(state_of(&repo, "S1", &[]), pending());
    let config = repo.read(".postmortem.toml");
    repo.write(
        ".postmortem.toml",
        &config.replace("# repo = \"acme/shop\"", "repo = \"acme/shop\""),
    );
    assert_eq!(state_of(&repo, "S1", &[]), shipped(oid, "closing-ref"));
}

#[test]
fn the_repository_can_come_from_the_origin_remote() {
    let repo = with_safeguards(TWO);
    repo.repo
        .remote("origin", "git@github.com:Acme/Shop.git")
        .expect("remote");
    let oid = repo.commit("Check env vars\n\nFixed ACME/shop#123");
    assert_eq!(state_of(&repo, "S1", &[]), shipped(oid, "closing-ref"));
}

#[test]
fn a_commit_only_on_an_unmerged_branch_does_not_ship() {
    let repo = with_safeguards(TWO);
    repo.commit_on(
        "feature",
        &format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"),
    );
    repo.commit_on("feature", "Fixes #123");
    repo.commit("Meanwhile on main");
    assert_eq!(state_of(&repo, "S2", &[]), pending());
    assert_eq!(state_of(&repo, "S1", &[]), pending());
}

#[test]
fn a_merged_branch_ships_with_its_oldest_commit() {
    let repo = with_safeguards(TWO);
    let on_branch = repo.commit_on(
        "feature",
        &format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"),
    );
    let on_main = repo.commit(&format!("Add alert again\n\nPostmortem-Safeguard: {ID}/S2"));
    assert_eq!(state_of(&repo, "S2", &[]), shipped(on_main, "trailer"));
    repo.merge("feature", "Merge branch 'feature'");
    assert_eq!(state_of(&repo, "S2", &[]), shipped(on_branch, "trailer"));
}

#[test]
fn a_reverted_shipping_commit_no_longer_ships_until_it_lands_again() {
    let repo = with_safeguards(TWO);
    let oid = repo.commit(&format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"));
    let revert = repo.commit(&format!(
        "Revert \"Add alert\"\n\nThis reverts commit {oid}."
    ));
    let doc = status_json(&repo, &[]);
    let s2 = &doc["safeguards"][1];
    assert_eq!(s2["state"], "reverted", "{s2}");
    assert_eq!(s2["shipped_by"], serde_json::Value::Null);
    assert_eq!(s2["reverted"]["commit"], oid.to_string());
    assert_eq!(s2["reverted"]["by"]["commit"], revert.to_string());
    // Reverted and past its due date fails check like an overdue one.
    let (code, _, stderr) = repo.run(&["check", "--today", "2026-12-02"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("[overdue]") && stderr.contains("reverted it"),
        "{stderr}"
    );
    // Reverting the revert lands it again: the first commit ships it.
    repo.commit(&format!(
        "Revert \"Revert \"Add alert\"\"\n\nThis reverts commit {revert}."
    ));
    assert_eq!(state_of(&repo, "S2", &[]), shipped(oid, "trailer"));
}

#[test]
fn a_later_commit_ships_a_reverted_safeguard_again() {
    let repo = with_safeguards(TWO);
    let first = repo.commit(&format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"));
    repo.commit(&format!(
        "Revert \"Add alert\"\n\nThis reverts commit {first}."
    ));
    let again = repo.commit(&format!(
        "Add alert, fixed\n\nPostmortem-Safeguard: {ID}/S2"
    ));
    assert_eq!(state_of(&repo, "S2", &[]), shipped(again, "trailer"));
}

const STATES: &str = r#"[[safeguards]]
id = "S1"
title = "Late"
owner = "dana"
due = 2026-11-20

[[safeguards]]
id = "S2"
title = "Not yet due"
owner = "sam"
due = 2026-12-01

[[safeguards]]
id = "S3"
title = "Retired"
owner = "sam"
due = 2026-11-01
status = "dropped"
reason = "Replaced by S2"

[[safeguards]]
id = "S4"
title = "Someday"

[[safeguards]]
id = "S5"
title = "Done late"
owner = "dana"
due = 2026-11-02
"#;

#[test]
fn states_follow_due_dates_grace_and_drops() {
    let repo = with_safeguards(STATES);
    repo.commit(&format!("Ship it\n\nPostmortem-Safeguard: {ID}/S5"));
    let result = repo.run(&["status"]);
    insta::assert_snapshot!("status_states", transcript(&result));

    let doc = status_json(&repo, &["--today", "2026-12-05"]);
    let states: Vec<(&str, i64)> = doc["safeguards"]
        .as_array()
        .expect("safeguards")
        .iter()
        .map(|s| {
            (
                s["state"].as_str().expect("state"),
                s["days_overdue"].as_i64().expect("days"),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("overdue", 15),
            ("overdue", 4),
            ("dropped", 0),
            ("pending", 0),
            ("shipped", 0)
        ]
    );
    assert_eq!(doc["today"], "2026-12-05");

    let config = repo.read(".postmortem.toml");
    repo.write(
        ".postmortem.toml",
        &config.replace("safeguard_grace = \"0d\"", "safeguard_grace = \"10d\""),
    );
    let doc = status_json(&repo, &["--today", "2026-12-05"]);
    assert_eq!(doc["safeguards"][0]["state"], "overdue");
    assert_eq!(doc["safeguards"][0]["days_overdue"], 5);
    assert_eq!(doc["safeguards"][1]["state"], "pending");
}

#[test]
fn status_json_has_the_documented_shape() {
    let repo = with_safeguards(TWO);
    let oid = repo.commit(&format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"));
    let doc = status_json(&repo, &[]);
    let tip = repo.repo.head().expect("head").target().expect("oid");
    assert_eq!(
        doc,
        serde_json::json!({
            "today": "2026-11-26",
            "branch": "main",
            "tip": tip.to_string(),
            "safeguards": [
                {
                    "ref": "2026-11-20-checkout/S1",
                    "postmortem": "2026-11-20-checkout",
                    "id": "S1",
                    "title": "Fail deploy when an env var is missing",
                    "kind": null,
                    "owner": "dana",
                    "due": "2026-12-15",
                    "issue": 123,
                    "state": "pending",
                    "days_overdue": 0,
                    "shipped_by": null
                },
                {
                    "ref": "2026-11-20-checkout/S2",
                    "postmortem": "2026-11-20-checkout",
                    "id": "S2",
                    "title": "Alert on 5xx",
                    "kind": null,
                    "owner": "sam",
                    "due": "2026-12-01",
                    "issue": null,
                    "state": "shipped",
                    "days_overdue": 0,
                    "shipped_by": {
                        "commit": oid.to_string(),
                        "date": "2026-11-26T00:01:00Z",
                        "subject": "Add alert",
                        "via": "trailer"
                    }
                }
            ]
        })
    );
}

#[test]
fn branch_flag_and_config_choose_the_branch() {
    let repo = with_safeguards(TWO);
    let oid = repo.commit_on(
        "release",
        &format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"),
    );
    assert_eq!(state_of(&repo, "S2", &[]), pending());
    assert_eq!(
        state_of(&repo, "S2", &["--branch", "release"]),
        shipped(oid, "trailer")
    );
    let doc = status_json(&repo, &["--branch", "release"]);
    assert_eq!(doc["branch"], "release");
    assert_eq!(doc["tip"], oid.to_string());

    let config = repo.read(".postmortem.toml");
    repo.write(
        ".postmortem.toml",
        &config.replace(
            "# default_branch = \"main\"",
            "default_branch = \"release\"",
        ),
    );
    assert_eq!(state_of(&repo, "S2", &[]), shipped(oid, "trailer"));
    // The flag wins over the config.
    assert_eq!(state_of(&repo, "S2", &["--branch", "main"]), pending());

    let (code, _, stderr) = repo.run(&["status", "--branch", "nope"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: branch `nope` (from --branch) does not exist\nhint:"),
        "{stderr}"
    );
}

#[test]
fn origin_head_is_the_default_before_main() {
    let repo = with_safeguards(TWO);
    let oid = repo.commit_on(
        "trunk",
        &format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"),
    );
    repo.repo
        .reference("refs/remotes/origin/trunk", oid, true, "test")
        .expect("remote branch");
    repo.repo
        .reference_symbolic(
            "refs/remotes/origin/HEAD",
            "refs/remotes/origin/trunk",
            true,
            "test",
        )
        .expect("origin/HEAD");
    let doc = status_json(&repo, &[]);
    assert_eq!(doc["branch"], "origin/trunk");
    assert_eq!(doc["safeguards"][1]["state"], "shipped");
}

#[test]
fn without_main_master_or_origin_head_there_is_no_default_branch() {
    let repo = with_safeguards(TWO);
    repo.repo
        .find_branch("main", git2::BranchType::Local)
        .expect("main")
        .rename("trunk", false)
        .expect("rename");
    let (code, stdout, stderr) = repo.run(&["status"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: no default branch to measure shipped safeguards against: tried origin/HEAD, main, master\nhint: pass --branch NAME, or set default_branch in .postmortem.toml\n"
    );
    let (code, _, _) = repo.run(&["status", "--branch", "trunk"]);
    assert_eq!(code, 0);
}

fn debug_run(repo: &TestRepo) -> String {
    let (code, _, stderr) = repo.run_env(&["status"], &[("GIT_POSTMORTEM_DEBUG", "1")]);
    assert_eq!(code, 0, "{stderr}");
    stderr
}

#[test]
fn a_second_run_is_served_from_the_cache() {
    let repo = with_safeguards(TWO);
    repo.commit(&format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"));
    assert!(!repo.ship_cache().exists());
    let first = debug_run(&repo);
    assert!(
        first.contains(": rebuilt, 2 commits scanned: no cache yet; 1 matching commits\n"),
        "{first}"
    );
    assert!(repo.ship_cache().exists());
    let second = debug_run(&repo);
    assert!(
        second.contains(": served from cache; 1 matching commits\n"),
        "{second}"
    );
    assert_eq!(state_of(&repo, "S2", &[]).0, "shipped");
}

#[test]
fn new_commits_are_scanned_incrementally() {
    let repo = with_safeguards(TWO);
    debug_run(&repo);
    let oid = repo.commit("Check env vars\n\nFixes #123");
    repo.commit_on(
        "side",
        &format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"),
    );
    let merge = repo.merge("side", "Merge branch 'side'");
    let stderr = debug_run(&repo);
    assert!(
        stderr.contains(&format!(
            "at {merge}: incremental, 3 new commits scanned; 2 matching commits\n"
        )),
        "{stderr}"
    );
    assert_eq!(state_of(&repo, "S1", &[]), shipped(oid, "closing-ref"));
    assert_eq!(state_of(&repo, "S2", &[]).0, "shipped");
}

#[test]
fn safeguards_added_later_need_no_rescan() {
    let repo = with_safeguards("");
    let oid = repo.commit(&format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"));
    debug_run(&repo);
    repo.write_postmortem(
        ID,
        &format!(
            "{}\n{TWO}",
            minimal("Checkout 500s", "draft", "2026-11-20T10:00:00Z")
        ),
    );
    assert!(debug_run(&repo).contains("served from cache"));
    assert_eq!(state_of(&repo, "S2", &[]), shipped(oid, "trailer"));
}

#[test]
fn a_corrupt_cache_is_rebuilt_not_trusted() {
    let repo = with_safeguards(TWO);
    let oid = repo.commit(&format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"));
    debug_run(&repo);
    std::fs::write(
        repo.ship_cache(),
        "{\"version\": 1, \"branches\": {\"refs/he",
    )
    .expect("write");
    let stderr = debug_run(&repo);
    assert!(
        stderr.contains(": rebuilt, 2 commits scanned: cache file is corrupt ("),
        "{stderr}"
    );
    assert_eq!(state_of(&repo, "S2", &[]), shipped(oid, "trailer"));

    // Another version's cache is not read either.
    let text = std::fs::read_to_string(repo.ship_cache()).expect("cache");
    std::fs::write(
        repo.ship_cache(),
        text.replacen("\"version\":3", "\"version\":99", 1),
    )
    .expect("write");
    let stderr = debug_run(&repo);
    assert!(
        stderr.contains("rebuilt, 2 commits scanned: cache version 99 is not 3"),
        "{stderr}"
    );

    // An entry whose matches do not parse is rebuilt too.
    let text = std::fs::read_to_string(repo.ship_cache()).expect("cache");
    std::fs::write(
        repo.ship_cache(),
        text.replacen(&oid.to_string(), "not-an-oid", 1),
    )
    .expect("write");
    let stderr = debug_run(&repo);
    assert!(
        stderr.contains("rebuilt, 2 commits scanned: cache entry is corrupt"),
        "{stderr}"
    );
    assert_eq!(state_of(&repo, "S2", &[]), shipped(oid, "trailer"));
}

#[test]
fn rewritten_history_is_rescanned() {
    let repo = with_safeguards(TWO);
    let before = repo.commit("Before");
    repo.commit(&format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"));
    debug_run(&repo);
    assert_eq!(state_of(&repo, "S2", &[]).0, "shipped");
    // Force-push: main drops the shipping commit and gains another.
    repo.set_branch("main", before);
    repo.repo.set_head("refs/heads/main").expect("head");
    repo.commit("Something else");
    let stderr = debug_run(&repo);
    assert!(
        stderr.contains("rebuilt, 3 commits scanned: the cached tip is not an ancestor of the branch (history rewritten)"),
        "{stderr}"
    );
    assert_eq!(state_of(&repo, "S2", &[]), pending());
}

#[test]
fn an_issue_url_closes_like_a_reference_only_for_this_repository_and_host() {
    let repo = with_safeguards(TWO);
    let config = repo.read(".postmortem.toml");
    repo.write(
        ".postmortem.toml",
        &config.replace("# repo = \"acme/shop\"", "repo = \"acme/shop\""),
    );
    repo.commit("Vendor fix\n\nFixes https://github.com/other/lib/issues/123");
    repo.commit("Wrong kind\n\nFixes https://github.com/acme/shop/pull/123");
    repo.commit("Elsewhere\n\nFixes https://ghe.example.com/acme/shop/issues/123");
    assert_eq!(state_of(&repo, "S1", &[]), pending());
    let oid = repo.commit("Check env vars\n\nFixes: https://github.com/Acme/Shop/issues/123");
    assert_eq!(state_of(&repo, "S1", &[]), shipped(oid, "closing-ref"));
}

#[test]
fn a_trailer_from_an_earlier_commit_of_a_squash_merge_ships() {
    let repo = with_safeguards(TWO);
    let oid = repo.commit(&format!(
        "Add env checks (#42)\n\n* Check env vars\n\nPostmortem-Safeguard: {ID}/S2\n\n* Fix typo\n\n---------\n\nCo-authored-by: Dana <dana@example.com>\n"
    ));
    assert_eq!(state_of(&repo, "S2", &[]), shipped(oid, "trailer"));
}

#[test]
fn a_tag_named_like_the_branch_is_never_measured() {
    let repo = with_safeguards(TWO);
    let unmerged = repo.commit_on(
        "feature",
        &format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"),
    );
    repo.tag("main", unmerged);
    for args in [&[][..], &["--branch", "main"][..]] {
        assert_eq!(state_of(&repo, "S2", args), pending(), "{args:?}");
    }
    let config = repo.read(".postmortem.toml");
    repo.write(
        ".postmortem.toml",
        &config.replace("# default_branch = \"main\"", "default_branch = \"main\""),
    );
    assert_eq!(state_of(&repo, "S2", &[]), pending());
    // A tag alone is no branch.
    let (code, _, stderr) = repo.run(&["status", "--branch", "v1"]);
    assert_eq!(code, 2, "{stderr}");
    repo.tag("v1", unmerged);
    let (code, _, stderr) = repo.run(&["status", "--branch", "v1"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("branch `v1` (from --branch) does not exist"),
        "{stderr}"
    );
}

#[test]
fn a_name_two_branches_answer_to_is_refused() {
    let repo = with_safeguards(TWO);
    let tip = repo.commit("Work");
    repo.set_branch("origin/main", tip);
    repo.repo
        .reference("refs/remotes/origin/main", tip, true, "fetch")
        .expect("remote-tracking branch");
    let (code, stdout, stderr) = repo.run(&["status", "--branch", "origin/main"]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.contains("branch `origin/main` (from --branch) is ambiguous: refs/heads/origin/main and refs/remotes/origin/main"),
        "{stderr}"
    );
    let (code, _, stderr) = repo.run(&["status", "--branch", "refs/remotes/origin/main"]);
    assert_eq!(code, 0, "{stderr}");
}

/// Record `#123` as `sync` would have, closed with `reason`.
fn record_closed(repo: &TestRepo, reason: &str) {
    repo.write(
        ".git/postmortem/issues.json",
        &format!(
            r#"{{"version": 1, "repo": "acme/shop", "issues": {{"123": {{"state": "closed", "reason": "{reason}"}}}}}}"#
        ),
    );
}

#[test]
fn an_issue_closed_as_not_planned_is_its_own_state() {
    let repo = with_safeguards(TWO);
    repo.commit("Work");
    record_closed(&repo, "completed");
    assert_eq!(state_of(&repo, "S1", &[]).0, "closed-unverified");
    record_closed(&repo, "not_planned");
    assert_eq!(state_of(&repo, "S1", &[]).0, "closed-not-planned");
    let (_, stdout, _) = repo.run(&["status"]);
    assert!(
        stdout.contains(&format!("issue #123 closed as not planned; drop it on purpose: git postmortem safeguard drop {ID} S1")),
        "{stdout}"
    );
    let (code, _, stderr) = repo.run(&["check", "--today", "2026-12-16"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("was closed as not planned"), "{stderr}");
}

#[test]
fn a_cache_entry_citing_a_missing_commit_is_rebuilt() {
    let repo = with_safeguards(TWO);
    repo.commit("Work");
    debug_run(&repo);
    let text = std::fs::read_to_string(repo.ship_cache()).expect("cache");
    let forged = text.replace(
        "\"matches\":[]",
        &format!(
            "\"matches\":[{{\"commit\":\"{}\",\"time\":1793600000,\"offset\":0,\"subject\":\"forged\",\"trailers\":[\"{ID}/S2\"]}}]",
            "ab".repeat(20)
        ),
    );
    assert_ne!(forged, text, "{text}");
    std::fs::write(repo.ship_cache(), forged).expect("write");
    let stderr = debug_run(&repo);
    assert!(
        stderr.contains("rebuilt, 2 commits scanned: the cache cites commit abab"),
        "{stderr}"
    );
    assert_eq!(state_of(&repo, "S2", &[]), pending());
}

#[test]
fn a_shallow_clone_says_unknown_and_unshallowing_proves_it_at_once() {
    let repo = with_safeguards(TWO);
    repo.commit_all("Add the postmortem");
    let shipping = repo.commit(&format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"));
    repo.commit("Later work");
    repo.commit("More work");
    let clone = repo.dir.path().join("clone");
    let git = |args: &[&str]| {
        let out = repo.hermetic("git").args(args).output().expect("git");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let origin = format!("file://{}", repo.path().display());
    git(&[
        "clone",
        "--quiet",
        "--depth",
        "1",
        &origin,
        clone.to_str().expect("path"),
    ]);
    let run = |args: &[&str]| {
        let mut all = vec!["-C", clone.to_str().expect("path")];
        all.extend_from_slice(args);
        repo.run(&all)
    };
    let (code, stdout, stderr) = run(&["status", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["history_complete"], false);
    assert_eq!(doc["safeguards"][1]["state"], "unknown");
    assert!(stderr.contains("git fetch --unshallow"), "{stderr}");
    let (code, _, stderr) = run(&["check"]);
    assert_eq!(code, 2, "{stderr}");

    git(&[
        "-C",
        clone.to_str().expect("path"),
        "fetch",
        "--quiet",
        "--unshallow",
    ]);
    let (code, stdout, stderr) = run(&["status", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc.get("history_complete"), None);
    assert_eq!(doc["safeguards"][1]["state"], "shipped");
    assert_eq!(
        doc["safeguards"][1]["shipped_by"]["commit"],
        shipping.to_string()
    );
}

#[test]
fn a_trailer_naming_no_safeguard_is_reported_the_day_it_lands() {
    let repo = with_safeguards(TWO);
    let typo = repo.commit(&format!("Add alert\n\nPostmortem-Safeguard: {ID}/S3"));
    let (code, _, stderr) = repo.run(&["status"]);
    assert_eq!(code, 0, "{stderr}");
    let short = &typo.to_string()[..7];
    assert!(
        stderr.contains(&format!(
            "warning: the trailer `Postmortem-Safeguard: {ID}/S3` in {short} names no safeguard (did you mean {ID}/S1?)"
        )),
        "{stderr}"
    );
    let doc = status_json(&repo, &[]);
    assert_eq!(doc["dangling_trailers"][0]["value"], format!("{ID}/S3"));
    assert_eq!(doc["dangling_trailers"][0]["commit"], typo.to_string());
    let (_, stdout, _) = repo.run(&["check", "--format", "github"]);
    assert!(
        stdout.contains("::warning title=git-postmortem::the trailer `Postmortem-Safeguard: "),
        "{stdout}"
    );
    // A trailer that names a safeguard, in any case, is not reported.
    repo.commit(&format!(
        "Add alert\n\nPostmortem-Safeguard: {}/s2",
        ID.to_uppercase()
    ));
    let doc = status_json(&repo, &[]);
    assert_eq!(doc["dangling_trailers"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_reference_older_than_the_incident_never_ships_and_status_says_why() {
    // The incident occurred 2026-11-20T10:00Z; the allowance is one day.
    let repo = with_safeguards(TWO);
    let old = repo.commit_at("Check env vars\n\nFixes #123", "2019-01-01T12:00:00Z");
    repo.commit("Unrelated");
    repo.branch("side");
    repo.commit_at(
        &format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"),
        "2026-11-19T09:59:00Z",
    );
    repo.switch("main");
    repo.merge("side", "Merge branch 'side'");
    let doc = status_json(&repo, &[]);
    let s1 = &doc["safeguards"][0];
    assert_eq!(s1["state"], "pending");
    assert_eq!(s1["shipped_by"], serde_json::Value::Null);
    assert_eq!(s1["predating_commit"]["commit"], old.to_string());
    assert_eq!(s1["predating_commit"]["via"], "closing-ref");
    assert_eq!(s1["predating_commit"]["predates"], "incident");
    assert_eq!(doc["safeguards"][1]["state"], "pending");

    let (code, stdout, stderr) = repo.run(&["status"]);
    assert_eq!(code, 0, "{stderr}");
    let short = &old.to_string()[..7];
    assert!(
        stdout.contains(&format!(
            "the closing reference to #123 in {short} (2019-01-01) predates the incident"
        )),
        "{stdout}"
    );
    let (code, _, stderr) = repo.run(&["check", "--today", "2026-12-16"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("predates the incident"), "{stderr}");

    // Within the allowance for clock skew, a commit ships.
    let skewed = repo.commit_at(
        &format!("Add alert again\n\nPostmortem-Safeguard: {ID}/S2"),
        "2026-11-19T10:01:00Z",
    );
    assert_eq!(state_of(&repo, "S2", &[]), shipped(skewed, "trailer"));
}

#[test]
fn the_scan_stops_at_history_older_than_the_oldest_incident() {
    let repo = with_safeguards(TWO);
    for n in 0..20 {
        repo.commit_at(&format!("Old work {n}"), "2020-01-01T00:00:00Z");
    }
    // A branch forked from old history, with commits dated after the
    // incident but before everything else on main since: skewed dates
    // behind a merge still count.
    repo.commit_at("Old work, last", "2020-06-01T00:00:00Z");
    repo.branch("side");
    let side = repo.commit_at(
        &format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"),
        "2026-11-21T00:00:00Z",
    );
    repo.commit_at("More side work", "2026-11-21T01:00:00Z");
    repo.switch("main");
    for n in 0..5 {
        repo.commit(&format!("Recent work {n}"));
    }
    let merge = repo.merge("side", "Merge branch 'side'");
    let stderr = debug_run(&repo);
    // The merge, five recent commits, two side commits, and the one old
    // commit at each edge (main's and the side's share it): 9.
    assert!(
        stderr.contains(&format!(
            "at {merge}: rebuilt, 9 commits scanned: no cache yet; 1 matching commits\n"
        )),
        "{stderr}"
    );
    assert_eq!(state_of(&repo, "S2", &[]), shipped(side, "trailer"));

    // An older incident needs older history: the whole of it is read, and
    // the answer is the same.
    repo.write_postmortem(
        "2019-05-01-old",
        &minimal("Old outage", "draft", "2019-05-01T10:00:00Z"),
    );
    let stderr = debug_run(&repo);
    assert!(
        stderr.contains(
            "rebuilt, 30 commits scanned: an incident is older than the cached scan reaches"
        ),
        "{stderr}"
    );
    assert_eq!(state_of(&repo, "S2", &[]), shipped(side, "trailer"));
}

#[test]
fn merging_a_branch_forked_long_ago_reads_only_its_new_commits() {
    let repo = with_safeguards(TWO);
    repo.branch("side");
    repo.switch("main");
    for n in 0..30 {
        repo.commit(&format!("Main work {n}"));
    }
    debug_run(&repo);
    repo.switch("side");
    let alert = repo.commit(&format!("Add alert\n\nPostmortem-Safeguard: {ID}/S2"));
    repo.commit("More side work");
    repo.switch("main");
    let merge = repo.merge("side", "Merge branch 'side'");
    let stderr = debug_run(&repo);
    assert!(
        stderr.contains(&format!(
            "at {merge}: incremental, 3 new commits scanned; 1 matching commits\n"
        )),
        "{stderr}"
    );
    assert_eq!(state_of(&repo, "S2", &[]), shipped(alert, "trailer"));

    // The list of scanned commits is kept beside the cache; without it,
    // the entry is rebuilt rather than guessed.
    let dir = repo.ship_cache().parent().expect("dir").to_path_buf();
    for entry in std::fs::read_dir(&dir).expect("cache dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "bin") {
            std::fs::write(&path, b"torn").expect("write");
        }
    }
    repo.commit("One more");
    let stderr = debug_run(&repo);
    assert!(
        stderr
            .contains("rebuilt, 35 commits scanned: the cached list of scanned commits is missing"),
        "{stderr}"
    );
}
