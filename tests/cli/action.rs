use crate::common::fixtures::{minimal, CHECKOUT_ID};
use crate::common::inserted;
use crate::common::TestRepo;

const PATH: &str = "postmortems/2026-11-20-checkout-500s.toml";

#[test]
fn action_done_changes_only_the_status() {
    let (repo, original) = TestRepo::with_checkout();
    let (code, stdout, stderr) = repo.run(&["action", "done", "2026-11-20", "A1"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "A1 (Refund failed orders) in postmortems/2026-11-20-checkout-500s.toml: open → done\n"
    );
    assert_eq!(
        repo.read(PATH),
        original.replacen("status = \"open\"", "status = \"done\"", 1)
    );
    let (code, stdout, _) = repo.run(&["action", "done", "2026-11-20", "a1"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "A1 (Refund failed orders) is already done; nothing changed\n"
    );
}

#[test]
fn action_drop_sets_status_and_reason() {
    let (repo, original) = TestRepo::with_checkout();
    let (code, stdout, stderr) = repo.run(&[
        "action",
        "drop",
        CHECKOUT_ID,
        "A1",
        "--reason",
        "The payment provider refunds \"failed\" orders itself",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "A1 (Refund failed orders) in postmortems/2026-11-20-checkout-500s.toml: open → dropped; reason: The payment provider refunds \"failed\" orders itself\n"
    );
    let dropped = inserted(
        &original.replacen("status = \"open\"", "status = \"dropped\"", 1),
        "note = \"Refunds 60% done\" }]\n",
        "reason = \"The payment provider refunds \\\"failed\\\" orders itself\"\n",
    );
    assert_eq!(repo.read(PATH), dropped);
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0, "{stderr}");

    // Done after all: the drop's reason no longer explains anything.
    let (code, stdout, _) = repo.run(&["action", "done", CHECKOUT_ID, "A1"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "A1 (Refund failed orders) in postmortems/2026-11-20-checkout-500s.toml: dropped → done; reason removed\n"
    );
    assert_eq!(
        repo.read(PATH),
        original.replacen("status = \"open\"", "status = \"done\"", 1)
    );
}

#[test]
fn action_drop_without_a_reason_is_refused() {
    let (repo, _) = TestRepo::with_checkout();
    let before = repo.snapshot_files();
    let (code, stdout, stderr) = repo.run(&["action", "drop", CHECKOUT_ID, "A1"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("the following required arguments were not provided")
            && stderr.contains("--reason <REASON>"),
        "{stderr}"
    );
    let (code, _, stderr) = repo.run(&["action", "drop", CHECKOUT_ID, "A1", "--reason", " "]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: --reason: the reason is empty"),
        "{stderr}"
    );
    let (code, _, stderr) = repo.run(&["safeguard", "drop", CHECKOUT_ID, "S1"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--reason <REASON>"), "{stderr}");
    assert_eq!(repo.snapshot_files(), before);
}

#[test]
fn action_and_safeguard_ids_are_checked() {
    let (repo, _) = TestRepo::with_checkout();
    let before = repo.snapshot_files();
    let (code, _, stderr) = repo.run(&["action", "done", CHECKOUT_ID, "S1"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: 2026-11-20-checkout-500s has no action `S1`\nhint: valid ids: A1\n"
    );
    let (code, _, stderr) = repo.run(&["safeguard", "drop", CHECKOUT_ID, "S9", "--reason", "x"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: 2026-11-20-checkout-500s has no safeguard `S9`\nhint: valid ids: S1, S2\n"
    );
    let (code, _, stderr) = repo.run(&["action", "done", "2026-11-21", "A1"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: no postmortem matches"),
        "{stderr}"
    );
    assert_eq!(repo.snapshot_files(), before);
}

#[test]
fn safeguard_drop_sets_status_and_reason_keeping_the_layout() {
    let (repo, original) = TestRepo::with_checkout();
    let (code, stdout, stderr) = repo.run(&[
        "safeguard",
        "drop",
        CHECKOUT_ID,
        "S1",
        "--reason",
        "Replaced by S2",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "S1 (Fail deploy when a required env var is missing) in postmortems/2026-11-20-checkout-500s.toml: active → dropped; reason: Replaced by S2\n"
    );
    let dropped = inserted(
        &original,
        "issue = 123\n",
        "status = \"dropped\"\nreason = \"Replaced by S2\"\n",
    );
    assert_eq!(repo.read(PATH), dropped);

    // Dropping again with a new reason only changes the reason.
    let (code, stdout, _) = repo.run(&[
        "safeguard",
        "drop",
        CHECKOUT_ID,
        "S1",
        "--reason",
        "Covered by S2",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "S1 (Fail deploy when a required env var is missing) in postmortems/2026-11-20-checkout-500s.toml: reason: Covered by S2\n"
    );
    assert_eq!(
        repo.read(PATH),
        dropped.replace("Replaced by S2", "Covered by S2")
    );
    let (code, stdout, _) = repo.run(&[
        "safeguard",
        "drop",
        CHECKOUT_ID,
        "S1",
        "--reason",
        "Covered by S2",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "S1 (Fail deploy when a required env var is missing) is already dropped; nothing changed\n"
    );
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn status_changes_work_on_inline_table_entries() {
    let repo = TestRepo::new();
    let text = format!(
        "{}actions = [{{ id = \"A1\", title = \"Refund orders\", status = \"open\" }}]  # the plan\nsafeguards = [\n  {{ id = \"S1\", title = \"Alert\", owner = \"sre\", due = 2026-12-01 }},\n]\n",
        minimal("Disk full", "draft", "2026-11-20T10:00:00Z")
    );
    let path = repo.write_postmortem("2026-11-20-disk", &text);
    let (code, _, stderr) = repo.run(&["action", "done", "2026-11-20-disk", "A1"]);
    assert_eq!(code, 0, "{stderr}");
    let done = text.replacen("status = \"open\"", "status = \"done\"", 1);
    assert_eq!(repo.read(&path), done);
    let (code, _, stderr) = repo.run(&[
        "safeguard",
        "drop",
        "2026-11-20-disk",
        "S1",
        "--reason",
        "Disk is gone",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        repo.read(&path),
        inserted(
            &done,
            "due = 2026-12-01",
            ", status = \"dropped\", reason = \"Disk is gone\""
        )
    );
    let (code, _, stderr) = repo.run(&["lint", "2026-11-20-disk"]);
    assert_eq!(code, 0, "{stderr}");
}
