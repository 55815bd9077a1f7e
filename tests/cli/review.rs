//! `review`: branches with a base commit on `main` and changes on a
//! feature branch, reviewed as a pull request would be; with `--pr` or an
//! Actions event, against a fake GitHub, every request checked against
//! GitHub's OpenAPI description.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::json;

use crate::common::fixtures::{minimal, CHECKOUT, CHECKOUT_ID};
use crate::common::github::{comment_by, lines, writes, FakeGitHub, Seen, BOT, TOKEN};
use crate::common::openapi::violations;
use crate::common::TestRepo;

const PATH: &str = "postmortems/2026-11-20-checkout-500s.toml";

/// `main` with the checkout postmortem as a draft awaiting sign-off, and a
/// `feature` branch checked out on top of it.
fn branch_from_draft() -> (TestRepo, String) {
    let repo = TestRepo::new();
    let trigger = repo.commit("Read pool size from DB_POOL_MAX");
    let text = CHECKOUT
        .replace("{TRIGGER}", &trigger.to_string())
        .replace(
            "status = \"final\"          # reviewed and approved",
            "status = \"draft\"",
        )
        .replace(
            "approved_by = [\"sre-lead\", \"support-lead\"]",
            "approved_by = []",
        );
    repo.write_postmortem(CHECKOUT_ID, &text);
    repo.commit_all("Add the checkout postmortem");
    repo.branch("feature");
    (repo, text)
}

fn edit(repo: &TestRepo, from: &str, to: &str) {
    let text = repo.read(PATH);
    assert_eq!(text.matches(from).count(), 1, "{from:?} must be unique");
    repo.write(PATH, &text.replacen(from, to, 1));
}

/// The pull request of the tests: the checkout postmortem moves to review
/// with a new timeline entry, a later due date, a new safeguard and a
/// progress update; a new postmortem is added as a draft.
pub(crate) fn the_pull_request() -> TestRepo {
    let (repo, _) = branch_from_draft();
    edit(&repo, "status = \"draft\"", "status = \"review\"");
    edit(&repo, "approved_by = []", "approved_by = [\"sre-lead\"]");
    edit(
        &repo,
        "event = \"Error-rate alert fires | paged on-call\"\n",
        "event = \"Error-rate alert fires | paged on-call\"\n\n[[timeline]]\nat = 2026-11-20T14:44:00Z\nevent = \"Rollback to v1.4.1 completes\"\n",
    );
    edit(&repo, "due = 2026-12-01", "due = 2026-12-15");
    let run = |args: &[&str]| {
        let (code, _, stderr) = repo.run(args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
    };
    run(&[
        "update",
        CHECKOUT_ID,
        "A1",
        "All refunds sent",
        "--at",
        "2026-11-26",
    ]);
    run(&[
        "safeguard",
        "add",
        CHECKOUT_ID,
        "--title",
        "Soak config changes in staging",
        "--owner",
        "dana",
        "--due",
        "2027-01-15",
        "--kind",
        "policy",
    ]);
    run(&[
        "new",
        "Disk full on db-3",
        "--no-edit",
        "--occurred-at",
        "2026-11-26T06:48:00Z",
        "--severity",
        "sev3",
    ]);
    repo.commit_all("Review the checkout postmortem; add the disk one");
    repo
}

#[test]
fn review_renders_what_a_pull_request_changes() {
    let repo = the_pull_request();
    let (code, stdout, stderr) = repo.run(&["review"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "2 postmortems changed since main: 0 errors, 0 warnings\n"
    );
    // The head commit's id depends on the version `new` names in its
    // `#:schema` line; the snapshot says it is HEAD's, whatever the version.
    let head = repo
        .repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .and_then(|c| c.as_object().short_id())
        .expect("HEAD");
    let head = format!("head `{}`", head.as_str().expect("hex"));
    insta::with_settings!({filters => vec![(regex::escape(&head).as_str(), "head `[HEAD]`")]}, {
        insta::assert_snapshot!("review_pull_request", stdout);
    });
}

#[test]
fn review_of_the_base_itself_finds_nothing() {
    let (repo, _) = branch_from_draft();
    let (code, stdout, stderr) = repo.run(&["review", "--base", "HEAD"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with(
            "## Postmortem review\n\nNo postmortem changed since `HEAD` (merge base `"
        ),
        "{stdout}"
    );
    assert_eq!(
        stderr,
        "0 postmortems changed since HEAD: 0 errors, 0 warnings\n"
    );
}

#[test]
fn review_exits_1_on_lint_errors_and_2_on_schema_errors() {
    let (repo, _) = branch_from_draft();
    edit(
        &repo,
        "statement = \"We shipped",
        "statement = \"Mistakes were made. We shipped",
    );
    repo.commit_all("Soften the statement");
    let (code, stdout, stderr) = repo.run(&["review"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.starts_with("error: postmortems/2026-11-20-checkout-500s.toml:38:14: [hollow-apology] \"Mistakes were made\""),
        "{stderr}"
    );
    assert!(
        stdout.contains("- `accountability.statement` rewritten\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| ❌ error | line 38, column 14 | `hollow-apology` | &quot;Mistakes were made&quot;: the passive voice"),
        "{stdout}"
    );
    assert!(!stdout.contains("::error"), "{stdout}");

    edit(&repo, "kind = \"alert\"", "kind = \"pager\"");
    repo.commit_all("Break the schema");
    let (code, stdout, stderr) = repo.run(&["review"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("[schema] `safeguards[1].kind`: unknown value `pager`"),
        "{stderr}"
    );
    assert!(
        stdout.contains(
            "This version does not follow the schema; fix the errors below to see what changed."
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("Rendered postmortem"), "{stdout}");
}

#[test]
fn review_prints_annotations_in_github_actions_or_when_asked() {
    let (repo, _) = branch_from_draft();
    edit(
        &repo,
        "statement = \"We shipped",
        "statement = \"Mistakes were made. We shipped",
    );
    // A trigger commit that is not one, with what GitHub would misread.
    edit(
        &repo,
        "commits = [\"",
        "commits = [\"100%,\\nnot: here\", \"",
    );
    repo.commit_all("Worse wording");
    let output = repo
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .arg("review")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let annotations: Vec<&str> = stdout.lines().take_while(|l| l.starts_with("::")).collect();
    assert_eq!(
        annotations,
        [
            "::warning file=postmortems/2026-11-20-checkout-500s.toml,line=22,col=12,title=unresolved-commit::trigger commit `100%25,%0Anot: here` is not in this repository; fetch it, or fix the oid",
            "::error file=postmortems/2026-11-20-checkout-500s.toml,line=38,col=14,title=hollow-apology::\"Mistakes were made\": the passive voice hides who acted; say what the team did: \"We shipped a config change without a staging soak.\"",
        ],
        "{stdout}"
    );
    assert!(
        stdout[annotations.iter().map(|a| a.len() + 1).sum::<usize>()..]
            .starts_with("## Postmortem review\n"),
        "{stdout}"
    );

    let (_, flagged, _) = repo.run(&["review", "--annotations"]);
    assert_eq!(flagged, stdout);
    let (_, plain, _) = repo.run(&["review"]);
    assert!(plain.starts_with("## Postmortem review\n"), "{plain}");
    assert!(!plain.contains("::"), "{plain}");
}

#[test]
fn review_appends_to_the_step_summary() {
    let repo = the_pull_request();
    let summary = repo.dir.path().join("summary.md");
    std::fs::write(&summary, "# Tests\nall green\n").expect("write summary");
    let output = repo
        .cmd()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .arg("review")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert_eq!(
        std::fs::read_to_string(&summary).expect("summary"),
        format!("# Tests\nall green\n\n{stdout}")
    );
    // A fresh summary file gets the Markdown alone.
    let fresh = repo.dir.path().join("fresh.md");
    repo.cmd()
        .env("GITHUB_STEP_SUMMARY", &fresh)
        .arg("review")
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&fresh).expect("summary"), stdout);
}

#[test]
fn review_takes_the_base_from_github_base_ref() {
    let repo = the_pull_request();
    let main = repo
        .repo
        .revparse_single("main")
        .expect("main")
        .peel_to_commit()
        .expect("commit");
    repo.repo
        .reference("refs/remotes/origin/release", main.id(), false, "fetch")
        .expect("remote ref");
    let output = repo
        .cmd()
        .env("GITHUB_BASE_REF", "release")
        .arg("review")
        .output()
        .expect("run");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout.contains("2 postmortems changed since `origin/release` (merge base `"),
        "{stdout}"
    );
    let output = repo
        .cmd()
        .env("GITHUB_BASE_REF", "gone")
        .arg("review")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).expect("utf-8"),
        "error: GITHUB_BASE_REF: the pull request's base `origin/gone` is not in this clone; fetch it (actions/checkout with `fetch-depth: 0`) or pass --base\n"
    );
    let (code, _, stderr) = repo.run(&["review", "--base", "nope"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: bad revision `nope`"), "{stderr}");

    // Outside a pull request, the configured default branch comes first,
    // found as origin/<name> when there is no local branch of that name.
    let config = repo.read(".postmortem.toml");
    repo.write(
        ".postmortem.toml",
        &format!("default_branch = \"release\"\n{config}"),
    );
    let (code, _, stderr) = repo.run(&["review"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.ends_with("2 postmortems changed since origin/release: 0 errors, 0 warnings\n"),
        "{stderr}"
    );
}

#[test]
fn review_lists_removed_and_renamed_postmortems() {
    let (repo, text) = branch_from_draft();
    std::fs::remove_file(repo.file(PATH)).expect("remove");
    repo.write_postmortem("2026-11-20-checkout-http-500s", &text);
    repo.write_postmortem(
        "2026-11-21-dns",
        &minimal("DNS", "draft", "2026-11-21T10:00:00Z"),
    );
    repo.commit_all("Rename checkout, add dns");
    repo.branch("cleanup");
    std::fs::remove_file(repo.file("postmortems/2026-11-21-dns.toml")).expect("remove");
    repo.commit_all("Drop dns");
    let (code, stdout, stderr) = repo.run(&["review", "--base", "main"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("`postmortems/2026-11-20-checkout-http-500s.toml` · renamed from `postmortems/2026-11-20-checkout-500s.toml` · status **draft**"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Only comments or layout changed."),
        "{stdout}"
    );
    assert!(!stdout.contains("2026-11-21-dns"), "{stdout}");

    let (code, stdout, _) = repo.run(&["review", "--base", "feature"]);
    assert_eq!(code, 0);
    assert!(
        stdout.ends_with("### Removed\n\n- `postmortems/2026-11-21-dns.toml`\n"),
        "{stdout}"
    );
}

#[test]
fn review_shows_the_cool_off_left_and_flags_moving_too_early() {
    let (repo, _) = branch_from_draft();
    let text = minimal("Disk full", "draft", "2026-11-26T06:48:00Z");
    repo.write_postmortem("2026-11-26-disk", &text);
    repo.commit_all("Add disk");
    let (code, stdout, _) = repo.run(&["review"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("- ⏳ This postmortem can move to review in 18h 48m (cool-off of 24h after the incident).\n"),
        "{stdout}"
    );
    repo.write_postmortem("2026-11-26-disk", &text.replace("\"draft\"", "\"review\""));
    repo.commit_all("Move disk to review");
    let (code, stdout, stderr) = repo.run(&["review"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("- ⛔ Too early for `review`: the cool-off of 24h after the incident ends in 18h 48m; keep it `draft` until then.\n"),
        "{stdout}"
    );
    assert!(stderr.contains("[cool-off]"), "{stderr}");
}

/// The Markdown as a reader's browser would get it.
fn events(markdown: &str) -> Vec<Event<'_>> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM;
    Parser::new_ext(markdown, options).collect()
}

#[test]
fn hostile_text_renders_as_text_in_the_review() {
    let (repo, _) = branch_from_draft();
    let hostile = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "*not em* _nor this_ `tick`",
        "a | b || c",
        "<!-- comment --> &lt;b&gt; &#60;i&#62;",
        "1. not a list",
        "> not a quote",
        "~~~ not a fence",
        "$x$ no math",
    ];
    let joined = hostile.join(" ");
    edit(
        &repo,
        "title = \"Checkout returned HTTP 500 for 42 minutes\"",
        &format!("title = \"Checkout {}\"", joined.replace('"', "\\\"")),
    );
    for (i, h) in hostile.iter().enumerate() {
        let escaped = h.replace('"', "\\\"");
        let text = repo.read(PATH);
        repo.write(
            PATH,
            &format!(
                "{text}\n[[timeline]]\nat = 2026-11-20T15:{i:02}:00Z\nevent = \"{escaped}\"\n"
            ),
        );
    }
    edit(
        &repo,
        "title = \"Alert on checkout 5xx above 1%\"",
        "title = \"Alert | on <b>5xx</b>\"",
    );
    edit(&repo, "due = 2026-12-01", "due = 2026-12-02");
    edit(
        &repo,
        "approved_by = []",
        "approved_by = [\"<b>sre-lead</b>\"]",
    );
    edit(
        &repo,
        "reviewers = [\"sre-lead\", \"support-lead\"]",
        "reviewers = [\"<b>sre-lead</b>\", \"support | lead\"]",
    );
    repo.commit_all("Hostile edits");
    let (code, stdout, stderr) = repo.run(&["review"]);
    assert_eq!(code, 0, "{stderr}");

    // The template's own HTML, line by line, and nothing else.
    let allowed_html = [
        "<details>\n",
        "<details open>\n",
        "<summary>Rendered postmortem</summary>\n",
        "</details>\n",
    ];
    let mut text = String::new();
    let mut table: Option<usize> = None;
    let mut row = 0;
    for event in events(&stdout) {
        match &event {
            Event::Html(h) | Event::InlineHtml(h) => {
                assert!(
                    allowed_html.contains(&h.as_ref()),
                    "HTML {h:?} in\n{stdout}"
                )
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_))
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::Start(Tag::BlockQuote(_)) => panic!("{event:?} in\n{stdout}"),
            Event::Start(Tag::Table(columns)) => table = Some(columns.len()),
            Event::Start(Tag::TableHead | Tag::TableRow) => row = 0,
            Event::End(TagEnd::TableCell) => row += 1,
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                assert_eq!(Some(row), table, "a row with {row} cells in\n{stdout}")
            }
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak => text.push(' '),
            _ => {}
        }
    }
    for h in hostile {
        assert!(text.contains(h), "{h:?} not shown as text in\n{stdout}");
    }
    assert!(text.contains("Alert | on <b>5xx</b>"), "{stdout}");
    assert!(text.contains("<b>sre-lead</b>"), "{stdout}");
    // Emphasis only where the template puts it.
    let mut in_emphasis = false;
    for event in events(&stdout) {
        match event {
            Event::Start(Tag::Emphasis) => in_emphasis = true,
            Event::End(TagEnd::Emphasis) => in_emphasis = false,
            Event::Text(t) if in_emphasis => assert_eq!(t.as_ref(), "none", "{stdout}"),
            _ => {}
        }
    }
}

#[test]
fn review_reads_head_and_says_so_when_the_work_tree_differs() {
    let repo = the_pull_request();
    let committed = repo.run(&["review"]).1;
    edit(&repo, "due = 2026-12-15\nissue", "due = 2026-12-31\nissue");
    let (code, stdout, stderr) = repo.run(&["review"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, committed);
    assert!(
        stderr.starts_with("note: postmortems/ has uncommitted changes; review reads HEAD, so they are not included\n"),
        "{stderr}"
    );
}

// The pull request comment, against a fake GitHub.

const MARKER: &str = "<!-- git-postmortem: review -->";

/// The requests since the last reset, after checking each against
/// GitHub's OpenAPI description.
async fn checked_requests(gh: &FakeGitHub) -> Vec<Seen> {
    let requests = gh.requests().await;
    assert_eq!(violations(&requests), Vec::<String>::new());
    requests
}

/// The bodies of the comments on `number` in the fake's state.
fn comments(gh: &FakeGitHub, number: u64) -> Vec<String> {
    gh.state.lock().expect("state").comments[&number]
        .iter()
        .map(|c| c["body"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn review_posts_one_sticky_comment_and_edits_it_in_place() {
    let repo = the_pull_request();
    let gh = FakeGitHub::start().await;
    let (code, stdout, stderr) = gh.run(&repo, &["review", "--pr", "7"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "2 postmortems changed since main: 0 errors, 0 warnings\nposted review comment on #7\n"
    );
    assert_eq!(
        stdout,
        repo.run(&["review"]).1,
        "the same Markdown as offline"
    );
    let requests = checked_requests(&gh).await;
    assert_eq!(
        lines(&requests),
        [
            "GET /repos/acme/shop/pulls/7/reviews?per_page=100",
            "GET /repos/acme/shop/issues/7/comments?per_page=100",
            "POST /repos/acme/shop/issues/7/comments",
        ]
    );
    let posted = format!("{stdout}\n{MARKER}\n");
    assert_eq!(requests[2].body, Some(json!({ "body": posted })));
    assert_eq!(comments(&gh, 7), [posted]);

    // A new push: the comment is edited, not posted again.
    edit(&repo, "due = 2026-12-15\nissue", "due = 2026-12-31\nissue");
    repo.commit_all("Move S1's due date");
    gh.reset_requests().await;
    let (code, stdout, stderr) = gh.run(&repo, &["review", "--pr", "7"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.ends_with("\nupdated review comment on #7\n"),
        "{stderr}"
    );
    assert!(
        stdout.contains("- **S1** `due`: 2026-12-15 → **2026-12-31**\n"),
        "{stdout}"
    );
    let requests = checked_requests(&gh).await;
    assert_eq!(
        lines(&requests),
        [
            "GET /repos/acme/shop/pulls/7/reviews?per_page=100",
            "GET /repos/acme/shop/issues/7/comments?per_page=100",
            "GET /user",
            "PATCH /repos/acme/shop/issues/comments/1",
        ]
    );
    let edited = format!("{stdout}\n{MARKER}\n");
    assert_eq!(requests[3].body, Some(json!({ "body": edited })));
    assert_eq!(comments(&gh, 7), [edited]);

    // Nothing new: nothing written.
    gh.reset_requests().await;
    let (code, _, stderr) = gh.run(&repo, &["review", "--pr", "7"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.ends_with("\nreview comment on #7 unchanged\n"),
        "{stderr}"
    );
    assert_eq!(writes(&checked_requests(&gh).await), Vec::<String>::new());
    assert_eq!(comments(&gh, 7).len(), 1);
    assert!(!stderr.contains(TOKEN) && !stdout.contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread")]
async fn review_finds_other_comments_and_leaves_them_alone() {
    let repo = the_pull_request();
    let gh = FakeGitHub::start().await;
    gh.with_state(|s| {
        s.comments.insert(
            7,
            vec![
                comment_by("sre-lead", 1, "LGTM"),
                comment_by(BOT, 2, &format!("old review\n{MARKER}\n")),
                json!({ "id": 3, "body": null, "user": null }),
            ],
        );
    });
    let (code, stdout, stderr) = gh.run(&repo, &["review", "--pr", "7"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        writes(&checked_requests(&gh).await),
        ["PATCH /repos/acme/shop/issues/comments/2"]
    );
    assert_eq!(
        comments(&gh, 7),
        [
            "LGTM".to_string(),
            format!("{stdout}\n{MARKER}\n"),
            String::new()
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn review_finds_the_pull_request_in_the_actions_event() {
    let repo = the_pull_request();
    let gh = FakeGitHub::start().await;
    let event = repo.dir.path().join("event.json");
    std::fs::write(
        &event,
        json!({
            "action": "synchronize",
            "number": 7,
            "pull_request": { "number": 7, "base": { "ref": "main" } },
        })
        .to_string(),
    )
    .expect("write event");
    let summary = repo.dir.path().join("summary.md");
    let event_path = event.display().to_string();
    let summary_path = summary.display().to_string();
    let (code, stdout, stderr) = gh
        .run_with(
            &repo,
            &[
                ("GITHUB_EVENT_PATH", &event_path),
                ("GITHUB_EVENT_NAME", "pull_request"),
                ("GITHUB_STEP_SUMMARY", &summary_path),
            ],
            &["review"],
        )
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.ends_with("\nposted review comment on #7\n"),
        "{stderr}"
    );
    // The same Markdown on stdout, in the step summary and in the comment.
    assert_eq!(std::fs::read_to_string(&summary).expect("summary"), stdout);
    assert_eq!(comments(&gh, 7), [format!("{stdout}\n{MARKER}\n")]);
    checked_requests(&gh).await;

    // `--pr` wins over the event.
    gh.reset_requests().await;
    let (code, _, stderr) = gh
        .run_with(
            &repo,
            &[("GITHUB_EVENT_PATH", &event_path)],
            &["review", "--pr", "8"],
        )
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.ends_with("\nposted review comment on #8\n"),
        "{stderr}"
    );

    // A push event is about no pull request: nothing is asked of GitHub.
    std::fs::write(&event, r#"{"ref": "refs/heads/main", "after": "abc"}"#).expect("write");
    gh.reset_requests().await;
    let (code, _, stderr) = gh
        .run_with(
            &repo,
            &[
                ("GITHUB_EVENT_PATH", &event_path),
                ("GITHUB_EVENT_NAME", "push"),
            ],
            &["review"],
        )
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "2 postmortems changed since main: 0 errors, 0 warnings\n"
    );
    assert_eq!(gh.requests().await, Vec::<Seen>::new());

    // An event file that cannot be read is reported, and changes nothing else.
    let (code, stdout_missing, stderr) = gh
        .run_with(
            &repo,
            &[("GITHUB_EVENT_PATH", "/nonexistent/event.json")],
            &["review"],
        )
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.starts_with("warning: GITHUB_EVENT_PATH: cannot read /nonexistent/event.json: "),
        "{stderr}"
    );
    assert_eq!(stdout_missing, stdout);
    assert_eq!(gh.requests().await, Vec::<Seen>::new());
}

#[tokio::test(flavor = "multi_thread")]
async fn review_without_a_token_prints_and_says_it_did_not_comment() {
    let repo = the_pull_request();
    let gh = FakeGitHub::start().await;
    let offline = repo.run(&["review"]);
    let output = repo
        .cmd()
        .env("GITHUB_API_URL", gh.server.uri())
        .env("GITHUB_REPOSITORY", "acme/shop")
        .args(["review", "--pr", "7"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8(output.stdout).expect("utf-8"), offline.1);
    assert_eq!(
        String::from_utf8(output.stderr).expect("utf-8"),
        "note: the review was not posted on #7: neither GITHUB_TOKEN nor GH_TOKEN is set\n2 postmortems changed since main: 0 errors, 0 warnings\n"
    );
    assert_eq!(gh.requests().await, Vec::<Seen>::new());

    // A token but no repository to comment in: printed, then exit 2.
    let output = repo
        .cmd()
        .env("GITHUB_API_URL", gh.server.uri())
        .env("GITHUB_TOKEN", TOKEN)
        .args(["review", "--pr", "7"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8(output.stdout).expect("utf-8"), offline.1);
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert!(
        stderr.ends_with("error: no GitHub repository is known for this work tree\nhint: set `repo = \"owner/name\"` under [github] in .postmortem.toml, or GITHUB_REPOSITORY, or an `origin` remote on GitHub\n"),
        "{stderr}"
    );
    assert_eq!(gh.requests().await, Vec::<Seen>::new());
    assert_eq!(
        repo.run(&["review", "--pr", "0"]).0,
        2,
        "no pull request #0"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn review_names_reviewers_who_approved_on_github_but_not_in_approved_by() {
    let repo = the_pull_request();
    edit(
        &repo,
        "reviewers = [\"sre-lead\", \"support-lead\"]",
        "reviewers = [\"sre-lead\", \"@Support-Lead\", \"dba\", \"ops\"]",
    );
    repo.commit_all("Ask the DBA and ops too");
    let gh = FakeGitHub::start().await;
    gh.with_state(|s| {
        let reviews = [
            ("sre-lead", "APPROVED"),
            ("support-lead", "APPROVED"),
            ("support-lead", "COMMENTED"),
            ("dba", "APPROVED"),
            ("dba", "CHANGES_REQUESTED"),
            ("ops", "COMMENTED"),
            ("someone-else", "APPROVED"),
        ];
        s.reviews.insert(
            7,
            reviews
                .iter()
                .map(|(l, st)| (l.to_string(), st.to_string()))
                .collect(),
        );
    });
    let (code, stdout, stderr) = gh.run(&repo, &["review", "--pr", "7"]).await;
    assert_eq!(code, 0, "{stderr}");
    let sign_off = "#### Sign-off\n\n\
        - ⏳ Waiting for sign-off from **@&#8203;Support-Lead**, **dba**, **ops** (1 of 4 approved)\n\
        - 👍 Approved on GitHub but not yet in `approved_by`: **@&#8203;Support-Lead** — add them to sign off.\n";
    assert!(stdout.contains(sign_off), "{stdout}");
    assert_eq!(comments(&gh, 7), [format!("{stdout}\n{MARKER}\n")]);
    checked_requests(&gh).await;

    // Offline, there is nothing to say about GitHub.
    let (_, offline, _) = repo.run(&["review"]);
    assert!(!offline.contains("Approved on GitHub"), "{offline}");

    // A token that may comment but not read pull requests: said, not fatal.
    gh.with_state(|s| s.reviews_status = Some(403));
    let (code, stdout, stderr) = gh.run(&repo, &["review", "--pr", "7"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("note: the reviews of #7 are not readable with this token, so approvals on GitHub are not reported\n"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("\nupdated review comment on #7\n"),
        "{stderr}"
    );
    assert_eq!(stdout, offline);
}

#[tokio::test(flavor = "multi_thread")]
async fn review_exits_3_when_github_refuses_but_prints_the_review_first() {
    let repo = the_pull_request();
    let gh = FakeGitHub::start().await;
    gh.with_state(|s| s.unauthorized = true);
    let summary = repo.dir.path().join("summary.md");
    let summary_path = summary.display().to_string();
    let (code, stdout, stderr) = gh
        .run_with(
            &repo,
            &[("GITHUB_STEP_SUMMARY", &summary_path)],
            &["review", "--pr", "7"],
        )
        .await;
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(stdout, repo.run(&["review"]).1);
    assert_eq!(std::fs::read_to_string(&summary).expect("summary"), stdout);
    assert_eq!(
        stderr,
        "2 postmortems changed since main: 0 errors, 0 warnings\n\
         error: GitHub: GitHub refused the token (401): Bad credentials\n\
         hint: check that GITHUB_TOKEN (or GH_TOKEN) is a valid token with `pull-requests: write` on the repository\n"
    );
    assert!(!stderr.contains(TOKEN) && !stdout.contains(TOKEN));
    assert_eq!(
        writes(&checked_requests(&gh).await),
        Vec::<String>::new(),
        "no write after a refused read"
    );

    // Lint errors and a GitHub failure: the failure decides the exit code.
    edit(
        &repo,
        "statement = \"We shipped",
        "statement = \"Mistakes were made. We shipped",
    );
    repo.commit_all("Soften the statement");
    let (code, stdout, _) = gh.run(&repo, &["review", "--pr", "7"]).await;
    assert_eq!(code, 3);
    assert!(stdout.contains("`hollow-apology`"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn review_updates_a_stale_comment_when_no_postmortem_changes_any_more() {
    let repo = the_pull_request();
    let gh = FakeGitHub::start().await;
    assert_eq!(gh.run(&repo, &["review", "--pr", "7"]).await.0, 0);
    // The branch no longer changes a postmortem (compared with itself).
    gh.reset_requests().await;
    let (code, stdout, stderr) = gh
        .run(&repo, &["review", "--pr", "7", "--base", "HEAD"])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("## Postmortem review\n\nNo postmortem changed since `HEAD`"),
        "{stdout}"
    );
    assert!(
        stderr.ends_with("\nupdated review comment on #7\n"),
        "{stderr}"
    );
    assert_eq!(
        lines(&checked_requests(&gh).await),
        [
            "GET /repos/acme/shop/issues/7/comments?per_page=100",
            "GET /user",
            "PATCH /repos/acme/shop/issues/comments/1",
        ]
    );
    assert_eq!(comments(&gh, 7), [format!("{stdout}\n{MARKER}\n")]);

    // On a pull request without the comment, nothing is posted.
    gh.reset_requests().await;
    let (code, _, stderr) = gh
        .run(&repo, &["review", "--pr", "8", "--base", "HEAD"])
        .await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.ends_with("\nno postmortem changed, so no review comment was posted on #8\n"),
        "{stderr}"
    );
    assert_eq!(
        lines(&checked_requests(&gh).await),
        ["GET /repos/acme/shop/issues/8/comments?per_page=100"]
    );
}

/// The logins GitHub would mention in rendered text: an `@` at the start
/// or after a non-word character, then a letter or digit.
fn mentions(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let word = |c: &char| c.is_ascii_alphanumeric() || *c == '_';
    (0..chars.len())
        .filter(|&i| chars[i] == '@' && (i == 0 || !word(&chars[i - 1])))
        .filter_map(|i| {
            let login: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '-')
                .collect();
            (!login.is_empty()).then_some(login)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_review_comment_mentions_nobody() {
    let (repo, _) = branch_from_draft();
    edit(
        &repo,
        "reviewers = [\"sre-lead\", \"support-lead\"]",
        "reviewers = [\"@sre-lead\", \"@acme/support\"]",
    );
    edit(
        &repo,
        "event = \"Deploy of v1.4.2 starts\"",
        "event = \"@dana starts the deploy of v1.4.2; cc @acme/everyone, ops@example.com\"",
    );
    edit(&repo, "note = \"Nobody knew", "note = \"@here: nobody knew");
    repo.commit_all("Mention people");
    let gh = FakeGitHub::start().await;
    let (code, stdout, stderr) = gh.run(&repo, &["review", "--pr", "7"]).await;
    assert_eq!(code, 0, "{stderr}");
    let body = &comments(&gh, 7)[0];
    let mut text = String::new();
    for event in events(body) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    assert_eq!(mentions(&text), Vec::<String>::new(), "{body}");
    let visible = text.replace('\u{200B}', "");
    for written in [
        "@dana starts the deploy",
        "cc @acme/everyone, ops@example.com",
        "@here: nobody knew",
        "@sre-lead",
        "@acme/support",
    ] {
        assert!(
            visible.contains(written),
            "{written:?} not shown in\n{body}"
        );
    }
    assert_eq!(body, &format!("{stdout}\n{MARKER}\n"));
}

/// `n` timeline entries of about 300 characters each, as TOML.
fn long_timeline(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "\n[[timeline]]\nat = 2026-11-20T{:02}:{:02}:00Z\nevent = \"Entry {i}: {}\"\n",
                15 + i / 60,
                i % 60,
                "the on-call engineer checked the pool metrics again and wrote down what they saw. ".repeat(3)
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_review_too_long_for_a_comment_leaves_out_documents_first() {
    let (repo, _) = branch_from_draft();
    let text = format!(
        "{}{}",
        minimal("Pool exhaustion", "draft", "2026-11-20T15:00:00Z"),
        long_timeline(240)
    );
    repo.write_postmortem("2026-11-20-pool", &text);
    // A short one changes too: its document stays.
    edit(&repo, "status = \"draft\"", "status = \"review\"");
    repo.commit_all("Add a long postmortem");
    let gh = FakeGitHub::start().await;
    let (code, stdout, stderr) = gh.run(&repo, &["review", "--pr", "7"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.len() > 65_536, "{}", stdout.len());
    assert!(
        stderr.contains("note: the review is longer than the 65536 characters GitHub allows in a comment, so the comment on #7 leaves some of it out\n"),
        "{stderr}"
    );
    let body = &comments(&gh, 7)[0];
    assert!(body.len() <= 65_536);
    assert!(body.ends_with(&format!("\n{MARKER}\n")));
    insta::assert_snapshot!("review_comment_without_document", body);
    checked_requests(&gh).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_review_too_long_even_without_documents_is_cut_at_a_line() {
    let (repo, _) = branch_from_draft();
    let text = repo.read(PATH);
    repo.write(PATH, &format!("{text}{}", long_timeline(240)));
    repo.commit_all("Add a long timeline");
    let gh = FakeGitHub::start().await;
    let (code, stdout, stderr) = gh.run(&repo, &["review", "--pr", "7"]).await;
    assert_eq!(code, 0, "{stderr}");
    let body = &comments(&gh, 7)[0];
    assert!(body.len() <= 65_536, "{}", body.len());
    let note = "\n\n**This review is cut short here**: it is longer than GitHub allows in a comment. The full review is in the workflow run's summary, or run `git postmortem review`.\n";
    let kept = body
        .strip_suffix(&format!("{note}\n{MARKER}\n"))
        .expect("the note and the marker end the comment");
    // Whole lines of the review, up to somewhere in the list of changes.
    assert!(stdout.starts_with(&format!("{kept}\n")), "{kept}");
    assert!(kept.contains("#### What changed since main\n"), "{kept}");
    assert!(!kept.contains("#### Lint"), "{kept}");
    assert!(kept.len() > 60_000, "{}", kept.len());
    checked_requests(&gh).await;
}

#[test]
fn review_counts_what_lint_allow_suppressed() {
    let (repo, _) = branch_from_draft();
    edit(
        &repo,
        "from = \"support\"\ntext = \"Status page updated within 10 minutes of detection.\"\n",
        "from = \"a customer\"\ntext = \"This was human error on your side; fix it.\"\nlint_allow = [\"blame\"]\n",
    );
    repo.commit_all("Quote the customer");
    let (code, stdout, stderr) = repo.run(&["review", "--base", "main"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("0 errors, 0 warnings, 1 suppressed by configuration (blame: 1)"),
        "{stdout}"
    );
}
