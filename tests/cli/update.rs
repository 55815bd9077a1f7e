use crate::common::fixtures::{minimal, CHECKOUT_ID};
use crate::common::inserted;
use crate::common::TestRepo;

const PATH: &str = "postmortems/2026-11-20-checkout-500s.toml";

#[test]
fn update_appends_to_an_inline_array_and_keeps_every_other_byte() {
    let (repo, original) = TestRepo::with_checkout();
    let (code, stdout, stderr) = repo.run(&["update", "2026-11-20", "A1", "Refunds 90% done"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "A1 (Refund failed orders) in postmortems/2026-11-20-checkout-500s.toml: update 2026-11-26: Refunds 90% done\n"
    );
    assert_eq!(
        repo.read(PATH),
        inserted(
            &original,
            "note = \"Refunds 60% done\" }",
            ", { at = 2026-11-26, note = \"Refunds 90% done\" }"
        )
    );
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn update_adds_an_updates_array_where_there_is_none() {
    let (repo, original) = TestRepo::with_checkout();
    let (code, stdout, stderr) = repo.run(&[
        "update",
        CHECKOUT_ID,
        "S1",
        "Check merged behind a flag",
        "--at",
        "2026-11-24",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "S1 (Fail deploy when a required env var is missing) in postmortems/2026-11-20-checkout-500s.toml: update 2026-11-24: Check merged behind a flag\n"
    );
    let after_s1 = inserted(
        &original,
        "issue = 123\n",
        "updates = [{ at = 2026-11-24, note = \"Check merged behind a flag\" }]\n",
    );
    assert_eq!(repo.read(PATH), after_s1);

    // The last entry of the file: the array goes at the very end.
    let (code, _, stderr) =
        repo.run(&["update", CHECKOUT_ID, "s2", "Alert \"drafted\" | in review"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        repo.read(PATH),
        format!("{after_s1}updates = [{{ at = 2026-11-26, note = \"Alert \\\"drafted\\\" | in review\" }}]\n")
    );
    let (code, stdout, _) = repo.run(&["show", CHECKOUT_ID, "--format", "json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(
        doc["safeguards"][1]["updates"][0]["note"],
        "Alert \"drafted\" | in review"
    );
}

#[test]
fn update_keeps_a_one_per_line_array_one_per_line() {
    let (repo, original) = TestRepo::with_checkout();
    let text = original.replace(
        "updates = [{ at = 2026-11-25, note = \"Refunds 60% done\" }]",
        "updates = [\n  { at = 2026-11-24, note = \"Refunds started\" },\n  # the big batch\n  { at = 2026-11-25, note = \"Refunds 60% done\" },\n]",
    );
    repo.write_postmortem(CHECKOUT_ID, &text);
    let (code, _, stderr) = repo.run(&["update", CHECKOUT_ID, "A1", "All refunds sent"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        repo.read(PATH),
        inserted(
            &text,
            "note = \"Refunds 60% done\" },",
            "\n  { at = 2026-11-26, note = \"All refunds sent\" },"
        )
    );
}

#[test]
fn update_works_on_inline_table_entries() {
    let repo = TestRepo::new();
    let text = format!(
        "{}actions = [\n  {{ id = \"A1\", title = \"Refund orders\" }},  # first\n  {{ id = \"A2\", title = \"Tell support\", updates = [{{ at = 2026-11-21, note = \"Drafted\" }}] }},\n]\nsafeguards = [{{ id = \"S1\", title = \"Alert\", owner = \"sre\", due = 2026-12-01 }}]\n",
        minimal("Disk full", "draft", "2026-11-20T10:00:00Z")
    );
    let path = repo.write_postmortem("2026-11-20-disk", &text);
    let (code, _, stderr) = repo.run(&["update", "2026-11-20-disk", "A1", "Half done"]);
    assert_eq!(code, 0, "{stderr}");
    let after_a1 = inserted(
        &text,
        "title = \"Refund orders\"",
        ", updates = [{ at = 2026-11-26, note = \"Half done\" }]",
    );
    assert_eq!(repo.read(&path), after_a1);
    let (code, _, stderr) = repo.run(&["update", "2026-11-20-disk", "A2", "Sent"]);
    assert_eq!(code, 0, "{stderr}");
    let after_a2 = inserted(
        &after_a1,
        "note = \"Drafted\" }",
        ", { at = 2026-11-26, note = \"Sent\" }",
    );
    assert_eq!(repo.read(&path), after_a2);
    let (code, _, stderr) = repo.run(&["update", "2026-11-20-disk", "S1", "Merged"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        repo.read(&path),
        inserted(
            &after_a2,
            "due = 2026-12-01",
            ", updates = [{ at = 2026-11-26, note = \"Merged\" }]"
        )
    );
    let (code, _, stderr) = repo.run(&["lint", "2026-11-20-disk"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn update_with_a_bad_item_id_names_the_valid_ones_and_changes_nothing() {
    let (repo, _) = TestRepo::with_checkout();
    let before = repo.snapshot_files();
    let (code, stdout, stderr) = repo.run(&["update", CHECKOUT_ID, "A9", "x"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: 2026-11-20-checkout-500s has no action `A9`\nhint: valid ids: A1\n"
    );
    let (code, _, stderr) = repo.run(&["update", CHECKOUT_ID, "S3", "x"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: 2026-11-20-checkout-500s has no safeguard `S3`\nhint: valid ids: S1, S2\n"
    );
    let (code, _, stderr) = repo.run(&["update", CHECKOUT_ID, "X1", "x"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: 2026-11-20-checkout-500s has no action or safeguard `X1`\nhint: valid ids: A1, S1, S2\n"
    );
    assert_eq!(repo.snapshot_files(), before);
}

#[test]
fn update_refuses_bad_input_and_changes_nothing() {
    let (repo, _) = TestRepo::with_checkout();
    let before = repo.snapshot_files();
    let (code, _, stderr) = repo.run(&["update", CHECKOUT_ID, "A1", "  "]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: NOTE: the note is empty"),
        "{stderr}"
    );
    let (code, _, stderr) = repo.run(&["update", CHECKOUT_ID, "A1", "x", "--at", "yesterday"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`yesterday` is not a date like 2026-12-15"),
        "{stderr}"
    );
    let (code, _, stderr) = repo.run(&["update", "2027", "A1", "x"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: no postmortem matches `2027`"),
        "{stderr}"
    );
    let (code, _, stderr) = repo.run(&["update", CHECKOUT_ID, "A1"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("<NOTE>"), "{stderr}");
    assert_eq!(repo.snapshot_files(), before);
}

#[test]
fn update_refuses_a_file_that_does_not_follow_the_schema() {
    let (repo, original) = TestRepo::with_checkout();
    repo.write_postmortem(
        CHECKOUT_ID,
        &original.replace("status = \"open\"", "status = \"opened\""),
    );
    let before = repo.snapshot_files();
    let (code, _, stderr) = repo.run(&["update", CHECKOUT_ID, "A1", "x"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: postmortems/2026-11-20-checkout-500s.toml:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[schema] `actions[0].status`: unknown value `opened`"),
        "{stderr}"
    );
    assert_eq!(repo.snapshot_files(), before);
}
