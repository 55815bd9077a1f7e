use crate::common::fixtures::{CHECKOUT, CHECKOUT_ID};
use crate::common::TestRepo;

const PATH: &str = "postmortems/2026-11-20-checkout-500s.toml";

#[test]
fn safeguard_add_appends_the_next_id_and_keeps_every_byte() {
    let repo = TestRepo::new();
    let original = CHECKOUT.replace("{TRIGGER}", "0123456789012345678901234567890123456789");
    repo.write_postmortem(CHECKOUT_ID, &original);
    let (code, stdout, stderr) = repo.run(&[
        "safeguard",
        "add",
        "2026-11-20",
        "--title",
        "Soak config changes in staging",
        "--owner",
        "dana",
        "--due",
        "2027-01-15",
        "--kind",
        "policy",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "Added S3 to postmortems/2026-11-20-checkout-500s.toml: Soak config changes in staging\n\
         Ship it with a commit trailer: Postmortem-Safeguard: 2026-11-20-checkout-500s/S3\n"
    );
    assert_eq!(
        repo.read(PATH),
        format!("{original}\n[[safeguards]]\nid = \"S3\"\ntitle = \"Soak config changes in staging\"\nkind = \"policy\"\nowner = \"dana\"\ndue = 2027-01-15\n")
    );
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn safeguard_add_into_a_new_postmortem_lands_after_the_guide() {
    let repo = TestRepo::new();
    let path = repo.run(&["new", "Disk full", "--no-edit"]).1;
    let before = repo.read(path.trim());
    let (code, _, _) = repo.run(&[
        "safeguard",
        "add",
        "2026-11-26-disk",
        "--title",
        "Alert at 80% disk",
    ]);
    assert_eq!(code, 0);
    let after = repo.read(path.trim());
    assert_eq!(
        after,
        format!("{before}\n[[safeguards]]\nid = \"S1\"\ntitle = \"Alert at 80% disk\"\n")
    );
}

#[test]
fn safeguard_add_without_owner_warns_and_lint_flags_it() {
    let repo = TestRepo::new();
    repo.run(&["new", "Disk full", "--no-edit"]);
    let (code, _, stderr) = repo.run(&[
        "safeguard",
        "add",
        "2026-11-26",
        "--title",
        "Alert",
        "--due",
        "2026-12-01",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        stderr,
        "warning: S1 has no owner; `lint` will flag it until it has an owner and a due date\n"
    );
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("[safeguard-owner] safeguard S1 has no owner:"),
        "{stderr}"
    );
}

#[test]
fn safeguard_add_refuses_bad_input_and_changes_nothing() {
    let repo = TestRepo::new();
    repo.write_postmortem(
        CHECKOUT_ID,
        &CHECKOUT.replace("severity = \"sev2\"", "severity = \"sev2\"\nbogus = 1"),
    );
    let before = repo.snapshot_files();
    let (code, _, stderr) = repo.run(&["safeguard", "add", CHECKOUT_ID, "--title", "X"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: postmortems/2026-11-20-checkout-500s.toml:6:1: [schema] unknown key `bogus`; expected one of `schema`, `title`, `status`, `severity`, `occurred_at`, `detected_at`, `resolved_at`, `authors`, `reviewers`, `approved_by`, `services`, `tags`, `summary`, `impact`, `trigger`, `timeline`, `factors`, `accountability`, `requirements`, `actions`, `safeguards`\n"
    );
    let (code, _, stderr) = repo.run(&[
        "safeguard",
        "add",
        CHECKOUT_ID,
        "--title",
        "X",
        "--due",
        "next week",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`next week` is not a date like 2026-12-15"),
        "{stderr}"
    );
    let (code, _, stderr) = repo.run(&[
        "safeguard",
        "add",
        CHECKOUT_ID,
        "--title",
        "X",
        "--kind",
        "magic",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value 'magic'"), "{stderr}");
    assert_eq!(repo.snapshot_files(), before);
}

#[test]
fn safeguard_add_leaves_no_temporary_files() {
    let repo = TestRepo::new();
    repo.run(&["new", "Disk full", "--no-edit"]);
    repo.run(&[
        "safeguard",
        "add",
        "2026-11-26",
        "--title",
        "Alert",
        "--owner",
        "o",
        "--due",
        "2026-12-01",
    ]);
    let names: Vec<String> = std::fs::read_dir(repo.file("postmortems"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
}
