//! The workflow per severity (`[policy.<severity>]` over the top-level
//! settings in `.postmortem.toml`): cool-off, safeguards for `final`, the
//! sections `review` and `final` need, how many reviewers, the default due
//! date of new safeguards and actions, and a template per severity.

use crate::common::fixtures::{minimal, CHECKOUT, CHECKOUT_ID};
use crate::common::TestRepo;

const PATH: &str = "postmortems/2026-11-20-checkout-500s.toml";

/// `.postmortem.toml` as `init` wrote it, with top-level keys `top` first
/// and `tables` at the end.
fn configure(repo: &TestRepo, top: &str, tables: &str) {
    let config = repo.read(".postmortem.toml");
    repo.write(".postmortem.toml", &format!("{top}{config}\n{tables}"));
}

/// The checkout postmortem (final, complete, sev2) as `severity`, with
/// each of `cut` removed.
fn checkout_as(repo: &TestRepo, severity: &str, cut: &[&str]) {
    let trigger = repo.commit("Read pool size from DB_POOL_MAX");
    let mut text = CHECKOUT
        .replace("{TRIGGER}", &trigger.to_string())
        .replace("severity = \"sev2\"", &format!("severity = \"{severity}\""));
    for part in cut {
        assert!(text.contains(part), "fixture lacks {part:?}");
        text = text.replace(part, "");
    }
    repo.write_postmortem(CHECKOUT_ID, &text);
}

/// `lint --json` findings as `(lint, message)`, and the exit code.
fn lint(repo: &TestRepo) -> (i32, Vec<(String, String)>) {
    let (code, stdout, stderr) = repo.run(&["lint", "--json"]);
    assert_eq!(stderr, "");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let findings = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["lint"].as_str().unwrap_or_default().to_string(),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (code, findings)
}

const SAFEGUARDS: &str = "\n[[safeguards]]\nid = \"S1\"\ntitle = \"Fail deploy when a required env var is missing\"\nkind = \"automation\"\nowner = \"dana\"\ndue = 2026-12-15\nissue = 123\n\n# Second line of defence.\n[[safeguards]]\nid = \"S2\"\ntitle = \"Alert on checkout 5xx above 1%\"\nkind = \"alert\"\nowner = \"sre-lead\"\ndue = 2026-12-01\n";
const REQUIREMENTS: &str =
    "\n[[requirements]]\nfrom = \"support\"\ntext = \"Status page updated within 10 minutes of detection.\"\n";

#[test]
fn each_severity_gets_its_own_workflow() {
    let repo = TestRepo::new();
    configure(
        &repo,
        "",
        "[policy.sev1]\ncool_off = \"7d\"\nreviewers = 3\nsections_for_final = [\"summary\", \"requirements\"]\n\n[policy.sev4]\nrequire_safeguards = false\nreviewers = 0\nsections_for_final = []\n",
    );

    // sev1: a longer cool-off, three reviewers, requirements for `final`.
    checkout_as(&repo, "sev1", &[REQUIREMENTS]);
    let (code, findings) = lint(&repo);
    assert_eq!(code, 1);
    assert_eq!(
        findings,
        [
            (
                "cool-off".into(),
                "status `final` is not allowed yet: the cool-off period of 7d after the incident ends in 1d 2h 2m; keep it `draft` until then".into()
            ),
            (
                "incomplete".into(),
                "a postmortem in `final` needs a `[[requirements]]` entry".into()
            ),
            (
                "sign-off".into(),
                "a `final` postmortem needs at least 3 `reviewers` (the policy for sev1); it lists 2".into()
            ),
        ]
    );

    // sev4: no safeguards, reviewers or sections needed.
    let bare = [
        SAFEGUARDS,
        "reviewers = [\"sre-lead\", \"support-lead\"]\n",
        "approved_by = [\"sre-lead\", \"support-lead\"]\n",
    ];
    checkout_as(&repo, "sev4", &bare);
    assert_eq!(lint(&repo), (0, vec![]));

    // sev3 has no policy of its own: the top-level settings, as before.
    checkout_as(&repo, "sev3", &bare);
    let (code, findings) = lint(&repo);
    assert_eq!(code, 1);
    let lints: Vec<&str> = findings.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(lints, ["sign-off", "no-safeguard"]);
}

#[test]
fn top_level_settings_apply_to_every_severity() {
    let repo = TestRepo::new();
    configure(
        &repo,
        "require_safeguards = false\nsections_for_review = [\"summary\"]\nsections_for_final = [\"summary\", \"trigger\", \"factors\"]\n",
        "",
    );
    checkout_as(
        &repo,
        "sev2",
        &[SAFEGUARDS, "\n[[factors]]\nkind = \"ill-informed\"\nnote = \"Nobody knew the pool size had moved to a new variable.\"\n"],
    );
    assert_eq!(
        lint(&repo),
        (
            1,
            vec![(
                "incomplete".into(),
                "a postmortem in `final` needs a `[[factors]]` entry".into()
            )]
        )
    );
    // `review` needs only a summary now: no timeline, impact or
    // accountability asked for.
    let text = minimal("Disk full", "review", "2026-11-20T10:00:00Z");
    repo.write_postmortem(
        "2026-11-20-disk",
        &format!("{text}summary = \"Disk filled up.\"\n"),
    );
    std::fs::remove_file(repo.file(PATH)).expect("remove");
    assert_eq!(lint(&repo), (0, vec![]));
}

#[test]
fn default_due_dates_new_safeguards_and_actions() {
    let repo = TestRepo::new();
    configure(
        &repo,
        "default_due = \"2w\"\n",
        "[policy.sev2]\ndefault_due = \"3d\"\n",
    );
    checkout_as(&repo, "sev2", &[]);
    let (code, stdout, stderr) = repo.run(&[
        "safeguard",
        "add",
        CHECKOUT_ID,
        "--title",
        "Soak config changes",
        "--owner",
        "dana",
    ]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "Added S3 to postmortems/2026-11-20-checkout-500s.toml: Soak config changes\n\
         Due 2026-11-29: the default_due of its severity in .postmortem.toml\n\
         Ship it with a commit trailer: Postmortem-Safeguard: 2026-11-20-checkout-500s/S3\n"
    );
    assert!(repo.read(PATH).ends_with(
        "id = \"S3\"\ntitle = \"Soak config changes\"\nowner = \"dana\"\ndue = 2026-11-29\n"
    ));
    let (code, stdout, _) = repo.run(&["action", "add", CHECKOUT_ID, "--title", "Refund"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("Due 2026-11-29: the default_due"),
        "{stdout}"
    );
    assert!(repo
        .read(PATH)
        .contains("id = \"A2\"\ntitle = \"Refund\"\ndue = 2026-11-29\nstatus = \"open\"\n"));
    // --due wins.
    let (code, stdout, _) = repo.run(&[
        "action",
        "add",
        CHECKOUT_ID,
        "--title",
        "Later",
        "--due",
        "2027-01-31",
    ]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("default_due"), "{stdout}");
    assert!(repo
        .read(PATH)
        .contains("title = \"Later\"\ndue = 2027-01-31\n"));

    // sev3 falls back to the top-level two weeks.
    repo.write_postmortem(
        "2026-11-20-disk",
        &minimal("Disk full", "draft", "2026-11-20T10:00:00Z"),
    );
    let (code, _, _) = repo.run(&["safeguard", "add", "2026-11-20-disk", "--title", "Alert"]);
    assert_eq!(code, 0);
    assert!(repo
        .read("postmortems/2026-11-20-disk.toml")
        .ends_with("title = \"Alert\"\ndue = 2026-12-10\n"));
}

#[test]
fn without_default_due_a_new_safeguard_has_no_due_date() {
    let repo = TestRepo::new();
    checkout_as(&repo, "sev2", &[]);
    let (code, stdout, stderr) = repo.run(&[
        "safeguard",
        "add",
        CHECKOUT_ID,
        "--title",
        "X",
        "--owner",
        "o",
    ]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("Due "), "{stdout}");
    assert_eq!(
        stderr,
        "warning: S3 has no due date; `lint` will flag it until it has an owner and a due date\n"
    );
}

#[test]
fn bad_policy_settings_are_named_with_line_and_column() {
    let repo = TestRepo::new();
    checkout_as(&repo, "sev2", &[]);
    let before = repo.snapshot_files();
    for (config, expected) in [
        (
            "[policy.sev9]\nreviewers = 2\n",
            "error: .postmortem.toml:1:9: [schema] [policy.sev9]: `sev9` is not one of the `severities` (sev1, sev2, sev3, sev4)\n",
        ),
        (
            "default_due = \"12h\"\n",
            "error: .postmortem.toml:1:15: [schema] default_due: `12h` is less than a day: periods are whole days; give at least 1d\n",
        ),
        (
            "[policy.sev1]\ncool_of = \"1d\"\n",
            "error: .postmortem.toml:2:1: [schema] unknown key `cool_of` (did you mean `cool_off`?)\n",
        ),
        (
            "[policy.sev2]\nreviewers = 1\ndefault_due = \"soon\"\n",
            "error: .postmortem.toml:3:15: [schema] [policy.sev2] default_due: `soon` is not a period like 7d or 2w",
        ),
        (
            "sections_for_review = [\"sumary\"]\n",
            "error: .postmortem.toml:1:24: [schema] `sections_for_review[0]`: unknown value `sumary`, expected one of `summary`, `impact`, `trigger`",
        ),
        (
            "[policy.sev1]\nreviewers = -1\n",
            "error: .postmortem.toml:2:13: [schema]",
        ),
    ] {
        repo.write(".postmortem.toml", config);
        for args in [&["lint"][..], &["safeguard", "add", CHECKOUT_ID, "--title", "X"]] {
            let (code, stdout, stderr) = repo.run(args);
            assert_eq!((code, stdout.as_str()), (2, ""), "{config}");
            assert!(stderr.starts_with(expected), "{config}\n{stderr}");
        }
    }
    repo.write(".postmortem.toml", "");
    assert_eq!(
        repo.snapshot_files()
            .into_iter()
            .filter(|(p, _)| !p.ends_with(".postmortem.toml"))
            .collect::<Vec<_>>(),
        before
            .into_iter()
            .filter(|(p, _)| !p.ends_with(".postmortem.toml"))
            .collect::<Vec<_>>()
    );
}

#[test]
fn new_uses_the_template_of_its_severity() {
    let repo = TestRepo::new();
    repo.write(
        "templates/postmortem.sev1.toml.hbs",
        "# sev1: page the incident commander\nschema = 1\ntitle = \"{{title}}\"\nstatus = \"draft\"\nseverity = \"{{severity}}\"\noccurred_at = {{{occurred_at}}}\nreviewers = [\"incident-commander\", \"cto\"]\n",
    );
    let (code, stdout, stderr) =
        repo.run(&["new", "Checkout down", "--severity", "sev1", "--no-edit"]);
    assert_eq!(code, 0, "{stderr}");
    let text = repo.read(stdout.trim());
    assert_eq!(
        text,
        "# sev1: page the incident commander\nschema = 1\ntitle = \"Checkout down\"\nstatus = \"draft\"\nseverity = \"sev1\"\noccurred_at = 2026-11-26T12:00:00Z\nreviewers = [\"incident-commander\", \"cto\"]\n"
    );
    // Other severities get the generic template.
    let (code, stdout, _) = repo.run(&["new", "Slow search", "--severity", "sev3", "--no-edit"]);
    assert_eq!(code, 0);
    let text = repo.read(stdout.trim());
    assert!(text.starts_with("#:schema "), "{text}");
    assert!(!text.contains("incident commander"), "{text}");
}

#[test]
fn a_severity_template_that_breaks_the_schema_writes_nothing() {
    let repo = TestRepo::new();
    repo.write(
        "templates/postmortem.sev2.toml.hbs",
        "schema = 1\ntitle = \"{{title}}\"\nstatus = \"draft\"\nseverity = \"{{severity}}\"\noccurred_at = {{{occurred_at}}}\nbogus = 1\n",
    );
    let (code, _, stderr) = repo.run(&["new", "Checkout down", "--severity", "sev2", "--no-edit"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("templates/postmortem.sev2.toml.hbs")
            && stderr.contains("unknown key `bogus`"),
        "{stderr}"
    );
    assert!(repo
        .snapshot_files()
        .iter()
        .all(|(p, _)| !p.contains("checkout-down")));
}

#[test]
fn init_writes_the_policy_and_lint_settings_commented() {
    let repo = TestRepo::new();
    let config = repo.read(".postmortem.toml");
    for line in [
        "# require_safeguards = true\n",
        "# sections_for_review = [\"summary\", \"impact\", \"accountability\", \"timeline\"]\n",
        "# reviewers = 1\n",
        "# [policy.sev1]\n",
        "# [lints]\n",
    ] {
        assert!(config.contains(line), "{line:?} missing:\n{config}");
    }
    // Uncommented, the examples are a valid configuration.
    let setting = regex::Regex::new(r"^# ((?:\[[a-z0-9.]+\])|(?:[a-z_-]+ = .*))$").expect("regex");
    let uncommented: String = config
        .lines()
        .map(|line| match setting.captures(line) {
            Some(c) => format!("{}\n", &c[1]),
            None => format!("{line}\n"),
        })
        .collect();
    assert!(
        uncommented.contains("\n[policy.sev1]\ncool_off = \"72h\"\n"),
        "{uncommented}"
    );
    assert!(uncommented.contains("\n[lints]\n"), "{uncommented}");
    repo.write(".postmortem.toml", &uncommented);
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(
        (code, stderr.as_str()),
        (0, "0 files checked: 0 errors, 0 warnings\n")
    );
}

#[test]
fn safeguards_as_a_section_are_reported_once() {
    let repo = TestRepo::new();
    configure(
        &repo,
        "sections_for_final = [\"summary\", \"safeguards\"]\n",
        "[policy.sev4]\nrequire_safeguards = false\n",
    );
    checkout_as(&repo, "sev2", &[SAFEGUARDS]);
    assert_eq!(
        lint(&repo),
        (
            1,
            vec![(
                "no-safeguard".into(),
                "a `final` postmortem commits to at least one safeguard; add one with `git postmortem safeguard add`".into()
            )]
        )
    );
    // Without require_safeguards, the section still asks for one.
    checkout_as(&repo, "sev4", &[SAFEGUARDS]);
    assert_eq!(
        lint(&repo),
        (
            1,
            vec![(
                "incomplete".into(),
                "a postmortem in `final` needs a `[[safeguards]]` entry".into()
            )]
        )
    );
}

#[test]
fn in_a_pull_request_the_severity_template_comes_from_the_base() {
    let repo = TestRepo::new();
    let template = |marker: &str| {
        format!("# {marker}\nschema = 1\ntitle = \"{{{{title}}}}\"\nstatus = \"draft\"\nseverity = \"{{{{severity}}}}\"\noccurred_at = {{{{{{occurred_at}}}}}}\n")
    };
    let base = repo.commit_file(
        "templates/postmortem.sev1.toml.hbs",
        &template("from the base"),
        "Add the sev1 template",
    );
    repo.repo
        .reference("refs/remotes/origin/main", base, true, "test: origin")
        .expect("origin/main");
    repo.write(
        "templates/postmortem.sev1.toml.hbs",
        &template("from the pull request"),
    );
    let (code, stdout, stderr) = repo.run_env(
        &["new", "Checkout down", "--severity", "sev1", "--no-edit"],
        &[("GITHUB_BASE_REF", "main")],
    );
    assert_eq!(code, 0, "{stderr}");
    let text = repo.read(stdout.trim());
    assert!(text.starts_with("# from the base\n"), "{text}");
    let (_, stdout, _) = repo.run(&[
        "new",
        "Checkout down again",
        "--severity",
        "sev1",
        "--no-edit",
    ]);
    assert!(repo
        .read(stdout.trim())
        .starts_with("# from the pull request\n"));
}
