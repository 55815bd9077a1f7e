//! The JSON Schemas that TOML editors (taplo / Even Better TOML, Tombi)
//! check postmortem files and `.postmortem.toml` against, generated from
//! the model and the configuration's file shape. Doc comments become the
//! descriptions an editor shows on hover, so they carry the lint advice.
//!
//! The schemas are committed under `schemas/` (regenerated with the hidden
//! `generate-schemas`); `new` points a postmortem at the one of the
//! installed version with a `#:schema` directive on its first line.

use schemars::generate::SchemaSettings;
use schemars::transform::{transform_subschemas, Transform};
use schemars::{JsonSchema, Schema};
use serde_json::Value;

use crate::config::RawConfig;
use crate::diagnostic::LintId;
use crate::model::Postmortem;

/// The file name of the postmortem schema under `schemas/`.
pub(crate) const POSTMORTEM_FILE: &str = "postmortem.schema.json";

/// The file name of the `.postmortem.toml` schema under `schemas/`.
pub(crate) const CONFIG_FILE: &str = "postmortem-config.schema.json";

/// Where the schema `file` of this version is published: the file as
/// committed at the version's tag.
pub(crate) fn url_of(file: &str) -> String {
    let repository = env!("CARGO_PKG_REPOSITORY");
    let slug = repository
        .strip_prefix("https://github.com/")
        .unwrap_or(repository);
    format!(
        "https://raw.githubusercontent.com/{slug}/v{}/schemas/{file}",
        env!("CARGO_PKG_VERSION")
    )
}

/// Every schema as `(file name, pretty JSON ending in a newline)`.
pub(crate) fn all() -> Vec<(&'static str, String)> {
    [
        (POSTMORTEM_FILE, schema_of::<Postmortem>(POSTMORTEM_FILE)),
        (CONFIG_FILE, schema_of::<RawConfig>(CONFIG_FILE)),
    ]
    .into_iter()
    .map(|(name, schema)| (name, pretty(&schema)))
    .collect()
}

/// Draft 7, which every TOML editor's validator reads, with `$id` the
/// published URL and no `null` anywhere: TOML has none, an absent key is
/// how a file leaves an optional value out.
fn schema_of<T: JsonSchema>(file: &str) -> Value {
    let mut settings = SchemaSettings::draft07();
    settings.transforms.push(Box::new(NoNull));
    settings.transforms.push(Box::new(LintNames));
    let mut schema = settings.into_generator().into_root_schema_for::<T>();
    schema.insert("$id".into(), Value::String(url_of(file)));
    schema.to_value()
}

fn pretty(schema: &Value) -> String {
    // Serializing a `Value` cannot fail: its keys are strings.
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Lists the lints a `lint_allow` may name, which the model (free of the
/// lint ids) types as strings.
#[derive(Clone)]
struct LintNames;

impl Transform for LintNames {
    fn transform(&mut self, schema: &mut Schema) {
        let allow = schema
            .as_object_mut()
            .and_then(|o| o.get_mut("properties"))
            .and_then(|p| p.get_mut("lint_allow"))
            .and_then(Value::as_object_mut);
        if let Some(allow) = allow {
            let names: Vec<Value> = LintId::configurable()
                .map(|l| Value::String(l.as_str().into()))
                .collect();
            allow.insert(
                "items".into(),
                serde_json::json!({ "type": "string", "enum": names }),
            );
        }
        transform_subschemas(self, schema);
    }
}

/// Removes the `null` schemars allows for an `Option` field, and its
/// `null` default.
#[derive(Clone)]
struct NoNull;

impl Transform for NoNull {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(object) = schema.as_object_mut() {
            if object.get("default") == Some(&Value::Null) {
                object.remove("default");
            }
            if let Some(Value::Array(types)) = object.get_mut("type") {
                types.retain(|t| t != "null");
                if let [only] = types.as_slice() {
                    let only = only.clone();
                    object.insert("type".into(), only);
                }
            }
            for keyword in ["anyOf", "oneOf"] {
                if let Some(Value::Array(options)) = object.get_mut(keyword) {
                    options.retain(|o| o.get("type").and_then(Value::as_str) != Some("null"));
                    if let [only] = options.as_slice() {
                        let only = only.clone();
                        object.remove(keyword);
                        object.insert("allOf".into(), Value::Array(vec![only]));
                    }
                }
            }
        }
        transform_subschemas(self, schema);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_names_this_version_of_the_repository() {
        let url = url_of(POSTMORTEM_FILE);
        assert_eq!(
            url,
            format!(
                "https://raw.githubusercontent.com/git-postmortem/git-postmortem/v{}/schemas/postmortem.schema.json",
                env!("CARGO_PKG_VERSION")
            )
        );
    }

    #[test]
    fn no_schema_allows_null() {
        for (name, text) in all() {
            assert!(!text.contains("null"), "{name}: {text}");
        }
    }
}
