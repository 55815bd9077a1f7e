//! A checker for requests to GitHub: every request the fake saw, matched
//! to an operation in GitHub's official OpenAPI description (the subset in
//! `tests/fixtures/github-openapi.json`, extracted from the npm package
//! @octokit/openapi by `scripts/openapi-subset.py`), with its query and
//! body checked against that operation's schema.

use serde_json::Value;

use super::github::Seen;

pub fn spec() -> Value {
    serde_json::from_str(include_str!("../fixtures/github-openapi.json")).expect("spec")
}

/// The operation a request is for, by method and path template.
pub fn operation<'s>(spec: &'s Value, seen: &Seen) -> Option<&'s Value> {
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
pub fn check(value: &Value, schema: &Value, at: &str, strict: bool, errors: &mut Vec<String>) {
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

pub fn check_request(spec: &Value, seen: &Seen) -> Vec<String> {
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

/// Every way `requests` break GitHub's description: none when all fit.
pub fn violations(requests: &[Seen]) -> Vec<String> {
    let spec = spec();
    requests
        .iter()
        .flat_map(|r| check_request(&spec, r))
        .collect()
}
