//! `review`: branches with a base commit on `main` and changes on a
//! feature branch, reviewed as a pull request would be.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::common::fixtures::{minimal, CHECKOUT, CHECKOUT_ID};
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
fn the_pull_request() -> TestRepo {
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
    insta::assert_snapshot!("review_pull_request", stdout);
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
        stderr.contains("[schema] unknown value `pager`"),
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
