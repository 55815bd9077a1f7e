//! `check`'s reports for CI: GitHub annotations capped at what a step shows,
//! a pull request's files first; JUnit XML; GitLab Code Quality JSON.

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

use crate::common::fixtures::{minimal, safeguard, CHECKOUT_ID};
use crate::common::TestRepo;

/// A postmortem with a hollow apology (a lint error) and, when `late`, a
/// safeguard that is overdue after 2026-12-01.
fn failing(title: &str, late: bool) -> String {
    let mut text = minimal(title, "draft", "2026-10-01T10:00:00Z");
    text.push_str("\n[accountability]\nstatement = \"Mistakes were made; it broke checkout for every customer for 42 minutes.\"\n");
    if late {
        text.push_str(&safeguard("S1", "Alert on it", "sre-lead"));
    }
    text
}

/// Six old postmortems on `main`, each with a lint error and an overdue
/// safeguard, and a branch `pr` adding two with a lint error each; `origin/main`
/// is where `main` is, as a CI clone has it.
fn pull_request_with_many_findings() -> TestRepo {
    let repo = TestRepo::new();
    for n in 1..=6 {
        repo.write_postmortem(&format!("2026-10-0{n}-old"), &failing("Old", true));
    }
    let main = repo.commit_all("Add old postmortems");
    repo.repo
        .reference("refs/remotes/origin/main", main, false, "fetch")
        .expect("remote ref");
    repo.branch("pr");
    for n in 1..=2 {
        repo.write_postmortem(&format!("2026-11-2{n}-new"), &failing("New", false));
    }
    repo.commit_all("Add new postmortems");
    repo
}

fn lines_starting<'a>(stdout: &'a str, prefix: &str) -> Vec<&'a str> {
    stdout.lines().filter(|l| l.starts_with(prefix)).collect()
}

#[test]
fn a_pull_request_annotates_its_own_files_first_and_counts_the_rest() {
    let repo = pull_request_with_many_findings();
    let summary = repo.dir.path().join("summary.md");
    let (code, stdout, stderr) = repo.run_env(
        &["check", "--format", "github", "--today", "2026-12-10"],
        &[
            ("GITHUB_BASE_REF", "main"),
            ("GITHUB_STEP_SUMMARY", summary.to_str().expect("utf-8")),
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    let errors = lines_starting(&stdout, "::error ");
    assert_eq!(errors.len(), 10, "{stdout}");
    assert_eq!(stdout.lines().count(), 11, "{stdout}");
    // The pull request's two files, then the six overdue safeguards, then
    // what room is left for the old files' lint errors.
    let annotated: Vec<(&str, &str)> = errors
        .iter()
        .map(|l| {
            let file = l.split("file=").nth(1).expect("file").split(',').next();
            let title = l.split("title=").nth(1).expect("title").split("::").next();
            (file.expect("file"), title.expect("title"))
        })
        .collect();
    let mut expected = vec![
        ("postmortems/2026-11-21-new.toml", "hollow-apology"),
        ("postmortems/2026-11-22-new.toml", "hollow-apology"),
    ];
    let old: Vec<String> = (1..=6)
        .map(|n| format!("postmortems/2026-10-0{n}-old.toml"))
        .collect();
    expected.extend(old.iter().map(|p| (p.as_str(), "overdue")));
    expected.extend(old[..2].iter().map(|p| (p.as_str(), "hollow-apology")));
    assert_eq!(annotated, expected);
    assert_eq!(
        stdout.lines().last(),
        Some("::notice::4 more findings are not annotated (GitHub shows 10 errors and 10 warnings per step); the full list is in the job summary")
    );
    // The counts and the summary still cover every finding.
    assert!(
        stderr.ends_with("8 files checked: 14 errors, 0 warnings; 6 safeguards: 6 overdue\n"),
        "{stderr}"
    );
    let written = std::fs::read_to_string(&summary).expect("summary");
    assert_eq!(written.matches("**overdue**").count(), 6, "{written}");
}

#[test]
fn outside_a_pull_request_annotations_keep_file_order_and_are_capped() {
    let repo = pull_request_with_many_findings();
    let (code, stdout, _) = repo.run(&["check", "--format", "github", "--today", "2026-12-10"]);
    assert_eq!(code, 1);
    let errors = lines_starting(&stdout, "::error ");
    assert_eq!(errors.len(), 10);
    // Path, then line order: each old file's lint error, then its safeguard.
    assert!(
        errors[0].contains("2026-10-01-old.toml") && errors[0].contains("title=hollow-apology")
    );
    assert!(errors[1].contains("2026-10-01-old.toml") && errors[1].contains("title=overdue"));
    assert!(errors[9].contains("2026-10-05-old.toml"), "{}", errors[9]);
    assert_eq!(
        lines_starting(&stdout, "::notice::"),
        ["::notice::4 more findings are not annotated (GitHub shows 10 errors and 10 warnings per step); run `git postmortem check` for the full list"]
    );

    // A base the clone lacks costs the order, not the check.
    let (code, stdout, stderr) = repo.run_env(
        &["check", "--format", "github", "--today", "2026-12-10"],
        &[("GITHUB_BASE_REF", "gone")],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("warning: annotations are not ordered by the pull request's files: GITHUB_BASE_REF: the pull request's base `origin/gone` is not in this clone"),
        "{stderr}"
    );
    assert_eq!(lines_starting(&stdout, "::error ")[0], errors[0]);
}

/// One `<testcase>` as read back.
#[derive(Debug, Default)]
struct TestCase {
    classname: String,
    name: String,
    failure_type: Option<String>,
    failure_text: String,
    skipped: bool,
    system_out: String,
}

/// The `<testsuite>`'s attributes and its test cases, read with an XML
/// parser.
fn parse_junit(xml: &str) -> (Vec<(String, String)>, Vec<TestCase>) {
    let mut reader = Reader::from_str(xml);
    let mut suite = Vec::new();
    let mut cases: Vec<TestCase> = Vec::new();
    let mut inside: Option<String> = None;
    let attrs = |e: &quick_xml::events::BytesStart<'_>| -> Vec<(String, String)> {
        e.attributes()
            .map(|a| {
                let a = a.expect("attribute");
                (
                    a.key.as_ref().to_string(),
                    a.normalized_value(XmlVersion::Implicit1_0)
                        .expect("value")
                        .into_owned(),
                )
            })
            .collect()
    };
    let get = |attrs: &[(String, String)], key: &str| {
        attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let a = attrs(&e);
                match e.name().as_ref() {
                    "testsuite" => suite = a,
                    "testcase" => cases.push(TestCase {
                        classname: get(&a, "classname").expect("classname"),
                        name: get(&a, "name").expect("name"),
                        ..TestCase::default()
                    }),
                    "failure" => {
                        let case = cases.last_mut().expect("in a test case");
                        assert!(case.failure_type.is_none(), "one failure per case");
                        case.failure_type = get(&a, "type");
                        assert!(get(&a, "message").is_some_and(|m| !m.is_empty()));
                        inside = Some("failure".into());
                    }
                    "skipped" => cases.last_mut().expect("in a test case").skipped = true,
                    "system-out" => inside = Some("system-out".into()),
                    _ => {}
                }
            }
            Event::Text(t) => {
                let text = t.xml10_content().into_owned();
                let case = cases.last_mut();
                match (inside.as_deref(), case) {
                    (Some("failure"), Some(case)) => case.failure_text.push_str(&text),
                    (Some("system-out"), Some(case)) => case.system_out.push_str(&text),
                    _ => {}
                }
            }
            Event::GeneralRef(r) => {
                let name = r.xml10_content().into_owned();
                let c = match name.as_str() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                };
                if let (Some("failure"), Some(case)) = (inside.as_deref(), cases.last_mut()) {
                    case.failure_text.push_str(c);
                } else if let (Some("system-out"), Some(case)) =
                    (inside.as_deref(), cases.last_mut())
                {
                    case.system_out.push_str(c);
                }
            }
            Event::End(_) => inside = None,
            _ => {}
        }
    }
    (suite, cases)
}

#[test]
fn junit_has_a_case_per_file_and_safeguard() {
    let (repo, text) = TestRepo::with_checkout();
    // S1 dropped, S2 overdue; a warning that does not fail the file.
    let text = text.replacen(
        "issue = 123\n",
        "issue = 123\nstatus = \"dropped\"\nreason = \"The <canary> & SLO cover it\"\n",
        1,
    );
    repo.replace_in_checkout(
        &text,
        "note = \"Nobody knew the pool size had moved to a new variable.\"",
        "note = \"Human error.\"",
    );
    repo.write_postmortem("2026-11-24-apology", &failing("Sorry <really>", false));
    repo.write_postmortem("2026-11-25-broken", "schema = 1\ntitle = \n");
    let (code, stdout, stderr) = repo.run(&["check", "--format", "junit", "--today", "2026-12-03"]);
    assert_eq!(
        (code, stderr.as_str()),
        (2, ""),
        "a schema error is still exit 2"
    );
    assert!(stdout.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let (suite, cases) = parse_junit(&stdout);
    let attr = |k: &str| {
        suite
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(attr("name"), Some("git-postmortem check"));
    assert_eq!(
        (
            attr("tests"),
            attr("failures"),
            attr("skipped"),
            attr("errors")
        ),
        (Some("5"), Some("3"), Some("1"), Some("0"))
    );
    let summary: Vec<(&str, &str, Option<&str>, bool)> = cases
        .iter()
        .map(|c| {
            (
                c.classname.as_str(),
                c.name.as_str(),
                c.failure_type.as_deref(),
                c.skipped,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "postmortems",
                "postmortems/2026-11-20-checkout-500s.toml",
                None,
                false
            ),
            (
                "postmortems",
                "postmortems/2026-11-24-apology.toml",
                Some("hollow-apology"),
                false
            ),
            (
                "postmortems",
                "postmortems/2026-11-25-broken.toml",
                Some("schema"),
                false
            ),
            (
                "safeguards",
                "2026-11-20-checkout-500s/S1: Fail deploy when a required env var is missing",
                None,
                true
            ),
            (
                "safeguards",
                "2026-11-20-checkout-500s/S2: Alert on checkout 5xx above 1%",
                Some("overdue"),
                false
            ),
        ]
    );
    assert!(
        cases[0]
            .system_out
            .starts_with(&format!("warning: postmortems/{CHECKOUT_ID}.toml:35:"))
            && cases[0].system_out.contains("[blame]"),
        "{:?}",
        cases[0].system_out
    );
    assert!(cases[4].failure_text.contains("2 days overdue"));
    assert!(
        stdout.contains("<skipped message=\"dropped: The &lt;canary&gt; &amp; SLO cover it\"/>"),
        "{stdout}"
    );

    // Clean: every case passes.
    let (repo, _) = TestRepo::with_checkout();
    let (code, stdout, _) = repo.run(&["check", "--format", "junit"]);
    assert_eq!(code, 0);
    let (suite, cases) = parse_junit(&stdout);
    assert_eq!(cases.len(), 3);
    assert!(suite.contains(&("failures".to_string(), "0".to_string())));
}

fn gitlab_schema() -> serde_json::Value {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/gitlab-codequality.schema.json"),
    )
    .expect("read the schema");
    serde_json::from_str(&text).expect("the schema is JSON")
}

/// `check --format gitlab`, validated against GitLab's schema.
fn gitlab(repo: &TestRepo, today: &str) -> (i32, Vec<serde_json::Value>) {
    let (code, stdout, stderr) = repo.run(&["check", "--format", "gitlab", "--today", today]);
    assert_eq!(stderr, "", "the report is the only output");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let validator = jsonschema::validator_for(&gitlab_schema()).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{stdout}");
    (code, doc.as_array().expect("an array").clone())
}

fn fingerprints(issues: &[serde_json::Value]) -> Vec<(String, String, u64)> {
    issues
        .iter()
        .map(|i| {
            (
                i["check_name"].as_str().expect("check_name").to_string(),
                i["fingerprint"].as_str().expect("fingerprint").to_string(),
                i["location"]["lines"]["begin"].as_u64().expect("line"),
            )
        })
        .collect()
}

#[test]
fn gitlab_code_quality_validates_and_fingerprints_survive_edits() {
    let (repo, text) = TestRepo::with_checkout();
    repo.replace_in_checkout(
        &text,
        "note = \"Nobody knew the pool size had moved to a new variable.\"",
        "note = \"Human error.\"",
    );
    repo.write_postmortem("2026-11-25-broken", "schema = 1\ntitle = \n");
    let (code, issues) = gitlab(&repo, "2026-12-03");
    assert_eq!(code, 2);
    let summary: Vec<(&str, &str, &str, u64)> = issues
        .iter()
        .map(|i| {
            (
                i["check_name"].as_str().expect("check_name"),
                i["severity"].as_str().expect("severity"),
                i["location"]["path"].as_str().expect("path"),
                i["location"]["lines"]["begin"].as_u64().expect("line"),
            )
        })
        .collect();
    let checkout = format!("postmortems/{CHECKOUT_ID}.toml");
    assert_eq!(
        summary,
        [
            ("blame", "minor", checkout.as_str(), 35),
            ("overdue", "major", checkout.as_str(), 61),
            (
                "schema",
                "critical",
                "postmortems/2026-11-25-broken.toml",
                2
            ),
        ]
    );
    let first = fingerprints(&issues);
    assert_eq!(
        first,
        fingerprints(&gitlab(&repo, "2026-12-03").1),
        "same run, same prints"
    );

    // A day later the overdue message counts 3 days, and two lines added
    // at the top move every finding: the fingerprints stay.
    let edited = repo.read(&checkout);
    repo.write(&checkout, &format!("# Reviewed again.\n# Twice.\n{edited}"));
    let (_, later) = gitlab(&repo, "2026-12-04");
    assert!(later[1]["description"]
        .as_str()
        .expect("text")
        .contains("3 days overdue"));
    let second = fingerprints(&later);
    for ((lint, print, line), (lint2, print2, line2)) in first.iter().zip(&second) {
        assert_eq!((lint, print), (lint2, print2));
        if lint != "schema" {
            assert_eq!(*line2, line + 2);
        }
    }
    let mut unique: Vec<&String> = second.iter().map(|(_, p, _)| p).collect();
    unique.dedup();
    assert_eq!(unique.len(), 3);

    // A clean repository reports an empty array.
    let (repo, _) = TestRepo::with_checkout();
    assert_eq!(gitlab(&repo, "2026-11-26"), (0, vec![]));
}

#[test]
fn the_gitlab_schema_rejects_what_gitlab_would() {
    let validator = jsonschema::validator_for(&gitlab_schema()).expect("a valid schema");
    let good = serde_json::json!([{
        "description": "d", "check_name": "blame", "fingerprint": "f", "severity": "minor",
        "location": {"path": "a.toml", "lines": {"begin": 1}}
    }]);
    assert!(validator.is_valid(&good));
    for (pointer, bad) in [
        ("/0/severity", serde_json::json!("fatal")),
        ("/0/location/lines", serde_json::json!({"end": 2})),
        ("/0/fingerprint", serde_json::json!(7)),
        ("/0/location/lines/begin", serde_json::json!("1")),
    ] {
        let mut doc = good.clone();
        *doc.pointer_mut(pointer).expect("pointer") = bad;
        assert!(!validator.is_valid(&doc), "{pointer}");
    }
    let mut doc = good.clone();
    doc[0].as_object_mut().expect("object").remove("check_name");
    assert!(!validator.is_valid(&doc));
}
