//! Writers at the same time: every edit lands, a lock left behind is named
//! with the way out, and a killed write never leaves a half-written
//! postmortem or stray files the loader would read.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime};

use crate::common::fixtures::{CHECKOUT, CHECKOUT_ID};
use crate::common::github::checkout_with_issue;
use crate::common::TestRepo;

const PATH: &str = "postmortems/2026-11-20-checkout-500s.toml";
const LOCK: &str = "postmortems/2026-11-20-checkout-500s.toml.lock";

fn with_checkout() -> (TestRepo, String) {
    let repo = TestRepo::new();
    let text = CHECKOUT.replace("{TRIGGER}", "0123456789012345678901234567890123456789");
    repo.write_postmortem(CHECKOUT_ID, &text);
    (repo, text)
}

/// The binary with `args`, started and not waited for.
fn spawn(repo: &TestRepo, args: &[String]) -> Child {
    let mut cmd: Command = repo.hermetic(assert_cmd::cargo::cargo_bin("git-postmortem"));
    cmd.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start binary")
}

/// Start every command at once, then wait for all; each one's exit code
/// and stderr.
fn run_together(repo: &TestRepo, commands: &[Vec<String>]) -> Vec<(i32, String)> {
    let children: Vec<Child> = commands.iter().map(|args| spawn(repo, args)).collect();
    children
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().expect("wait");
            (
                output.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&output.stderr).into_owned(),
            )
        })
        .collect()
}

fn args(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

/// The names in `postmortems/` but `init`'s `.gitkeep`, sorted.
fn entries(repo: &TestRepo) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo.file("postmortems"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != ".gitkeep")
        .collect();
    names.sort();
    names
}

/// Make `rel` look `age` old.
fn age(repo: &TestRepo, rel: &str, age: Duration) {
    let file = std::fs::File::options()
        .write(true)
        .open(repo.file(rel))
        .expect("open");
    file.set_modified(SystemTime::now() - age)
        .expect("set mtime");
}

#[test]
fn eight_concurrent_safeguard_adds_all_land() {
    let (repo, _) = with_checkout();
    let commands: Vec<Vec<String>> = (1..=8)
        .map(|n| {
            args(&[
                "safeguard",
                "add",
                CHECKOUT_ID,
                "--title",
                &format!("Concurrent safeguard {n}"),
                "--owner",
                "dana",
                "--due",
                "2027-01-15",
            ])
        })
        .collect();
    for (code, stderr) in run_together(&repo, &commands) {
        assert_eq!(code, 0, "{stderr}");
    }
    let text = repo.read(PATH);
    for n in 1..=8 {
        assert_eq!(
            text.matches(&format!("title = \"Concurrent safeguard {n}\"\n"))
                .count(),
            1,
            "safeguard {n} lost:\n{text}"
        );
    }
    // Ten safeguards with ten distinct ids: S1 and S2, then S3 to S10.
    for n in 1..=10 {
        assert_eq!(
            text.matches(&format!("id = \"S{n}\"\n")).count(),
            1,
            "{text}"
        );
    }
    assert_eq!(entries(&repo), [format!("{CHECKOUT_ID}.toml")]);
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn concurrent_updates_and_status_changes_all_land() {
    let (repo, _) = with_checkout();
    let mut commands: Vec<Vec<String>> = (1..=6)
        .map(|n| args(&["update", CHECKOUT_ID, "A1", &format!("Batch {n} refunded")]))
        .collect();
    commands.push(args(&[
        "update",
        CHECKOUT_ID,
        "S1",
        "Check merged behind a flag",
    ]));
    commands.push(args(&[
        "safeguard",
        "drop",
        CHECKOUT_ID,
        "S2",
        "--reason",
        "Covered by S1",
    ]));
    for (code, stderr) in run_together(&repo, &commands) {
        assert_eq!(code, 0, "{stderr}");
    }
    let text = repo.read(PATH);
    for n in 1..=6 {
        assert_eq!(
            text.matches(&format!("note = \"Batch {n} refunded\""))
                .count(),
            1,
            "update {n} lost:\n{text}"
        );
    }
    assert!(
        text.contains("note = \"Check merged behind a flag\""),
        "{text}"
    );
    assert!(
        text.contains("status = \"dropped\"\nreason = \"Covered by S1\"\n"),
        "{text}"
    );
    assert_eq!(entries(&repo), [format!("{CHECKOUT_ID}.toml")]);
}

#[test]
fn concurrent_news_with_one_title_write_distinct_valid_files() {
    let repo = TestRepo::new();
    let commands: Vec<Vec<String>> = (0..5)
        .map(|_| args(&["new", "Disk full", "--no-edit"]))
        .collect();
    for (code, stderr) in run_together(&repo, &commands) {
        assert_eq!(code, 0, "{stderr}");
    }
    let mut expected = vec!["2026-11-26-disk-full.toml".to_string()];
    expected.extend((2..=5).map(|n| format!("2026-11-26-disk-full-{n}.toml")));
    expected.sort();
    assert_eq!(entries(&repo), expected);
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_ne!(code, 2, "{stderr}");
    assert!(!stderr.contains("[schema]"), "{stderr}");
}

#[test]
fn a_lock_left_behind_is_named_with_the_way_out() {
    let (repo, text) = with_checkout();
    repo.write(LOCK, "schema = 1\ntitle = \"half of an edit");
    age(&repo, LOCK, Duration::from_secs(60));
    let before = repo.snapshot_files();
    let edits: [&[&str]; 4] = [
        &[
            "safeguard",
            "add",
            CHECKOUT_ID,
            "--title",
            "Soak in staging",
        ],
        &["update", CHECKOUT_ID, "A1", "All refunded"],
        &["action", "done", CHECKOUT_ID, "A1"],
        &[
            "safeguard",
            "drop",
            CHECKOUT_ID,
            "S2",
            "--reason",
            "Covered",
        ],
    ];
    for edit in edits {
        let (code, stdout, stderr) = repo.run(edit);
        assert_eq!((code, stdout.as_str()), (2, ""), "{edit:?}");
        assert_eq!(
            stderr,
            format!(
                "error: Unable to create '{LOCK}': File exists. Another git-postmortem process seems to be editing {PATH}\n\
                 hint: if no git-postmortem process is running, one was killed while writing and left the lock behind: remove the file manually to continue (rm '{LOCK}')\n"
            ),
            "{edit:?}"
        );
    }
    assert_eq!(repo.snapshot_files(), before);
    assert!(repo.file(LOCK).exists(), "the lock is the user's to remove");
    // Readers are not bothered by it.
    let (code, stdout, stderr) = repo.run(&["list"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    // Once it is removed, the edit goes through.
    std::fs::remove_file(repo.file(LOCK)).expect("remove lock");
    let (code, _, stderr) = repo.run(edits[1]);
    assert_eq!(code, 0, "{stderr}");
    assert!(repo.read(PATH).contains("note = \"All refunded\""));
    assert_ne!(repo.read(PATH), text);
}

#[test]
fn new_names_a_lock_left_on_its_file_name() {
    let repo = TestRepo::new();
    let lock = "postmortems/2026-11-26-disk-full.toml.lock";
    repo.write(lock, "");
    age(&repo, lock, Duration::from_secs(60));
    let (code, _, stderr) = repo.run(&["new", "Disk full", "--no-edit"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(&format!("error: Unable to create '{lock}': File exists.")),
        "{stderr}"
    );
    assert_eq!(entries(&repo), ["2026-11-26-disk-full.toml.lock"]);
}

#[test]
fn an_edit_waits_for_a_lock_that_is_being_held() {
    let (repo, text) = with_checkout();
    repo.write(LOCK, "");
    let mut child = spawn(
        &repo,
        &args(&["update", CHECKOUT_ID, "A1", "Written after the lock"]),
    );
    std::thread::sleep(Duration::from_millis(400));
    assert!(
        child.try_wait().expect("poll").is_none(),
        "the edit must wait for the lock"
    );
    assert_eq!(
        repo.read(PATH),
        text,
        "nothing is written while the lock is held"
    );
    std::fs::remove_file(repo.file(LOCK)).expect("release lock");
    let output = child.wait_with_output().expect("wait");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(repo
        .read(PATH)
        .contains("note = \"Written after the lock\""));
    assert_eq!(entries(&repo), [format!("{CHECKOUT_ID}.toml")]);
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_writes_issue_numbers_back_under_the_lock() {
    let (repo, gh) = checkout_with_issue().await;
    let text = repo.read(PATH);
    repo.write(LOCK, "");
    age(&repo, LOCK, Duration::from_secs(60));
    let (code, _, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!("Unable to create '{LOCK}': File exists.")),
        "{stderr}"
    );
    assert_eq!(repo.read(PATH), text);
    std::fs::remove_file(repo.file(LOCK)).expect("remove lock");
    // The issues opened before the write-back failed are found again by
    // their markers: no duplicates, and the numbers land now.
    let (code, _, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 0, "{stderr}");
    let after = repo.read(PATH);
    assert_eq!(
        after,
        text.replace("due = 2026-12-01\n", "due = 2026-12-01\nissue = 124\n")
    );
    let creates = gh
        .requests()
        .await
        .iter()
        .filter(|r| r.line() == "POST /repos/acme/shop/issues")
        .count();
    assert_eq!(creates, 1, "one issue for S2, never a second");
}

#[test]
fn stale_temporary_files_are_not_postmortems_and_are_swept() {
    let (repo, text) = with_checkout();
    // What a write killed half-way by an earlier version left behind.
    let stray = "postmortems/.postmortem-Ab12Cd.tmp";
    repo.write(stray, &text[..text.len() / 2]);
    age(&repo, stray, Duration::from_secs(3600));
    let (code, stdout, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("1 file checked"), "{stderr}{stdout}");
    let (code, _, stderr) = repo.run(&["update", CHECKOUT_ID, "A1", "All refunded"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(entries(&repo), [format!("{CHECKOUT_ID}.toml")]);
}

#[cfg(unix)]
#[test]
fn killing_writers_never_leaves_a_half_written_postmortem() {
    let (repo, _) = with_checkout();
    for round in 0..12u64 {
        let mut child = spawn(
            &repo,
            &args(&[
                "safeguard",
                "add",
                CHECKOUT_ID,
                "--title",
                &format!("Round {round}"),
                "--owner",
                "dana",
                "--due",
                "2027-01-15",
            ]),
        );
        std::thread::sleep(Duration::from_millis(round * 4));
        let _ = child.kill();
        let _ = child.wait();
        // Only the postmortem, and at most the lock of the write that was
        // cut short: no temporary file, and the postmortem is whole.
        let names = entries(&repo);
        assert!(
            names
                .iter()
                .all(|n| n == &format!("{CHECKOUT_ID}.toml")
                    || n == &format!("{CHECKOUT_ID}.toml.lock")),
            "round {round}: {names:?}"
        );
        let (code, _, stderr) = repo.run(&["lint"]);
        assert!(!stderr.contains("[schema]"), "round {round}: {stderr}");
        assert_eq!(code, 0, "round {round}: {stderr}");
        let _ = std::fs::remove_file(repo.file(LOCK));
    }
}
