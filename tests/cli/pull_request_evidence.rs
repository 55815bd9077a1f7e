//! Pull-request evidence: `sync` reads through GraphQL what closed each
//! issue and which open pull requests will, `status`, `check` and `digest`
//! use it offline. Against the fake GitHub, which answers `POST /graphql`.

use serde_json::{json, Value};

use crate::common::fixtures::{minimal, CHECKOUT_ID};
use crate::common::github::{
    checkout_with_issue, commit_closer, issue, pull_request_closer, FakeGitHub, Fault,
};
use crate::common::TestRepo;

/// Issue #123 (S1's) closed on GitHub by `closer`.
async fn closed_by(closer: Option<Value>) -> (TestRepo, FakeGitHub) {
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| {
        s.issues[0]["state"] = json!("closed");
        s.issues[0]["state_reason"] = json!("completed");
        if let Some(closer) = closer {
            s.closers.insert(123, closer);
        }
    });
    (repo, gh)
}

/// A pull request's branch merged into main with a merge commit whose
/// message closes nothing: the `Fixes #123` was in the PR's description.
fn merge_pull_request(repo: &TestRepo) -> git2::Oid {
    repo.commit_on("env-check", "Check required env vars at deploy");
    repo.merge(
        "env-check",
        "Merge pull request #456 from acme/env-check\n\nCheck required env vars",
    )
}

async fn safeguard(gh: &FakeGitHub, repo: &TestRepo, id: &str, extra: &[&str]) -> Value {
    let (code, stdout, stderr) = gh.run(repo, &[&["status", "--json"], extra].concat()).await;
    assert_eq!(code, 0, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).expect("json");
    doc["safeguards"]
        .as_array()
        .expect("safeguards")
        .iter()
        .find(|s| s["id"] == id)
        .expect("listed")
        .clone()
}

fn recorded(repo: &TestRepo) -> Value {
    serde_json::from_str(&repo.read(".git/postmortem/issues.json")).expect("issues.json")
}

#[tokio::test(flavor = "multi_thread")]
async fn an_issue_closed_by_a_merged_pull_request_on_main_is_shipped() {
    let (repo, gh) = closed_by(None).await;
    let merge = merge_pull_request(&repo);
    gh.with_state(|s| {
        s.closers
            .insert(123, pull_request_closer(456, &merge.to_string()));
    });
    let (code, _, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(gh.graphql_requests().await.len(), 1);
    let file = recorded(&repo);
    assert_eq!(file["version"], 2);
    assert_eq!(
        file["links"]["123"]["closer"],
        json!({ "kind": "pull_request", "number": 456, "base_ref": "main", "merge_commit": merge.to_string() })
    );

    let s1 = safeguard(&gh, &repo, "S1", &[]).await;
    assert_eq!(s1["state"], "shipped");
    assert_eq!(s1["shipped_by"]["via"], "pull-request");
    assert_eq!(s1["shipped_by"]["pull_request"], 456);
    assert_eq!(s1["shipped_by"]["commit"], merge.to_string());
    assert_eq!(
        s1["shipped_by"]["subject"],
        "Merge pull request #456 from acme/env-check"
    );

    let (code, stdout, stderr) = gh.run(&repo, &["status"]).await;
    assert_eq!(code, 0, "{stderr}");
    let short = &merge.to_string()[..7];
    let day = &s1["shipped_by"]["date"].as_str().expect("date")[..10];
    let line = stdout.lines().find(|l| l.contains("/S1")).expect("S1 line");
    assert!(
        line.contains(&format!(
            "shipped by #456, merge {short} {day} Merge pull request #456 from acme/env-check"
        )),
        "{line}"
    );
    // Offline, `check` agrees once sync recorded it: past S1's deadline
    // only S2 is overdue.
    let (code, _, stderr) = repo.run_env(
        &["check", "--today", "2026-12-20"],
        &[("GITHUB_REPOSITORY", "acme/shop")],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.ends_with("2 safeguards: 1 shipped, 1 overdue on main\n"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_merge_commit_missing_from_local_history_stays_closed_unverified() {
    let elsewhere = "3fb0429d1c5e8a7b6f4e2d0c9b8a7f6e5d4c3b2a";
    let (repo, gh) = closed_by(Some(pull_request_closer(456, elsewhere))).await;
    let (code, _, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 0, "{stderr}");
    let s1 = safeguard(&gh, &repo, "S1", &[]).await;
    assert_eq!(s1["state"], "closed-unverified");
    assert_eq!(s1["shipped_by"], Value::Null);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closing_commit_on_main_counts_and_an_older_trailer_still_wins() {
    let (repo, gh) = closed_by(None).await;
    let trailer = repo.commit(&format!(
        "Check env vars\n\nPostmortem-Safeguard: {CHECKOUT_ID}/S1"
    ));
    let merge = merge_pull_request(&repo);
    gh.with_state(|s| {
        s.closers
            .insert(123, pull_request_closer(456, &merge.to_string()));
    });
    assert_eq!(gh.run(&repo, &["sync"]).await.0, 0);
    let s1 = safeguard(&gh, &repo, "S1", &[]).await;
    assert_eq!(s1["shipped_by"]["via"], "trailer");
    assert_eq!(s1["shipped_by"]["commit"], trailer.to_string());
    assert!(s1["shipped_by"].get("pull_request").is_none());

    // A commit GitHub names as the closer counts as a closing reference.
    let (repo, gh) = closed_by(None).await;
    let commit = repo.commit("Check env vars (the reference was in a PR title)");
    gh.with_state(|s| {
        s.closers.insert(123, commit_closer(&commit.to_string()));
    });
    assert_eq!(gh.run(&repo, &["sync"]).await.0, 0);
    let s1 = safeguard(&gh, &repo, "S1", &[]).await;
    assert_eq!(s1["state"], "shipped");
    assert_eq!(s1["shipped_by"]["via"], "closing-ref");
    assert_eq!(s1["shipped_by"]["commit"], commit.to_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_open_issue_names_the_open_pull_request_that_will_close_it() {
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| {
        s.closing_prs.insert(123, vec![789]);
    });
    assert_eq!(gh.run(&repo, &["sync"]).await.0, 0);
    let s1 = safeguard(&gh, &repo, "S1", &["--today", "2026-12-20"]).await;
    assert_eq!(s1["state"], "overdue");
    assert_eq!(s1["closing_pull_requests"], json!([789]));
    // S2's issue was opened just now: nothing closes it, no field.
    let s2 = safeguard(&gh, &repo, "S2", &[]).await;
    assert!(s2.get("closing_pull_requests").is_none(), "{s2}");

    let (_, stdout, _) = gh.run(&repo, &["status", "--today", "2026-12-20"]).await;
    let line = stdout.lines().find(|l| l.contains("/S1")).expect("S1");
    assert!(
        line.ends_with("5 days overdue (PR #789 will close it)"),
        "{line}"
    );

    let (code, stdout, stderr) = gh
        .run(
            &repo,
            &["digest", "--format", "json", "--today", "2026-12-20"],
        )
        .await;
    assert_eq!(code, 0, "{stderr}");
    let digest: Value = serde_json::from_str(&stdout).expect("json");
    let overdue = &digest["overdue"]["safeguards"];
    let s1 = overdue
        .as_array()
        .expect("overdue")
        .iter()
        .find(|s| s["id"] == "S1")
        .expect("S1 overdue");
    assert_eq!(s1["closing_pull_requests"], json!([789]));
    let (_, markdown, _) = gh.run(&repo, &["digest", "--today", "2026-12-20"]).await;
    let line = markdown
        .lines()
        .find(|l| l.contains("/S1`") && l.contains("overdue, due"))
        .expect("S1 in the overdue list");
    assert!(line.ends_with("(PR #789 will close it)"), "{line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn closed_issues_are_read_one_graphql_request_per_100() {
    let repo = TestRepo::new();
    let mut text = minimal("Many safeguards", "draft", "2026-11-21T10:00:00Z");
    for n in 1..=150u64 {
        text.push_str(&format!(
            "\n[[safeguards]]\nid = \"S{n}\"\ntitle = \"Safeguard {n}\"\ndue = 2026-12-01\nissue = {n}\n"
        ));
    }
    repo.write_postmortem("2026-11-21-many", &text);
    let gh = FakeGitHub::start().await;
    gh.with_state(|s| {
        for n in 1..=150u64 {
            s.issues.push(issue(
                n,
                &format!("Safeguard {n}"),
                &format!("<!-- git-postmortem: 2026-11-21-many/S{n} -->"),
                "closed",
                &["postmortem"],
            ));
        }
    });
    let (code, _, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 0, "{stderr}");
    let queries = gh.graphql_requests().await;
    assert_eq!(queries.len(), 2);
    let asked: Vec<usize> = queries
        .iter()
        .map(|q| {
            crate::common::github::queried_issues(
                q.body.as_ref().expect("body")["query"]
                    .as_str()
                    .expect("query"),
            )
            .len()
        })
        .collect();
    assert_eq!(asked, [100, 50]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_graphql_read_warns_and_keeps_what_was_recorded() {
    let (repo, gh) = closed_by(None).await;
    let merge = merge_pull_request(&repo);
    gh.with_state(|s| {
        s.closers
            .insert(123, pull_request_closer(456, &merge.to_string()));
    });
    assert_eq!(gh.run(&repo, &["sync"]).await.0, 0);
    let before = recorded(&repo)["links"].clone();
    assert!(before["123"]["closer"].is_object());

    for faults in [vec![Fault::GraphqlErrors], vec![Fault::Status502; 10]] {
        gh.with_state(|s| {
            s.graphql_faults = faults.clone();
            // Were the read to succeed, the recorded closer would go.
            s.closers.clear();
        });
        let (code, stdout, stderr) = gh.run(&repo, &["sync"]).await;
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stderr.contains("could not read which pull requests close the issues"),
            "{stderr}"
        );
        assert!(stdout.contains("safeguards:"), "{stdout}");
        assert_eq!(recorded(&repo)["links"], before);
        let s1 = safeguard(&gh, &repo, "S1", &[]).await;
        assert_eq!(s1["shipped_by"]["via"], "pull-request");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_graphql_url_exits_2_naming_it_before_anything_changes() {
    let (repo, gh) = checkout_with_issue().await;
    let before = repo.snapshot_files();
    let (code, stdout, stderr) = gh
        .run_with(&repo, &[("GITHUB_GRAPHQL_URL", "not a url")], &["sync"])
        .await;
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: GITHUB_GRAPHQL_URL: `not a url` is not a URL"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\nhint: set GITHUB_GRAPHQL_URL to a URL like https://"),
        "{stderr}"
    );
    assert!(!stderr.contains("sync again"), "{stderr}");
    assert_eq!(gh.requests().await, Vec::new());
    assert_eq!(gh.graphql_requests().await, Vec::new());
    assert_eq!(repo.snapshot_files(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closing_reference_older_than_the_issue_stops_counting_once_sync_records_it() {
    // The incident occurred 2026-11-20T14:02Z; issue #123 was created
    // 2026-11-24T09:00Z. A `Fixes #123` of 2026-11-22 was about another
    // #123 (another tracker, a fork): it cannot have closed this one.
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| s.issues[0]["created_at"] = json!("2026-11-24T09:00:00Z"));
    let older = repo.commit_at("Check env vars\n\nFixes #123", "2026-11-22T12:00:00Z");
    repo.commit("Unrelated");
    // Before sync records when the issue was created, the reference counts.
    let s1 = safeguard(&gh, &repo, "S1", &[]).await;
    assert_eq!(s1["state"], "shipped");

    let (code, _, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(recorded(&repo)["links"]["123"]["created_at"], 1_795_510_800);
    let s1 = safeguard(&gh, &repo, "S1", &[]).await;
    assert_eq!(s1["state"], "pending");
    assert_eq!(s1["predating_commit"]["commit"], older.to_string());
    assert_eq!(s1["predating_commit"]["predates"], "issue");
    let (code, stdout, stderr) = gh.run(&repo, &["status"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(&format!(
            "the closing reference to #123 in {} (2026-11-22) predates issue #123",
            &older.to_string()[..7]
        )),
        "{stdout}"
    );

    // Within a day of the issue's creation (clock skew), it counts.
    let skewed = repo.commit_at("Check env vars again\n\nFixes #123", "2026-11-23T10:00:00Z");
    let s1 = safeguard(&gh, &repo, "S1", &[]).await;
    assert_eq!(s1["state"], "shipped");
    assert_eq!(s1["shipped_by"]["commit"], skewed.to_string());
}
