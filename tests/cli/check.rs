use crate::common::fixtures::CHECKOUT_ID;
use crate::common::{json_schema, transcript, TestRepo};

const S2_OVERDUE: &str = "error: postmortems/2026-11-20-checkout-500s.toml:61:1: [overdue] safeguard S2 \"Alert on checkout 5xx above 1%\" (owner sre-lead) was due 2026-12-01 and has not shipped: 2 days overdue. Land it with the trailer `Postmortem-Safeguard: 2026-11-20-checkout-500s/S2`, or drop it with a reason\n";

#[test]
fn a_clean_repository_passes() {
    let (repo, _) = TestRepo::with_checkout();
    let (code, stdout, stderr) = repo.run(&["check"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(
        stderr,
        "1 file checked: 0 errors, 0 warnings; 2 safeguards: 2 pending on main\n"
    );
}

#[test]
fn an_overdue_safeguard_fails_until_it_ships() {
    let (repo, _) = TestRepo::with_checkout();
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
    let (repo, text) = TestRepo::with_checkout();
    let config = repo.read(".postmortem.toml");
    repo.write(
        ".postmortem.toml",
        &config.replace("safeguard_grace = \"0d\"", "safeguard_grace = \"2d\""),
    );
    assert_eq!(repo.run(&["check", "--today", "2026-12-03"]).0, 0);
    assert_eq!(repo.run(&["check", "--today", "2026-12-04"]).0, 1);
    repo.replace_in_checkout(&text,
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
    let (repo, text) = TestRepo::with_checkout();
    repo.replace_in_checkout(
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
    let (repo, _) = TestRepo::with_checkout();
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
    let (repo, text) = TestRepo::with_checkout();
    repo.replace_in_checkout(
        &text,
        "note = \"Nobody knew the pool size had moved to a new variable.\"",
        "note = \"A careless change.\"",
    );
    let text = repo.read("postmortems/2026-11-20-checkout-500s.toml");
    repo.replace_in_checkout(
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
    let (repo, _) = TestRepo::with_checkout();
    let (code, stdout, _) = repo.run(&["check", "--format", "github", "--today", "2026-12-03"]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "::error file=postmortems/2026-11-20-checkout-500s.toml,line=61,col=1,title=overdue::safeguard S2 \"Alert on checkout 5xx above 1%25\" (owner sre-lead) was due 2026-12-01 and has not shipped: 2 days overdue. Land it with the trailer `Postmortem-Safeguard: 2026-11-20-checkout-500s/S2`, or drop it with a reason\n"
    );
}

#[test]
fn json_format_is_the_lint_document_plus_safeguards() {
    let (repo, text) = TestRepo::with_checkout();
    repo.replace_in_checkout(
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
            "suppressed",
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

fn rdjson_schema() -> serde_json::Value {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rdjson.schema.json"),
    )
    .expect("read the rdjson schema");
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn rdjson(repo: &TestRepo, args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["check", "--format", "rdjson"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = repo.run(&all);
    assert_eq!(stderr, "", "rdjson keeps stderr quiet");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let violations = json_schema::violations(&rdjson_schema(), &doc);
    assert!(violations.is_empty(), "{violations:#?}\n{stdout}");
    (code, doc)
}

#[test]
fn rdjson_format_is_reviewdogs_diagnostic_result() {
    let (repo, text) = TestRepo::with_checkout();
    repo.replace_in_checkout(
        &text,
        "note = \"Nobody knew the pool size had moved to a new variable.\"",
        "note = \"Ünïcode: a careless change.\"",
    );
    let (code, doc) = rdjson(&repo, &["--today", "2026-12-03"]);
    assert_eq!(code, 1);
    assert_eq!(doc["source"]["name"], "git-postmortem");
    assert_eq!(doc["severity"], "ERROR");
    let path = format!("postmortems/{CHECKOUT_ID}.toml");
    let diagnostics = doc["diagnostics"].as_array().expect("diagnostics");
    let summary: Vec<(&str, &str, &str, u64)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["location"]["path"].as_str().expect("path"),
                d["code"]["value"].as_str().expect("code"),
                d["severity"].as_str().expect("severity"),
                d["location"]["range"]["start"]["line"]
                    .as_u64()
                    .expect("line"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (path.as_str(), "blame", "WARNING", 35),
            (path.as_str(), "overdue", "ERROR", 61)
        ]
    );
    // The same finding in `--format json` counts characters; reviewdog
    // counts bytes, and `Ü` and `ï` are two each.
    let (_, stdout, _) = repo.run(&["check", "--format", "json", "--today", "2026-12-03"]);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let chars = json["findings"][0]["column"].as_u64().expect("column");
    assert_eq!(
        diagnostics[0]["location"]["range"]["start"]["column"],
        chars + 2
    );
    assert_eq!(diagnostics[1]["location"]["range"]["start"]["column"], 1);
    assert_eq!(
        diagnostics[1]["message"], json["findings"][1]["message"],
        "the same message as the other formats"
    );
}

#[test]
fn rdjson_exit_codes_match_the_other_formats() {
    let (repo, text) = TestRepo::with_checkout();
    let (code, doc) = rdjson(&repo, &[]);
    assert_eq!(code, 0);
    assert_eq!(doc["diagnostics"], serde_json::json!([]));
    assert_eq!(doc["severity"], "INFO");

    repo.replace_in_checkout(
        &text,
        "note = \"Nobody knew the pool size had moved to a new variable.\"",
        "note = \"Human error.\"",
    );
    let (code, doc) = rdjson(&repo, &[]);
    assert_eq!((code, doc["severity"].as_str()), (0, Some("WARNING")));

    repo.replace_in_checkout(
        &text,
        "statement = \"We shipped",
        "statement = \"Mistakes were made. We shipped",
    );
    assert_eq!(rdjson(&repo, &[]).0, 1);

    repo.write_postmortem("2026-11-25-broken", "schema = 1\ntitle = \n");
    let (code, doc) = rdjson(&repo, &[]);
    assert_eq!(code, 2);
    let broken = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"]["value"] == "schema")
        .expect("schema finding");
    assert_eq!(
        broken["location"],
        serde_json::json!({
            "path": "postmortems/2026-11-25-broken.toml",
            "range": {"start": {"line": 2, "column": 9}}
        })
    );
}

#[test]
fn the_schema_checker_catches_what_reviewdog_would_refuse() {
    let schema = rdjson_schema();
    let good = serde_json::json!({
        "source": {"name": "x"},
        "severity": "ERROR",
        "diagnostics": [{
            "message": "m",
            "location": {"path": "a.toml", "range": {"start": {"line": 1, "column": 1}}},
            "severity": "WARNING",
            "code": {"value": "blame"}
        }]
    });
    assert_eq!(
        json_schema::violations(&schema, &good),
        Vec::<String>::new()
    );
    for (pointer, bad, says) in [
        ("/severity", serde_json::json!("FATAL"), "is not one of"),
        (
            "/diagnostics/0/severity",
            serde_json::json!(2.5),
            "is not one of",
        ),
        (
            "/diagnostics/0/location",
            serde_json::json!({"range": {"start": {"line": 1}}}),
            "missing required `path`",
        ),
        (
            "/diagnostics/0/location/range/start",
            serde_json::json!({"line": 0, "column": 1}),
            "less than 1",
        ),
        (
            "/diagnostics/0/location/range",
            serde_json::json!({"begin": {"line": 1}}),
            "unknown field `begin`",
        ),
        (
            "/diagnostics/0/code",
            serde_json::json!("blame"),
            "expected \"object\"",
        ),
    ] {
        let mut doc = good.clone();
        *doc.pointer_mut(pointer).expect("pointer") = bad;
        let violations = json_schema::violations(&schema, &doc);
        assert!(
            violations.iter().any(|v| v.contains(says)),
            "{pointer}: {violations:?}"
        );
    }
}
