//! GitHub, or whatever answers in its place, as an adversary: servers that
//! drip, stall or flood, comments and issues that copy the tool's hidden
//! markers, and environments that hold a broken token or URL. Nothing may
//! hang, leak the token, or be taken over.

use std::time::Duration;

use serde_json::json;

use crate::common::fixtures::CHECKOUT_ID;
use crate::common::github::{
    checkout_with_issue, comment_by, issue_by, lines, pull_request_closer, run_within, writes,
    FakeGitHub, Fault, Hostile, HostileServer, Seen, BOT, TOKEN,
};
use crate::common::openapi::violations;
use crate::common::TestRepo;
use crate::review::the_pull_request;

const PATH: &str = "postmortems/2026-11-20-checkout-500s.toml";
const REVIEW_MARKER: &str = "<!-- git-postmortem: review -->";

/// The requests since the last reset, each checked against GitHub's
/// OpenAPI description.
async fn checked(gh: &FakeGitHub) -> Vec<Seen> {
    let requests = gh.requests().await;
    assert_eq!(violations(&requests), Vec::<String>::new());
    requests
}

// Deadlines: a GitHub call ends within the budget, whatever the server does.

/// A generous bound on a command given a budget of 2 s: startup, the
/// history scan and the budget itself, on a busy machine. The old client
/// took minutes against these servers.
const BOUND: Duration = Duration::from_secs(10);

/// Run `args` against `server` with a 2 s budget; the run is killed (and
/// the test fails) if it outlives twice [`BOUND`].
async fn against(
    repo: &TestRepo,
    server: &HostileServer,
    args: &[&str],
) -> (i32, String, String, Duration) {
    let mut cmd = repo.hermetic(assert_cmd::cargo::cargo_bin("git-postmortem"));
    cmd.envs(server.env(2)).args(args);
    run_within(cmd, BOUND * 2).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_never_answers_times_out_within_the_budget() {
    let (repo, _gh) = checkout_with_issue().await;
    let server = HostileServer::start(Hostile::NeverAnswer).await;
    let before = repo.snapshot_files();
    let (code, stdout, stderr, took) = against(&repo, &server, &["sync"]).await;
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: GitHub: GET /repos/acme/shop/issues?state=all&labels=postmortem&per_page=100: timed out: no complete answer within the time budget for GitHub (2 s, GIT_POSTMORTEM_GITHUB_BUDGET)\n"),
        "{stderr}"
    );
    assert!(took < BOUND, "took {took:?}");
    assert!(server.requests() >= 1);
    assert!(!stderr.contains(TOKEN));
    assert_eq!(repo.snapshot_files(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_dripped_a_byte_at_a_time_times_out_within_the_budget() {
    let (repo, _gh) = checkout_with_issue().await;
    let server = HostileServer::start(Hostile::SlowDrip).await;
    let (code, _, stderr, took) = against(&repo, &server, &["sync"]).await;
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains(": timed out: no complete answer within the time budget for GitHub (2 s, GIT_POSTMORTEM_GITHUB_BUDGET)\n"),
        "{stderr}"
    );
    assert!(took < BOUND, "took {took:?}");

    // `remind` and `review` make their calls under the same deadline.
    let (code, _, stderr, took) =
        against(&repo, &server, &["remind", "--today", "2026-12-20"]).await;
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains(": timed out: "), "{stderr}");
    assert!(took < BOUND, "took {took:?}");
    let pull = the_pull_request();
    let (code, stdout, stderr, took) = against(&pull, &server, &["review", "--pr", "7"]).await;
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stdout.starts_with("## Postmortem review\n"),
        "the review is printed first: {stdout}"
    );
    assert!(stderr.contains(": timed out: "), "{stderr}");
    assert!(took < BOUND, "took {took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_endless_answer_is_cut_at_the_cap_with_a_clear_error() {
    let (repo, _gh) = checkout_with_issue().await;
    let server = HostileServer::start(Hostile::HugeBody).await;
    let before = repo.snapshot_files();
    let (code, stdout, stderr, took) = against(&repo, &server, &["sync"]).await;
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: GitHub: GET /repos/acme/shop/issues?state=all&labels=postmortem&per_page=100: the answer is larger than 32 MiB, more than GitHub ever sends; stopped reading it\n\
         hint: check that GITHUB_API_URL (and GITHUB_GRAPHQL_URL) point at GitHub's API\n"
    );
    assert_eq!(
        server.requests(),
        1,
        "an answer too large is not asked again"
    );
    assert!(took < BOUND, "took {took:?}");
    assert_eq!(repo.snapshot_files(), before);
}

// Forged markers: only what the token's own account wrote counts.

#[tokio::test(flavor = "multi_thread")]
async fn a_forged_reminder_marker_does_not_silence_reminders() {
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| {
        s.comments.insert(
            123,
            vec![
                // Anyone may comment; their marker is not a reminder.
                comment_by(
                    "mallory",
                    1,
                    "<!-- git-postmortem: reminder 2026-11-20-checkout-500s/S1 on 2099-12-31 -->",
                ),
                comment_by(
                    "mallory",
                    2,
                    "<!-- git-postmortem: reminder 2026-11-20-checkout-500s/S1 on 2026-12-19 -->",
                ),
                // The tool's own, dated in the future: no reminder was
                // posted then.
                comment_by(
                    BOT,
                    3,
                    "<!-- git-postmortem: reminder 2026-11-20-checkout-500s/S1 on 2026-12-25 -->",
                ),
            ],
        );
    });
    let (code, stdout, stderr) = gh.run(&repo, &["remind", "--today", "2026-12-20"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("reminded on #123 for 2026-11-20-checkout-500s/S1 (5 days overdue)\n"),
        "{stdout}"
    );
    let requests = checked(&gh).await;
    assert_eq!(
        lines(&requests),
        [
            "GET /repos/acme/shop/issues/123/comments?per_page=100",
            "GET /user",
            "POST /repos/acme/shop/issues/123/comments",
        ]
    );
    // The reminder just posted is the tool's own: the next run within the
    // week posts nothing.
    gh.reset_requests().await;
    let (code, stdout, _) = gh.run(&repo, &["remind", "--today", "2026-12-22"]).await;
    assert_eq!(code, 0);
    assert!(stdout.starts_with("not yet: #123"), "{stdout}");
    assert_eq!(writes(&gh.requests().await), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forged_review_marker_does_not_take_over_the_sticky_comment() {
    let repo = the_pull_request();
    let gh = FakeGitHub::start().await;
    gh.with_state(|s| {
        s.comments.insert(
            7,
            vec![comment_by(
                "mallory",
                1,
                &format!("Nothing to see here.\n{REVIEW_MARKER}"),
            )],
        );
    });
    let (code, stdout, stderr) = gh.run(&repo, &["review", "--pr", "7"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.ends_with("\nposted review comment on #7\n"),
        "{stderr}"
    );
    assert_eq!(
        lines(&checked(&gh).await),
        [
            "GET /repos/acme/shop/pulls/7/reviews?per_page=100",
            "GET /repos/acme/shop/issues/7/comments?per_page=100",
            "GET /user",
            "POST /repos/acme/shop/issues/7/comments",
        ]
    );
    let bodies = |gh: &FakeGitHub| -> Vec<(String, String)> {
        gh.state.lock().expect("state").comments[&7]
            .iter()
            .map(|c| {
                (
                    c["user"]["login"].as_str().unwrap_or("").to_string(),
                    c["body"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let review = format!("{stdout}\n{REVIEW_MARKER}\n");
    assert_eq!(
        bodies(&gh),
        [
            (
                "mallory".to_string(),
                format!("Nothing to see here.\n{REVIEW_MARKER}")
            ),
            (BOT.to_string(), review.clone()),
        ]
    );
    // The next run edits the tool's own comment, not the impostor.
    gh.reset_requests().await;
    let (code, _, stderr) = gh
        .run(&repo, &["review", "--pr", "7", "--base", "HEAD"])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.ends_with("\nupdated review comment on #7\n"),
        "{stderr}"
    );
    assert_eq!(
        writes(&checked(&gh).await),
        ["PATCH /repos/acme/shop/issues/comments/2"]
    );
    assert_eq!(bodies(&gh)[0].0, "mallory");
    assert!(bodies(&gh)[0].1.starts_with("Nothing to see here."));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_actions_token_is_github_actions_bot_and_an_app_token_is_named() {
    let repo = the_pull_request();
    let gh = FakeGitHub::start().await;
    // An installation token may not read GET /user.
    gh.with_state(|s| {
        s.user_status = Some(403);
        s.login = "github-actions[bot]".into();
        s.comments.insert(
            7,
            vec![
                comment_by("mallory", 1, &format!("forged\n{REVIEW_MARKER}")),
                comment_by("github-actions[bot]", 2, &format!("old\n{REVIEW_MARKER}")),
            ],
        );
    });
    let actions = [("GITHUB_ACTIONS", "true")];
    let (code, _, stderr) = gh.run_with(&repo, &actions, &["review", "--pr", "7"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.ends_with("\nupdated review comment on #7\n"),
        "{stderr}"
    );
    assert_eq!(
        writes(&checked(&gh).await),
        ["PATCH /repos/acme/shop/issues/comments/2"]
    );

    // Outside Actions, such a token's account is unknown: exit 3, saying
    // how to name it, and nothing is written.
    gh.reset_requests().await;
    let (code, stdout, stderr) = gh.run(&repo, &["review", "--pr", "7"]).await;
    assert_eq!(code, 3, "{stderr}");
    assert!(stdout.starts_with("## Postmortem review\n"), "{stdout}");
    assert!(
        stderr.contains("error: GitHub: cannot tell which account the token acts as: GET /user failed with HTTP 403: Resource not accessible by integration\nhint: "),
        "{stderr}"
    );
    assert!(stderr.contains("GIT_POSTMORTEM_GITHUB_LOGIN"), "{stderr}");
    assert!(!stderr.contains("pull-requests: write"), "{stderr}");
    assert_eq!(writes(&gh.requests().await), Vec::<String>::new());

    // A GitHub App's token, named.
    gh.with_state(|s| s.login = "postmortem-app[bot]".into());
    gh.with_state(|s| {
        s.comments.get_mut(&7).expect("comments").push(comment_by(
            "postmortem-app[bot]",
            3,
            &format!("app's\n{REVIEW_MARKER}"),
        ))
    });
    gh.reset_requests().await;
    let (code, _, stderr) = gh
        .run_with(
            &repo,
            &[("GIT_POSTMORTEM_GITHUB_LOGIN", "postmortem-app[bot]")],
            &["review", "--pr", "7"],
        )
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        writes(&gh.requests().await),
        ["PATCH /repos/acme/shop/issues/comments/3"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_does_not_adopt_an_issue_someone_else_opened_with_a_marker() {
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| {
        s.labels = vec!["postmortem".into(), "safeguard".into()];
        s.issues.push(issue_by(
            "mallory",
            17,
            "[postmortem] Not yours",
            "<!-- git-postmortem: 2026-11-20-checkout-500s/S2 -->",
            "closed",
            &["postmortem"],
        ));
    });
    let (code, stdout, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("opened #124 for 2026-11-20-checkout-500s/S2\n"),
        "{stdout}"
    );
    assert_eq!(
        stderr,
        "warning: #17 carries the marker of 2026-11-20-checkout-500s/S2 but was not opened by the token's account, so it is not taken for that safeguard's issue\n"
    );
    assert!(repo.read(PATH).contains("due = 2026-12-01\nissue = 124\n"));
    let requests = checked(&gh).await;
    assert!(lines(&requests).contains(&"GET /user".to_string()));

    // A lost answer to the create is looked up among the tool's own
    // issues only: someone else's copy of the marker is not taken for it.
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| {
        s.labels = vec!["postmortem".into(), "safeguard".into()];
        s.create_faults = vec![Fault::Status502];
        s.issues.push(issue_by(
            "mallory",
            50,
            "[postmortem] Not yours either",
            "<!-- git-postmortem: 2026-11-20-checkout-500s/S2 -->",
            "open",
            &["postmortem"],
        ));
    });
    let (code, stdout, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("opened #124 for 2026-11-20-checkout-500s/S2\n"),
        "{stdout}"
    );
    assert!(!repo.read(PATH).contains("issue = 50"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_forged_shipped_marker_does_not_suppress_the_shipped_comment() {
    let (repo, gh) = checkout_with_issue().await;
    repo.commit(&format!(
        "Fail deploy on a missing env var\n\nPostmortem-Safeguard: {CHECKOUT_ID}/S1"
    ));
    gh.with_state(|s| {
        s.comments.insert(
            123,
            vec![comment_by(
                "mallory",
                1,
                "<!-- git-postmortem: shipped 2026-11-20-checkout-500s/S1 -->",
            )],
        );
    });
    let (code, _, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 0, "{stderr}");
    let comments = gh.state.lock().expect("state").comments[&123].clone();
    assert_eq!(comments.len(), 2, "{comments:?}");
    assert_eq!(comments[1]["user"]["login"], BOT);
    assert!(comments[1]["body"]
        .as_str()
        .expect("body")
        .starts_with("Shipped by "));
}

// A broken environment: exit 2, naming the variable, never the token.

#[tokio::test(flavor = "multi_thread")]
async fn a_token_with_a_control_character_exits_2_without_showing_it() {
    let (repo, gh) = checkout_with_issue().await;
    let secret = "ghp_secretpart\u{1}tail0123456789";
    for (var, other) in [("GITHUB_TOKEN", "GH_TOKEN"), ("GH_TOKEN", "GITHUB_TOKEN")] {
        let mut cmd = repo.cmd();
        for (key, value) in gh.env() {
            cmd.env(key, value);
        }
        let output = cmd
            .env_remove(other)
            .env(var, secret)
            .arg("sync")
            .output()
            .expect("run");
        let stderr = String::from_utf8(output.stderr).expect("utf-8");
        assert_eq!(output.status.code(), Some(2), "{var}: {stderr}");
        assert_eq!(
            stderr,
            format!(
                "error: {var}: the token holds a control character (character 15 of 29), so it cannot be sent\n\
                 hint: a GitHub token is printable ASCII without spaces: set {var} to the token alone (its value is not shown)\n"
            )
        );
        assert!(!stderr.contains("secretpart") && !stderr.contains("tail0123"));
    }
    assert_eq!(gh.requests().await, Vec::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_api_url_exits_2_naming_the_variable() {
    let (repo, gh) = checkout_with_issue().await;
    let before = repo.snapshot_files();
    for url in [
        "not a url",
        "api.github.com",
        "ftp://api.github.com",
        "https://",
    ] {
        let (code, stdout, stderr) = gh
            .run_with(&repo, &[("GITHUB_API_URL", url)], &["sync"])
            .await;
        assert_eq!(code, 2, "{url}: {stderr}");
        assert_eq!(stdout, "");
        assert!(
            stderr.starts_with("error: GITHUB_API_URL: "),
            "{url}: {stderr}"
        );
        assert!(
            stderr.contains("\nhint: set GITHUB_API_URL to a URL like https://api.github.com"),
            "{url}: {stderr}"
        );
        assert!(!stderr.contains("again"), "{url}: {stderr}");
    }
    // A password in the URL is not echoed.
    let (code, _, stderr) = gh
        .run_with(
            &repo,
            &[(
                "GITHUB_API_URL",
                "https://me:hunter2@ghe.example.com/api/v3",
            )],
            &["sync"],
        )
        .await;
    assert_eq!(code, 2, "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    // `review` prints the review, then exits 2 the same way.
    let pull = the_pull_request();
    let (code, stdout, stderr) = gh
        .run_with(
            &pull,
            &[("GITHUB_API_URL", "not a url")],
            &["review", "--pr", "7"],
        )
        .await;
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.starts_with("## Postmortem review\n"), "{stdout}");
    assert!(
        stderr.contains("error: GITHUB_API_URL: `not a url` is not a URL"),
        "{stderr}"
    );
    assert_eq!(gh.requests().await, Vec::new());
    assert_eq!(repo.snapshot_files(), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_to_another_host_is_refused_unless_allowed() {
    let (repo, gh) = checkout_with_issue().await;
    for var in ["GITHUB_API_URL", "GITHUB_GRAPHQL_URL"] {
        let (code, _, stderr) = gh
            .run_with(&repo, &[(var, "http://192.0.2.1/api/v3")], &["sync"])
            .await;
        assert_eq!(code, 2, "{stderr}");
        assert_eq!(
            stderr,
            format!(
                "error: {var}: `http://192.0.2.1/api/v3` is plain http, which would send the token unencrypted\n\
                 hint: use https://, or set GIT_POSTMORTEM_ALLOW_HTTP=1 to allow plain http on a network you trust (loopback addresses are always allowed)\n"
            )
        );
    }
    assert_eq!(gh.requests().await, Vec::new());
    // Allowed on purpose, it is tried (and here fails: 192.0.2.1 is an
    // address for documentation, which nothing answers).
    let (code, _, stderr) = gh
        .run_with(
            &repo,
            &[
                ("GITHUB_API_URL", "http://192.0.2.1/api/v3"),
                ("GIT_POSTMORTEM_ALLOW_HTTP", "1"),
                ("GIT_POSTMORTEM_GITHUB_BUDGET", "3"),
            ],
            &["sync"],
        )
        .await;
    assert_eq!(code, 3, "{stderr}");
    // Loopback stays allowed: every other test talks http to 127.0.0.1,
    // and `localhost` is the same.
    let port = gh.server.address().port();
    let (code, _, stderr) = gh
        .run_with(
            &repo,
            &[("GITHUB_API_URL", &format!("http://localhost:{port}"))],
            &["sync", "--dry-run"],
        )
        .await;
    assert_eq!(code, 0, "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_github_repo_that_is_not_owner_slash_name_is_refused() {
    let (repo, gh) = checkout_with_issue().await;
    let config = repo.read(".postmortem.toml");
    for bad in ["../..", "acme/shop/issues", "-acme/shop", "acme/.."] {
        let text = config.replacen("# repo = \"acme/shop\"", &format!("repo = \"{bad}\""), 1);
        assert_ne!(text, config, "the config has a commented repo line");
        repo.write(".postmortem.toml", &text);
        let line = text
            .lines()
            .position(|l| l.starts_with("repo = "))
            .expect("repo line")
            + 1;
        let (code, stdout, stderr) = gh.run(&repo, &["sync"]).await;
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert_eq!(stdout, "");
        assert!(
            stderr.starts_with(&format!(
                "error: .postmortem.toml:{line}:8: [schema] [github] repo: `{bad}` is not a GitHub repository: "
            )),
            "{bad}: {stderr}"
        );
    }
    assert_eq!(gh.requests().await, Vec::new());
}

// The token never leaves: not in output, files, or on a redirect.

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_echoes_the_token_never_gets_it_printed_or_written() {
    // GraphQL quotes the token in a closer's branch name, which `sync`
    // records in .git/postmortem/issues.json, and in an error.
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| {
        s.issues[0]["state"] = json!("closed");
        let mut closer = pull_request_closer(9, &"a".repeat(40));
        closer["baseRefName"] = json!(format!("main-{TOKEN}"));
        s.closers.insert(123, closer);
    });
    let (code, stdout, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 0, "{stderr}");
    let recorded =
        std::fs::read_to_string(repo.file(".git/postmortem/issues.json")).expect("issues.json");
    assert!(recorded.contains("main-***"), "{recorded}");
    for text in [&stdout, &stderr, &recorded] {
        assert!(!text.contains(TOKEN), "{text}");
    }
    let (_, status, _) = repo.run(&["status", "--json"]);
    assert!(!status.contains(TOKEN));
    gh.with_state(|s| s.graphql_faults = vec![Fault::GraphqlErrorsQuotingToken]);
    let (code, stdout, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("GraphQL errors: Resource not accessible with token ***"),
        "{stderr}"
    );
    assert!(!stderr.contains(TOKEN) && !stdout.contains(TOKEN));

    // Every REST answer quotes the request's Authorization header.
    gh.with_state(|s| s.echo_token = true);
    let (code, stdout, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("Resource not accessible with `Authorization: Bearer ***`"),
        "{stderr}"
    );
    assert!(!stderr.contains(TOKEN) && !stdout.contains(TOKEN));

    let pull = the_pull_request();
    let summary = pull.dir.path().join("summary.md");
    let summary_path = summary.display().to_string();
    let (code, stdout, stderr) = gh
        .run_with(
            &pull,
            &[("GITHUB_STEP_SUMMARY", &summary_path)],
            &["review", "--pr", "7"],
        )
        .await;
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("Bearer ***"), "{stderr}");
    let summary = std::fs::read_to_string(&summary).expect("summary");
    for text in [&stdout, &stderr, &summary] {
        assert!(!text.contains(TOKEN), "{text}");
    }
    let (code, stdout, stderr) = gh.run(&repo, &["remind", "--today", "2026-12-20"]).await;
    assert_eq!(code, 3, "{stderr}");
    assert!(!stderr.contains(TOKEN) && !stdout.contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_to_another_host_does_not_carry_the_token() {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let (repo, _gh) = checkout_with_issue().await;
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&elsewhere)
        .await;
    let api = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/stolen", elsewhere.uri())),
        )
        .mount(&api)
        .await;
    let mut cmd = repo.cmd();
    cmd.env("GITHUB_TOKEN", TOKEN)
        .env("GITHUB_API_URL", api.uri())
        .env("GITHUB_REPOSITORY", "acme/shop")
        .env("GIT_POSTMORTEM_BACKOFF_MS", "5")
        .env("GIT_POSTMORTEM_GITHUB_BUDGET", "3")
        .arg("sync");
    let output = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("join")
        .expect("run");
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert!(!stderr.contains(TOKEN), "{stderr}");
    let sent_to_api = api.received_requests().await.unwrap_or_default();
    assert!(!sent_to_api.is_empty());
    assert!(sent_to_api
        .iter()
        .all(|r| r.headers.get("authorization").is_some()));
    let followed = elsewhere.received_requests().await.unwrap_or_default();
    assert!(!followed.is_empty(), "the redirect was followed");
    for request in followed {
        assert!(
            request.headers.get("authorization").is_none(),
            "{:?}",
            request.headers
        );
    }
}
