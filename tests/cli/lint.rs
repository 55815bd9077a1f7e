use crate::common::fixtures::{self, CHECKOUT};
use crate::common::{transcript, TestRepo};

#[test]
fn a_complete_postmortem_is_clean() {
    let (repo, _) = TestRepo::with_checkout();
    let (code, stdout, stderr) = repo.run(&["lint"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert_eq!(stderr, "1 file checked: 0 errors, 0 warnings\n");
}

#[test]
fn unknown_key_points_at_its_line_and_column_and_suggests() {
    let (repo, text) = TestRepo::with_checkout();
    repo.replace_in_checkout(
        &text,
        "[[safeguards]]\nid = \"S1\"",
        "[[safegaurds]]\nid = \"S1\"",
    );
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: postmortems/2026-11-20-checkout-500s.toml:52:3: [schema] unknown key `safegaurds` (did you mean `safeguards`?)\n1 file checked: 1 error, 0 warnings\n"
    );
}

#[test]
fn wrong_types_and_string_dates_are_schema_errors() {
    let (repo, text) = TestRepo::with_checkout();
    repo.replace_in_checkout(&text, "due = 2026-12-15", "due = \"2026-12-15\"");
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: postmortems/2026-11-20-checkout-500s.toml:57:7: [schema] `safeguards[0].due`: invalid type: string \"2026-12-15\"; write a TOML date without quotes"),
        "{stderr}"
    );
    repo.replace_in_checkout(&text, "users_affected = 1900", "users_affected = \"many\"");
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(":18:18: [schema] `impact.users_affected`: invalid type: string \"many\""),
        "{stderr}"
    );
}

#[test]
fn malformed_toml_is_located() {
    let (repo, text) = TestRepo::with_checkout();
    repo.replace_in_checkout(&text, "severity = \"sev2\"", "severity = \"sev2");
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: postmortems/2026-11-20-checkout-500s.toml:5:"),
        "{stderr}"
    );
    assert!(stderr.contains("[schema]"), "{stderr}");
}

#[test]
fn duplicate_ids_are_schema_errors() {
    let (repo, text) = TestRepo::with_checkout();
    repo.replace_in_checkout(&text, "id = \"S2\"", "id = \"S1\"");
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: postmortems/2026-11-20-checkout-500s.toml:62:6: [schema] duplicate id `S1` in safeguards\n"),
        "{stderr}"
    );
}

#[test]
fn unknown_severity_names_the_allowed_ones() {
    let (repo, text) = TestRepo::with_checkout();
    repo.replace_in_checkout(&text, "severity = \"sev2\"", "severity = \"P1\"");
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: postmortems/2026-11-20-checkout-500s.toml:5:12: [schema] unknown severity `P1`; .postmortem.toml allows sev1, sev2, sev3, sev4\n"),
        "{stderr}"
    );
}

#[test]
fn hollow_apologies_and_blame_are_quoted_with_a_rewrite() {
    let (repo, text) = TestRepo::with_checkout();
    repo.replace_in_checkout(&text,
        "statement = \"We shipped a config change without a staging soak; it broke checkout for every customer for 42 minutes.\"",
        "statement = \"We are sorry for any inconvenience. Mistakes were made.\"",
    );
    let text = repo.read("postmortems/2026-11-20-checkout-500s.toml");
    repo.replace_in_checkout(
        &text,
        "note = \"Nobody knew the pool size had moved to a new variable.\"",
        "note = \"Human error: it was Sam's fault, a CARELESS change.\"",
    );
    let result = repo.run(&["lint"]);
    assert_eq!(result.0, 1);
    insta::assert_snapshot!("lint_language", transcript(&result));
}

#[test]
fn nobodys_fault_is_not_blame() {
    let (repo, text) = TestRepo::with_checkout();
    repo.replace_in_checkout(&text,
        "note = \"Nobody knew the pool size had moved to a new variable.\"",
        "note = \"It was nobody's fault; no one's fault either. The fault-injection suite missed it.\"",
    );
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn workflow_lints_cool_off_sign_off_incomplete_and_safeguards() {
    let repo = TestRepo::new();
    // Review 2 hours after the incident: the 24h cool-off is not over.
    repo.write_postmortem(
        "2026-11-26-early",
        &fixtures::minimal("Early", "review", "2026-11-26T10:00:00Z"),
    );
    // Final without reviewers' sign-off nor safeguards.
    let mut final_text = CHECKOUT
        .replace("{TRIGGER}", "0000000000000000000000000000000000000000")
        .replace(
            "approved_by = [\"sre-lead\", \"support-lead\"]",
            "approved_by = [\"sre-lead\"]",
        );
    final_text.truncate(final_text.find("[[safeguards]]").expect("safeguards"));
    repo.write_postmortem("2026-11-20-final", &final_text);
    // A draft whose safeguard has no owner and no due date.
    repo.write_postmortem(
        "2026-11-25-draft",
        &format!(
            "{}\n[[safeguards]]\nid = \"S1\"\ntitle = \"Add a test\"\n",
            fixtures::minimal("Draft", "draft", "2026-11-25T10:00:00Z")
        ),
    );
    let result = repo.run(&["lint"]);
    assert_eq!(result.0, 1);
    insta::assert_snapshot!("lint_workflow", transcript(&result));
}

#[test]
fn lint_json_is_one_document_with_counts() {
    let repo = TestRepo::new();
    repo.write_postmortem(
        "2026-11-26-early",
        &fixtures::minimal("Early", "review", "2026-11-26T10:00:00Z"),
    );
    let (code, stdout, stderr) = repo.run(&["lint", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(stderr, "");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["errors"], 5);
    assert_eq!(doc["warnings"], 0);
    let first = &doc["findings"][0];
    assert_eq!(first["level"], "error");
    assert_eq!(first["lint"], "cool-off");
    assert_eq!(first["path"], "postmortems/2026-11-26-early.toml");
    assert_eq!(first["line"], 3);
    assert_eq!(first["column"], 10);
    assert!(first["message"]
        .as_str()
        .expect("message")
        .contains("ends in 22h 0m"));
}

#[test]
fn unresolved_trigger_commits_are_warnings() {
    let (repo, text) = TestRepo::with_checkout();
    let missing = "1234567890123456789012345678901234567890";
    let oid_line = text
        .lines()
        .find(|l| l.starts_with("commits = "))
        .expect("commits line")
        .to_string();
    repo.replace_in_checkout(
        &text,
        &oid_line,
        &format!("commits = [\"{missing}\"]\nranges = [\"v0..v9\"]"),
    );
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0, "warnings do not fail lint");
    assert!(stderr.contains(":22:12: [unresolved-commit] trigger commit `1234567890123456789012345678901234567890` is not in this repository"), "{stderr}");
    assert!(
        stderr.contains(":23:11: [unresolved-commit] `v0` in trigger range `v0..v9`"),
        "{stderr}"
    );
    assert!(stderr.contains("0 errors, 3 warnings"), "{stderr}");
}

#[test]
fn lint_takes_paths_and_ids() {
    let (repo, _) = TestRepo::with_checkout();
    repo.write_postmortem(
        "2026-11-26-early",
        &fixtures::minimal("Early", "review", "2026-11-26T10:00:00Z"),
    );
    let (code, _, stderr) = repo.run(&["lint", "postmortems/2026-11-20-checkout-500s.toml"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, _) = repo.run(&["lint", "2026-11-26-ea"]);
    assert_eq!(code, 1);
}

#[test]
fn a_file_name_that_is_not_an_id_is_a_schema_error() {
    let repo = TestRepo::new();
    repo.write_postmortem(
        "Checkout",
        &fixtures::minimal("X", "draft", "2026-11-25T10:00:00Z"),
    );
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: postmortems/Checkout.toml:1:1: [schema] file name `Checkout.toml` is not a postmortem id"), "{stderr}");
}

#[test]
fn empty_padded_and_repeated_services_and_tags_are_warnings_at_their_entry() {
    let (repo, text) = TestRepo::with_checkout();
    repo.replace_in_checkout(
        &text,
        "approved_by = [\"sre-lead\", \"support-lead\"]\n",
        "approved_by = [\"sre-lead\", \"support-lead\"]\nservices = [\"checkout\", \"\", \"Checkout\"]\ntags = [\n  \"deploy\",\n  \" config\",\n]\n",
    );
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0, "warnings do not fail lint: {stderr}");
    assert_eq!(
        stderr,
        "warning: postmortems/2026-11-20-checkout-500s.toml:12:25: [services-tags] an empty entry in `services`; remove it\n\
         warning: postmortems/2026-11-20-checkout-500s.toml:12:29: [services-tags] `Checkout` is in `services` twice (entries 1 and 3, compared case-insensitively); remove one\n\
         warning: postmortems/2026-11-20-checkout-500s.toml:15:3: [services-tags] ` config` in `tags` has spaces around it; write \"config\"\n\
         1 file checked: 0 errors, 3 warnings\n"
    );
    // Clean lists pass, and `show` renders them.
    repo.replace_in_checkout(
        &text,
        "approved_by = [\"sre-lead\", \"support-lead\"]\n",
        "approved_by = [\"sre-lead\", \"support-lead\"]\nservices = [\"checkout\", \"payments\"]\ntags = [\"config\"]\n",
    );
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(
        (code, stderr.as_str()),
        (0, "1 file checked: 0 errors, 0 warnings\n")
    );
    let (_, shown, _) = repo.run(&["show", fixtures::CHECKOUT_ID]);
    assert!(
        shown.contains("| **Services** | checkout, payments |\n| **Tags** | config |\n"),
        "{shown}"
    );
}

#[test]
fn services_and_tags_must_be_lists_of_strings() {
    let (repo, text) = TestRepo::with_checkout();
    repo.replace_in_checkout(
        &text,
        "approved_by = [\"sre-lead\", \"support-lead\"]\n",
        "approved_by = [\"sre-lead\", \"support-lead\"]\nservices = \"checkout\"\n",
    );
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: postmortems/2026-11-20-checkout-500s.toml:12:12: [schema]"),
        "{stderr}"
    );
}
