use crate::common::TestRepo;

#[test]
fn new_writes_a_commented_template_that_lints_clean() {
    let repo = TestRepo::new();
    let (code, stdout, stderr) = repo.run(&["new", "Checkout returned HTTP 500", "--no-edit"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "postmortems/2026-11-26-checkout-returned-http-500.toml\n"
    );
    let text = repo.read("postmortems/2026-11-26-checkout-returned-http-500.toml");
    // The `#:schema` URL names the version; the snapshot outlives it.
    let version = format!("/v{}/", env!("CARGO_PKG_VERSION"));
    insta::with_settings!({filters => vec![(regex::escape(&version).as_str(), "/v[VERSION]/")]}, {
        insta::assert_snapshot!("new_template", text);
    });
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "1 file checked: 0 errors, 0 warnings\n");
}

#[test]
fn new_resolves_commits_to_full_oids_and_keeps_ranges() {
    let repo = TestRepo::new();
    let v1 = repo.commit("Release v1.4.1");
    repo.tag("v1.4.1", v1);
    let bad = repo.commit("Read pool size from DB_POOL_MAX");
    let v2 = repo.commit("Release v1.4.2");
    repo.tag("v1.4.2", v2);
    let (code, stdout, stderr) = repo.run(&[
        "new",
        "Pool exhausted",
        "--commit",
        "HEAD~1",
        "--commit",
        &bad.to_string()[..8],
        "--range",
        "v1.4.1..v1.4.2",
        "--severity",
        "sev1",
        "--no-edit",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let text = repo.read(stdout.trim());
    let oid = bad.to_string();
    assert!(
        text.contains(&format!(
            "  \"{oid}\",  # Read pool size from DB_POOL_MAX\n  \"{oid}\","
        )),
        "{text}"
    );
    assert!(text.contains("\"v1.4.1..v1.4.2\",  # 2 commits"), "{text}");
    assert!(text.contains("severity = \"sev1\""));
    assert!(
        stderr.contains("trigger range v1.4.1..v1.4.2: 2 commits\n"),
        "{stderr}"
    );
    assert!(stderr.contains("Release v1.4.2"), "{stderr}");
}

#[test]
fn new_with_an_unknown_revision_writes_nothing() {
    let repo = TestRepo::new();
    let before = repo.snapshot_files();
    let (code, stdout, stderr) = repo.run(&["new", "X", "--commit", "nope~3", "--no-edit"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error: bad revision `nope~3`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: use any revision git understands"),
        "{stderr}"
    );
    assert_eq!(repo.snapshot_files(), before);
}

#[test]
fn new_rejects_an_unknown_severity() {
    let repo = TestRepo::new();
    let (code, _, stderr) = repo.run(&["new", "X", "--severity", "critical", "--no-edit"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: --severity: unknown severity `critical`; choose one of sev1, sev2, sev3, sev4\n"
    );
}

#[test]
fn same_title_on_the_same_day_gets_distinct_ids() {
    let repo = TestRepo::new();
    let first = repo.run(&["new", "DNS outage", "--no-edit"]).1;
    let second = repo.run(&["new", "DNS outage", "--no-edit"]).1;
    let third = repo.run(&["new", "DNS outage", "--no-edit"]).1;
    assert_eq!(first, "postmortems/2026-11-26-dns-outage.toml\n");
    assert_eq!(second, "postmortems/2026-11-26-dns-outage-2.toml\n");
    assert_eq!(third, "postmortems/2026-11-26-dns-outage-3.toml\n");
    let text = repo.read("postmortems/2026-11-26-dns-outage-2.toml");
    // The first line is the `#:schema` directive; the heading names the id.
    assert_eq!(
        text.lines().nth(1),
        Some("# Postmortem 2026-11-26-dns-outage-2"),
        "{text}"
    );
}

#[test]
fn new_is_dated_by_when_the_incident_began() {
    let repo = TestRepo::new();
    let (code, stdout, _) = repo.run(&[
        "new",
        "Café outage",
        "--occurred-at",
        "2026-11-24T23:30:00-05:00",
        "--no-edit",
    ]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "postmortems/2026-11-24-cafe-outage.toml\n");
    let text = repo.read(stdout.trim());
    assert!(
        text.contains("occurred_at = 2026-11-24T23:30:00-05:00"),
        "{text}"
    );
}

#[test]
fn new_prints_a_path_relative_to_the_current_directory() {
    let repo = TestRepo::new();
    repo.write("postmortems/.keep", "");
    let output = repo
        .cmd()
        .args(["new", "Inside", "--no-edit"])
        .current_dir(repo.file("postmortems"))
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "2026-11-26-inside.toml\n"
    );
}

#[test]
fn new_does_not_open_an_editor_without_a_terminal() {
    let repo = TestRepo::new();
    // An editor that fails: had it run, `new` would exit 2.
    let output = repo
        .cmd()
        .args(["new", "No editor"])
        .env("EDITOR", "false")
        .env("GIT_EDITOR", "false")
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_user_template_in_the_repository_overrides_the_builtin() {
    let repo = TestRepo::new();
    repo.write(
        "templates/postmortem.toml.hbs",
        "# ours\nschema = 1\ntitle = \"{{title}}\"\nstatus = \"draft\"\nseverity = \"{{severity}}\"\noccurred_at = {{{occurred_at}}}\n",
    );
    let (code, stdout, stderr) = repo.run(&["new", "Say \"hi\"", "--no-edit"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        repo.read(stdout.trim()),
        "# ours\nschema = 1\ntitle = \"Say \\\"hi\\\"\"\nstatus = \"draft\"\nseverity = \"sev4\"\noccurred_at = 2026-11-26T12:00:00Z\n"
    );
}

#[test]
fn a_broken_user_template_is_reported_and_nothing_is_written() {
    let repo = TestRepo::new();
    repo.write(
        "templates/postmortem.toml.hbs",
        "schema = 1\ntitle = \"{{titel}}\"\n",
    );
    let before = repo.snapshot_files();
    let (code, _, stderr) = repo.run(&["new", "X", "--no-edit"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: template templates/postmortem.toml.hbs:"),
        "{stderr}"
    );
    assert_eq!(repo.snapshot_files(), before);
}

/// Run `git-postmortem ARGS` on a pseudo-terminal (util-linux `script`), as
/// a person at a terminal would; returns the exit code and what the
/// terminal showed.
#[cfg(target_os = "linux")]
fn on_a_terminal(repo: &TestRepo, editor: &str, args: &str) -> (i32, String) {
    let bin = assert_cmd::cargo::cargo_bin("git-postmortem");
    let output = repo
        .hermetic("script")
        .env("GIT_EDITOR", editor)
        .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        .output()
        .expect("script runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).replace('\r', ""),
    )
}

#[cfg(target_os = "linux")]
#[test]
fn new_opens_the_editor_on_a_terminal_and_lints_what_was_saved() {
    let repo = TestRepo::new();
    let editor = repo.dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nprintf 'reviewers = [\"x\"]\\n' >> \"$1\"\n",
    )
    .expect("write editor");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let (code, screen) = on_a_terminal(&repo, &editor.display().to_string(), "new 'Disk full'");
    // The editor appended a second `reviewers` key: the file is kept as the
    // user left it, and the schema error is shown at once.
    assert_eq!(code, 2, "{screen}");
    assert!(
        screen.starts_with("postmortems/2026-11-26-disk-full.toml\n"),
        "{screen}"
    );
    assert!(
        screen.contains("postmortems/2026-11-26-disk-full.toml:"),
        "{screen}"
    );
    assert!(screen.contains("[schema]"), "{screen}");
    assert!(repo
        .read("postmortems/2026-11-26-disk-full.toml")
        .ends_with("reviewers = [\"x\"]\n"));
}

#[cfg(target_os = "linux")]
#[test]
fn a_failing_editor_keeps_the_file() {
    let repo = TestRepo::new();
    let (code, screen) = on_a_terminal(&repo, "false", "new 'Disk full'");
    assert_eq!(code, 2, "{screen}");
    assert!(
        screen.contains("error: the editor `false` failed: exit status: 1; the file was kept"),
        "{screen}"
    );
    assert!(repo.file("postmortems/2026-11-26-disk-full.toml").is_file());
}
