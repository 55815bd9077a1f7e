use crate::common::fixtures::minimal;
use crate::common::TestRepo;

fn three() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_postmortem(
        "2026-11-20-dns",
        &minimal("DNS outage", "final", "2026-11-20T10:00:00Z"),
    );
    repo.write_postmortem(
        "2026-11-24-checkout",
        &minimal("Checkout 500s", "draft", "2026-11-24T14:02:00Z"),
    );
    repo.write_postmortem(
        "2026-11-22-queue",
        &minimal("Queue backlog", "review", "2026-11-22T08:00:00Z"),
    );
    repo
}

#[test]
fn list_is_newest_first() {
    let (code, stdout, stderr) = three().run(&["list"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "2026-11-24-checkout  draft   sev3  Checkout 500s\n\
         2026-11-22-queue     review  sev3  Queue backlog\n\
         2026-11-20-dns       final   sev3  DNS outage\n"
    );
}

#[test]
fn list_filters_by_status() {
    let (_, stdout, _) = three().run(&["list", "--status", "review"]);
    assert_eq!(stdout, "2026-11-22-queue  review  sev3  Queue backlog\n");
    let (code, _, stderr) = three().run(&["list", "--status", "closed"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value 'closed'"), "{stderr}");
}

#[test]
fn list_json() {
    let (_, stdout, _) = three().run(&["list", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let ids: Vec<&str> = doc["postmortems"]
        .as_array()
        .expect("array")
        .iter()
        .map(|p| p["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        ["2026-11-24-checkout", "2026-11-22-queue", "2026-11-20-dns"]
    );
    assert_eq!(
        doc["postmortems"][0]["path"],
        "postmortems/2026-11-24-checkout.toml"
    );
    assert_eq!(doc["postmortems"][0]["status"], "draft");
}

#[test]
fn list_reports_a_broken_file_and_lists_the_rest() {
    let repo = three();
    repo.write_postmortem("2026-11-23-broken", "schema = 1\ntitle = \n");
    let (code, stdout, stderr) = repo.run(&["list"]);
    assert_eq!(code, 2);
    assert_eq!(stdout.lines().count(), 3);
    assert!(
        stderr.starts_with("error: postmortems/2026-11-23-broken.toml:2:9: [schema]"),
        "{stderr}"
    );
}

#[test]
fn list_with_no_postmortems_says_how_to_start() {
    let (code, stdout, stderr) = TestRepo::new().run(&["list"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    assert_eq!(
        stderr,
        "no postmortems yet; write one with `git postmortem new TITLE`\n"
    );
}
