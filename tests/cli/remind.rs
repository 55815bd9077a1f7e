//! `remind` against the fake GitHub: one reminder per period, never spam.

use crate::common::fixtures::CHECKOUT_ID;
use crate::common::github::{checkout_with_issue, writes, Seen, TOKEN};

#[tokio::test(flavor = "multi_thread")]
async fn an_overdue_safeguard_is_reminded_once_per_period() {
    let (repo, gh) = checkout_with_issue().await;
    // S1 (issue #123, owner dana) was due 2026-12-15; S2 has no issue.
    let (code, stdout, stderr) = gh.run(&repo, &["remind", "--today", "2026-12-20"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "reminded on #123 for 2026-11-20-checkout-500s/S1 (5 days overdue)\n1 overdue safeguard with an issue: 1 reminded\n"
    );
    assert_eq!(
        stderr,
        "warning: 2026-11-20-checkout-500s/S2 is overdue but has no issue yet; run `git postmortem sync`\n"
    );
    let requests = gh.requests().await;
    assert_eq!(
        requests.iter().map(Seen::line).collect::<Vec<_>>(),
        [
            "GET /repos/acme/shop/issues/123/comments?per_page=100",
            "POST /repos/acme/shop/issues/123/comments",
        ]
    );
    let body = requests[1].body.as_ref().expect("body")["body"]
        .as_str()
        .expect("text")
        .to_string();
    insta::assert_snapshot!("remind_comment", body);
    assert_eq!(
        crate::common::openapi::violations(&requests),
        Vec::<String>::new()
    );

    // Three days later: within the week, nothing is posted.
    gh.reset_requests().await;
    let (code, stdout, _) = gh.run(&repo, &["remind", "--today", "2026-12-23"]).await;
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("not yet: #123 for 2026-11-20-checkout-500s/S1 was reminded on 2026-12-20; next on or after 2026-12-27\n"),
        "{stdout}"
    );
    assert_eq!(writes(&gh.requests().await), Vec::<String>::new());

    // A week later: reminded again.
    gh.reset_requests().await;
    let (code, stdout, _) = gh.run(&repo, &["remind", "--today", "2026-12-27"]).await;
    assert_eq!(code, 0);
    assert!(stdout.starts_with("reminded on #123"), "{stdout}");
    assert_eq!(
        writes(&gh.requests().await),
        ["POST /repos/acme/shop/issues/123/comments"]
    );
    gh.with_state(|s| assert_eq!(s.comments[&123].len(), 2));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shorter_period_and_a_dry_run() {
    let (repo, gh) = checkout_with_issue().await;
    assert_eq!(
        gh.run(&repo, &["remind", "--today", "2026-12-20"]).await.0,
        0
    );
    gh.reset_requests().await;
    let (code, stdout, _) = gh
        .run(
            &repo,
            &[
                "remind",
                "--every",
                "1d",
                "--today",
                "2026-12-21",
                "--dry-run",
            ],
        )
        .await;
    assert_eq!(code, 0);
    assert!(stdout.starts_with("would remind on #123"), "{stdout}");
    assert!(
        stdout.ends_with("\n1 overdue safeguard with an issue: 1 would be reminded (dry run)\n"),
        "{stdout}"
    );
    assert_eq!(writes(&gh.requests().await), Vec::<String>::new());
    let (code, _, stderr) = gh.run(&repo, &["remind", "--every", "often"]).await;
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: --every: `often` is not a period like 7d or 2w"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_owner_who_is_not_a_login_is_named_not_mentioned() {
    let (repo, gh) = checkout_with_issue().await;
    let text = repo.read("postmortems/2026-11-20-checkout-500s.toml");
    repo.write_postmortem(
        CHECKOUT_ID,
        &text.replacen(
            "owner = \"dana\"\ndue = 2026-12-15",
            "owner = \"Payments team\"\ndue = 2026-12-15",
            1,
        ),
    );
    assert_eq!(
        gh.run(&repo, &["remind", "--today", "2026-12-20"]).await.0,
        0
    );
    let body = gh.state.lock().expect("state").comments[&123][0]["body"]
        .as_str()
        .expect("body")
        .to_string();
    assert!(
        body.starts_with("Safeguard **S1** from the postmortem"),
        "{body}"
    );
    assert!(body.contains("(owner: Payments team)"), "{body}");
    assert!(!body.contains('@'), "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_overdue_posts_nothing_and_no_token_exits_2() {
    let (repo, gh) = checkout_with_issue().await;
    let (code, stdout, _) = gh.run(&repo, &["remind", "--today", "2026-11-26"]).await;
    assert_eq!(code, 0);
    assert_eq!(stdout, "0 overdue safeguards with an issue: 0 reminded\n");
    assert_eq!(gh.requests().await.len(), 0);
    let (code, _, stderr) = repo.run(&["remind"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: remind needs a GitHub token"),
        "{stderr}"
    );
    assert!(!stderr.contains(TOKEN));
}
