//! `sync` against a fake GitHub on 127.0.0.1, asserting the exact requests.

use std::time::Instant;

use serde_json::json;

use crate::common::fixtures::{minimal, safeguard};
use crate::common::github::{
    checkout_with_issue, issue, lines, writes, FakeGitHub, Fault, Seen, TOKEN,
};
use crate::common::TestRepo;

const PATH: &str = "postmortems/2026-11-20-checkout-500s.toml";

async fn sync(repo: &TestRepo, gh: &FakeGitHub, args: &[&str]) -> (i32, String, String) {
    gh.run(repo, &[&["sync"], args].concat()).await
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_opens_missing_issues_creates_labels_and_writes_numbers_back() {
    let (repo, gh) = checkout_with_issue().await;
    let before = repo.read(PATH);
    let (code, stdout, stderr) = sync(&repo, &gh, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "opened #124 for 2026-11-20-checkout-500s/S2\n2 safeguards: 1 opened, 0 recorded, 1 already linked (2 open, 0 closed issues)\n"
    );
    let requests = gh.requests().await;
    assert_eq!(
        lines(&requests),
        [
            "GET /repos/acme/shop/issues?state=all&labels=postmortem&per_page=100",
            "GET /repos/acme/shop/labels?per_page=100",
            "GET /repos/acme/shop/assignees/sre-lead",
            "POST /repos/acme/shop/labels",
            "POST /repos/acme/shop/labels",
            "POST /repos/acme/shop/issues",
        ]
    );
    assert_eq!(
        requests[3].body,
        Some(
            json!({ "name": "postmortem", "color": "b60205", "description": "Tracked by git-postmortem" })
        )
    );
    let create = requests[5].body.clone().expect("json body");
    assert_eq!(
        create["title"],
        "[postmortem] Alert on checkout 5xx above 1%"
    );
    assert_eq!(create["labels"], json!(["postmortem", "safeguard"]));
    assert_eq!(create["assignees"], json!(["sre-lead"]));
    let body = create["body"].as_str().expect("body");
    assert!(
        body.ends_with("<!-- git-postmortem: 2026-11-20-checkout-500s/S2 -->\n"),
        "{body}"
    );
    insta::assert_snapshot!("sync_issue_body", body);
    // Only `issue = 124` was added; every other byte is as it was.
    assert_eq!(
        repo.read(PATH),
        before.replace(
            "owner = \"sre-lead\"\ndue = 2026-12-01\n",
            "owner = \"sre-lead\"\ndue = 2026-12-01\nissue = 124\n"
        )
    );
    assert!(!stdout.contains(TOKEN) && !stderr.contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread")]
async fn second_sync_makes_no_write_requests() {
    let (repo, gh) = checkout_with_issue().await;
    assert_eq!(sync(&repo, &gh, &[]).await.0, 0);
    let after_first = repo.read(PATH);
    gh.reset_requests().await;
    let (code, stdout, stderr) = sync(&repo, &gh, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "2 safeguards: 0 opened, 0 recorded, 2 already linked (2 open, 0 closed issues)\n"
    );
    let requests = gh.requests().await;
    assert_eq!(writes(&requests), Vec::<String>::new());
    assert_eq!(
        lines(&requests),
        ["GET /repos/acme/shop/issues?state=all&labels=postmortem&per_page=100"]
    );
    assert_eq!(repo.read(PATH), after_first);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_owner_who_is_not_a_login_is_not_assigned() {
    let repo = TestRepo::new();
    repo.write_postmortem(
        "2026-11-21-dns",
        &[
            minimal("DNS", "draft", "2026-11-21T10:00:00Z"),
            safeguard("S1", "Alert on SERVFAIL", "SRE team"),
            safeguard("S2", "Runbook", "ghost"),
        ]
        .concat(),
    );
    let gh = FakeGitHub::start().await;
    let (code, _, stderr) = sync(&repo, &gh, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    let requests = gh.requests().await;
    // "SRE team" is not a login: not even looked up. "ghost" is, but the
    // repository cannot assign it.
    assert!(lines(&requests).contains(&"GET /repos/acme/shop/assignees/ghost".to_string()));
    let creates: Vec<&Seen> = requests
        .iter()
        .filter(|r| r.line() == "POST /repos/acme/shop/issues")
        .collect();
    assert_eq!(creates.len(), 2);
    assert!(creates.iter().all(|c| c
        .body
        .as_ref()
        .is_some_and(|b| b.get("assignees").is_none())));
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_follows_pagination_and_finds_an_existing_issue_by_its_marker() {
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| {
        s.labels = vec!["postmortem".into(), "safeguard".into()];
        for n in 1..=250 {
            if n == 123 {
                continue;
            }
            let body = if n == 17 {
                "created by a run that crashed\n<!-- git-postmortem: 2026-11-20-checkout-500s/S2 -->".to_string()
            } else {
                format!("unrelated issue {n}")
            };
            s.issues.push(issue(n, "other", &body, "open", &["postmortem"]));
        }
    });
    let (code, stdout, stderr) = sync(&repo, &gh, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("recorded #17 for 2026-11-20-checkout-500s/S2 (found by its marker)\n"),
        "{stdout}"
    );
    let requests = gh.requests().await;
    assert_eq!(
        lines(&requests),
        [
            "GET /repos/acme/shop/issues?state=all&labels=postmortem&per_page=100",
            "GET /repos/acme/shop/issues?state=all&labels=postmortem&per_page=100&page=2",
            "GET /repos/acme/shop/issues?state=all&labels=postmortem&per_page=100&page=3",
            // Whose issue #17 is: only the token's own are adopted.
            "GET /user",
        ]
    );
    assert!(repo.read(PATH).contains("due = 2026-12-01\nissue = 17\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_response_lost_after_the_issue_was_created_makes_no_duplicate() {
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| s.create_faults = vec![Fault::CreatedThen502]);
    let (code, stdout, stderr) = sync(&repo, &gh, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("opened #124 for 2026-11-20-checkout-500s/S2\n"),
        "{stdout}"
    );
    let requests = gh.requests().await;
    let tail: Vec<String> = lines(&requests).into_iter().skip(5).collect();
    assert_eq!(
        tail,
        [
            "POST /repos/acme/shop/issues",
            "GET /repos/acme/shop/issues?state=all&labels=postmortem&sort=created&direction=desc&per_page=100",
            "GET /user",
        ]
    );
    gh.with_state(|s| assert_eq!(s.issues.len(), 2, "exactly one issue was created"));
    assert!(repo.read(PATH).contains("issue = 124\n"));
    // And a rerun changes nothing.
    gh.reset_requests().await;
    assert_eq!(sync(&repo, &gh, &[]).await.0, 0);
    assert_eq!(writes(&gh.requests().await), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crash_before_write_back_is_repaired_by_the_next_run() {
    let (repo, gh) = checkout_with_issue().await;
    // The answer to the create is lost, and so is every lookup after the
    // first list: the run stops with exit 3, the issue exists on GitHub,
    // the file does not know it.
    gh.with_state(|s| {
        s.labels = vec!["postmortem".into(), "safeguard".into()];
        s.create_faults = vec![Fault::CreatedThen502];
        s.list_faults = [vec![Fault::Pass], vec![Fault::Status502; 10]].concat();
    });
    let first = sync(&repo, &gh, &[]).await;
    assert_eq!(first.0, 3, "{}", first.2);
    assert!(
        first.2.contains("hint: run `git postmortem sync` again"),
        "{}",
        first.2
    );
    assert!(!repo.read(PATH).contains("issue = 124"));
    gh.with_state(|s| s.list_faults.clear());
    gh.reset_requests().await;
    let (code, stdout, stderr) = sync(&repo, &gh, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("recorded #124 for 2026-11-20-checkout-500s/S2 (found by its marker)\n"),
        "{stdout}"
    );
    assert_eq!(writes(&gh.requests().await), Vec::<String>::new());
    gh.with_state(|s| assert_eq!(s.issues.len(), 2, "no duplicate"));
    assert!(repo.read(PATH).contains("issue = 124\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_secondary_rate_limit_is_waited_out() {
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| {
        s.labels = vec!["postmortem".into(), "safeguard".into()];
        s.create_faults = vec![Fault::RateLimited { retry_after: 1 }];
    });
    let started = Instant::now();
    let (code, _, stderr) = sync(&repo, &gh, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        started.elapsed().as_millis() >= 1000,
        "waited {:?}",
        started.elapsed()
    );
    let posts: Vec<String> = writes(&gh.requests().await);
    assert_eq!(
        posts,
        [
            "POST /repos/acme/shop/issues",
            "POST /repos/acme/shop/issues"
        ]
    );
    gh.with_state(|s| assert_eq!(s.issues.len(), 2));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_exhausted_primary_rate_limit_is_waited_out_until_its_reset() {
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| s.list_faults = vec![Fault::Exhausted { reset_in: 1 }]);
    let started = Instant::now();
    let (code, _, stderr) = sync(&repo, &gh, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    // Waited until the reset (1 s away, plus a second of margin).
    assert!(
        started.elapsed().as_millis() >= 1000,
        "waited {:?}",
        started.elapsed()
    );
    let lists = lines(&gh.requests().await)
        .into_iter()
        .filter(|l| l.starts_with("GET /repos/acme/shop/issues?"))
        .count();
    assert_eq!(lists, 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_limit_longer_than_the_budget_gives_up_with_exit_3() {
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| s.list_faults = vec![Fault::Exhausted { reset_in: 3600 }]);
    let mut cmd = repo.cmd();
    for (key, value) in gh.env() {
        cmd.env(key, value);
    }
    cmd.env("GIT_POSTMORTEM_GITHUB_BUDGET", "5").arg("sync");
    let started = Instant::now();
    let output = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("run");
    assert!(started.elapsed().as_secs() < 5, "gave up at once");
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: GitHub: GET /repos/acme/shop/issues?state=all&labels=postmortem&per_page=100 failed with HTTP 403: API rate limit exceeded (the wait GitHub asks for is longer than the time left)"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn server_errors_on_reads_are_retried_with_backoff() {
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| s.list_faults = vec![Fault::Status502, Fault::Status502]);
    let (code, _, stderr) = sync(&repo, &gh, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    let reads: Vec<String> = lines(&gh.requests().await)
        .into_iter()
        .filter(|l| l.starts_with("GET /repos/acme/shop/issues?"))
        .collect();
    assert_eq!(reads.len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn persistent_failure_exits_3_keeping_the_numbers_already_written() {
    let repo = TestRepo::new();
    repo.write_postmortem(
        "2026-11-21-dns",
        &[
            minimal("DNS", "draft", "2026-11-21T10:00:00Z"),
            safeguard("S1", "One", "dana"),
            safeguard("S2", "Two", "dana"),
        ]
        .concat(),
    );
    let gh = FakeGitHub::start().await;
    gh.with_state(|s| {
        s.labels = vec!["postmortem".into(), "safeguard".into()];
        s.create_faults = vec![
            Fault::RateLimited { retry_after: 0 },
            Fault::Pass,
            Fault::Status502,
            Fault::Status502,
            Fault::Status502,
        ];
    });
    // First create: rate-limited, then created as #1. Second: 502 three
    // times without creating anything.
    let (code, stdout, stderr) = sync(&repo, &gh, &[]).await;
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stdout.starts_with("opened #1 for 2026-11-21-dns/S1\n"),
        "{stdout}"
    );
    assert!(
        stderr.starts_with("error: GitHub: POST /repos/acme/shop/issues: no answer (HTTP 502)"),
        "{stderr}"
    );
    let text = repo.read("postmortems/2026-11-21-dns.toml");
    assert!(
        text.contains("title = \"One\"\nowner = \"dana\"\ndue = 2026-12-01\nissue = 1\n"),
        "{text}"
    );
    assert!(!text.contains("issue = 2"), "{text}");
    gh.with_state(|s| assert_eq!(s.issues.len(), 1));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_token_is_a_clear_error_that_never_shows_the_token() {
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| s.unauthorized = true);
    let before = repo.snapshot_files();
    let (code, stdout, stderr) = sync(&repo, &gh, &[]).await;
    assert_eq!(code, 3);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: GitHub: GitHub refused the token (401): Bad credentials\nhint: check that GITHUB_TOKEN (or GH_TOKEN) is a valid token with `issues: write` on the repository\n"
    );
    assert!(!stderr.contains(TOKEN));
    assert_eq!(repo.snapshot_files(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_token_sync_names_the_variables_and_exits_2() {
    let (repo, _gh) = checkout_with_issue().await;
    let (code, _, stderr) = repo.run(&["sync"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: sync needs a GitHub token, and neither GITHUB_TOKEN nor GH_TOKEN is set\nhint: export GITHUB_TOKEN"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_prints_the_plan_and_writes_nothing() {
    let (repo, gh) = checkout_with_issue().await;
    let before = repo.snapshot_files();
    let (code, stdout, stderr) = sync(&repo, &gh, &["--dry-run"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "would create label `postmortem`\n\
         would create label `safeguard`\n\
         would open an issue for 2026-11-20-checkout-500s/S2: [postmortem] Alert on checkout 5xx above 1% (assigned to sre-lead)\n\
         dry run: 3 changes planned; nothing was changed on GitHub or in files\n"
    );
    assert_eq!(writes(&gh.requests().await), Vec::<String>::new());
    assert_eq!(repo.snapshot_files(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn gh_token_and_an_origin_remote_are_used_when_nothing_else_is_set() {
    let (repo, gh) = checkout_with_issue().await;
    repo.repo
        .remote("origin", "git@github.com:acme/shop.git")
        .expect("remote");
    let mut cmd = repo.cmd();
    cmd.env("GH_TOKEN", TOKEN)
        .env("GITHUB_API_URL", gh.server.uri())
        .env("GIT_POSTMORTEM_BACKOFF_MS", "5")
        .args(["sync", "--dry-run"]);
    let output = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(lines(&gh.requests().await)[0].starts_with("GET /repos/acme/shop/issues?"));
}

/// The request budget the contract promises: list requests per 100
/// issues, not one request per safeguard.
#[tokio::test(flavor = "multi_thread")]
async fn five_hundred_safeguards_cost_five_list_requests_once_synced() {
    let repo = TestRepo::new();
    for p in 0..100 {
        let mut text = minimal(&format!("Incident {p}"), "draft", "2026-11-21T10:00:00Z");
        for s in 1..=5 {
            text.push_str(&safeguard(
                &format!("S{s}"),
                &format!("Safeguard {p}.{s}"),
                "dana",
            ));
        }
        repo.write_postmortem(&format!("2026-11-21-incident-{p:03}"), &text);
    }
    let gh = FakeGitHub::start().await;
    let (code, _, stderr) = sync(&repo, &gh, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    let first = gh.requests().await;
    let creates = first
        .iter()
        .filter(|r| r.line() == "POST /repos/acme/shop/issues")
        .count();
    assert_eq!(creates, 500);
    // 1 list + 1 labels + 1 assignee check + 2 label creations + 500 issues.
    assert_eq!(first.len(), 505);
    gh.reset_requests().await;
    let (code, _, stderr) = sync(&repo, &gh, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    let second = gh.requests().await;
    assert_eq!(second.len(), 5, "{:?}", lines(&second));
    assert_eq!(writes(&second), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_issue_without_a_shipping_commit_is_closed_unverified() {
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| {
        s.issues[0]["state"] = json!("closed");
        s.issues[0]["state_reason"] = json!("completed");
    });
    let (code, stdout, stderr) = sync(&repo, &gh, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.ends_with("(1 open, 1 closed issues)\n"), "{stdout}");
    let (code, stdout, stderr) = repo.run(&["status", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["safeguards"][0]["ref"], "2026-11-20-checkout-500s/S1");
    assert_eq!(doc["safeguards"][0]["state"], "closed-unverified");
    assert_eq!(doc["safeguards"][1]["state"], "pending");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shipped_safeguard_gets_one_comment_and_is_closed_on_request() {
    let (repo, gh) = checkout_with_issue().await;
    let oid = repo.commit(
        "Fail deploy on a missing env var\n\nPostmortem-Safeguard: 2026-11-20-checkout-500s/S1",
    );
    let (code, _, stderr) = sync(&repo, &gh, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    let comments = gh
        .state
        .lock()
        .expect("state")
        .comments
        .get(&123)
        .cloned()
        .unwrap_or_default();
    assert_eq!(comments.len(), 1);
    let body = comments[0]["body"].as_str().expect("body");
    assert!(
        body.starts_with(&format!(
            "Shipped by {oid} (Fail deploy on a missing env var)"
        )),
        "{body}"
    );
    assert!(body.contains("<!-- git-postmortem: shipped 2026-11-20-checkout-500s/S1 -->"));
    // Again: the comment is found by its marker and not repeated.
    gh.reset_requests().await;
    assert_eq!(sync(&repo, &gh, &[]).await.0, 0);
    assert_eq!(writes(&gh.requests().await), Vec::<String>::new());
    // With --close-shipped the issue is closed as completed, once.
    let (code, stdout, stderr) = sync(&repo, &gh, &["--close-shipped"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.ends_with(", 1 closed\n"), "{stdout}");
    let patch: Vec<Seen> = gh
        .requests()
        .await
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(patch.len(), 1);
    assert_eq!(patch[0].url, "/repos/acme/shop/issues/123");
    assert_eq!(
        patch[0].body,
        Some(json!({ "state": "closed", "state_reason": "completed" }))
    );
    gh.reset_requests().await;
    assert_eq!(sync(&repo, &gh, &["--close-shipped"]).await.0, 0);
    assert_eq!(writes(&gh.requests().await), Vec::<String>::new());
    let (_, stdout, _) = repo.run(&["status", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["safeguards"][0]["state"], "shipped");
}
