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
