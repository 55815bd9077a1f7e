use crate::common::fixtures::{CHECKOUT, CHECKOUT_ID};
use crate::common::{transcript, TestRepo};

/// The complete checkout postmortem: lint-clean, S1 due 2026-12-15 with
/// issue 123, S2 due 2026-12-01 (tables on lines 52 and 61).
fn with_checkout() -> (TestRepo, String) {
    let repo = TestRepo::new();
    let trigger = repo.commit("Read pool size from DB_POOL_MAX");
    let text = CHECKOUT.replace("{TRIGGER}", &trigger.to_string());
    repo.write_postmortem(CHECKOUT_ID, &text);
    (repo, text)
}

fn replace(repo: &TestRepo, text: &str, from: &str, to: &str) {
    assert!(text.contains(from), "fixture lacks {from:?}");
    repo.write_postmortem(CHECKOUT_ID, &text.replacen(from, to, 1));
}

const S2_OVERDUE: &str = "error: postmortems/2026-11-20-checkout-500s.toml:61:1: [overdue] safeguard S2 \"Alert on checkout 5xx above 1%\" (owner sre-lead) was due 2026-12-01 and has not shipped: 2 days overdue. Land it with the trailer `Postmortem-Safeguard: 2026-11-20-checkout-500s/S2`, or drop it with a reason\n";

#[test]
fn a_clean_repository_passes() {
    let (repo, _) = with_checkout();
    let (code, stdout, stderr) = repo.run(&["check"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(
        stderr,
        "1 file checked: 0 errors, 0 warnings; 2 safeguards: 2 pending on main\n"
    );
}

#[test]
fn an_overdue_safeguard_fails_until_it_ships() {
    let (repo, _) = with_checkout();
    let (code, stdout, stderr) = repo.run(&["check", "--today", "2026-12-03"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        format!("{S2_OVERDUE}1 file checked: 1 error, 0 warnings; 2 safeguards: 1 pending, 1 overdue on main\n")
    );
    repo.commit("Alert on checkout errors\n\nPostmortem-Safeguard: 2026-11-20-checkout-500s/S2");
    let (code, _, stderr) = repo.run(&["check", "--today", "2026-12-03"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.ends_with("2 safeguards: 1 shipped, 1 pending on main\n"),
        "{stderr}"
    );
}

#[test]
fn grace_and_drops_keep_check_green() {
    let (repo, text) = with_checkout();
    let config = repo.read(".postmortem.toml");
    repo.write(
        ".postmortem.toml",
        &config.replace("safeguard_grace = \"0d\"", "safeguard_grace = \"2d\""),
    );
    assert_eq!(repo.run(&["check", "--today", "2026-12-03"]).0, 0);
    assert_eq!(repo.run(&["check", "--today", "2026-12-04"]).0, 1);
    replace(
        &repo,
        &text,
        "owner = \"sre-lead\"\ndue = 2026-12-01\n",
        "owner = \"sre-lead\"\ndue = 2026-12-01\nstatus = \"dropped\"\nreason = \"The SLO alert covers it\"\n",
    );
    assert_eq!(
        repo.run(&["check", "--today", "2027-01-01"]).0,
        1,
        "S1 is late by then"
    );
    assert_eq!(repo.run(&["check", "--today", "2026-12-10"]).0, 0);
}

#[test]
fn a_lint_error_fails_check_with_nothing_overdue() {
    let (repo, text) = with_checkout();
    replace(
        &repo,
        &text,
        "statement = \"We shipped",
        "statement = \"Mistakes were made. We shipped",
    );
    let (code, _, stderr) = repo.run(&["check"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "error: postmortems/2026-11-20-checkout-500s.toml:38:14: [hollow-apology]"
        ),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("1 file checked: 1 error, 0 warnings; 2 safeguards: 2 pending on main\n"),
        "{stderr}"
    );
}

#[test]
fn a_schema_error_exits_2_and_the_rest_is_still_checked() {
    let (repo, _) = with_checkout();
    repo.write_postmortem("2026-11-25-broken", "schema = 1\ntitle = \n");
    let (code, _, stderr) = repo.run(&["check", "--today", "2026-12-03"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: postmortems/2026-11-20-checkout-500s.toml:61:1: [overdue]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: postmortems/2026-11-25-broken.toml:2:9: [schema]"),
        "{stderr}"
    );
}

#[test]
fn github_format_annotates_and_appends_a_step_summary() {
    let (repo, text) = with_checkout();
    replace(
        &repo,
        &text,
        "note = \"Nobody knew the pool size had moved to a new variable.\"",
        "note = \"A careless change.\"",
    );
    let text = repo.read("postmortems/2026-11-20-checkout-500s.toml");
    replace(
        &repo,
        &text,
        "title = \"Alert on checkout 5xx above 1%\"",
        "title = \"Alert on checkout 5xx above 1%\\nand page on-call\"",
    );
    repo.commit("Fail deploys on missing env vars\n\nFixes #123");
    let summary = repo.dir.path().join("step-summary.md");
    std::fs::write(&summary, "Earlier step\n").expect("write summary");
    let result = repo.run_env(
        &["check", "--format", "github", "--today", "2026-12-03"],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().expect("utf-8 path"))],
    );
    assert_eq!(result.0, 1);
    insta::assert_snapshot!("check_github", transcript(&result));
    let written = std::fs::read_to_string(&summary).expect("summary");
    insta::assert_snapshot!("check_github_step_summary", written);
}

#[test]
fn github_format_without_a_step_summary_only_annotates() {
    let (repo, _) = with_checkout();
    let (code, stdout, _) = repo.run(&["check", "--format", "github", "--today", "2026-12-03"]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "::error file=postmortems/2026-11-20-checkout-500s.toml,line=61,col=1,title=overdue::safeguard S2 \"Alert on checkout 5xx above 1%25\" (owner sre-lead) was due 2026-12-01 and has not shipped: 2 days overdue. Land it with the trailer `Postmortem-Safeguard: 2026-11-20-checkout-500s/S2`, or drop it with a reason\n"
    );
}

#[test]
fn json_format_is_the_lint_document_plus_safeguards() {
    let (repo, text) = with_checkout();
    replace(
        &repo,
        &text,
        "note = \"Nobody knew the pool size had moved to a new variable.\"",
        "note = \"Human error.\"",
    );
    let (code, stdout, stderr) = repo.run(&["check", "--format", "json", "--today", "2026-12-03"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let keys: Vec<&str> = doc
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "branch",
            "errors",
            "findings",
            "safeguards",
            "tip",
            "today",
            "warnings"
        ]
    );
    assert_eq!(
        (doc["errors"].as_u64(), doc["warnings"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(doc["findings"][0]["lint"], "blame");
    assert_eq!(doc["findings"][1]["lint"], "overdue");
    assert_eq!(doc["findings"][1]["line"], 61);
    assert_eq!(doc["findings"][1]["column"], 1);
    assert_eq!(doc["safeguards"][1]["ref"], "2026-11-20-checkout-500s/S2");
    assert_eq!(doc["safeguards"][1]["state"], "overdue");
    assert_eq!(doc["safeguards"][1]["days_overdue"], 2);
    assert_eq!(doc["today"], "2026-12-03");
}
