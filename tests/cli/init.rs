use crate::common::TestRepo;

#[test]
fn init_writes_config_and_directory() {
    let repo = TestRepo::without_config();
    let (code, stdout, stderr) = repo.run(&["init"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Created .postmortem.toml and postmortems/"));
    assert!(repo.read(".postmortem.toml").contains("cool_off = \"24h\""));
    assert!(repo.file("postmortems").is_dir());
}

#[test]
fn init_refuses_to_overwrite_the_config() {
    let repo = TestRepo::without_config();
    repo.write(".postmortem.toml", "# mine\ndir = \"pm\"\n");
    let (code, _, stderr) = repo.run(&["init"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: .postmortem.toml already exists; refusing to overwrite it\n"
    );
    assert_eq!(repo.read(".postmortem.toml"), "# mine\ndir = \"pm\"\n");
}

#[test]
fn init_in_a_subdirectory_writes_at_the_top_level() {
    let repo = TestRepo::without_config();
    std::fs::create_dir_all(repo.file("src/deep")).expect("mkdir");
    repo.cmd()
        .arg("init")
        .current_dir(repo.file("src/deep"))
        .assert()
        .success();
    assert!(repo.file(".postmortem.toml").is_file());
    assert!(!repo.file("src/deep/.postmortem.toml").exists());
}

#[test]
fn init_outside_a_repository_fails_with_a_hint() {
    let repo = TestRepo::without_config();
    let outside = repo.dir.path().join("home");
    let output = repo
        .cmd()
        .arg("init")
        .current_dir(&outside)
        .env("GIT_CEILING_DIRECTORIES", repo.dir.path())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: not inside a git repository"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: run this inside a git work tree"),
        "{stderr}"
    );
}

#[test]
fn commands_without_config_say_to_run_init() {
    let repo = TestRepo::without_config();
    let (code, _, stderr) = repo.run(&["list"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: no .postmortem.toml in this repository\nhint: run `git postmortem init` at the top of the repository\n"
    );
}

#[test]
fn a_custom_directory_from_the_config_is_used() {
    let repo = TestRepo::without_config();
    repo.write(".postmortem.toml", "dir = \"docs/incidents\"\n");
    let (code, stdout, stderr) = repo.run(&["new", "Disk full", "--no-edit"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "docs/incidents/2026-11-26-disk-full.toml\n");
}
