//! Repository configuration: embedded defaults, then `.postmortem.toml` at
//! the top of the work tree. Unknown keys and bad durations are schema
//! errors with the file's line and column.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Level, LintId};
use crate::error::{Error, Result};
use crate::model::Days;
use crate::schema;
use crate::source::Source;

pub(crate) const FILE_NAME: &str = ".postmortem.toml";

/// The text `init` writes: every default, commented.
pub(crate) const DEFAULT_TEXT: &str = include_str!("../templates/config.toml");

/// The repository's `.postmortem.toml`, defaults filled in.
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) dir: String,
    pub(crate) default_branch: Option<String>,
    pub(crate) severities: Vec<String>,
    pub(crate) safeguard_grace: Duration,
    pub(crate) github: GitHubConfig,
    /// The top-level workflow settings: the policy of every severity
    /// without a `[policy.<severity>]` table.
    pub(crate) policy: Policy,
    /// `[policy.<severity>]`, each on top of [`Config::policy`].
    pub(crate) policies: BTreeMap<String, Policy>,
    /// `[lints]`: levels, extra and allowed phrases.
    pub(crate) lints: LintConfig,
}

/// What the workflow asks of a postmortem of one severity, and the default
/// deadline the edits give new safeguards and actions.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Policy {
    /// How long after `occurred_at` it must stay `draft`.
    pub(crate) cool_off: Duration,
    /// Whether `final` needs a safeguard (the `no-safeguard` lint).
    pub(crate) require_safeguards: bool,
    /// What `review` needs (the `incomplete` lint).
    pub(crate) sections_for_review: Vec<Section>,
    /// What `final` needs (the `incomplete` lint).
    pub(crate) sections_for_final: Vec<Section>,
    /// How many `reviewers` `final` needs at least (the `sign-off` lint).
    pub(crate) reviewers: u32,
    /// `safeguard add` and `action add` without `--due`: due this many
    /// days after today.
    pub(crate) default_due: Option<Days>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            cool_off: Duration::from_secs(24 * 3600),
            require_safeguards: true,
            sections_for_review: Section::REQUIRED.to_vec(),
            sections_for_final: Section::REQUIRED.to_vec(),
            reviewers: 1,
            default_due: None,
        }
    }
}

/// A part of a postmortem that `review` or `final` can require.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub(crate) enum Section {
    /// A non-blank `summary`.
    Summary,
    /// An `[impact]` with a non-blank `description`.
    Impact,
    /// A `[trigger]` with a commit or a range.
    Trigger,
    /// A `[[timeline]]` entry.
    Timeline,
    /// A `[[factors]]` entry.
    Factors,
    /// An `[accountability]` statement.
    Accountability,
    /// A `[[requirements]]` entry.
    Requirements,
    /// An `[[actions]]` entry.
    Actions,
    /// A `[[safeguards]]` entry.
    Safeguards,
}

impl Section {
    /// What `review` and `final` need by default.
    pub(crate) const REQUIRED: [Section; 4] = [
        Section::Summary,
        Section::Impact,
        Section::Accountability,
        Section::Timeline,
    ];
}

/// How a lint's findings are reported, as `[lints]` sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, strum::EnumString)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub(crate) enum LintLevel {
    /// Not reported; `lint` counts them as suppressed.
    Off,
    /// Reported, never fails.
    Warning,
    /// Fails `lint` and `check`.
    Error,
}

/// `[lints]`: each lint's level, and phrases the language lints also flag
/// (`extra`) or let pass (`allow`).
#[derive(Debug, Clone, Default)]
pub(crate) struct LintConfig {
    pub(crate) levels: BTreeMap<LintId, LintLevel>,
    pub(crate) extra: BTreeMap<LintId, Vec<String>>,
    pub(crate) allow: BTreeMap<LintId, Vec<String>>,
}

impl LintConfig {
    /// The level findings of `lint` are reported at: the configured one,
    /// else `default` (the lint's own); `None` when the lint is off.
    pub(crate) fn level(&self, lint: LintId, default: Level) -> Option<Level> {
        match self.levels.get(&lint) {
            None => Some(default),
            Some(LintLevel::Off) => None,
            Some(LintLevel::Warning) => Some(Level::Warning),
            Some(LintLevel::Error) => Some(Level::Error),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct GitHubConfig {
    pub(crate) repo: Option<String>,
    pub(crate) labels: Vec<String>,
}

/// The repository's git-postmortem configuration, `.postmortem.toml` at the
/// top of the work tree (`git postmortem init` writes every default,
/// commented). Every key is optional.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "git-postmortem configuration (.postmortem.toml)")]
pub(crate) struct RawConfig {
    /// Where postmortems live: a relative path inside the repository, not
    /// in `.git` and without `..`. Default `"postmortems"`.
    #[schemars(with = "Option<String>")]
    dir: Option<Spanned<String>>,
    /// The branch "shipped" is measured against. Default: what
    /// `origin/HEAD` points at, else `main`, else `master`.
    default_branch: Option<String>,
    /// How long after `occurred_at` a postmortem must stay `draft`: a
    /// duration like "24h" or "3d". The `cool-off` lint flags `review` or
    /// `final` earlier. Default `"24h"`.
    #[schemars(with = "Option<String>")]
    cool_off: Option<Spanned<String>>,
    /// The allowed severities, most severe first; a postmortem's `severity`
    /// must be one of them (a `schema` error otherwise). Default
    /// `["sev1", "sev2", "sev3", "sev4"]`.
    severities: Option<Vec<String>>,
    /// How long past its due date a safeguard may stay unshipped before
    /// `check` calls it overdue: a duration like "0d" or "2d". Default
    /// `"0d"`.
    #[schemars(with = "Option<String>")]
    safeguard_grace: Option<Spanned<String>>,
    /// Where `sync` opens safeguard issues.
    #[serde(default)]
    github: RawGitHub,
    /// Whether a `final` postmortem needs a safeguard (the `no-safeguard`
    /// lint). Default `true`.
    require_safeguards: Option<bool>,
    /// What a postmortem in `review` needs (the `incomplete` lint). Default
    /// `["summary", "impact", "accountability", "timeline"]`.
    sections_for_review: Option<Vec<Section>>,
    /// What a `final` postmortem needs (the `incomplete` lint). Default
    /// `["summary", "impact", "accountability", "timeline"]`.
    sections_for_final: Option<Vec<Section>>,
    /// How many `reviewers` a `final` postmortem lists at least, every one
    /// of them in `approved_by` (the `sign-off` lint). Default `1`.
    reviewers: Option<u32>,
    /// The due date `safeguard add` and `action add` write without `--due`:
    /// this many whole days after today, like "14d" or "2w". Default: none.
    #[schemars(with = "Option<String>")]
    default_due: Option<Spanned<String>>,
    /// The workflow per severity: `[policy.sev1]` sets any of `cool_off`,
    /// `require_safeguards`, `sections_for_review`, `sections_for_final`,
    /// `reviewers` and `default_due` for postmortems of that severity; what
    /// it leaves out comes from the top-level keys.
    #[schemars(with = "Option<BTreeMap<String, RawPolicy>>")]
    policy: Option<BTreeMap<Spanned<String>, RawPolicy>>,
    /// Each lint's level: `blame = "error"`, `unresolved-commit = "off"`,
    /// or a table with `level`, `extra` phrases to flag and phrases to
    /// `allow` (those two for `hollow-apology` and `blame`). The `schema`
    /// lint cannot be configured.
    #[serde(default)]
    #[schemars(schema_with = "lints_schema")]
    lints: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
}

/// `[policy.<severity>]`: the workflow for postmortems of one severity.
/// Every key is optional and falls back to the top-level one.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Policy")]
struct RawPolicy {
    /// How long after `occurred_at` a postmortem of this severity stays
    /// `draft` (the `cool-off` lint): "72h", "3d".
    #[schemars(with = "Option<String>")]
    cool_off: Option<Spanned<String>>,
    /// Whether `final` needs a safeguard (the `no-safeguard` lint).
    require_safeguards: Option<bool>,
    /// What `review` needs (the `incomplete` lint).
    sections_for_review: Option<Vec<Section>>,
    /// What `final` needs (the `incomplete` lint).
    sections_for_final: Option<Vec<Section>>,
    /// How many `reviewers` `final` needs at least (the `sign-off` lint).
    reviewers: Option<u32>,
    /// The due date `safeguard add` and `action add` write without
    /// `--due`: this many whole days after today, like "14d".
    #[schemars(with = "Option<String>")]
    default_due: Option<Spanned<String>>,
}

/// A table of `[lints]` with more than a level.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLintTable {
    level: Option<LintLevel>,
    extra: Option<Vec<String>>,
    allow: Option<Vec<String>>,
}

/// The JSON Schema of `[lints]`: a key per lint that can be configured.
fn lints_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let level = generator.subschema_for::<LintLevel>();
    let phrases = schemars::json_schema!({
        "type": "array",
        "items": { "type": "string", "minLength": 1 },
        "description": "Phrases, matched case-insensitively at word boundaries."
    });
    let setting = |lint: LintId| {
        let mut table = serde_json::json!({
            "type": "object",
            "additionalProperties": false,
            "properties": { "level": level.clone() }
        });
        if lint.takes_phrases() {
            table["properties"]["extra"] = phrases.clone().to_value();
            table["properties"]["extra"]["description"] = "More phrases this lint flags.".into();
            table["properties"]["allow"] = phrases.clone().to_value();
            table["properties"]["allow"]["description"] =
                "Phrases this lint lets pass: a finding inside one of them is suppressed.".into();
        }
        serde_json::json!({ "anyOf": [level.clone(), table] })
    };
    let properties: serde_json::Map<String, serde_json::Value> = LintId::configurable()
        .map(|lint| (lint.as_str().to_string(), setting(lint)))
        .collect();
    schemars::json_schema!({
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
        "description": "Each lint's level (off, warning or error), or a table with `level` and, for hollow-apology and blame, `extra` and `allow` phrases. The schema lint cannot be configured."
    })
}

/// GitHub's rules for `owner/name` ([`crate::model::repo_slug_problem`]) as
/// a regular expression without look-around, which editors' schema
/// checkers do not all support.
const REPO_PATTERN: &str = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,38}/(?:[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}|\.[A-Za-z0-9_-][A-Za-z0-9._-]{0,98}|\.\.[A-Za-z0-9._-]{1,98})$";

/// The `[github]` table: where `sync` opens safeguard issues.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "GitHub")]
struct RawGitHub {
    /// The `owner/name` repository. Default: `GITHUB_REPOSITORY`, else the
    /// `origin` remote.
    #[schemars(with = "Option<String>", regex(pattern = REPO_PATTERN))]
    repo: Option<Spanned<String>>,
    /// The labels every safeguard issue gets. Default
    /// `["postmortem", "safeguard"]`.
    labels: Option<Vec<String>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            dir: "postmortems".into(),
            default_branch: None,
            severities: ["sev1", "sev2", "sev3", "sev4"].map(String::from).to_vec(),
            safeguard_grace: Duration::ZERO,
            github: GitHubConfig {
                repo: None,
                labels: vec!["postmortem".into(), "safeguard".into()],
            },
            policy: Policy::default(),
            policies: BTreeMap::new(),
            lints: LintConfig::default(),
        }
    }
}

impl Config {
    /// Read `.postmortem.toml` from the repository root.
    pub(crate) fn load(root: &Path) -> Result<Config> {
        let path = root.join(FILE_NAME);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::MissingConfig {
                    path: FILE_NAME.into(),
                })
            }
            Err(e) => return Err(Error::io(FILE_NAME, e)),
        };
        Config::parse(&Source::from_bytes(FILE_NAME, bytes))
    }

    pub(crate) fn parse(source: &Source) -> Result<Config> {
        let raw: RawConfig =
            schema::deserialize(source).map_err(|d| Error::Invalid(Box::new(d)))?;
        let invalid = |span: std::ops::Range<usize>, message: String| {
            let (line, column) = source.line_col(span.start);
            Error::Invalid(Box::new(Diagnostic {
                level: Level::Error,
                lint: LintId::Schema,
                path: source.path.clone(),
                line,
                column,
                message,
            }))
        };
        let duration = |value: Option<Spanned<String>>, default: Duration| match value {
            None => Ok(default),
            Some(v) => humantime::parse_duration(v.get_ref()).map_err(|e| {
                invalid(
                    v.span(),
                    format!(
                        "`{}` is not a duration like \"24h\" or \"3d\": {e}",
                        v.get_ref()
                    ),
                )
            }),
        };
        let defaults = Config::default();
        let dir = match raw.dir {
            None => defaults.dir,
            Some(d) => relative_dir(d.get_ref()).map_err(|why| {
                invalid(
                    d.span(),
                    format!(
                        "`dir = {:?}` {why}; it must be a relative path inside the repository, outside .git, such as \"postmortems\"",
                        d.get_ref()
                    ),
                )
            })?,
        };
        let repo = match raw.github.repo {
            None => None,
            Some(r) => {
                if let Some(problem) = crate::model::repo_slug_problem(r.get_ref()) {
                    return Err(invalid(
                        r.span(),
                        format!(
                            "[github] repo: `{}` is not a GitHub repository: {problem}",
                            r.get_ref().escape_debug()
                        ),
                    ));
                }
                Some(r.into_inner())
            }
        };
        let days = |value: Option<Spanned<String>>, default: Option<Days>, table: &str| match value
        {
            None => Ok(default),
            Some(v) => v
                .get_ref()
                .parse::<Days>()
                .map(Some)
                .map_err(|e| invalid(v.span(), format!("{table}default_due: {e}"))),
        };
        let policy = Policy {
            cool_off: duration(raw.cool_off, defaults.policy.cool_off)?,
            require_safeguards: raw
                .require_safeguards
                .unwrap_or(defaults.policy.require_safeguards),
            sections_for_review: raw
                .sections_for_review
                .unwrap_or(defaults.policy.sections_for_review),
            sections_for_final: raw
                .sections_for_final
                .unwrap_or(defaults.policy.sections_for_final),
            reviewers: raw.reviewers.unwrap_or(defaults.policy.reviewers),
            default_due: days(raw.default_due, None, "")?,
        };
        let severities = raw.severities.unwrap_or(defaults.severities);
        let mut policies = BTreeMap::new();
        for (severity, over) in raw.policy.unwrap_or_default() {
            if !severities.contains(severity.get_ref()) {
                return Err(invalid(
                    severity.span(),
                    format!(
                        "[policy.{}]: `{}` is not one of the `severities` ({})",
                        severity.get_ref().escape_debug(),
                        severity.get_ref().escape_debug(),
                        severities.join(", ")
                    ),
                ));
            }
            let resolved = Policy {
                cool_off: duration(over.cool_off, policy.cool_off)?,
                require_safeguards: over.require_safeguards.unwrap_or(policy.require_safeguards),
                sections_for_review: over
                    .sections_for_review
                    .unwrap_or_else(|| policy.sections_for_review.clone()),
                sections_for_final: over
                    .sections_for_final
                    .unwrap_or_else(|| policy.sections_for_final.clone()),
                reviewers: over.reviewers.unwrap_or(policy.reviewers),
                default_due: days(
                    over.default_due,
                    policy.default_due,
                    &format!("[policy.{}] ", severity.get_ref()),
                )?,
            };
            policies.insert(severity.into_inner(), resolved);
        }
        let lints = lint_config(raw.lints.unwrap_or_default(), &invalid)?;
        Ok(Config {
            dir,
            default_branch: raw.default_branch,
            severities,
            safeguard_grace: duration(raw.safeguard_grace, defaults.safeguard_grace)?,
            github: GitHubConfig {
                repo,
                labels: raw.github.labels.unwrap_or(defaults.github.labels),
            },
            policy,
            policies,
            lints,
        })
    }

    /// The policy of postmortems of `severity`: its `[policy.<severity>]`
    /// on top of the top-level settings.
    pub(crate) fn policy_for(&self, severity: &str) -> &Policy {
        self.policies.get(severity).unwrap_or(&self.policy)
    }
}

/// `[lints]` checked: every key a lint that can be configured, every value
/// a level or a table of `level`, `extra` and `allow`.
fn lint_config(
    raw: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    invalid: &dyn Fn(std::ops::Range<usize>, String) -> Error,
) -> Result<LintConfig> {
    let mut config = LintConfig::default();
    for (key, value) in raw {
        let name = key.get_ref();
        let lint = match name.parse::<LintId>() {
            Ok(lint) if lint.is_configurable() => lint,
            Ok(LintId::Schema) => {
                return Err(invalid(
                    key.span(),
                    "[lints]: the `schema` lint cannot be configured: a file that does not follow the schema cannot be read, so nothing else can be checked".into(),
                ))
            }
            Ok(other) => {
                return Err(invalid(
                    key.span(),
                    format!("[lints]: `{other}` cannot be configured: it is how `check` gates on deadlines; give safeguards more time with `safeguard_grace`"),
                ))
            }
            Err(_) => {
                let names: Vec<&str> = LintId::configurable().map(LintId::as_str).collect();
                let hint = names
                    .iter()
                    .map(|c| (strsim::damerau_levenshtein(name, c), *c))
                    .filter(|(d, c)| *d <= 2.max(c.len() / 3))
                    .min()
                    .map_or_else(String::new, |(_, c)| format!(" (did you mean `{c}`?)"));
                return Err(invalid(
                    key.span(),
                    format!(
                        "[lints]: unknown lint `{}`{hint}; the lints are {}",
                        name.escape_debug(),
                        names.join(", ")
                    ),
                ));
            }
        };
        let span = value.span();
        let table = match value.into_inner() {
            toml::Value::String(level) => RawLintTable {
                level: Some(level.parse::<LintLevel>().map_err(|_| {
                    invalid(
                        span.clone(),
                        format!(
                            "[lints] {lint}: `{}` is not a level; use \"off\", \"warning\" or \"error\"",
                            level.escape_debug()
                        ),
                    )
                })?),
                extra: None,
                allow: None,
            },
            table @ toml::Value::Table(_) => table.try_into::<RawLintTable>().map_err(|e| {
                invalid(
                    span.clone(),
                    format!("[lints] {lint}: {}", schema::explain(e.message())),
                )
            })?,
            _ => {
                return Err(invalid(
                    span,
                    format!("[lints] {lint}: give a level (\"off\", \"warning\" or \"error\") or a table such as {{ level = \"warning\", allow = [\"…\"] }}"),
                ))
            }
        };
        for (what, phrases) in [("extra", &table.extra), ("allow", &table.allow)] {
            let Some(phrases) = phrases else { continue };
            if !lint.takes_phrases() {
                return Err(invalid(
                    span.clone(),
                    format!(
                        "[lints] {lint}: `{what}` phrases apply only to hollow-apology and blame"
                    ),
                ));
            }
            if phrases.iter().any(|p| p.trim().is_empty()) {
                return Err(invalid(
                    span.clone(),
                    format!("[lints] {lint}: an `{what}` phrase is empty"),
                ));
            }
        }
        if let Some(level) = table.level {
            config.levels.insert(lint, level);
        }
        if let Some(extra) = table.extra {
            config.extra.insert(lint, extra);
        }
        if let Some(allow) = table.allow {
            config.allow.insert(lint, allow);
        }
    }
    Ok(config)
}

/// `dir` as a relative path below the top of the work tree, `/`-separated,
/// or why it is not one: absolute (`/etc`), leaving the repository (`..`),
/// inside `.git` (as git, in any case), or the top itself (`.`).
fn relative_dir(raw: &str) -> Result<String, &'static str> {
    use std::path::Component;
    if raw.trim().is_empty() {
        return Err("is empty");
    }
    let mut parts = Vec::new();
    for component in Path::new(raw).components() {
        match component {
            Component::Prefix(_) | Component::RootDir => return Err("is absolute"),
            Component::ParentDir => return Err("uses `..`"),
            Component::CurDir => {}
            Component::Normal(part) => {
                if part.eq_ignore_ascii_case(".git") {
                    return Err("is inside .git");
                }
                parts.push(part.to_string_lossy().into_owned());
            }
        }
    }
    if parts.is_empty() {
        return Err("is the top of the repository itself");
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_defaults_parse_to_the_defaults() {
        let config = Config::parse(&Source::new(FILE_NAME, DEFAULT_TEXT.into()))
            .expect("embedded config parses");
        let defaults = Config::default();
        assert_eq!(config.dir, defaults.dir);
        assert_eq!(config.policy, defaults.policy);
        assert_eq!(config.severities, defaults.severities);
        assert_eq!(config.github.labels, defaults.github.labels);
    }

    #[test]
    fn bad_duration_names_line_and_column() {
        let text = "dir = \"pm\"\ncool_off = \"soon\"\n".to_string();
        let err = Config::parse(&Source::new(FILE_NAME, text)).expect_err("bad duration");
        let message = err.to_string();
        assert!(
            message.starts_with(".postmortem.toml:2:12: [schema]"),
            "{message}"
        );
    }

    #[test]
    fn dir_must_stay_inside_the_work_tree() {
        assert_eq!(relative_dir("postmortems/"), Ok("postmortems".into()));
        assert_eq!(relative_dir("./docs/pm"), Ok("docs/pm".into()));
        assert_eq!(relative_dir("a..b"), Ok("a..b".into()));
        assert_eq!(relative_dir("/etc"), Err("is absolute"));
        assert_eq!(relative_dir("docs/../../x"), Err("uses `..`"));
        assert_eq!(relative_dir(".git/pm"), Err("is inside .git"));
        assert_eq!(relative_dir("docs/.GIT"), Err("is inside .git"));
        assert_eq!(
            relative_dir("./"),
            Err("is the top of the repository itself")
        );
        assert_eq!(relative_dir(" "), Err("is empty"));
    }

    #[test]
    fn repo_slugs() {
        use crate::model::is_repo_slug;
        assert!(is_repo_slug("acme/shop"));
        assert!(!is_repo_slug("acme"));
        assert!(!is_repo_slug("acme/shop/x"));
        assert!(!is_repo_slug("acme/ shop"));
        assert!(!is_repo_slug("../.."));
    }

    #[test]
    fn the_schemas_repo_pattern_agrees_with_the_check() {
        use crate::model::is_repo_slug;
        let pattern = regex::Regex::new(REPO_PATTERN).expect("pattern");
        let long = |n: usize| "x".repeat(n);
        for slug in [
            "acme/shop".to_string(),
            "acme/.github".into(),
            "acme/...".into(),
            "acme/..x".into(),
            "acme/.".into(),
            "acme/..".into(),
            "../..".into(),
            "-acme/shop".into(),
            "ac_me/shop".into(),
            "_acme/shop".into(),
            "a/b/c".into(),
            "acme/".into(),
            format!("{}/x", long(39)),
            format!("{}/x", long(40)),
            format!("acme/{}", long(100)),
            format!("acme/{}", long(101)),
            format!("acme/.{}", long(99)),
            format!("acme/.{}", long(100)),
            format!("acme/..{}", long(98)),
            format!("acme/..{}", long(99)),
        ] {
            assert_eq!(pattern.is_match(&slug), is_repo_slug(&slug), "{slug}");
        }
    }

    #[test]
    fn a_repo_that_is_not_owner_slash_name_is_located() {
        let text = "[github]\nrepo = \"../..\"\n".to_string();
        let err = Config::parse(&Source::new(FILE_NAME, text)).expect_err("bad repo");
        let message = err.to_string();
        assert!(
            message.starts_with(".postmortem.toml:2:8: [schema] [github] repo: `../..` is not a GitHub repository: the owner must be"),
            "{message}"
        );
    }
}
