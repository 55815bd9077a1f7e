//! Every edit keeps every byte it does not change: a UTF-8 byte order
//! mark, `\r\n` line endings, and each comment on the line it was written
//! on. Each command edits a Windows-style file and the result is compared
//! byte for byte.

use crate::common::github::{issue, FakeGitHub};
use crate::common::TestRepo;

const ID: &str = "2026-11-20-disk-full";
const PATH: &str = "postmortems/2026-11-20-disk-full.toml";

/// Written with `\n` here; the file on disk has `\r\n` and a BOM.
const FILE: &str = r#"# Written on Windows; keep the line endings.
schema = 1
title = "Disk full on db-3"
status = "draft"   # still drafting
severity = "sev3"
occurred_at = 2026-11-20T10:00:00Z

[[actions]]
id = "A1"   # the clean-up
title = "Clean up old WAL files"
owner = "dana"
due = 2026-11-28
updates = [
  { at = 2026-11-21, note = "Half done" },   # vendor run
]

[[actions]]
id = "A2"
title = "Resize the volume"
owner = "sre"   # on call
due = 2026-11-29

# The protections.
[[safeguards]]
id = "S1"
title = "Alert at 80% disk"  # first
owner = "sre"
due = 2026-12-15
issue = 123  # from sync

[[safeguards]]
id = "S2"
title = "Rotate WAL"
owner = "sre"
due = 2026-12-01   # tight
# end of file
"#;

const BOM: &str = "\u{feff}";

/// `text` as a Windows editor saves it: `\r\n` line endings.
fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

/// The file as written to disk: BOM, then `FILE` with `\r\n`.
fn original() -> String {
    format!("{BOM}{}", crlf(FILE))
}

/// `original()` with `insert` (given with `\n`) right after the only
/// occurrence of `after` (given with `\n`).
fn expected(after: &str, insert: &str) -> Vec<u8> {
    crate::common::inserted(&original(), &crlf(after), &crlf(insert)).into_bytes()
}

fn repo() -> TestRepo {
    let repo = TestRepo::new();
    std::fs::write(repo.file(PATH), original()).expect("write");
    repo
}

/// Run `args` (successfully) and return the file's bytes.
fn edited(repo: &TestRepo, args: &[&str]) -> Vec<u8> {
    let (code, _, stderr) = repo.run(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    std::fs::read(repo.file(PATH)).expect("read")
}

/// Byte equality, shown as text with visible `\r` when it fails.
#[track_caller]
fn assert_bytes(actual: &[u8], expected: &[u8]) {
    if actual != expected {
        let show = |b: &[u8]| String::from_utf8_lossy(b).replace('\r', "\\r");
        panic!(
            "bytes differ\n--- actual\n{}\n--- expected\n{}",
            show(actual),
            show(expected)
        );
    }
}

#[test]
fn update_appends_below_a_commented_last_entry_keeping_crlf_and_bom() {
    let repo = repo();
    let bytes = edited(&repo, &["update", ID, "A1", "Rest done"]);
    assert!(bytes.starts_with(BOM.as_bytes()));
    assert_bytes(
        &bytes,
        &expected(
            "{ at = 2026-11-21, note = \"Half done\" },   # vendor run\n",
            "  { at = 2026-11-26, note = \"Rest done\" },\n",
        ),
    );
}

#[test]
fn update_adds_an_updates_array_keeping_crlf_and_bom() {
    let repo = repo();
    let bytes = edited(&repo, &["update", ID, "S1", "Alert merged"]);
    assert_bytes(
        &bytes,
        &expected(
            "issue = 123  # from sync\n",
            "updates = [{ at = 2026-11-26, note = \"Alert merged\" }]\n",
        ),
    );
}

#[test]
fn safeguard_add_appends_with_crlf_and_keeps_the_bom() {
    let repo = repo();
    let bytes = edited(
        &repo,
        &[
            "safeguard",
            "add",
            ID,
            "--title",
            "Shrink WAL segments",
            "--owner",
            "sre",
            "--due",
            "2027-01-15",
        ],
    );
    assert_bytes(
        &bytes,
        &expected(
            "# end of file\n",
            "\n[[safeguards]]\nid = \"S3\"\ntitle = \"Shrink WAL segments\"\nowner = \"sre\"\ndue = 2027-01-15\n",
        ),
    );
}

#[test]
fn safeguard_drop_keeps_crlf_bom_and_comments() {
    let repo = repo();
    let bytes = edited(
        &repo,
        &["safeguard", "drop", ID, "S2", "--reason", "Replaced by S1"],
    );
    assert_bytes(
        &bytes,
        &expected(
            "due = 2026-12-01   # tight\n",
            "status = \"dropped\"\nreason = \"Replaced by S1\"\n",
        ),
    );
}

#[test]
fn action_done_and_drop_keep_crlf_bom_and_comments() {
    let repo = repo();
    let bytes = edited(&repo, &["action", "done", ID, "A1"]);
    assert_bytes(
        &bytes,
        &expected(
            "  { at = 2026-11-21, note = \"Half done\" },   # vendor run\n]\n",
            "status = \"done\"\n",
        ),
    );

    let repo = self::repo();
    let bytes = edited(
        &repo,
        &["action", "drop", ID, "A2", "--reason", "Not needed"],
    );
    assert_bytes(
        &bytes,
        &expected(
            "due = 2026-11-29\n",
            "status = \"dropped\"\nreason = \"Not needed\"\n",
        ),
    );
}

#[test]
fn a_file_with_mixed_line_endings_keeps_each_line_as_it_was() {
    let repo = TestRepo::new();
    // Mostly `\r\n`, one line with `\n` that an edit does not touch.
    let text = crlf(FILE).replacen("severity = \"sev3\"\r\n", "severity = \"sev3\"\n", 1);
    std::fs::write(repo.file(PATH), &text).expect("write");
    let bytes = edited(&repo, &["update", ID, "A1", "Rest done"]);
    let want = crate::common::inserted(
        &text,
        "# vendor run\r\n",
        "  { at = 2026-11-26, note = \"Rest done\" },\r\n",
    );
    assert_bytes(&bytes, want.as_bytes());
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_writes_the_issue_number_back_keeping_crlf_and_bom() {
    let repo = repo();
    let gh = FakeGitHub::start().await;
    gh.with_state(|s| {
        s.issues.push(issue(
            123,
            "[postmortem] Alert at 80% disk",
            "<!-- git-postmortem: 2026-11-20-disk-full/S1 -->",
            "open",
            &["postmortem", "safeguard"],
        ));
    });
    let (code, stdout, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("opened #124 for 2026-11-20-disk-full/S2\n"),
        "{stdout}"
    );
    let bytes = std::fs::read(repo.file(PATH)).expect("read");
    assert_bytes(
        &bytes,
        &expected("due = 2026-12-01   # tight\n", "issue = 124\n"),
    );
}
