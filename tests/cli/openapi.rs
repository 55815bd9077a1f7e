//! Every request `sync` sends, and every response field it reads, checked
//! against GitHub's official OpenAPI description with the checker in
//! `tests/common/openapi.rs`. `review`'s requests are checked in its tests.

use serde_json::Value;

use crate::common::fixtures::{CHECKOUT, CHECKOUT_ID};
use crate::common::github::{issue, FakeGitHub, Fault, Seen};
use crate::common::openapi::{check, check_request, operation, spec};
use crate::common::TestRepo;

#[tokio::test(flavor = "multi_thread")]
async fn every_request_sync_sends_matches_githubs_openapi_description() {
    let repo = TestRepo::new();
    repo.write_postmortem(
        CHECKOUT_ID,
        &CHECKOUT.replace("{TRIGGER}", "0123456789012345678901234567890123456789"),
    );
    let gh = FakeGitHub::start().await;
    // #123 is not in the label's list (someone removed the label), so it
    // is fetched by number; S1 shipped, so its issue is commented on and
    // closed; the first create loses its answer, so the recovery lookup
    // runs too.
    gh.with_state(|s| {
        s.issues.push(issue(
            123,
            "t",
            "<!-- git-postmortem: 2026-11-20-checkout-500s/S1 -->",
            "open",
            &[],
        ));
        s.create_faults = vec![Fault::CreatedThen502];
    });
    repo.commit(
        "Fail deploy on a missing env var\n\nPostmortem-Safeguard: 2026-11-20-checkout-500s/S1",
    );
    assert_eq!(gh.run(&repo, &["sync", "--close-shipped"]).await.0, 0);
    let spec = spec();
    let requests = gh.requests().await;
    let kinds: std::collections::BTreeSet<String> = requests
        .iter()
        .filter_map(|r| operation(&spec, r).map(|op| format!("{} {}", op["method"], op["path"])))
        .collect();
    assert!(kinds.len() >= 9, "exercise most operations: {kinds:?}");
    let errors: Vec<String> = requests
        .iter()
        .flat_map(|r| check_request(&spec, r))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
}

#[test]
fn the_response_fields_we_read_exist_with_the_types_we_expect() {
    let spec = spec();
    let issue_schema = spec["operations"]
        .as_array()
        .expect("ops")
        .iter()
        .find(|op| op["method"] == "POST" && op["path"] == "/repos/{owner}/{repo}/issues")
        .map(|op| &op["responses"]["201"])
        .expect("create issue response");
    let fields = &issue_schema["properties"];
    assert_eq!(fields["number"]["type"], "integer");
    assert_eq!(fields["title"]["type"], "string");
    assert_eq!(fields["body"]["type"], "string");
    assert_eq!(fields["body"]["nullable"], true);
    assert_eq!(fields["state"]["type"], "string");
    assert_eq!(fields["state_reason"]["nullable"], true);
    assert!(fields["state_reason"]["enum"]
        .as_array()
        .is_some_and(|e| e.contains(&Value::from("completed"))));
    assert_eq!(fields["pull_request"]["type"], "object");
    // Who opened an issue, and who wrote a comment: only the token's own
    // markers count.
    assert_eq!(fields["user"]["nullable"], true);
    assert_eq!(fields["user"]["properties"]["login"]["type"], "string");
    let response = |method: &str, path: &str, status: &str| {
        spec["operations"]
            .as_array()
            .expect("ops")
            .iter()
            .find(|op| op["method"] == method && op["path"] == path)
            .map(|op| op["responses"][status].clone())
            .expect("operation")
    };
    let comment = response(
        "POST",
        "/repos/{owner}/{repo}/issues/{issue_number}/comments",
        "201",
    );
    assert_eq!(comment["properties"]["user"]["nullable"], true);
    assert_eq!(
        comment["properties"]["user"]["properties"]["login"]["type"],
        "string"
    );
    let me = response("GET", "/user", "200");
    for variant in me["oneOf"].as_array().expect("private or public user") {
        assert_eq!(variant["properties"]["login"]["type"], "string");
        assert!(variant["required"]
            .as_array()
            .is_some_and(|r| r.contains(&Value::from("login"))));
    }
    // The fake answers in the same shape.
    let mut errors = Vec::new();
    check(
        &issue(1, "t", "b", "closed", &["postmortem"]),
        issue_schema,
        "fake issue",
        false,
        &mut errors,
    );
    assert_eq!(errors, Vec::<String>::new());
}

#[test]
fn the_checker_catches_a_wrong_request() {
    let spec = spec();
    let bad = Seen {
        method: "POST".into(),
        url: "/repos/acme/shop/issues".into(),
        body: Some(serde_json::json!({ "titel": "x", "labels": "postmortem" })),
    };
    let errors = check_request(&spec, &bad);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("missing required `title`")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("unknown property `titel`")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("is not of type")),
        "{errors:?}"
    );
    let bad_query = Seen {
        method: "GET".into(),
        url: "/repos/acme/shop/issues?state=every".into(),
        body: None,
    };
    assert!(!check_request(&spec, &bad_query).is_empty());
}
