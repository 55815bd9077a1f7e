use crate::common::TestRepo;

#[test]
fn completions_for_each_shell_mention_the_subcommands() {
    let repo = TestRepo::without_config();
    for shell in ["bash", "zsh", "fish"] {
        let (code, stdout, _) = repo.run(&["completions", shell]);
        assert_eq!(code, 0);
        for sub in [
            "init",
            "new",
            "list",
            "show",
            "lint",
            "safeguard",
            "timeline",
            "action",
            "requirement",
            "factor",
        ] {
            assert!(stdout.contains(sub), "{shell} completions lack {sub}");
        }
    }
}

#[test]
fn help_has_examples_and_version_is_the_crate_version() {
    let repo = TestRepo::without_config();
    let (code, stdout, _) = repo.run(&["--help"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("Usage: git postmortem [OPTIONS] <COMMAND>"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Examples:\n  git postmortem init"),
        "{stdout}"
    );
    let (_, stdout, _) = repo.run(&["--version"]);
    assert_eq!(
        stdout,
        format!("git-postmortem {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2() {
    let repo = TestRepo::without_config();
    let (code, _, stderr) = repo.run(&["frobnicate"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("unrecognized subcommand 'frobnicate'"),
        "{stderr}"
    );
}

/// The selection flags, `status --mine`, `stats --format csv` and
/// `digest --format slack` are in the completions, the help and the
/// committed man pages.
#[test]
fn selection_flags_and_new_formats_are_completed_helped_and_in_the_manual() {
    let repo = TestRepo::without_config();
    let (_, bash, _) = repo.run(&["completions", "bash"]);
    let man = |page: &str| {
        std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("man/man1/{page}.1")),
        )
        .expect("man page")
    };
    for (command, flags) in [
        (
            "list",
            &[
                "--service",
                "--tag",
                "--severity",
                "--state",
                "--owner",
                "--since",
                "--until",
            ][..],
        ),
        (
            "status",
            &[
                "--service",
                "--tag",
                "--severity",
                "--state",
                "--owner",
                "--mine",
                "--since",
                "--until",
            ][..],
        ),
        (
            "stats",
            &[
                "--service",
                "--tag",
                "--severity",
                "--since",
                "--until",
                "--format",
            ][..],
        ),
        (
            "digest",
            &["--service", "--tag", "--severity", "--format"][..],
        ),
    ] {
        let (code, help, _) = repo.run(&[command, "--help"]);
        assert_eq!(code, 0);
        let page = man(&format!("git-postmortem-{command}"));
        for flag in flags {
            assert!(help.contains(flag), "{command} --help lacks {flag}");
            assert!(
                page.contains(&flag.replace('-', "\\-")),
                "man page of {command} lacks {flag}"
            );
        }
        // bash completes a subcommand's flags in its own case branch.
        let branch = bash
            .split(&format!("git__subcmd__postmortem__subcmd__{command})"))
            .nth(1)
            .unwrap_or_else(|| panic!("no bash completion for {command}"));
        let opts = branch.lines().find(|l| l.contains("opts=")).expect("opts");
        for flag in flags {
            assert!(
                opts.contains(flag),
                "bash completion of {command} lacks {flag}"
            );
        }
    }
    assert!(man("git-postmortem-stats").contains("csv"));
    assert!(man("git-postmortem-digest").contains("slack"));
    let (_, help, _) = repo.run(&["digest", "--help"]);
    assert!(help.contains("slack"), "{help}");
}
