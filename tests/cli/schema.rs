//! The JSON Schemas editors read: generated from the model by the hidden
//! `generate-schemas`, committed under `schemas/`, named by the `#:schema`
//! directive on the first line of what `new` writes, and strict enough to
//! reject a misspelt key.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::TestRepo;

const REGENERATE: &str = "cargo run -- generate-schemas --out schemas";
const POSTMORTEM_SCHEMA: &str = "postmortem.schema.json";
const CONFIG_SCHEMA: &str = "postmortem-config.schema.json";

fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).expect("read schema"),
            )
        })
        .collect()
}

fn committed_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

fn committed(name: &str) -> Value {
    let path = committed_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A TOML document as the JSON a schema-aware TOML editor validates:
/// datetimes and dates become their RFC 3339 text.
fn toml_to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

/// Every way `text` breaks the committed schema `name`, formats checked.
fn violations(name: &str, text: &str) -> Vec<String> {
    let schema = committed(name);
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name} does not compile: {e}"));
    let document: toml::Value = toml::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let instance = toml_to_json(&document);
    validator
        .iter_errors(&instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// The first ```toml block of the README that holds `needle`.
fn readme_block(needle: &str) -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("read README.md");
    let mut blocks = readme.split("```toml\n").skip(1).map(|rest| {
        rest.split_once("\n```")
            .map(|(block, _)| format!("{block}\n"))
            .expect("closed code block")
    });
    blocks
        .find(|block| {
            block
                .lines()
                .any(|line| line.trim_start().starts_with(needle))
        })
        .unwrap_or_else(|| panic!("no ```toml block in README.md with `{needle}`"))
}

fn new_postmortem(repo: &TestRepo) -> String {
    let (code, stdout, stderr) = repo.run(&["new", "Checkout returned HTTP 500", "--no-edit"]);
    assert_eq!(code, 0, "{stderr}");
    repo.read(stdout.trim())
}

#[test]
fn committed_schemas_match_the_model() {
    let repo = TestRepo::without_config();
    let out = repo.dir.path().join("schemas");
    let (code, stdout, stderr) = repo.run(&["generate-schemas", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    let fresh = files(&out);
    assert_eq!(
        fresh.keys().collect::<Vec<_>>(),
        [CONFIG_SCHEMA, POSTMORTEM_SCHEMA]
    );
    let committed = files(&committed_dir());
    let stale: Vec<String> = fresh
        .iter()
        .filter(|(name, text)| committed.get(*name) != Some(text))
        .map(|(name, _)| name.clone())
        .collect();
    assert!(
        stale.is_empty(),
        "schemas/ is stale ({} differ): regenerate it with `{REGENERATE}` and commit the result",
        stale.join(", ")
    );

    let (_, help, _) = repo.run(&["--help"]);
    assert!(!help.contains("generate-schemas"), "{help}");
}

#[test]
fn the_committed_schemas_are_draft_7_schemas_with_their_published_url() {
    let version = env!("CARGO_PKG_VERSION");
    for name in [POSTMORTEM_SCHEMA, CONFIG_SCHEMA] {
        let schema = committed(name);
        jsonschema::draft7::meta::validate(&schema)
            .unwrap_or_else(|e| panic!("{name} is not a draft 7 schema: {e}"));
        assert_eq!(
            schema["$id"],
            format!(
                "https://raw.githubusercontent.com/git-postmortem/git-postmortem/v{version}/schemas/{name}"
            ),
            "{name}"
        );
    }
}

#[test]
fn new_points_editors_at_the_schema_of_the_installed_version() {
    let repo = TestRepo::new();
    let text = new_postmortem(&repo);
    let first = text.lines().next().unwrap_or_default();
    let url = committed(POSTMORTEM_SCHEMA)["$id"]
        .as_str()
        .expect("$id")
        .to_string();
    assert_eq!(first, format!("#:schema {url}"));
    // The directive is a comment to everything else: the file lints clean.
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn the_template_and_the_readme_examples_follow_the_schemas() {
    let repo = TestRepo::new();
    let template = new_postmortem(&repo);
    assert_eq!(
        violations(POSTMORTEM_SCHEMA, &template),
        Vec::<String>::new()
    );

    let example = readme_block("schema = 1");
    assert!(example.contains("[[safeguards]]"), "{example}");
    assert_eq!(
        violations(POSTMORTEM_SCHEMA, &example),
        Vec::<String>::new()
    );

    // What `init` writes, and the README's configuration.
    let config = repo.read(".postmortem.toml");
    assert_eq!(violations(CONFIG_SCHEMA, &config), Vec::<String>::new());
    let readme_config = readme_block("dir = ");
    assert_eq!(
        violations(CONFIG_SCHEMA, &readme_config),
        Vec::<String>::new()
    );
}

#[test]
fn a_misspelt_key_breaks_the_schema() {
    let repo = TestRepo::new();
    let template = new_postmortem(&repo);

    let misspelt = template.replacen("schema = 1\n", "schema = 1\nsafegaurds = []\n", 1);
    let found = violations(POSTMORTEM_SCHEMA, &misspelt);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("safegaurds"), "{found:?}");

    // Nested tables are as strict, and a date must look like one.
    let nested = format!(
        "{template}\n[[safeguards]]\nid = \"S1\"\ntitle = \"Alert on 5xx\"\nownr = \"dana\"\ndue = \"soon\"\n"
    );
    let found = violations(POSTMORTEM_SCHEMA, &nested);
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("/safeguards/0: ") && v.contains("ownr")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|v| v.starts_with("/safeguards/0/due: ")),
        "{found:?}"
    );

    let config = "dir = \"postmortems\"\ncool_of = \"24h\"\n";
    let found = violations(CONFIG_SCHEMA, config);
    assert!(found.iter().any(|v| v.contains("cool_of")), "{found:?}");
}

#[test]
fn hovering_a_key_explains_the_lint_that_checks_it() {
    let schema = committed(POSTMORTEM_SCHEMA);
    let safeguard = &schema["definitions"]["Safeguard"]["properties"];
    let owner = safeguard["owner"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(owner.contains("`safeguard-owner` lint"), "{owner}");
    let status = schema["properties"]["status"]["description"]
        .as_str()
        .unwrap_or_default();
    for lint in ["cool-off", "incomplete", "sign-off", "no-safeguard"] {
        assert!(status.contains(&format!("`{lint}`")), "{lint}: {status}");
    }
    let config = committed(CONFIG_SCHEMA);
    let cool_off = config["properties"]["cool_off"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(cool_off.contains("`cool-off` lint"), "{cool_off}");
}

#[test]
fn policies_lints_and_lint_allow_follow_the_schemas() {
    let config = "default_due = \"14d\"\nreviewers = 2\nsections_for_final = [\"summary\", \"factors\"]\n\n[policy.sev1]\ncool_off = \"72h\"\nrequire_safeguards = false\n\n[lints]\nunresolved-commit = \"off\"\nblame = { level = \"error\", extra = [\"rogue deploy\"], allow = [\"user error rate\"] }\n";
    assert_eq!(violations(CONFIG_SCHEMA, config), Vec::<String>::new());
    for bad in [
        "[lints]\nblam = \"off\"\n",
        "[lints]\nschema = \"off\"\n",
        "[lints]\nblame = \"loud\"\n",
        "[lints]\nincomplete = { extra = [\"x\"] }\n",
        "[policy.sev1]\ncool_of = \"1d\"\n",
        "sections_for_review = [\"sumary\"]\n",
    ] {
        assert!(!violations(CONFIG_SCHEMA, bad).is_empty(), "{bad}");
    }

    let repo = TestRepo::new();
    let template = new_postmortem(&repo);
    let allowed = format!(
        "{template}\n[[requirements]]\nfrom = \"a customer\"\ntext = \"Human error.\"\nlint_allow = [\"blame\"]\n"
    );
    assert_eq!(
        violations(POSTMORTEM_SCHEMA, &allowed),
        Vec::<String>::new()
    );
    let unknown = allowed.replace("lint_allow = [\"blame\"]", "lint_allow = [\"schema\"]");
    let found = violations(POSTMORTEM_SCHEMA, &unknown);
    assert!(
        found
            .iter()
            .any(|v| v.starts_with("/requirements/0/lint_allow/0")),
        "{found:?}"
    );
}
