//! Hostile repositories and pull requests: templates that point at the
//! checkout's credentials or unescape user text, postmortem text that would
//! be a GitHub Actions workflow command, and control characters that a
//! terminal would run. Nothing leaks, nothing runs.

use regex::Regex;

use crate::common::fixtures::{minimal, CHECKOUT_ID};
use crate::common::github::FakeGitHub;
use crate::common::TestRepo;

/// What actions/checkout leaves in `.git/config`: the header that
/// authenticates every later fetch and push.
const SECRET: &str = "AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldF90b2tlbg==";

fn store_checkout_credential(repo: &TestRepo) {
    repo.repo
        .config()
        .and_then(|mut c| c.set_str("http.https://github.com/.extraheader", SECRET))
        .expect("set extraheader");
    assert!(repo.read(".git/config").contains(SECRET));
}

/// `link` → `target`, as a pull request can add one.
#[cfg(unix)]
fn symlink(repo: &TestRepo, link: &str, target: &str) {
    let path = repo.file(link);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::os::unix::fs::symlink(target, path).expect("symlink");
}

fn assert_no_secret(what: &str, text: &str) {
    assert!(
        !text.contains(SECRET) && !text.contains("extraheader"),
        "{what} leaks the credential:\n{text}"
    );
}

/// `main` with the checkout postmortem, the credential in `.git/config`,
/// and a `feature` branch checked out on top.
fn base_with_checkout() -> TestRepo {
    let (repo, _) = TestRepo::with_checkout();
    repo.commit_all("Add the checkout postmortem");
    store_checkout_credential(&repo);
    repo.branch("feature");
    repo
}

const PATH: &str = "postmortems/2026-11-20-checkout-500s.toml";

fn retitle(repo: &TestRepo, title: &str) {
    let text = repo.read(PATH);
    repo.write(
        PATH,
        &text.replacen(
            "title = \"Checkout returned HTTP 500 for 42 minutes\"",
            &format!("title = \"{title}\""),
            1,
        ),
    );
}

/// A pull request that replaces `review`'s template by a link to the
/// checkout's git config, and `show`'s by one that prints user text raw:
/// neither is used, on stdout, in the step summary or in the comment.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn review_never_takes_templates_from_the_pull_request() {
    let repo = base_with_checkout();
    retitle(
        &repo,
        "<img src=x onerror=alert(1)> [click](javascript:alert(1))",
    );
    symlink(&repo, "templates/review.md.hbs", "../.git/config");
    repo.write("templates/show.md.hbs", "PWNED {{{title}}}\n");
    repo.commit_all("Retitle; bring our own templates");

    let gh = FakeGitHub::start().await;
    let summary = repo.dir.path().join("summary.md");
    let summary_path = summary.display().to_string();
    let (code, stdout, stderr) = gh
        .run_with(
            &repo,
            &[("GITHUB_STEP_SUMMARY", &summary_path)],
            &["review", "--base", "main", "--pr", "7"],
        )
        .await;
    assert_eq!(code, 0, "{stderr}");
    let summary = std::fs::read_to_string(&summary).expect("summary");
    let comments: Vec<String> = gh.state.lock().expect("state").comments[&7]
        .iter()
        .map(|c| c["body"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(comments.len(), 1);
    for (what, text) in [
        ("stdout", &stdout),
        ("stderr", &stderr),
        ("the step summary", &summary),
        ("the comment", &comments[0]),
    ] {
        assert_no_secret(what, text);
        assert!(!text.contains("PWNED"), "{what} used HEAD's template");
        assert!(!text.contains("<img"), "{what} holds raw HTML:\n{text}");
    }
    // The built-in templates, as the base has none.
    assert!(stdout.starts_with("## Postmortem review\n"), "{stdout}");
    assert!(
        stdout.contains(
            "\n### 📝 &lt;img src=x onerror=alert(1)&gt; \\[click\\](javascript:alert(1))\n"
        ),
        "{stdout}"
    );
}

/// The base branch's templates are the ones a review uses; the pull
/// request's change to them takes effect once it is merged.
#[test]
fn review_uses_the_templates_of_the_base_branch() {
    let (repo, _) = TestRepo::with_checkout();
    repo.write(
        "templates/review.md.hbs",
        "Base template: {{count}} changed.\n{{#each postmortems}}- {{title}}\n{{/each}}",
    );
    repo.commit_all("Add the checkout postmortem and our review template");
    repo.branch("feature");
    retitle(&repo, "Checkout *down*");
    repo.write(
        "templates/review.md.hbs",
        "HEAD template: {{{count}}}\n{{#each postmortems}}- {{{title}}}\n{{/each}}",
    );
    repo.commit_all("Retitle; change the review template");
    let (code, stdout, stderr) = repo.run(&["review", "--base", "main"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "Base template: 1 changed.\n- Checkout \\*down\\*\n");
}

/// A template of the base that is a symbolic link is refused there too.
#[cfg(unix)]
#[test]
fn a_symbolic_link_among_the_base_templates_is_refused() {
    let (repo, _) = TestRepo::with_checkout();
    store_checkout_credential(&repo);
    symlink(&repo, "templates/review.md.hbs", "../.git/config");
    repo.commit_all("Add the checkout postmortem; link the review template");
    repo.branch("feature");
    retitle(&repo, "Checkout down");
    repo.commit_all("Retitle");
    let (code, stdout, stderr) = repo.run(&["review", "--base", "main"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: template templates/review.md.hbs (from main): the file is a symbolic link; a repository's templates must be regular files inside its work tree\n"
    );
}

/// Outside a pull request too, a template must be a regular file inside
/// the work tree: a link to the git config, or a `templates/` that is a
/// link elsewhere, is an error naming the file, and nothing is printed.
#[cfg(unix)]
#[test]
fn a_template_behind_a_symbolic_link_is_refused() {
    let (repo, _) = TestRepo::with_checkout();
    store_checkout_credential(&repo);
    symlink(&repo, "templates/show.md.hbs", "../.git/config");
    let (code, stdout, stderr) = repo.run(&["show", CHECKOUT_ID]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: template templates/show.md.hbs: the file is a symbolic link; a repository's templates must be regular files inside its work tree\n"
    );

    std::fs::remove_dir_all(repo.file("templates")).expect("rm templates");
    let elsewhere = repo.dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");
    std::fs::write(elsewhere.join("show.md.hbs"), "from outside {{title}}\n").expect("write");
    std::os::unix::fs::symlink(&elsewhere, repo.file("templates")).expect("symlink");
    let (code, stdout, stderr) = repo.run(&["show", CHECKOUT_ID]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: template templates/show.md.hbs: `templates/` is a symbolic link; a repository's templates must be regular files inside its work tree\n"
    );

    // A regular file is used as before.
    std::fs::remove_file(repo.file("templates")).expect("rm link");
    repo.write("templates/show.md.hbs", "ours: {{title}}\n");
    let (code, stdout, stderr) = repo.run(&["show", CHECKOUT_ID]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "ours: Checkout returned HTTP 500 for 42 minutes\n");
}

/// In a pull request (`GITHUB_BASE_REF`), every command renders with the
/// base's templates: the work tree is the pull request's.
#[test]
fn commands_in_a_pull_request_take_templates_from_its_base() {
    let (repo, _) = TestRepo::with_checkout();
    let base = repo.commit_all("Add the checkout postmortem");
    repo.repo
        .reference("refs/remotes/origin/main", base, false, "fetch")
        .expect("remote ref");
    repo.write("templates/show.md.hbs", "HEAD's {{title}}\n");
    repo.write("templates/check-summary.md.hbs", "HEAD's summary\n");

    let (code, stdout, stderr) = repo.run(&["show", CHECKOUT_ID]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "HEAD's Checkout returned HTTP 500 for 42 minutes\n"),
        "{stderr}"
    );

    let in_pull_request = [("GITHUB_BASE_REF", "main")];
    let (code, stdout, stderr) = repo.run_env(&["show", CHECKOUT_ID], &in_pull_request);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("# Checkout returned HTTP 500 for 42 minutes\n"),
        "{stdout}"
    );
    let summary = repo.dir.path().join("summary.md");
    let summary_path = summary.display().to_string();
    let (_, _, stderr) = repo.run_env(
        &["check", "--format", "github"],
        &[
            ("GITHUB_BASE_REF", "main"),
            ("GITHUB_STEP_SUMMARY", &summary_path),
        ],
    );
    let summary = std::fs::read_to_string(&summary).expect("summary");
    assert!(
        summary.starts_with("## Postmortem check\n"),
        "{summary}\n{stderr}"
    );

    // Without the base in the clone: the built-in templates, and a note.
    let (code, stdout, stderr) =
        repo.run_env(&["show", CHECKOUT_ID], &[("GITHUB_BASE_REF", "gone")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("# Checkout returned HTTP 500 for 42 minutes\n"),
        "{stdout}"
    );
    assert_eq!(
        stderr,
        "note: templates/ is not used in a pull request: templates come from its base `origin/gone`, which is not in this clone, so the built-in ones are used; fetch it (actions/checkout with `fetch-depth: 0`)\n"
    );
}

/// A template that uses `{{{…}}}` or leaves escaping out still gets user
/// text escaped: the data is escaped before the template sees it.
#[test]
fn user_text_stays_escaped_whatever_the_template_does() {
    let (repo, text) = TestRepo::with_checkout();
    repo.write_postmortem(
        CHECKOUT_ID,
        &text
            .replacen(
                "title = \"Checkout returned HTTP 500 for 42 minutes\"",
                "title = \"<script>alert(1)</script> *loud* @dana\"",
                1,
            )
            .replacen(
                "note = \"Refunds 60% done\"",
                "note = \"[phish](https://evil.example) <!-- hidden -->\"",
                1,
            ),
    );
    repo.write(
        "templates/show.md.hbs",
        "{{{title}}}\n{{title}}\n{{#each pm.actions}}{{#each updates}}{{{note}}}|{{cell note}}|{{code note}}{{/each}}{{/each}}\n",
    );
    let (code, stdout, stderr) = repo.run(&["show", CHECKOUT_ID]);
    assert_eq!(code, 0, "{stderr}");
    let title = "&lt;script&gt;alert(1)&lt;/script&gt; \\*loud\\* @&#8203;dana";
    let note = "\\[phish\\](https://evil.example) &lt;\\!-- hidden --&gt;";
    assert_eq!(
        stdout,
        format!(
            "{title}\n{title}\n{note}|{note}|`[phish](https://evil.example) <!-- hidden -->`\n"
        )
    );

    // The same for the digest's template.
    repo.write(
        "templates/digest.md.hbs",
        "{{#each new_postmortems}}{{{title}}}{{/each}}\n",
    );
    let (code, stdout, stderr) = repo.run(&["digest", "--since", "30d"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, format!("{title}\n"));
}

// ---------------------------------------------------------------------------
// Workflow commands

/// Text that GitHub Actions would run if it started a line of output: after
/// a newline, indented by spaces, a tab or Unicode spaces, after a CRLF.
const COMMANDS: &str = r"x\n::error file=x,line=1::one\n  ::add-mask::two\n\t::stop-commands::three\r\n::warning::four\n\u00a0\u3000::notice::five";

const HOSTILE_ID: &str = "2026-11-10-hostile";
const SECOND_ID: &str = "2026-11-12-second";

/// A file name a trigger commit touches, listed by `stats`.
const TOUCHED: &str = "::error file=f,line=1::touched";

/// A postmortem with [`COMMANDS`] in every string a command prints,
/// another sharing its trigger file and factor, one that does not parse
/// because of them, and commits whose subjects hold them. Returns the
/// repository and the commit before the postmortems (a review's base).
fn hostile_repository() -> (TestRepo, String) {
    let repo = TestRepo::new();
    let base = repo.commit("Before the incidents").to_string();
    let first = repo.commit_file(TOUCHED, "1\n", "::error::first trigger");
    let second = repo.commit_file(TOUCHED, "2\n", "  ::add-mask::second trigger");
    let c = COMMANDS;
    repo.write_postmortem(
        HOSTILE_ID,
        &format!(
            r#"schema = 1
title = "{c}"
status = "draft"
severity = "sev2"
occurred_at = 2026-11-10T10:00:00Z
authors = ["{c}"]
reviewers = ["{c}"]
summary = "It was human error. {c}"

[impact]
description = "{c}"
revenue_lost = "{c}"

[trigger]
commits = ["{first}"]
note = "{c}"

[[timeline]]
at = 2026-11-10T10:00:00Z
event = "{c}"

[[factors]]
kind = "tooling"
note = "{c}"

[accountability]
statement = "{c}"

[[requirements]]
from = "{c}"
text = "{c}"

[[actions]]
id = "A1"
title = "{c}"
owner = "{c}"
due = 2026-11-20
status = "dropped"
reason = "{c}"
updates = [{{ at = 2026-11-21, note = "{c}" }}]

[[safeguards]]
id = "S1"
title = "{c}"
owner = "{c}"
due = 2026-12-20
updates = [{{ at = 2026-11-22, note = "{c}" }}]

[[safeguards]]
id = "S2"
title = "{c}"
owner = "{c}"
due = 2026-11-20
issue = 5

[[safeguards]]
id = "S3"
title = "{c}"
owner = "{c}"
due = 2026-11-20
status = "dropped"
reason = "{c}"
"#
        ),
    );
    repo.write_postmortem(
        SECOND_ID,
        &format!(
            "{}\n[trigger]\ncommits = [\"{second}\"]\n\n[[factors]]\nkind = \"tooling\"\n",
            minimal("Second", "draft", "2026-11-12T10:00:00Z")
        ),
    );
    repo.write_postmortem(
        "2026-11-14-broken",
        &minimal("Broken", "draft", "2026-11-14T10:00:00Z")
            .replace("\"sev3\"", &format!("\"{c}\"")),
    );
    repo.commit_all("Add the postmortems");
    repo.commit(&format!(
        "Ship\r::error::carriage return\n\nPostmortem-Safeguard: {HOSTILE_ID}/S1"
    ));
    (repo, base)
}

/// The lines GitHub Actions would run: every line, split as the runner
/// splits (`\n`, `\r`), that starts with `::` after whitespace.
fn command_lines(text: &str) -> Vec<&str> {
    text.split(['\n', '\r'])
        .filter(|line| line.trim_start().starts_with("::"))
        .collect()
}

/// No command prints a line that GitHub Actions would run, in any format,
/// on stdout or stderr; only `check --format github` and `review
/// --annotations` print annotations, and those are the tool's own, with
/// the user text inside escaped as GitHub specifies.
#[tokio::test(flavor = "multi_thread")]
async fn no_output_line_is_a_workflow_command() {
    let (repo, base) = hostile_repository();
    let gh = FakeGitHub::start().await;
    let annotation = Regex::new(
        r"^::(error|warning|notice)( [a-z]+=[^,:\r\n]*(,[a-z]+=[^,:\r\n]*)*)?::[^\r\n]*$",
    )
    .expect("regex");
    let hostile = HOSTILE_ID;
    // Each run, and a piece of the hostile text its stdout must show (so
    // that the test sees the text get there).
    let runs: Vec<(Vec<&str>, &str)> = vec![
        (vec!["list"], "add-mask"),
        (vec!["list", "--json"], "add-mask"),
        (vec!["status"], "carriage return"),
        (vec!["status", "--json"], "carriage return"),
        (vec!["show", hostile], "add-mask"),
        (vec!["show", hostile, "--format", "json"], "add-mask"),
        (vec!["lint"], ""),
        (vec!["lint", "--json"], "add-mask"),
        (vec!["check"], ""),
        (vec!["check", "--format", "github"], "add-mask"),
        (vec!["check", "--format", "json"], "add-mask"),
        (vec!["check", "--format", "rdjson"], "add-mask"),
        (vec!["check", "--format", "junit"], "add-mask"),
        (vec!["check", "--format", "gitlab"], "add-mask"),
        (vec!["digest", "--since", "30d"], "add-mask"),
        (
            vec!["digest", "--since", "30d", "--format", "json"],
            "add-mask",
        ),
        (vec!["stats"], "touched"),
        (vec!["stats", "--json"], "touched"),
        (vec!["review", "--base", &base, "--annotations"], "add-mask"),
        (vec!["sync", "--dry-run"], "add-mask"),
        (vec!["remind", "--dry-run"], "would remind on #5"),
    ];
    for (args, shown) in &runs {
        let (code, stdout, stderr) = gh.run(&repo, args).await;
        assert!((0..=2).contains(&code), "{args:?}: exit {code}\n{stderr}");
        assert!(
            stdout.contains(shown),
            "{args:?}: {shown:?} not in\n{stdout}"
        );
        let annotates =
            args.starts_with(&["check", "--format", "github"]) || args.contains(&"--annotations");
        for line in command_lines(&stdout) {
            assert!(
                annotates && annotation.is_match(line),
                "{args:?} prints a workflow command: {line:?}"
            );
        }
        assert_eq!(
            command_lines(&stderr),
            Vec::<&str>::new(),
            "{args:?} on stderr"
        );
        if annotates {
            assert!(
                stdout.contains("%0A::error file=x,line=1::one%0A  ::add-mask::two"),
                "{args:?}: the user text in annotations is not escaped:\n{stdout}"
            );
        }
    }
}

/// Diagnostics stay on one line, whatever the file says.
#[test]
fn diagnostics_stay_on_one_line() {
    let (repo, _) = hostile_repository();
    let (code, _, stderr) = repo.run(&["lint", "postmortems/2026-11-14-broken.toml"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: postmortems/2026-11-14-broken.toml:4:12: [schema] unknown severity `x\\n::error file=x,line=1::one\\n  ::add-mask::two\\n\t::stop-commands::three\\r\\n::warning::four\\n\u{a0}\u{3000}::notice::five`; .postmortem.toml allows sev1, sev2, sev3, sev4\n1 file checked: 1 error, 0 warnings\n"
    );
}

// ---------------------------------------------------------------------------
// Control characters

/// ESC, BEL, a lone CR or a C1 control in a string is a `schema` error at
/// its line and column, naming the key; tab, newline and the CRLF of a
/// CRLF file are not.
#[test]
fn control_characters_in_strings_are_schema_errors() {
    let (repo, text) = TestRepo::with_checkout();
    let hostile = text
        .replacen(
            "title = \"Checkout returned HTTP 500 for 42 minutes\"",
            "title = \"Checkout \\e]0;pwned\\u0007\\e[2J\"",
            1,
        )
        .replacen("owner = \"sre-lead\"", "owner = \"sre\\u009b31m\"", 1)
        .replacen(
            "note = \"Refunds 60% done\"",
            "note = \"60%\\rRefunds done\"",
            1,
        );
    repo.write_postmortem(CHECKOUT_ID, &hostile);
    let (code, stdout, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    let rule = "strings may hold tabs and newlines but no other control character, which a terminal would run: remove it";
    assert_eq!(
        stderr,
        format!(
            "error: {PATH}:3:19: [schema] `title` holds the control character U+001B; {rule}\n\
             error: {PATH}:50:42: [schema] `actions[0].updates[0].note` holds the control character U+000D; {rule}\n\
             error: {PATH}:65:13: [schema] `safeguards[1].owner` holds the control character U+009B; {rule}\n\
             1 file checked: 3 errors, 0 warnings\n"
        )
    );
    assert!(!stderr.contains('\u{1b}') && !stderr.contains('\u{7}'));

    // `list` skips it with the same error, and prints no control character.
    let (code, stdout, stderr) = repo.run(&["list"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with(&format!("error: {PATH}:3:19: [schema]")),
        "{stderr}"
    );

    // Tabs, newlines and a CRLF file's line breaks are text.
    let crlf = text
        .replacen(
            "default pool of 1 and returned HTTP 500 under load.",
            "default pool of 1\tand returned HTTP 500\\nunder load.",
            1,
        )
        .replace('\n', "\r\n");
    repo.write_postmortem(CHECKOUT_ID, &crlf);
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0, "{stderr}");
}

/// The control characters git lets through (in commit subjects and file
/// names) are shown, not sent to the terminal, by every command.
#[test]
fn control_characters_from_git_are_shown_not_sent() {
    let repo = TestRepo::new();
    let before = repo.commit("Before").to_string();
    let trigger = repo.commit_file("file\u{1b}[2J", "x\n", "Trigger \u{1b}]0;pwned\u{7} commit");
    let second = repo.commit_file("file\u{1b}[2J", "y\n", "Trigger again");
    repo.write_postmortem(
        HOSTILE_ID,
        &format!(
            "{}\n[trigger]\ncommits = [\"{trigger}\"]\n\n[[safeguards]]\nid = \"S1\"\ntitle = \"Guard\"\nowner = \"dana\"\ndue = 2026-12-20\n",
            minimal("Hostile", "draft", "2026-11-10T10:00:00Z")
        ),
    );
    repo.write_postmortem(
        SECOND_ID,
        &format!(
            "{}\n[trigger]\ncommits = [\"{second}\"]\n",
            minimal("Second", "draft", "2026-11-12T10:00:00Z")
        ),
    );
    repo.commit_all("Add the postmortems");
    repo.commit(&format!(
        "Ship \u{1b}[31mred\u{9b}0m \u{7}\r fix\n\nPostmortem-Safeguard: {HOSTILE_ID}/S1"
    ));
    for args in [
        vec!["status"],
        vec!["status", "--json"],
        vec!["show", HOSTILE_ID],
        vec!["digest", "--since", "30d"],
        vec!["digest", "--since", "30d", "--format", "json"],
        vec!["stats"],
        vec!["stats", "--json"],
        vec!["review", "--base", &before],
    ] {
        let (code, stdout, stderr) = repo.run(&args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        for (what, text) in [("stdout", &stdout), ("stderr", &stderr)] {
            let sent: Vec<char> = text
                .chars()
                .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
                .collect();
            assert_eq!(sent, Vec::<char>::new(), "{args:?} {what}:\n{text}");
        }
        assert!(
            stdout.contains("\\u{1b}") || stdout.contains("\\u001b"),
            "{args:?} does not show the escape:\n{stdout}"
        );
    }
    let (_, stdout, _) = repo.run(&["status"]);
    assert!(
        stdout.contains("Ship \\u{1b}[31mred\\u{9b}0m \\u{7}\\r fix"),
        "{stdout}"
    );
}

/// The commands that write text into a postmortem refuse such text
/// outright, naming the argument, and write nothing.
#[test]
fn commands_refuse_arguments_with_control_characters() {
    let (repo, _) = TestRepo::with_checkout();
    let before = repo.snapshot_files();
    let refused = "holds the control character U+001B; a postmortem's strings may hold no control character but tab and newline";
    for (args, what) in [
        (
            vec!["new", "Checkout \u{1b}]0;pwned\u{7}", "--no-edit"],
            "TITLE",
        ),
        (
            vec![
                "safeguard",
                "add",
                CHECKOUT_ID,
                "--title",
                "Guard \u{1b}[2J",
            ],
            "--title",
        ),
        (
            vec![
                "safeguard",
                "add",
                CHECKOUT_ID,
                "--title",
                "Guard",
                "--owner",
                "\u{1b}[2J",
            ],
            "--owner",
        ),
        (
            vec!["update", CHECKOUT_ID, "S1", "Half \u{1b}[2J done"],
            "NOTE",
        ),
        (
            vec!["action", "drop", CHECKOUT_ID, "A1", "--reason", "\u{1b}[2J"],
            "--reason",
        ),
    ] {
        let (code, stdout, stderr) = repo.run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(stdout, "", "{args:?}");
        assert_eq!(stderr, format!("error: {what}: {refused}\n"), "{args:?}");
        assert_eq!(repo.snapshot_files(), before, "{args:?}");
    }
}
