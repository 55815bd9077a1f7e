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
    /// Where postmortems live: a relative path inside the repository.
    /// Default `"postmortems"`.
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

/// The `[github]` table: where `sync` opens safeguard issues.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "GitHub")]
struct RawGitHub {
    /// The `owner/name` repository. Default: `GITHUB_REPOSITORY`, else the
    /// `origin` remote.
    #[schemars(
        with = "Option<String>",
        regex(pattern = r"^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$")
    )]
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
            Some(d) => {
                let value = d.get_ref().trim_matches('/').to_string();
                if value.is_empty() || Path::new(&value).is_absolute() || value.contains("..") {
                    return Err(invalid(
                        d.span(),
                        "`dir` must be a relative path inside the repository".into(),
                    ));
                }
                value
            }
        };
        let repo = match raw.github.repo {
            None => None,
            Some(r) => {
                if !is_repo_slug(r.get_ref()) {
                    return Err(invalid(
                        r.span(),
                        format!("`{}` is not an owner/name repository", r.get_ref()),
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

pub(crate) use crate::model::is_repo_slug;

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
    fn repo_slugs() {
        assert!(is_repo_slug("acme/shop"));
        assert!(!is_repo_slug("acme"));
        assert!(!is_repo_slug("acme/shop/x"));
        assert!(!is_repo_slug("acme/ shop"));
    }
}
