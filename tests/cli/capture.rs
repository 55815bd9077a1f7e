//! Live capture during an incident: `timeline add`, `action add`,
//! `requirement add` and `factor add`. Each keeps every other byte of the
//! file, takes turns with concurrent runs, and refuses bad input without
//! touching anything.

use std::process::{Command, Stdio};

use crate::common::fixtures::{CHECKOUT, CHECKOUT_ID};
use crate::common::{inserted, TestRepo};

const PATH: &str = "postmortems/2026-11-20-checkout-500s.toml";

fn checkout() -> (TestRepo, String) {
    let repo = TestRepo::new();
    let text = CHECKOUT.replace("{TRIGGER}", "0123456789012345678901234567890123456789");
    repo.write_postmortem(CHECKOUT_ID, &text);
    (repo, text)
}

#[track_caller]
fn ok(repo: &TestRepo, args: &[&str]) -> String {
    let (code, stdout, stderr) = repo.run(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    stdout
}

#[test]
fn timeline_add_puts_each_entry_at_its_time_keeping_every_byte() {
    let (repo, original) = checkout();
    // Between the two entries.
    let stdout = ok(
        &repo,
        &[
            "timeline",
            "add",
            CHECKOUT_ID,
            "Rollback starts",
            "--at",
            "2026-11-20T14:05:00Z",
        ],
    );
    assert_eq!(
        stdout,
        "Added timeline entry 2 of 3 at 2026-11-20T14:05:00Z to postmortems/2026-11-20-checkout-500s.toml\n"
    );
    let between = inserted(
        &original,
        "event = \"Deploy of v1.4.2 starts\"\n",
        "\n[[timeline]]\nat = 2026-11-20T14:05:00Z\nevent = \"Rollback starts\"\n",
    );
    assert_eq!(repo.read(PATH), between);

    // Before the first one, in another offset: 14:01+00:30 is 13:31Z.
    ok(
        &repo,
        &[
            "timeline",
            "add",
            CHECKOUT_ID,
            "Config change merged",
            "--at",
            "2026-11-20T14:01:00+00:30",
        ],
    );
    let first = inserted(
        &between,
        "note = \"Connection pool size read from the wrong env var.\"\n",
        "\n[[timeline]]\nat = 2026-11-20T14:01:00+00:30\nevent = \"Config change merged\"\n",
    );
    assert_eq!(repo.read(PATH), first);

    // Without --at: now (GIT_POSTMORTEM_NOW), after every entry.
    ok(
        &repo,
        &["timeline", "add", CHECKOUT_ID, "Postmortem started"],
    );
    let last = inserted(
        &first,
        "event = \"Error-rate alert fires | paged on-call\"\n",
        "\n[[timeline]]\nat = 2026-11-26T12:00:00Z\nevent = \"Postmortem started\"\n",
    );
    assert_eq!(repo.read(PATH), last);

    // The same time as an existing entry: after it.
    ok(
        &repo,
        &[
            "timeline",
            "add",
            CHECKOUT_ID,
            "Second page",
            "--at",
            "2026-11-20T14:09:00Z",
        ],
    );
    let events: Vec<String> = repo
        .read(PATH)
        .lines()
        .filter_map(|l| l.strip_prefix("event = "))
        .map(String::from)
        .collect();
    assert_eq!(
        events,
        [
            "\"Config change merged\"",
            "\"Deploy of v1.4.2 starts\"",
            "\"Rollback starts\"",
            "\"Error-rate alert fires | paged on-call\"",
            "\"Second page\"",
            "\"Postmortem started\"",
        ]
    );
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn timeline_add_takes_a_time_of_day_in_the_clocks_offset() {
    let (repo, _) = checkout();
    let (code, stdout, stderr) = repo.run_env(
        &[
            "timeline",
            "add",
            CHECKOUT_ID,
            "Status page updated",
            "--at",
            "14:05",
        ],
        &[("GIT_POSTMORTEM_NOW", "2026-11-20T15:00:00+01:00")],
    );
    assert_eq!(code, 0, "{stderr}");
    // 14:05+01:00 is 13:05Z: before the first entry at 14:02Z.
    assert_eq!(
        stdout,
        "Added timeline entry 1 of 3 at 2026-11-20T14:05:00+01:00 to postmortems/2026-11-20-checkout-500s.toml\n"
    );
    assert!(repo
        .read(PATH)
        .contains("[[timeline]]\nat = 2026-11-20T14:05:00+01:00\nevent = \"Status page updated\"\n\n[[timeline]]\nat = 2026-11-20T14:02:00Z"));
}

#[test]
fn timeline_add_reads_the_event_from_stdin() {
    let (repo, original) = checkout();
    repo.cmd()
        .args([
            "timeline",
            "add",
            CHECKOUT_ID,
            "-",
            "--at",
            "2026-11-20T14:30:00Z",
        ])
        .write_stdin("Customer wrote: \"checkout is broken\"\nescalated to sev2\n")
        .assert()
        .success();
    assert_eq!(
        repo.read(PATH),
        inserted(
            &original,
            "event = \"Error-rate alert fires | paged on-call\"\n",
            "\n[[timeline]]\nat = 2026-11-20T14:30:00Z\nevent = \"Customer wrote: \\\"checkout is broken\\\"\\nescalated to sev2\"\n",
        )
    );
    let (code, stdout, _) = repo.run(&["show", CHECKOUT_ID, "--format", "json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let timeline = doc["timeline"].as_array().expect("timeline");
    assert_eq!(
        timeline[2]["event"],
        "Customer wrote: \"checkout is broken\"\nescalated to sev2"
    );
}

#[test]
fn timeline_add_into_an_inline_array_keeps_its_style() {
    let repo = TestRepo::new();
    let text = "schema = 1\ntitle = \"Disk full\"\nstatus = \"draft\"\nseverity = \"sev3\"\noccurred_at = 2026-11-20T10:00:00Z\ntimeline = [\n  { at = 2026-11-20T10:00:00Z, event = \"a\" },  # first\n  { at = 2026-11-20T10:10:00Z, event = \"c\" },\n]\n";
    repo.write_postmortem("2026-11-20-disk", text);
    ok(
        &repo,
        &[
            "timeline",
            "add",
            "2026-11-20-disk",
            "b",
            "--at",
            "2026-11-20T10:05:00Z",
        ],
    );
    assert_eq!(
        repo.read("postmortems/2026-11-20-disk.toml"),
        inserted(
            text,
            "# first\n",
            "  { at = 2026-11-20T10:05:00Z, event = \"b\" },\n"
        )
    );
}

#[test]
fn action_add_appends_the_next_id_open() {
    let (repo, original) = checkout();
    let stdout = ok(
        &repo,
        &[
            "action",
            "add",
            CHECKOUT_ID,
            "--title",
            "Tell affected customers",
            "--owner",
            "support-lead",
            "--due",
            "2026-11-27",
        ],
    );
    assert_eq!(
        stdout,
        "Added A2 to postmortems/2026-11-20-checkout-500s.toml: Tell affected customers\n"
    );
    assert_eq!(
        repo.read(PATH),
        inserted(
            &original,
            "updates = [{ at = 2026-11-25, note = \"Refunds 60% done\" }]\n",
            "\n[[actions]]\nid = \"A2\"\ntitle = \"Tell affected customers\"\nowner = \"support-lead\"\ndue = 2026-11-27\nstatus = \"open\"\n",
        )
    );
    // The new action is a real one: `action done` finds it.
    ok(&repo, &["action", "done", CHECKOUT_ID, "a2"]);
    assert!(repo.read(PATH).contains("id = \"A2\"\ntitle = \"Tell affected customers\"\nowner = \"support-lead\"\ndue = 2026-11-27\nstatus = \"done\"\n"));
}

#[test]
fn requirement_and_factor_add_append_entries() {
    let (repo, original) = checkout();
    let stdout = ok(
        &repo,
        &[
            "requirement",
            "add",
            CHECKOUT_ID,
            "--from",
            "legal",
            "Keep the failed-payment logs for 90 days",
        ],
    );
    assert_eq!(
        stdout,
        "Added requirement 2 from legal to postmortems/2026-11-20-checkout-500s.toml\n"
    );
    let with_requirement = inserted(
        &original,
        "text = \"Status page updated within 10 minutes of detection.\"\n",
        "\n[[requirements]]\nfrom = \"legal\"\ntext = \"Keep the failed-payment logs for 90 days\"\n",
    );
    assert_eq!(repo.read(PATH), with_requirement);

    let stdout = ok(
        &repo,
        &[
            "factor",
            "add",
            CHECKOUT_ID,
            "time-pressure",
            "The release had to ship before the sale",
        ],
    );
    assert_eq!(
        stdout,
        "Added factor 2 (time-pressure) to postmortems/2026-11-20-checkout-500s.toml\n"
    );
    ok(&repo, &["factor", "add", CHECKOUT_ID, "monitoring"]);
    assert_eq!(
        repo.read(PATH),
        inserted(
            &with_requirement,
            "note = \"Nobody knew the pool size had moved to a new variable.\"\n",
            "\n[[factors]]\nkind = \"time-pressure\"\nnote = \"The release had to ship before the sale\"\n\n[[factors]]\nkind = \"monitoring\"\n",
        )
    );
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn capture_into_a_new_postmortem_starts_each_section() {
    let repo = TestRepo::new();
    let path = ok(&repo, &["new", "Disk full", "--no-edit"]);
    let path = path.trim();
    ok(
        &repo,
        &[
            "timeline",
            "add",
            "2026-11-26",
            "Disk alert",
            "--at",
            "11:00",
        ],
    );
    ok(
        &repo,
        &[
            "timeline",
            "add",
            "2026-11-26",
            "Disk at 100%",
            "--at",
            "11:30",
        ],
    );
    ok(
        &repo,
        &["timeline", "add", "2026-11-26", "Deploy", "--at", "10:45"],
    );
    ok(
        &repo,
        &["action", "add", "2026-11-26", "--title", "Free space"],
    );
    ok(
        &repo,
        &[
            "requirement",
            "add",
            "2026-11-26",
            "--from",
            "support",
            "Updates",
        ],
    );
    ok(&repo, &["factor", "add", "2026-11-26", "monitoring"]);
    let text = repo.read(path);
    let pos = |s: &str| {
        text.find(s)
            .unwrap_or_else(|| panic!("{s} missing:\n{text}"))
    };
    assert!(pos("event = \"Deploy\"") < pos("event = \"Disk alert\""));
    assert!(pos("event = \"Disk alert\"") < pos("event = \"Disk at 100%\""));
    assert!(text.contains("[[actions]]\nid = \"A1\"\ntitle = \"Free space\"\nstatus = \"open\"\n"));
    let (code, stdout, _) = repo.run(&["show", "2026-11-26", "--format", "json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["timeline"].as_array().map(Vec::len), Some(3));
    assert_eq!(doc["factors"][0]["kind"], "monitoring");
    assert_eq!(doc["requirements"][0]["from"], "support");
}

#[test]
fn capture_refuses_bad_input_and_changes_nothing() {
    let (repo, _) = checkout();
    let before = repo.snapshot_files();
    let cases: [(&[&str], &str); 10] = [
        (
            &["timeline", "add", CHECKOUT_ID, "Paged \u{1b}[31mon-call"],
            "error: EVENT: holds the control character U+001B;",
        ),
        (
            &["timeline", "add", CHECKOUT_ID, "   "],
            "error: EVENT: it is empty;",
        ),
        (
            &["timeline", "add", CHECKOUT_ID, "x", "--at", "yesterday"],
            "error: --at: `yesterday` is neither a datetime with an offset like 2026-11-20T14:05:00Z nor a time of day like 14:05",
        ),
        (
            &["timeline", "add", CHECKOUT_ID, "x", "--at", "2026-11-20T14:05:00"],
            "error: --at: `2026-11-20T14:05:00` is neither",
        ),
        (
            &["timeline", "add", "2099", "x"],
            "error: no postmortem matches `2099`",
        ),
        (
            &["action", "add", CHECKOUT_ID, "--title", "Refund\u{7}"],
            "error: --title: holds the control character U+0007;",
        ),
        (
            &["action", "add", CHECKOUT_ID, "--title", "x", "--due", "soon"],
            "`soon` is not a date like 2026-12-15",
        ),
        (
            &["requirement", "add", CHECKOUT_ID, "--from", " ", "x"],
            "error: --from: it is empty;",
        ),
        (
            &["factor", "add", CHECKOUT_ID, "bad-luck", "x"],
            "invalid value 'bad-luck'",
        ),
        (
            &["factor", "add", CHECKOUT_ID, "tooling", "\u{1b}]0;pwned\u{7}"],
            "error: NOTE: holds the control character U+001B;",
        ),
    ];
    for (args, expected) in cases {
        let (code, stdout, stderr) = repo.run(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert_eq!(stdout, "", "{args:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    assert_eq!(repo.snapshot_files(), before);
}

#[test]
fn capture_into_a_file_that_breaks_the_schema_changes_nothing() {
    let (repo, original) = checkout();
    repo.write_postmortem(
        CHECKOUT_ID,
        &original.replace("severity = \"sev2\"", "severity = \"sev2\"\nbogus = 1"),
    );
    let before = repo.snapshot_files();
    for args in [
        &["timeline", "add", CHECKOUT_ID, "x"][..],
        &["action", "add", CHECKOUT_ID, "--title", "x"],
        &["requirement", "add", CHECKOUT_ID, "--from", "a", "x"],
        &["factor", "add", CHECKOUT_ID, "other"],
    ] {
        let (code, _, stderr) = repo.run(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(
            stderr.starts_with("error: postmortems/2026-11-20-checkout-500s.toml:6:1: [schema] unknown key `bogus`"),
            "{stderr}"
        );
    }
    assert_eq!(repo.snapshot_files(), before);
}

const BOM: &str = "\u{feff}";

#[test]
fn capture_keeps_crlf_and_the_bom() {
    let repo = TestRepo::new();
    let text = "# Windows\nschema = 1\ntitle = \"Disk full\"\nstatus = \"draft\"\nseverity = \"sev3\"\noccurred_at = 2026-11-20T10:00:00Z\n\n[[timeline]]\nat = 2026-11-20T10:00:00Z   # approx\nevent = \"a\"\n\n# later\n[[timeline]]\nat = 2026-11-20T11:00:00Z\nevent = \"c\"\n\n[[actions]]\nid = \"A1\"\ntitle = \"x\"\n";
    let crlf = |s: &str| s.replace('\n', "\r\n");
    let path = repo.write_postmortem("2026-11-20-disk", &format!("{BOM}{}", crlf(text)));
    ok(
        &repo,
        &[
            "timeline",
            "add",
            "2026-11-20-disk",
            "b",
            "--at",
            "2026-11-20T10:30:00Z",
        ],
    );
    ok(&repo, &["action", "add", "2026-11-20-disk", "--title", "y"]);
    let expected = inserted(
        &inserted(
            text,
            "event = \"a\"\n",
            "\n[[timeline]]\nat = 2026-11-20T10:30:00Z\nevent = \"b\"\n",
        ),
        "title = \"x\"\n",
        "\n[[actions]]\nid = \"A2\"\ntitle = \"y\"\nstatus = \"open\"\n",
    );
    assert_eq!(
        std::fs::read(repo.file(&path)).expect("read"),
        format!("{BOM}{}", crlf(&expected)).into_bytes()
    );
}

#[test]
fn concurrent_captures_all_land_in_order() {
    let (repo, _) = checkout();
    let binary = assert_cmd::cargo::cargo_bin("git-postmortem");
    let mut children = Vec::new();
    for n in 0..6 {
        let minute = format!("2026-11-20T14:{:02}:00Z", 10 + n);
        let event = format!("event {n}");
        let title = format!("action {n}");
        for args in [
            vec!["timeline", "add", CHECKOUT_ID, &event, "--at", &minute],
            vec!["action", "add", CHECKOUT_ID, "--title", &title],
        ] {
            let mut cmd: Command = repo.hermetic(&binary);
            children.push(
                cmd.args(&args)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("start"),
            );
        }
    }
    for child in children {
        let output = child.wait_with_output().expect("wait");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let text = repo.read(PATH);
    let ats: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("at = "))
        .collect();
    let mut sorted = ats.clone();
    sorted.sort();
    assert_eq!(ats.len(), 8, "{text}");
    assert_eq!(ats, sorted, "timeline out of order:\n{text}");
    for n in 1..=7 {
        assert_eq!(
            text.matches(&format!("id = \"A{n}\"\n")).count(),
            1,
            "{text}"
        );
    }
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0, "{stderr}");
}
