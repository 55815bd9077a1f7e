//! Every request `sync` sends, and every response field it reads, checked
//! against GitHub's official OpenAPI description (a subset extracted from
//! the npm package @octokit/openapi by `scripts/openapi-subset.py`).

use serde_json::Value;

use crate::common::fixtures::{CHECKOUT, CHECKOUT_ID};
use crate::common::github::{issue, FakeGitHub, Fault, Seen};
use crate::common::TestRepo;

fn spec() -> Value {
    serde_json::from_str(include_str!("../fixtures/github-openapi.json")).expect("spec")
}

/// The operation a request is for, by method and path template.
fn operation<'s>(spec: &'s Value, seen: &Seen) -> Option<&'s Value> {
    let path = seen.url.split('?').next().unwrap_or("");
    spec["operations"].as_array()?.iter().find(|op| {
        op["method"] == seen.method.as_str()
            && template_matches(op["path"].as_str().unwrap_or(""), path)
    })
}

fn template_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
}

/// Shape errors of `value` against `schema`. `strict` rejects properties
/// the schema does not list (for what we send).
fn check(value: &Value, schema: &Value, at: &str, strict: bool, errors: &mut Vec<String>) {
    if value.is_null() {
        if schema["nullable"] != true && schema.get("type").is_some() {
            errors.push(format!("{at}: null where {} is expected", schema["type"]));
        }
        return;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alternatives) = schema[key].as_array() {
            let fits = alternatives.iter().any(|alt| {
                let mut e = Vec::new();
                check(value, alt, at, strict, &mut e);
                e.is_empty()
            });
            if !fits {
                errors.push(format!("{at}: {value} fits none of {key}"));
            }
            return;
        }
    }
    let ok = match schema["type"].as_str() {
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("array") => value.is_array(),
        Some("object") => value.is_object(),
        _ => true,
    };
    if !ok {
        errors.push(format!("{at}: {value} is not of type {}", schema["type"]));
        return;
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            errors.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    if let (Some(items), Some(values)) = (schema.get("items"), value.as_array()) {
        for (i, v) in values.iter().enumerate() {
            check(v, items, &format!("{at}[{i}]"), strict, errors);
        }
    }
    if let Some(object) = value.as_object() {
        for required in schema["required"].as_array().into_iter().flatten() {
            if let Some(name) = required.as_str() {
                if !object.contains_key(name) && strict {
                    errors.push(format!("{at}: missing required `{name}`"));
                }
            }
        }
        if let Some(properties) = schema["properties"].as_object() {
            for (name, v) in object {
                match properties.get(name) {
                    Some(s) => check(v, s, &format!("{at}.{name}"), strict, errors),
                    None if strict => errors.push(format!("{at}: unknown property `{name}`")),
                    None => {}
                }
            }
        }
    }
}

fn check_request(spec: &Value, seen: &Seen) -> Vec<String> {
    let Some(op) = operation(spec, seen) else {
        return vec![format!(
            "{}: no such operation in GitHub's API",
            seen.line()
        )];
    };
    let mut errors = Vec::new();
    if let Some((_, query)) = seen.url.split_once('?') {
        for pair in query.split('&') {
            let (name, raw) = pair.split_once('=').unwrap_or((pair, ""));
            match op["query"].get(name) {
                None => errors.push(format!("{}: unknown query parameter `{name}`", seen.line())),
                Some(schema) => {
                    let value = if schema["type"] == "integer" {
                        raw.parse::<i64>()
                            .map(Value::from)
                            .unwrap_or(Value::from(raw))
                    } else {
                        Value::from(raw)
                    };
                    check(
                        &value,
                        schema,
                        &format!("{} ?{name}", seen.line()),
                        true,
                        &mut errors,
                    );
                }
            }
        }
    }
    match (&seen.body, op.get("request")) {
        (Some(body), Some(schema)) => check(body, schema, &seen.line(), true, &mut errors),
        (Some(_), None) => errors.push(format!(
            "{}: sends a body the operation does not take",
            seen.line()
        )),
        (None, Some(schema)) if schema["required"].as_array().is_some_and(|r| !r.is_empty()) => {
            errors.push(format!("{}: no body", seen.line()))
        }
        _ => {}
    }
    errors
}

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
