use crate::common::fixtures::{CHECKOUT, CHECKOUT_ID};
use crate::common::TestRepo;

fn with_checkout() -> TestRepo {
    let repo = TestRepo::new();
    let v1 = repo.commit("Release v1.4.1");
    repo.tag("v1.4.1", v1);
    let trigger = repo.commit("Read pool size from DB_POOL_MAX");
    let v2 = repo.commit("Release v1.4.2");
    repo.tag("v1.4.2", v2);
    let text = CHECKOUT.replace("{TRIGGER}", &trigger.to_string()).replace(
        "note = \"Connection pool",
        "ranges = [\"v1.4.1..v1.4.2\"]\nnote = \"Connection pool",
    );
    repo.write_postmortem(CHECKOUT_ID, &text);
    repo.write(
        ".postmortem.toml",
        &repo
            .read(".postmortem.toml")
            .replace("# repo = \"acme/shop\"", "repo = \"acme/shop\""),
    );
    repo
}

#[test]
fn show_renders_markdown_with_commits_from_git() {
    let repo = with_checkout();
    let (code, stdout, stderr) = repo.run(&["show", "2026-11-20"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("show_checkout", stdout);
}

#[test]
fn show_accepts_an_id_a_prefix_or_a_path() {
    let repo = with_checkout();
    let by_id = repo.run(&["show", CHECKOUT_ID]).1;
    let by_prefix = repo.run(&["show", "2026-11-20-ch"]).1;
    let by_path = repo
        .run(&["show", "postmortems/2026-11-20-checkout-500s.toml"])
        .1;
    assert!(by_id.starts_with("# Checkout returned HTTP 500 for 42 minutes\n"));
    assert_eq!(by_id, by_prefix);
    assert_eq!(by_id, by_path);
}

#[test]
fn show_json_has_the_postmortem_and_resolved_commits() {
    let repo = with_checkout();
    let (code, stdout, _) = repo.run(&["show", CHECKOUT_ID, "--format", "json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["id"], CHECKOUT_ID);
    assert_eq!(doc["severity"], "sev2");
    assert_eq!(doc["occurred_at"], "2026-11-20T14:02:00Z");
    assert_eq!(doc["safeguards"][0]["due"], "2026-12-15");
    assert_eq!(doc["safeguards"][0]["issue"], 123);
    let commit = &doc["resolved_trigger"]["commits"][0]["commit"];
    assert_eq!(commit["subject"], "Read pool size from DB_POOL_MAX");
    assert_eq!(commit["author"], "Dana Author");
    assert_eq!(commit["oid"].as_str().map(str::len), Some(40));
    let range = &doc["resolved_trigger"]["ranges"][0];
    assert_eq!(range["range"], "v1.4.1..v1.4.2");
    assert_eq!(range["commits"].as_array().map(Vec::len), Some(2));
}

#[test]
fn show_unknown_and_ambiguous_ids_fail_with_a_hint() {
    let repo = with_checkout();
    repo.write_postmortem(
        "2026-11-21-dns",
        &crate::common::fixtures::minimal("DNS", "draft", "2026-11-21T10:00:00Z"),
    );
    let (code, _, stderr) = repo.run(&["show", "2027"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: no postmortem matches `2027`\nhint: run `git postmortem list` to see the ids\n"
    );
    let (code, _, stderr) = repo.run(&["show", "2026-11-2"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: `2026-11-2` is ambiguous: it matches 2026-11-20-checkout-500s, 2026-11-21-dns\nhint: type more of the id\n"
    );
}

#[test]
fn hostile_text_cannot_inject_html_or_break_tables() {
    let repo = TestRepo::new();
    repo.write_postmortem(
        "2026-11-20-hostile",
        "schema = 1\ntitle = \"<img src=x onerror=alert(1)> | *bold*\"\nstatus = \"draft\"\nseverity = \"sev3\"\noccurred_at = 2026-11-20T10:00:00Z\nsummary = \"<script>alert(1)</script>\"\n\n[[timeline]]\nat = 2026-11-20T10:00:00Z\nevent = \"a | b\\nc `code`\"\n",
    );
    let (code, stdout, stderr) = repo.run(&["show", "2026-11-20-hostile"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("<img"), "{stdout}");
    assert!(!stdout.contains("<script"), "{stdout}");
    assert!(
        stdout.starts_with("# &lt;img src=x onerror=alert(1)&gt; \\| \\*bold\\*\n"),
        "{stdout}"
    );
    assert!(stdout.contains("| a \\| b c \\`code\\` |"), "{stdout}");
}
