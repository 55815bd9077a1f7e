//! One bad file does not blind CI: a postmortem that is not UTF-8 is a
//! `schema` finding at its first bad byte, in every format, and every other
//! file's findings and every overdue safeguard are still reported. Schema
//! messages name the key they are about.

use serde_json::Value;

use crate::common::fixtures::{minimal, CHECKOUT_ID};
use crate::common::{json_schema, TestRepo};

const LATIN1: &str = "postmortems/2026-11-24-latin1.toml";
const APOLOGY: &str = "postmortems/2026-11-25-apology.toml";
const CHECKOUT: &str = "postmortems/2026-11-20-checkout-500s.toml";

/// Line 2, after `title = "Café ` (14 characters, 15 bytes): a Latin-1
/// `é` (0xE9), as an editor set to Windows-1252 saves it.
const LATIN1_FINDING: &str = "error: postmortems/2026-11-24-latin1.toml:2:15: [schema] not valid UTF-8: byte 0xE9 cannot be read as text; save the file as UTF-8\n";

/// The checkout postmortem (S2 overdue after 2026-12-01), a file with a
/// Latin-1 byte on line 2, and after it a file with a hollow apology.
fn repo_with_a_latin1_file() -> TestRepo {
    let (repo, _) = TestRepo::with_checkout();
    let mut bytes = b"schema = 1\ntitle = \"Caf\xC3\xA9 \xE9t\xE9\"\n".to_vec();
    bytes.extend_from_slice(
        b"status = \"draft\"\nseverity = \"sev3\"\noccurred_at = 2026-11-24T10:00:00Z\n",
    );
    std::fs::write(repo.file(LATIN1), bytes).expect("write the Latin-1 file");
    let mut apology = minimal("Apology", "draft", "2026-11-25T10:00:00Z");
    apology.push_str("\n[accountability]\nstatement = \"Mistakes were made; checkout failed for every customer for 42 minutes.\"\n");
    repo.write(APOLOGY, &apology);
    repo
}

fn findings_at<'a>(findings: &'a [Value], path: &str) -> Vec<&'a Value> {
    findings.iter().filter(|f| f["path"] == path).collect()
}

#[test]
fn lint_reports_a_non_utf8_byte_as_a_located_schema_finding_and_lints_the_rest() {
    let repo = repo_with_a_latin1_file();
    let (code, stdout, stderr) = repo.run(&["lint"]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert_eq!(format!("{}\n", lines[0]), LATIN1_FINDING);
    assert!(
        lines[1].starts_with(&format!("error: {APOLOGY}:8:14:"))
            && lines[1].contains("[hollow-apology]"),
        "{stderr}"
    );
    assert_eq!(lines[2], "3 files checked: 2 errors, 0 warnings");

    let (code, stdout, _) = repo.run(&["lint", "--json"]);
    assert_eq!(code, 2);
    let doc: Value = serde_json::from_str(&stdout).expect("one JSON document");
    let findings = doc["findings"].as_array().expect("findings");
    let latin1 = findings_at(findings, LATIN1);
    assert_eq!(latin1.len(), 1, "{stdout}");
    assert_eq!(
        (&latin1[0]["lint"], &latin1[0]["line"], &latin1[0]["column"]),
        (&Value::from("schema"), &Value::from(2), &Value::from(15))
    );
    assert_eq!(findings_at(findings, APOLOGY).len(), 1, "{stdout}");
    assert_eq!(
        (&doc["errors"], &doc["warnings"]),
        (&Value::from(2), &Value::from(0))
    );

    // Named on the command line, too.
    let (code, _, stderr) = repo.run(&["lint", LATIN1]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!("{LATIN1_FINDING}1 file checked: 1 error, 0 warnings\n")
    );
}

#[test]
fn check_reports_a_non_utf8_file_and_every_overdue_safeguard_in_every_format() {
    let repo = repo_with_a_latin1_file();
    let today = ["--today", "2026-12-03"];
    let check = |format: &str| {
        let mut args = vec!["check", "--format", format];
        args.extend_from_slice(&today);
        let (code, stdout, stderr) = repo.run(&args);
        assert_eq!(code, 2, "{format}: a schema error is exit 2\n{stderr}");
        (stdout, stderr)
    };

    let (_, stderr) = check("human");
    assert!(
        stderr.starts_with(&format!("error: {CHECKOUT}:61:1: [overdue] safeguard S2")),
        "{stderr}"
    );
    assert!(stderr.contains(LATIN1_FINDING), "{stderr}");
    assert!(
        stderr.contains(&format!("error: {APOLOGY}:8:14:")),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            "3 files checked: 3 errors, 0 warnings; 2 safeguards: 1 pending, 1 overdue on main\n"
        ),
        "{stderr}"
    );

    let (stdout, _) = check("json");
    let doc: Value = serde_json::from_str(&stdout).expect("json");
    let findings = doc["findings"].as_array().expect("findings");
    let latin1 = findings_at(findings, LATIN1);
    assert_eq!(
        (latin1.len(), &latin1[0]["line"], &latin1[0]["column"]),
        (1, &Value::from(2), &Value::from(15))
    );
    assert!(findings.iter().any(|f| f["lint"] == "overdue"), "{stdout}");
    assert_eq!(findings_at(findings, APOLOGY).len(), 1, "{stdout}");
    let s2 = doc["safeguards"]
        .as_array()
        .expect("safeguards")
        .iter()
        .find(|s| s["ref"] == format!("{CHECKOUT_ID}/S2"))
        .expect("S2 listed");
    assert_eq!(s2["state"], "overdue");

    let (stdout, stderr) = check("rdjson");
    assert_eq!(stderr, "");
    let doc: Value = serde_json::from_str(&stdout).expect("json");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/rdjson.schema.json"),
        )
        .expect("read the rdjson schema"),
    )
    .expect("the schema is JSON");
    let violations = json_schema::violations(&schema, &doc);
    assert!(violations.is_empty(), "{violations:#?}");
    let diagnostics = doc["diagnostics"].as_array().expect("diagnostics");
    let latin1 = diagnostics
        .iter()
        .find(|d| d["location"]["path"] == LATIN1)
        .expect("the Latin-1 file");
    // reviewdog counts bytes: `é` is two.
    assert_eq!(
        latin1["location"]["range"]["start"],
        serde_json::json!({"line": 2, "column": 16})
    );
    assert_eq!(latin1["code"]["value"], "schema");
    assert!(diagnostics.iter().any(|d| d["code"]["value"] == "overdue"));
    assert!(diagnostics.iter().any(|d| d["location"]["path"] == APOLOGY));

    let (stdout, _) = check("github");
    assert!(
        stdout.contains(&format!("::error file={LATIN1},line=2,col=15,title=schema::not valid UTF-8: byte 0xE9 cannot be read as text; save the file as UTF-8\n")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "::error file={CHECKOUT},line=61,col=1,title=overdue::"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("::error file={APOLOGY},line=8,col=14,")),
        "{stdout}"
    );

    let (stdout, stderr) = check("junit");
    assert_eq!(stderr, "");
    assert!(
        stdout.contains(&format!("<testcase classname=\"postmortems\" name=\"{LATIN1}\">\n      <failure message=\"1 lint error: [schema] not valid UTF-8")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{LATIN1}:2:15: [schema]")),
        "{stdout}"
    );
    assert!(
        stdout.contains("<failure message=\"safeguard S2"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("name=\"{APOLOGY}\">\n      <failure")),
        "{stdout}"
    );

    let (stdout, _) = check("gitlab");
    let issues: Vec<Value> = serde_json::from_str(&stdout).expect("json");
    let latin1 = issues
        .iter()
        .find(|i| i["location"]["path"] == LATIN1)
        .expect("the Latin-1 file");
    assert_eq!(
        (
            &latin1["check_name"],
            &latin1["severity"],
            &latin1["location"]["lines"]["begin"]
        ),
        (
            &Value::from("schema"),
            &Value::from("critical"),
            &Value::from(2)
        )
    );
    assert!(
        issues.iter().any(|i| i["check_name"] == "overdue"),
        "{stdout}"
    );
    assert!(
        issues.iter().any(|i| i["location"]["path"] == APOLOGY),
        "{stdout}"
    );
}

#[test]
fn status_and_list_keep_going_and_locate_the_non_utf8_file() {
    let repo = repo_with_a_latin1_file();
    let (code, stdout, stderr) = repo.run(&["status", "--today", "2026-12-03"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.starts_with(LATIN1_FINDING), "{stderr}");
    assert!(stdout.contains(&format!("{CHECKOUT_ID}/S2")), "{stdout}");
    assert!(stdout.contains("overdue"), "{stdout}");

    let (code, stdout, stderr) = repo.run(&["list"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stderr, LATIN1_FINDING);
    assert!(stdout.contains("2026-11-25-apology"), "{stdout}");
    assert!(stdout.contains(CHECKOUT_ID), "{stdout}");
}

#[test]
fn an_edit_refuses_a_non_utf8_file_and_leaves_its_bytes_alone() {
    let repo = repo_with_a_latin1_file();
    let before = repo.snapshot_files();
    let (code, stdout, stderr) = repo.run(&[
        "safeguard",
        "add",
        "2026-11-24-latin1",
        "--title",
        "Save files as UTF-8",
    ]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(stderr, LATIN1_FINDING);
    assert_eq!(repo.snapshot_files(), before);
}

#[test]
fn review_flags_a_non_utf8_postmortem_the_branch_adds() {
    let repo = TestRepo::new();
    repo.branch("feature");
    let mut bytes = minimal("Disk full", "draft", "2026-11-24T10:00:00Z").into_bytes();
    bytes.extend_from_slice(b"summary = \"\xFF\"\n");
    std::fs::write(repo.file(LATIN1), bytes).expect("write");
    repo.commit_all("Add a postmortem saved in the wrong encoding");
    let (code, _, stderr) = repo.run(&["review", "--base", "main"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: {LATIN1}:6:12: [schema] not valid UTF-8: byte 0xFF cannot be read as text"
        )),
        "{stderr}"
    );
}

#[test]
fn a_utf16_file_is_named_as_such() {
    let repo = TestRepo::new();
    let text = minimal("Disk full", "draft", "2026-11-24T10:00:00Z");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(repo.file(LATIN1), bytes).expect("write");
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!("error: {LATIN1}:1:1: [schema] not valid UTF-8: byte 0xFF cannot be read as text; the file looks like UTF-16; save it as UTF-8\n1 file checked: 1 error, 0 warnings\n")
    );
}

#[test]
fn schema_messages_name_the_key_with_its_full_path() {
    let (repo, text) = TestRepo::with_checkout();
    let lint = |from: &str, to: &str| {
        repo.replace_in_checkout(&text, from, to);
        let (code, _, stderr) = repo.run(&["lint"]);
        assert_eq!(code, 2, "{stderr}");
        stderr.lines().next().expect("a finding").to_string()
    };
    assert_eq!(
        lint("severity = \"sev2\"", "severity = 2"),
        format!("error: {CHECKOUT}:5:12: [schema] `severity`: invalid type: integer `2`, expected a string")
    );
    assert_eq!(
        lint("due = 2026-12-01", "due = \"2026-12-01\""),
        format!("error: {CHECKOUT}:66:7: [schema] `safeguards[1].due`: invalid type: string \"2026-12-01\"; write a TOML date without quotes, e.g. 2026-12-15")
    );
    assert_eq!(
        lint("note = \"Refunds 60% done\"", "note = 60"),
        format!("error: {CHECKOUT}:50:38: [schema] `actions[0].updates[0].note`: invalid type: integer `60`, expected a string")
    );
    // The path of an unknown key is the table that holds it.
    assert_eq!(
        lint("kind = \"alert\"", "kindd = \"alert\""),
        format!("error: {CHECKOUT}:64:1: [schema] `safeguards[1]`: unknown key `kindd` (did you mean `kind`?)")
    );
    assert_eq!(
        lint(
            "users_affected = 1900",
            "users_affected = 1900\nusers_affected = 1"
        ),
        format!("error: {CHECKOUT}:19:1: [schema] duplicate key `users_affected`")
    );
}

#[test]
fn config_messages_name_the_key_too() {
    let repo = TestRepo::new();
    let config = repo.read(".postmortem.toml");
    repo.write(".postmortem.toml", &format!("{config}repo = 7\n"));
    let lines = config.lines().count();
    let (code, _, stderr) = repo.run(&["list"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!("error: .postmortem.toml:{}:8: [schema] `github.repo`: invalid type: integer `7`, expected a string\n", lines + 1)
    );
    std::fs::write(repo.file(".postmortem.toml"), b"dir = \"incidents\xA0\"\n").expect("write");
    let (code, _, stderr) = repo.run(&["list"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: .postmortem.toml:1:17: [schema] not valid UTF-8: byte 0xA0 cannot be read as text; save the file as UTF-8\n"
    );
}
