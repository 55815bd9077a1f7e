use crate::common::fixtures::minimal;
use crate::common::{transcript, TestRepo};

pub(crate) const POOL: &str = "2026-11-10-pool";
pub(crate) const DNS: &str = "2026-11-21-dns";
const CACHE: &str = "2026-11-19-cache";

/// Three postmortems around the week 2026-11-20..26 (today is 2026-11-26):
///
/// - `POOL` (before the week): S1 shipped before the week, S2 shipped in
///   it, S3 overdue since 11-19 (before the week), S4 overdue since 11-20
///   (the week's first day); A1 has updates on 11-19 and 11-20.
/// - `DNS` (in the week, 23:30 at -05:00, the 22nd in UTC): S1 overdue since
///   today, with a shipping commit only on an unmerged branch; S2 dropped
///   after its deadline; S3 shipped today, with updates today and tomorrow.
/// - `CACHE` (11-19, the day before the week): nothing to report but the
///   incident itself, which is not new.
pub(crate) fn week() -> TestRepo {
    let repo = TestRepo::new();
    repo.write_postmortem(
        POOL,
        &format!(
            r#"{}
[[actions]]
id = "A1"
title = "Refund failed orders"
owner = "dana"
updates = [
  {{ at = 2026-11-19, note = "Refunds 30% done" }},
  {{ at = 2026-11-20, note = "Refunds <b>60%</b> done | *next*: the rest" }},
]

[[safeguards]]
id = "S1"
title = "Pool size test"
owner = "dana"
due = 2026-11-15

[[safeguards]]
id = "S2"
title = "Env var check"
owner = "sam"
due = 2026-11-30

[[safeguards]]
id = "S3"
title = "Pool dashboard"
owner = "sam"
due = 2026-11-18

[[safeguards]]
id = "S4"
title = "Runbook for pool exhaustion"
due = 2026-11-19
"#,
            minimal("Pool exhausted", "draft", "2026-11-10T10:00:00Z")
        ),
    );
    repo.write_postmortem(
        DNS,
        &format!(
            r#"{}
[[safeguards]]
id = "S1"
title = "Alert on SERVFAIL rate"
owner = "sre"
due = 2026-11-25

[[safeguards]]
id = "S2"
title = "Retired idea"
owner = "sre"
due = 2026-11-22
status = "dropped"
reason = "S1 covers it"

[[safeguards]]
id = "S3"
title = "Second resolver"
owner = "sre"
due = 2026-12-10
updates = [
  {{ at = 2026-11-26, note = "Resolver deployed to staging" }},
  {{ at = 2026-11-27, note = "Written ahead of time" }},
]
"#,
            minimal("DNS outage", "draft", "2026-11-21T23:30:00-05:00").replace("sev3", "sev2")
        ),
    );
    repo.write_postmortem(
        CACHE,
        &minimal("Cache stampede", "draft", "2026-11-19T10:00:00Z"),
    );
    repo.commit_all("Add postmortems");
    repo.commit_at(
        &format!("Add a pool size test\n\nPostmortem-Safeguard: {POOL}/S1"),
        "2026-11-14T10:00:00Z",
    );
    repo.commit_at(
        &format!("Check env vars at boot\n\nPostmortem-Safeguard: {POOL}/S2"),
        "2026-11-22T10:00:00+02:00",
    );
    repo.commit_at(
        &format!("Add a second resolver\n\nPostmortem-Safeguard: {DNS}/S3"),
        "2026-11-26T08:00:00Z",
    );
    repo.commit_on(
        "alerting",
        &format!("Alert on SERVFAIL\n\nPostmortem-Safeguard: {DNS}/S1"),
    );
    repo
}

fn digest_json(repo: &TestRepo, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["digest", "--format", "json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = repo.run(&all);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    serde_json::from_str(&stdout).expect("json")
}

/// The `ref` of every entry of a list.
fn refs(list: &serde_json::Value) -> Vec<&str> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|s| s["ref"].as_str().expect("ref"))
        .collect()
}

#[test]
fn digest_markdown_for_a_week() {
    let repo = week();
    let result = repo.run(&["digest"]);
    assert_eq!(result.0, 0);
    insta::assert_snapshot!("digest_week", transcript(&result));
    // User text stays text: no HTML and no emphasis from the update note.
    for event in pulldown_cmark::Parser::new_ext(&result.1, pulldown_cmark::Options::all()) {
        assert!(
            !matches!(
                event,
                pulldown_cmark::Event::Html(_)
                    | pulldown_cmark::Event::InlineHtml(_)
                    | pulldown_cmark::Event::Start(pulldown_cmark::Tag::Emphasis)
                    | pulldown_cmark::Event::Start(pulldown_cmark::Tag::Table(_))
            ),
            "{event:?}"
        );
    }
}

#[test]
fn digest_sorts_the_week_into_shipped_overdue_new_and_updates() {
    let repo = week();
    let doc = digest_json(&repo, &["--since", "7d"]);
    assert_eq!(
        doc["period"],
        serde_json::json!({"start": "2026-11-20", "end": "2026-11-26", "days": 7})
    );
    // Shipped before the week (S1) is not news; in it, oldest first.
    assert_eq!(
        refs(&doc["shipped"]),
        [format!("{POOL}/S2"), format!("{DNS}/S3")]
    );
    // Overdue since 11-19 (S3) is not news; since 11-20 and today are.
    assert_eq!(
        refs(&doc["became_overdue"]),
        [format!("{POOL}/S4"), format!("{DNS}/S1")]
    );
    assert_eq!(doc["became_overdue"][0]["overdue_since"], "2026-11-20");
    assert_eq!(doc["became_overdue"][1]["overdue_since"], "2026-11-26");
    // All overdue, the latest first; the dropped one is not.
    assert_eq!(doc["overdue"]["count"], 3);
    assert_eq!(
        refs(&doc["overdue"]["safeguards"]),
        [
            format!("{POOL}/S3"),
            format!("{POOL}/S4"),
            format!("{DNS}/S1")
        ]
    );
    let days: Vec<i64> = doc["overdue"]["safeguards"]
        .as_array()
        .expect("array")
        .iter()
        .map(|s| s["days_overdue"].as_i64().expect("days"))
        .collect();
    assert_eq!(days, [8, 7, 1]);
    // The incident of 11-19 is before the week; 23:30 at -05:00 on 11-21
    // is the 21st where it happened.
    let new: Vec<&str> = doc["new_postmortems"]
        .as_array()
        .expect("array")
        .iter()
        .map(|p| p["id"].as_str().expect("id"))
        .collect();
    assert_eq!(new, [DNS]);
    // Updates from 11-20 to today; not the day before, not tomorrow.
    let updates: Vec<(&str, &str)> = doc["updates"]
        .as_array()
        .expect("array")
        .iter()
        .map(|u| {
            (
                u["ref"].as_str().expect("ref"),
                u["at"].as_str().expect("at"),
            )
        })
        .collect();
    assert_eq!(
        updates,
        [
            (format!("{POOL}/A1").as_str(), "2026-11-20"),
            (format!("{DNS}/S3").as_str(), "2026-11-26")
        ]
    );
    assert_eq!(
        doc["error_free"],
        serde_json::json!({"days_since_last_incident": 5, "last_incident": DNS})
    );
}

#[test]
fn digest_json_has_stable_snake_case_keys() {
    let repo = week();
    let doc = digest_json(&repo, &[]);
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object().expect("object").keys().cloned().collect()
    };
    assert_eq!(
        keys(&doc),
        [
            "became_overdue",
            "branch",
            "error_free",
            "new_postmortems",
            "overdue",
            "period",
            "shipped",
            "tip",
            "today",
            "updates"
        ]
    );
    let tip = repo.repo.head().expect("head").target().expect("oid");
    assert_eq!(doc["today"], "2026-11-26");
    assert_eq!(doc["branch"], "main");
    assert_eq!(doc["tip"], tip.to_string());
    let shipped = &doc["shipped"][0];
    let commit = shipped["shipped_by"]["commit"].as_str().expect("commit");
    assert_eq!(
        *shipped,
        serde_json::json!({
            "ref": format!("{POOL}/S2"),
            "postmortem": POOL,
            "id": "S2",
            "title": "Env var check",
            "kind": null,
            "owner": "sam",
            "due": "2026-11-30",
            "issue": null,
            "state": "shipped",
            "days_overdue": 0,
            "shipped_by": {
                "commit": commit,
                "date": "2026-11-22T10:00:00+02:00",
                "subject": "Check env vars at boot",
                "via": "trailer"
            },
            "commit_short": &commit[..7],
            "overdue_since": null
        })
    );
    assert_eq!(
        doc["new_postmortems"][0],
        serde_json::json!({
            "id": DNS,
            "path": format!("postmortems/{DNS}.toml"),
            "title": "DNS outage",
            "severity": "sev2",
            "status": "draft",
            "occurred_at": "2026-11-21T23:30:00-05:00"
        })
    );
    assert_eq!(
        doc["updates"][0],
        serde_json::json!({
            "ref": format!("{POOL}/A1"),
            "postmortem": POOL,
            "kind": "action",
            "id": "A1",
            "title": "Refund failed orders",
            "at": "2026-11-20",
            "note": "Refunds <b>60%</b> done | *next*: the rest"
        })
    );
}

#[test]
fn digest_period_follows_since_and_today() {
    let repo = week();
    // One day: today only.
    let doc = digest_json(&repo, &["--since", "1d"]);
    assert_eq!(refs(&doc["shipped"]), [format!("{DNS}/S3")]);
    assert_eq!(refs(&doc["became_overdue"]), [format!("{DNS}/S1")]);
    assert_eq!(doc["new_postmortems"], serde_json::json!([]));
    // Two weeks back from 11-22: S1 shipped on 11-14, S3 and S4 became
    // overdue; S2 shipped on the 22nd (at +02:00); the DNS deadline is
    // still ahead; three incidents are new.
    let doc = digest_json(&repo, &["--since", "2w", "--today", "2026-11-22"]);
    assert_eq!(
        doc["period"],
        serde_json::json!({"start": "2026-11-09", "end": "2026-11-22", "days": 14})
    );
    assert_eq!(
        refs(&doc["shipped"]),
        [format!("{POOL}/S1"), format!("{POOL}/S2")]
    );
    assert_eq!(
        refs(&doc["became_overdue"]),
        [format!("{POOL}/S3"), format!("{POOL}/S4")]
    );
    assert_eq!(doc["overdue"]["count"], 2);
    assert_eq!(doc["new_postmortems"].as_array().map(Vec::len), Some(3));
    assert_eq!(doc["updates"].as_array().map(Vec::len), Some(2));
    assert_eq!(doc["error_free"]["days_since_last_incident"], 1);
}

#[test]
fn digest_rejects_a_bad_since() {
    let repo = week();
    for (value, says) in [
        ("week", "not a duration like 7d, 2w or 30d"),
        ("0d", "give at least 1d"),
        ("36h", "try 1d or 2d"),
    ] {
        let (code, stdout, stderr) = repo.run(&["digest", "--since", value]);
        assert_eq!((code, stdout.as_str()), (2, ""), "{value}");
        assert!(
            stderr.starts_with(&format!(
                "error: invalid value '{value}' for '--since <DURATION>': "
            )),
            "{stderr}"
        );
        assert!(stderr.contains(says), "{value}: {stderr}");
    }
}

#[test]
fn digest_appends_to_the_step_summary() {
    let repo = week();
    let summary = repo.dir.path().join("step-summary.md");
    std::fs::write(&summary, "## Postmortem check\n\nEarlier step\n").expect("write summary");
    let path = summary.to_str().expect("utf-8 path");
    let (code, stdout, stderr) = repo.run_env(&["digest"], &[("GITHUB_STEP_SUMMARY", path)]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let written = std::fs::read_to_string(&summary).expect("summary");
    assert_eq!(
        written,
        format!("## Postmortem check\n\nEarlier step\n\n{stdout}")
    );
    // JSON is for scripts: the summary is left alone.
    let (code, _, _) = repo.run_env(
        &["digest", "--format", "json"],
        &[("GITHUB_STEP_SUMMARY", path)],
    );
    assert_eq!(code, 0);
    assert_eq!(std::fs::read_to_string(&summary).expect("summary"), written);
}

#[test]
fn digest_of_a_quiet_repository() {
    let repo = TestRepo::new();
    let result = repo.run(&["digest", "--since", "30d"]);
    assert_eq!(result.0, 0);
    insta::assert_snapshot!("digest_quiet", transcript(&result));
}

#[test]
fn digest_template_can_be_overridden() {
    let repo = week();
    repo.write(
        "templates/digest.md.hbs",
        "{{period_text}}: {{#each shipped}}{{code ref}} {{/each}}| {{overdue.count}} overdue\n",
    );
    let (code, stdout, stderr) = repo.run(&["digest"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        format!("2026-11-20 to 2026-11-26: `{POOL}/S2` `{DNS}/S3` | 3 overdue\n")
    );
}

#[test]
fn digest_exits_2_on_a_broken_postmortem_and_reports_the_rest() {
    let repo = week();
    repo.write_postmortem("2026-11-25-broken", "schema = 1\ntitle = \n");
    let (code, stdout, stderr) = repo.run(&["digest", "--format", "json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: postmortems/2026-11-25-broken.toml:2:9: [schema]"),
        "{stderr}"
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["overdue"]["count"], 3);
}

#[test]
fn digest_markdown_lists_fifty_overdue_safeguards_and_counts_the_rest() {
    let repo = TestRepo::new();
    let safeguards: String = (1..=52)
        .map(|n| {
            format!(
                "[[safeguards]]\nid = \"S{n}\"\ntitle = \"Guard {n}\"\ndue = 2026-11-{:02}\n\n",
                1 + n % 20
            )
        })
        .collect();
    repo.write_postmortem(
        POOL,
        &format!(
            "{}\n{safeguards}",
            minimal("Pool exhausted", "draft", "2026-11-10T10:00:00Z")
        ),
    );
    let (code, stdout, _) = repo.run(&["digest"]);
    assert_eq!(code, 0);
    let listed = stdout
        .lines()
        .filter(|l| l.contains("overdue, due"))
        .count();
    assert_eq!(listed, 50);
    assert!(stdout.contains("\n- …and 2 more.\n"), "{stdout}");
    let doc = digest_json(&repo, &[]);
    assert_eq!(doc["overdue"]["count"], 52);
    assert_eq!(
        doc["overdue"]["safeguards"].as_array().map(Vec::len),
        Some(52)
    );
}
