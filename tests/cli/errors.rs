//! Bad configuration: one located error, exit 2, nothing touched.

use crate::common::TestRepo;

#[test]
fn an_unknown_config_key_is_located() {
    let repo = TestRepo::without_config();
    repo.write(
        ".postmortem.toml",
        "dir = \"postmortems\"\ncool-off = \"1h\"\n",
    );
    let (code, _, stderr) = repo.run(&["list"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: .postmortem.toml:2:1: [schema] unknown key `cool-off` (did you mean `cool_off`?)"),
        "{stderr}"
    );
}

#[test]
fn a_bad_duration_in_the_config_is_located() {
    let repo = TestRepo::without_config();
    repo.write(".postmortem.toml", "cool_off = \"a while\"\n");
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: .postmortem.toml:1:12: [schema] `a while` is not a duration"),
        "{stderr}"
    );
}

#[test]
fn a_broken_postmortem_makes_show_fail_without_writing() {
    let repo = TestRepo::new();
    repo.write_postmortem("2026-11-20-x", "schema = 1\ntitle = \"x\"\nstatus = \"done\"\nseverity = \"sev1\"\noccurred_at = 2026-11-20T10:00:00Z\n");
    let before = repo.snapshot_files();
    let (code, stdout, stderr) = repo.run(&["show", "2026-11-20-x"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with("error: postmortems/2026-11-20-x.toml:3:10: [schema] `status`: unknown value `done`, expected one of `draft`, `review`, `final`"),
        "{stderr}"
    );
    assert_eq!(repo.snapshot_files(), before);
}
