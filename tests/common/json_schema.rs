//! A small JSON Schema checker for the schemas in `tests/fixtures/`: the
//! keywords `type`, `properties`, `required`, `additionalProperties`
//! (`false` only), `items`, `enum`, `minimum` and `$ref` to
//! `#/definitions/…`. A keyword it does not know fails the check rather
//! than being skipped, so a schema cannot silently ask for more than is
//! checked.

use serde_json::Value;

/// Annotations that constrain nothing.
const ANNOTATIONS: &[&str] = &["$schema", "$id", "$comment", "title", "description"];

/// Every way `value` breaks `schema`, each as `<JSON pointer>: <what>`.
pub fn violations(schema: &Value, value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    check(schema, schema, value, "", &mut found);
    found
}

fn check(root: &Value, schema: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
    let Some(keywords) = schema.as_object() else {
        found.push(format!("{at}: schema is not an object: {schema}"));
        return;
    };
    for (keyword, arg) in keywords {
        match keyword.as_str() {
            k if ANNOTATIONS.contains(&k) => {}
            "definitions" if at.is_empty() && std::ptr::eq(schema, root) => {}
            "$ref" => match resolve(root, arg) {
                Some(target) => check(root, target, value, at, found),
                None => found.push(format!("{at}: cannot resolve $ref {arg}")),
            },
            "type" => {
                let ok = match arg.as_str() {
                    Some("object") => value.is_object(),
                    Some("array") => value.is_array(),
                    Some("string") => value.is_string(),
                    Some("integer") => value.is_i64() || value.is_u64(),
                    Some("number") => value.is_number(),
                    Some("boolean") => value.is_boolean(),
                    Some("null") => value.is_null(),
                    _ => {
                        found.push(format!("{at}: unsupported type {arg}"));
                        true
                    }
                };
                if !ok {
                    found.push(format!("{at}: expected {arg}, found {value}"));
                }
            }
            "enum" => {
                let allowed = arg.as_array().map(Vec::as_slice).unwrap_or_default();
                if !allowed.contains(value) {
                    found.push(format!("{at}: {value} is not one of {arg}"));
                }
            }
            "minimum" => {
                if let (Some(min), Some(n)) = (arg.as_f64(), value.as_f64()) {
                    if n < min {
                        found.push(format!("{at}: {n} is less than {min}"));
                    }
                }
            }
            "required" => {
                if let Some(object) = value.as_object() {
                    for key in arg.as_array().into_iter().flatten() {
                        let key = key.as_str().unwrap_or_default();
                        if !object.contains_key(key) {
                            found.push(format!("{at}: missing required `{key}`"));
                        }
                    }
                }
            }
            "properties" => {
                if let (Some(object), Some(properties)) = (value.as_object(), arg.as_object()) {
                    for (key, sub) in object {
                        if let Some(property) = properties.get(key) {
                            check(root, property, sub, &format!("{at}/{key}"), found);
                        }
                    }
                }
            }
            "additionalProperties" => match arg {
                Value::Bool(true) => {}
                Value::Bool(false) => {
                    let known = keywords.get("properties").and_then(Value::as_object);
                    for key in value.as_object().into_iter().flat_map(|o| o.keys()) {
                        if !known.is_some_and(|k| k.contains_key(key)) {
                            found.push(format!("{at}: unknown field `{key}`"));
                        }
                    }
                }
                _ => found.push(format!("{at}: unsupported additionalProperties {arg}")),
            },
            "items" => {
                for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                    check(root, arg, item, &format!("{at}/{i}"), found);
                }
            }
            other => found.push(format!("{at}: unsupported keyword `{other}`")),
        }
    }
}

fn resolve<'a>(root: &'a Value, reference: &Value) -> Option<&'a Value> {
    let name = reference.as_str()?.strip_prefix("#/definitions/")?;
    root.get("definitions")?.get(name)
}
