//! `[lints]` in `.postmortem.toml` (levels, extra and allowed phrases) and
//! `lint_allow` on an entry of a postmortem. What they silence is counted
//! in `lint --json`, in `lint`'s summary and in `check`, never lost.

use crate::common::fixtures::{CHECKOUT, CHECKOUT_ID};
use crate::common::{inserted, TestRepo};

/// The checkout postmortem with a real trigger, `from` replaced by `to`.
fn checkout_with(repo: &TestRepo, from: &str, to: &str) {
    let trigger = repo.commit("Read pool size from DB_POOL_MAX");
    let text = CHECKOUT.replace("{TRIGGER}", &trigger.to_string());
    assert!(text.contains(from), "fixture lacks {from:?}");
    repo.write_postmortem(CHECKOUT_ID, &text.replacen(from, to, 1));
}

/// `.postmortem.toml` as `init` wrote it, with `[lints]` (or any tables)
/// at the end.
fn configure(repo: &TestRepo, tables: &str) {
    let config = repo.read(".postmortem.toml");
    repo.write(".postmortem.toml", &format!("{config}\n{tables}"));
}

fn lint_json(repo: &TestRepo) -> (i32, serde_json::Value) {
    let (code, stdout, stderr) = repo.run(&["lint", "--json"]);
    assert_eq!(stderr, "");
    (code, serde_json::from_str(&stdout).expect("json"))
}

/// Each finding as `level lint line:column`.
fn brief(doc: &serde_json::Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {} {}:{}",
                f["level"].as_str().unwrap_or_default(),
                f["lint"].as_str().unwrap_or_default(),
                f["line"],
                f["column"]
            )
        })
        .collect()
}

const QUOTE_FROM: &str =
    "from = \"support\"\ntext = \"Status page updated within 10 minutes of detection.\"\n";
const QUOTE_TO: &str =
    "from = \"a customer\"\ntext = \"This was human error on your side; fix it.\"\n";

#[test]
fn lint_allow_on_an_entry_suppresses_and_counts_its_findings() {
    let repo = TestRepo::new();
    checkout_with(&repo, QUOTE_FROM, QUOTE_TO);
    let (code, doc) = lint_json(&repo);
    assert_eq!(code, 0);
    assert_eq!(brief(&doc), ["warning blame 42:18"]);
    assert_eq!(doc["suppressed"], serde_json::json!({}));

    checkout_with(
        &repo,
        QUOTE_FROM,
        &format!("{QUOTE_TO}lint_allow = [\"blame\"]   # quotes a customer\n"),
    );
    let (code, doc) = lint_json(&repo);
    assert_eq!(code, 0);
    assert_eq!(brief(&doc), Vec::<String>::new());
    assert_eq!(doc["suppressed"], serde_json::json!({"blame": 1}));
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0);
    assert_eq!(
        stderr,
        "1 file checked: 0 errors, 0 warnings; 1 suppressed by configuration (blame: 1)\n"
    );

    // Only there: the same words in the summary are still flagged.
    let text = repo.read("postmortems/2026-11-20-checkout-500s.toml");
    repo.write(
        "postmortems/2026-11-20-checkout-500s.toml",
        &inserted(
            &text,
            "default pool of 1 and returned HTTP 500 under load.",
            " Human error.",
        ),
    );
    let (_, doc) = lint_json(&repo);
    assert_eq!(brief(&doc), ["warning blame 14:53"]);
    assert_eq!(doc["suppressed"], serde_json::json!({"blame": 1}));
}

#[test]
fn lint_allow_must_name_a_lint_that_can_be_allowed() {
    let repo = TestRepo::new();
    for (allow, column) in [("\"blam\"", 15), ("\"schema\"", 15)] {
        checkout_with(
            &repo,
            QUOTE_FROM,
            &format!("{QUOTE_TO}lint_allow = [{allow}]\n"),
        );
        let (code, _, stderr) = repo.run(&["lint"]);
        assert_eq!(code, 2);
        assert!(
            stderr.starts_with(&format!(
                "error: postmortems/2026-11-20-checkout-500s.toml:43:{column}: [schema] `{}` in `lint_allow` is not a lint that can be allowed; use one of cool-off, sign-off, hollow-apology, blame, incomplete, no-safeguard, safeguard-owner, unresolved-commit, services-tags\n",
                allow.trim_matches('"')
            )),
            "{stderr}"
        );
    }
}

#[test]
fn lint_levels_change_findings_and_off_counts_them() {
    let repo = TestRepo::new();
    // A blame phrase (warning), a safeguard without owner (error), a
    // trigger the repository lacks (warning).
    checkout_with(&repo, QUOTE_FROM, QUOTE_TO);
    let text = repo.read("postmortems/2026-11-20-checkout-500s.toml");
    let text = text.replacen("owner = \"sre-lead\"\n", "", 1);
    let text = inserted(
        &text,
        "commits = [\"",
        "0123456789012345678901234567890123456789\", \"",
    );
    repo.write("postmortems/2026-11-20-checkout-500s.toml", &text);
    let (code, doc) = lint_json(&repo);
    assert_eq!(code, 1);
    assert_eq!(
        brief(&doc),
        [
            "warning unresolved-commit 22:12",
            "warning blame 42:18",
            "error safeguard-owner 61:1"
        ]
    );

    configure(
        &repo,
        "[lints]\nblame = \"error\"\nsafeguard-owner = \"warning\"\nunresolved-commit = { level = \"off\" }\n",
    );
    let (code, doc) = lint_json(&repo);
    assert_eq!(code, 1);
    assert_eq!(
        brief(&doc),
        ["error blame 42:18", "warning safeguard-owner 61:1"]
    );
    assert_eq!(
        doc["suppressed"],
        serde_json::json!({"unresolved-commit": 1})
    );

    // `check` reports the same, and counts what was suppressed.
    let (code, stdout, _) = repo.run(&["check", "--format", "json"]);
    assert_eq!(code, 1);
    let check: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(
        check["suppressed"],
        serde_json::json!({"unresolved-commit": 1})
    );
    assert_eq!(
        (check["errors"].as_u64(), check["warnings"].as_u64()),
        (Some(1), Some(1))
    );
    let (_, _, stderr) = repo.run(&["check"]);
    assert!(
        stderr.contains("1 file checked: 1 error, 1 warning, 1 suppressed by configuration (unresolved-commit: 1); "),
        "{stderr}"
    );
}

#[test]
fn extra_and_allowed_phrases() {
    let repo = TestRepo::new();
    checkout_with(
        &repo,
        "event = \"Error-rate alert fires | paged on-call\"",
        "event = \"A rogue deploy; the user error rate rose, then a user error page\"",
    );
    let (_, doc) = lint_json(&repo);
    // "user error" twice; nothing for the rogue deploy yet.
    assert_eq!(brief(&doc), ["warning blame 31:30", "warning blame 31:59"]);

    configure(
        &repo,
        "[lints]\nblame = { extra = [\"Rogue Deploy\"], allow = [\"user error rate\"] }\nhollow-apology = { extra = [\"we regret the disruption\"] }\n",
    );
    let (code, doc) = lint_json(&repo);
    assert_eq!(code, 0);
    assert_eq!(brief(&doc), ["warning blame 31:12", "warning blame 31:59"]);
    assert_eq!(
        doc["findings"][0]["message"],
        "\"rogue deploy\": a phrase .postmortem.toml lists as blame; describe the decision and its context, not the person"
    );
    assert_eq!(doc["suppressed"], serde_json::json!({"blame": 1}));

    // An extra hollow apology is an error, as the lint's own phrases are.
    let text = repo.read("postmortems/2026-11-20-checkout-500s.toml");
    repo.write(
        "postmortems/2026-11-20-checkout-500s.toml",
        &text.replace(
            "We shipped a config change",
            "We regret the disruption. We shipped a config change",
        ),
    );
    let (code, doc) = lint_json(&repo);
    assert_eq!(code, 1);
    assert_eq!(doc["findings"][2]["lint"], "hollow-apology");
    assert_eq!(doc["findings"][2]["level"], "error");
}

#[test]
fn bad_lint_settings_are_config_errors_with_line_and_column() {
    let repo = TestRepo::new();
    checkout_with(&repo, QUOTE_FROM, QUOTE_TO);
    let before = repo.snapshot_files();
    for (lints, expected) in [
        (
            "blam = \"off\"",
            "error: .postmortem.toml:2:1: [schema] [lints]: unknown lint `blam` (did you mean `blame`?); the lints are cool-off, sign-off, hollow-apology, blame, incomplete, no-safeguard, safeguard-owner, unresolved-commit, services-tags\n",
        ),
        (
            "schema = \"off\"",
            "error: .postmortem.toml:2:1: [schema] [lints]: the `schema` lint cannot be configured: a file that does not follow the schema cannot be read, so nothing else can be checked\n",
        ),
        (
            "overdue = \"warning\"",
            "error: .postmortem.toml:2:1: [schema] [lints]: `overdue` cannot be configured",
        ),
        (
            "incomplete = \"loud\"",
            "error: .postmortem.toml:2:14: [schema] [lints] incomplete: `loud` is not a level; use \"off\", \"warning\" or \"error\"\n",
        ),
        (
            "incomplete = { level = \"off\", extra = [\"x\"] }",
            "error: .postmortem.toml:2:14: [schema] [lints] incomplete: `extra` phrases apply only to hollow-apology and blame\n",
        ),
        (
            "blame = { levl = \"off\" }",
            "error: .postmortem.toml:2:9: [schema] [lints] blame: unknown key `levl` (did you mean `level`?)\n",
        ),
        (
            "blame = { allow = [\" \"] }",
            "error: .postmortem.toml:2:9: [schema] [lints] blame: an `allow` phrase is empty\n",
        ),
        (
            "blame = 1",
            "error: .postmortem.toml:2:9: [schema] [lints] blame: give a level",
        ),
    ] {
        repo.write(".postmortem.toml", &format!("[lints]\n{lints}\n"));
        let (code, stdout, stderr) = repo.run(&["lint"]);
        assert_eq!((code, stdout.as_str()), (2, ""), "{lints}");
        assert!(stderr.starts_with(expected), "{lints}\n{stderr}");
    }
    let after: Vec<_> = repo
        .snapshot_files()
        .into_iter()
        .filter(|(p, _)| !p.ends_with(".postmortem.toml"))
        .collect();
    let before: Vec<_> = before
        .into_iter()
        .filter(|(p, _)| !p.ends_with(".postmortem.toml"))
        .collect();
    assert_eq!(after, before);
}
