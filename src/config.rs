//! Repository configuration: embedded defaults, then `.postmortem.toml` at
//! the top of the work tree. Unknown keys and bad durations are schema
//! errors with the file's line and column.

use std::path::Path;
use std::time::Duration;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Level, LintId};
use crate::error::{Error, Result};
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
    pub(crate) cool_off: Duration,
    pub(crate) severities: Vec<String>,
    pub(crate) safeguard_grace: Duration,
    pub(crate) github: GitHubConfig,
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
            cool_off: Duration::from_secs(24 * 3600),
            severities: ["sev1", "sev2", "sev3", "sev4"].map(String::from).to_vec(),
            safeguard_grace: Duration::ZERO,
            github: GitHubConfig {
                repo: None,
                labels: vec!["postmortem".into(), "safeguard".into()],
            },
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
        Ok(Config {
            dir,
            default_branch: raw.default_branch,
            cool_off: duration(raw.cool_off, defaults.cool_off)?,
            severities: raw.severities.unwrap_or(defaults.severities),
            safeguard_grace: duration(raw.safeguard_grace, defaults.safeguard_grace)?,
            github: GitHubConfig {
                repo,
                labels: raw.github.labels.unwrap_or(defaults.github.labels),
            },
        })
    }
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
        assert_eq!(config.cool_off, defaults.cool_off);
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
