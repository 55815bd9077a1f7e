//! `--service`, `--tag`, `--severity`, `--status`/`--state`, `--owner`,
//! `--mine` and `--since`/`--until` on `list`, `status`, `stats` and
//! `digest`: one flag's values are alternatives, different flags must all
//! match.

use crate::common::fixtures::minimal;
use crate::common::{transcript, TestRepo};

const POOL: &str = "2026-08-10-pool";
const SEARCH: &str = "2026-10-05-search";
const DNS: &str = "2026-11-20-dns";

/// Three postmortems (today is 2026-11-26):
///
/// - `POOL`, sev1, final-less draft about `checkout` and `db`, tag
///   `config`: S1 (dana) shipped, S2 (sam) overdue since September; A1
///   (dana) open, due 2026-11-30; A2 (Sam) done.
/// - `SEARCH`, sev2, review, about `search`, tags `deploy` and `Config`:
///   S1 (`@Dana`) pending; A1 (sre) overdue.
/// - `DNS`, sev3, no services, tag `dns`: S1 (sre) overdue; S2 without an
///   owner.
fn three() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_postmortem(
        POOL,
        &format!(
            r#"{}services = ["checkout", "db"]
tags = ["config"]

[[actions]]
id = "A1"
title = "Refund failed orders"
owner = "dana"
due = 2026-11-30

[[actions]]
id = "A2"
title = "Tell support"
owner = "Sam"
status = "done"

[[safeguards]]
id = "S1"
title = "Pool size test"
owner = "dana"
due = 2026-09-01

[[safeguards]]
id = "S2"
title = "Pool dashboard"
owner = "sam"
due = 2026-09-01
"#,
            minimal("Pool exhausted", "draft", "2026-08-10T10:00:00Z").replace("sev3", "sev1")
        ),
    );
    repo.write_postmortem(
        SEARCH,
        &format!(
            r#"{}services = ["search"]
tags = ["deploy", "Config"]

[[actions]]
id = "A1"
title = "Reindex"
owner = "sre"
due = 2026-11-01

[[safeguards]]
id = "S1"
title = "Canary the index build"
owner = "@Dana"
due = 2026-12-20
"#,
            minimal("Search down", "review", "2026-10-05T10:00:00Z").replace("sev3", "sev2")
        ),
    );
    repo.write_postmortem(
        DNS,
        &format!(
            r#"{}tags = ["dns"]

[[safeguards]]
id = "S1"
title = "Second resolver"
owner = "sre"
due = 2026-11-22

[[safeguards]]
id = "S2"
title = "Resolver runbook"
"#,
            minimal("DNS outage", "draft", "2026-11-20T10:00:00Z")
        ),
    );
    repo.commit_all("Add postmortems");
    repo.commit(&format!(
        "Add a pool size test\n\nPostmortem-Safeguard: {POOL}/S1"
    ));
    repo
}

fn ok(repo: &TestRepo, args: &[&str]) -> String {
    let (code, stdout, stderr) = repo.run(args);
    assert_eq!((code, stderr.as_str()), (0, ""), "{args:?}: {stdout}");
    stdout
}

/// The ids `list` prints, in order.
fn listed(repo: &TestRepo, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list"];
    all.extend_from_slice(args);
    ok(repo, &all)
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or("").to_string())
        .collect()
}

fn json(repo: &TestRepo, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(repo, args)).expect("json")
}

/// The `ref`s of an array of the `status --json` document.
fn refs(doc: &serde_json::Value, key: &str) -> Vec<String> {
    doc[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} in {doc}"))
        .iter()
        .map(|s| s["ref"].as_str().expect("ref").to_string())
        .collect()
}

#[test]
fn list_ors_the_values_of_a_flag_and_ands_the_flags() {
    let repo = three();
    assert_eq!(listed(&repo, &[]), [DNS, SEARCH, POOL]);
    assert_eq!(
        listed(&repo, &["--service", "checkout", "--service", "search"]),
        [SEARCH, POOL]
    );
    // Names compare case-insensitively.
    assert_eq!(listed(&repo, &["--service", "CHECKOUT"]), [POOL]);
    assert_eq!(listed(&repo, &["--tag", "config"]), [SEARCH, POOL]);
    assert_eq!(
        listed(&repo, &["--tag", "config", "--severity", "sev2"]),
        [SEARCH]
    );
    assert_eq!(
        listed(
            &repo,
            &[
                "--tag",
                "config",
                "--severity",
                "sev1",
                "--severity",
                "sev3"
            ]
        ),
        [POOL]
    );
    assert!(listed(&repo, &["--service", "checkout", "--tag", "deploy"]).is_empty());
    assert_eq!(listed(&repo, &["--state", "review"]), [SEARCH]);
    assert_eq!(
        listed(
            &repo,
            &["--status", "review", "--status", "draft", "--tag", "dns"]
        ),
        [DNS]
    );
}

#[test]
fn list_selects_by_the_day_the_incident_began() {
    let repo = three();
    assert_eq!(listed(&repo, &["--since", "2026-10-05"]), [DNS, SEARCH]);
    assert_eq!(
        listed(&repo, &["--since", "2026-10-01", "--until", "2026-10-05"]),
        [SEARCH]
    );
    assert_eq!(listed(&repo, &["--until", "2026-10-04"]), [POOL]);
    // The last 30 days, today (2026-11-26) included: from 2026-10-28.
    assert_eq!(listed(&repo, &["--since", "30d"]), [DNS]);
    assert_eq!(listed(&repo, &["--since", "60d"]), [DNS, SEARCH]);
}

#[test]
fn list_owner_selects_postmortems_with_an_item_of_that_owner() {
    let repo = three();
    // `@Dana` owns SEARCH/S1: no case, no leading `@`.
    assert_eq!(listed(&repo, &["--owner", "dana"]), [SEARCH, POOL]);
    assert_eq!(listed(&repo, &["--owner", "SAM"]), [POOL]);
    assert_eq!(
        listed(&repo, &["--owner", "sre", "--severity", "sev3"]),
        [DNS]
    );
    let doc = json(&repo, &["list", "--json", "--service", "search"]);
    assert_eq!(
        doc["postmortems"][0]["services"],
        serde_json::json!(["search"])
    );
    assert_eq!(
        doc["postmortems"][0]["tags"],
        serde_json::json!(["deploy", "Config"])
    );
}

#[test]
fn status_selects_safeguards_by_state_owner_and_postmortem() {
    let repo = three();
    let all = json(&repo, &["status", "--json"]);
    assert_eq!(
        refs(&all, "safeguards"),
        [
            format!("{POOL}/S1"),
            format!("{POOL}/S2"),
            format!("{SEARCH}/S1"),
            format!("{DNS}/S1"),
            format!("{DNS}/S2")
        ]
    );
    // Without an owner filter, no actions are listed.
    assert!(all.get("actions").is_none(), "{all}");

    let overdue = json(&repo, &["status", "--json", "--state", "overdue"]);
    assert_eq!(
        refs(&overdue, "safeguards"),
        [format!("{POOL}/S2"), format!("{DNS}/S1")]
    );
    let some = json(
        &repo,
        &[
            "status", "--json", "--state", "shipped", "--state", "pending",
        ],
    );
    assert_eq!(
        refs(&some, "safeguards"),
        [
            format!("{POOL}/S1"),
            format!("{SEARCH}/S1"),
            format!("{DNS}/S2")
        ]
    );
    let checkout = json(
        &repo,
        &[
            "status",
            "--json",
            "--service",
            "checkout",
            "--state",
            "overdue",
        ],
    );
    assert_eq!(refs(&checkout, "safeguards"), [format!("{POOL}/S2")]);
    let recent = json(&repo, &["status", "--json", "--since", "2026-10-01"]);
    assert_eq!(
        refs(&recent, "safeguards"),
        [
            format!("{SEARCH}/S1"),
            format!("{DNS}/S1"),
            format!("{DNS}/S2")
        ]
    );
}

#[test]
fn status_owner_lists_that_owners_safeguards_and_actions() {
    let repo = three();
    let dana = json(&repo, &["status", "--json", "--owner", "dana"]);
    assert_eq!(
        refs(&dana, "safeguards"),
        [format!("{POOL}/S1"), format!("{SEARCH}/S1")]
    );
    assert_eq!(refs(&dana, "actions"), [format!("{POOL}/A1")]);
    assert_eq!(dana["actions"][0]["state"], "open");
    assert_eq!(dana["actions"][0]["title"], "Refund failed orders");

    let team = json(
        &repo,
        &["status", "--json", "--owner", "sam", "--owner", "sre"],
    );
    assert_eq!(
        refs(&team, "safeguards"),
        [format!("{POOL}/S2"), format!("{DNS}/S1")]
    );
    assert_eq!(
        refs(&team, "actions"),
        [format!("{POOL}/A2"), format!("{SEARCH}/A1")]
    );
    assert_eq!(team["actions"][1]["state"], "overdue");
    assert_eq!(team["actions"][1]["days_overdue"], 25);

    let late = json(
        &repo,
        &["status", "--json", "--owner", "sre", "--state", "overdue"],
    );
    assert_eq!(refs(&late, "safeguards"), [format!("{DNS}/S1")]);
    assert_eq!(refs(&late, "actions"), [format!("{SEARCH}/A1")]);
    let done = json(
        &repo,
        &["status", "--json", "--owner", "sam", "--state", "done"],
    );
    assert!(refs(&done, "safeguards").is_empty());
    assert_eq!(refs(&done, "actions"), [format!("{POOL}/A2")]);
}

#[test]
fn status_mine_is_who_git_config_says_you_are() {
    let repo = three();
    {
        let mut config = repo.repo.config().expect("config");
        config
            .set_multivar("postmortem.me", "^$", "dana")
            .expect("me");
    }
    let result = repo.run(&["status", "--mine"]);
    insta::assert_snapshot!("status_mine", transcript(&result));

    // `postmortem.me` may repeat; every value is you.
    {
        let mut config = repo.repo.config().expect("config");
        config
            .set_multivar("postmortem.me", "^$", "sre")
            .expect("me");
    }
    let both = json(&repo, &["status", "--json", "--mine", "--state", "overdue"]);
    assert_eq!(refs(&both, "safeguards"), [format!("{DNS}/S1")]);
    assert_eq!(refs(&both, "actions"), [format!("{SEARCH}/A1")]);
    // --mine and --owner both hold: an owner that is you and is named.
    let and = json(&repo, &["status", "--json", "--mine", "--owner", "sre"]);
    assert_eq!(refs(&and, "safeguards"), [format!("{DNS}/S1")]);
}

#[test]
fn status_mine_falls_back_to_user_email_and_says_when_nobody_is_configured() {
    let repo = three();
    repo.write_postmortem(
        "2026-11-21-mail",
        &format!(
            "{}\n[[safeguards]]\nid = \"S1\"\ntitle = \"Bounce alert\"\nowner = \"Dana@Example.com\"\ndue = 2026-12-01\n",
            minimal("Mail stuck", "draft", "2026-11-21T10:00:00Z")
        ),
    );
    // The test repository's user.email is dana@example.com.
    let doc = json(&repo, &["status", "--json", "--mine"]);
    assert_eq!(refs(&doc, "safeguards"), ["2026-11-21-mail/S1"]);

    {
        let mut config = repo.repo.config().expect("config");
        config.remove("user.name").expect("remove name");
        config.remove("user.email").expect("remove email");
    }
    let (code, stdout, stderr) = repo.run(&["status", "--mine"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("--mine: git does not know who you are")
            && stderr.contains("git config --global postmortem.me LOGIN"),
        "{stderr}"
    );
}

#[test]
fn stats_and_digest_count_only_the_selected_postmortems() {
    let repo = three();
    let stats = json(&repo, &["stats", "--json", "--service", "checkout"]);
    assert_eq!(stats["postmortems"], 1);
    assert_eq!(stats["last_incident"], POOL);
    assert_eq!(stats["safeguards"]["total"], 2);
    assert_eq!(stats["safeguards"]["shipped"], 1);
    let stats = json(&repo, &["stats", "--json", "--since", "2026-10-01"]);
    assert_eq!(stats["postmortems"], 2);
    assert_eq!(stats["safeguards"]["total"], 3);

    let digest = json(
        &repo,
        &[
            "digest", "--format", "json", "--since", "30d", "--tag", "deploy",
        ],
    );
    assert_eq!(digest["error_free"]["last_incident"], SEARCH);
    assert_eq!(digest["error_free"]["days_since_last_incident"], 52);
    assert_eq!(digest["new_postmortems"], serde_json::json!([]));
    assert_eq!(digest["overdue"]["count"], 0);
    let digest = json(
        &repo,
        &[
            "digest",
            "--format",
            "json",
            "--since",
            "30d",
            "--severity",
            "sev3",
        ],
    );
    assert_eq!(digest["new_postmortems"][0]["id"], DNS);
    assert_eq!(digest["overdue"]["count"], 1);
}

#[test]
fn bad_selections_exit_2_and_say_why() {
    let repo = three();
    let (code, _, stderr) = repo.run(&["list", "--severity", "sev9"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            "--severity: `sev9` is not a severity; .postmortem.toml allows sev1, sev2, sev3, sev4"
        ),
        "{stderr}"
    );
    let (code, _, stderr) = repo.run(&["status", "--since", "2026-13-01"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("`2026-13-01` is not a date"), "{stderr}");
    let (code, _, stderr) = repo.run(&["stats", "--since", "soon"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("or give a date (YYYY-MM-DD)"), "{stderr}");
    let (code, _, stderr) = repo.run(&["list", "--since", "2026-11-01", "--until", "2026-10-01"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("2026-11-01 is after --until 2026-10-01"),
        "{stderr}"
    );
    let (code, _, stderr) = repo.run(&["status", "--state", "lost"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value 'lost'"), "{stderr}");
    // A service nobody names is most likely a typo: say so.
    let (code, stdout, stderr) = repo.run(&["list", "--service", "chekout"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    assert_eq!(stderr, "note: no postmortem names the service `chekout`\n");
}
