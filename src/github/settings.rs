//! Where to reach GitHub and as whom: token from `GITHUB_TOKEN` then
//! `GH_TOKEN`, API base from `GITHUB_API_URL`, GraphQL endpoint from
//! `GITHUB_GRAPHQL_URL` (else derived from the API base), repository from the config,
//! then `GITHUB_REPOSITORY`, then the `origin` remote. The token is kept in
//! a type that never prints it.

use std::fmt;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::is_repo_slug;

pub(crate) const DEFAULT_API_URL: &str = "https://api.github.com";

/// A secret that `Debug` and `Display` never reveal.
#[derive(Clone)]
pub(crate) struct Token(String);

impl Token {
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// `owner/name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RepoSlug {
    pub(crate) owner: String,
    pub(crate) name: String,
}

impl RepoSlug {
    pub(crate) fn parse(s: &str) -> Option<RepoSlug> {
        if !is_repo_slug(s) {
            return None;
        }
        let (owner, name) = s.split_once('/')?;
        Some(RepoSlug {
            owner: owner.into(),
            name: name.into(),
        })
    }
}

impl fmt::Display for RepoSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) token: Token,
    pub(crate) api_url: String,
    /// The GraphQL endpoint: `GITHUB_GRAPHQL_URL`, else derived from
    /// `api_url` (see [`graphql_url_for`]).
    pub(crate) graphql_url: String,
    /// Base for links people click: `https://github.com` or the GHE host.
    pub(crate) web_url: String,
    pub(crate) repo: RepoSlug,
}

/// The environment, as a function, so tests can hand in their own.
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

pub(crate) fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Settings {
    pub(crate) fn resolve(
        command: &'static str,
        config: &Config,
        origin_url: Option<&str>,
        env: Env,
    ) -> Result<Settings> {
        let token = env("GITHUB_TOKEN")
            .or_else(|| env("GH_TOKEN"))
            .map(|t| Token(t.trim().to_string()))
            .ok_or(Error::MissingToken { command })?;
        let slug = resolve_repo(config, origin_url, env)?;
        let api_url = env("GITHUB_API_URL")
            .unwrap_or_else(|| DEFAULT_API_URL.into())
            .trim_end_matches('/')
            .to_string();
        let graphql_url = env("GITHUB_GRAPHQL_URL")
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .unwrap_or_else(|| graphql_url_for(&api_url));
        let web_url = env("GITHUB_SERVER_URL")
            .map(|u| u.trim_end_matches('/').to_string())
            .unwrap_or_else(|| web_url_for(&api_url));
        Ok(Settings {
            token,
            api_url,
            graphql_url,
            web_url,
            repo: slug,
        })
    }
}

/// The repository: config, then `GITHUB_REPOSITORY`, then the `origin`
/// remote's URL.
pub(crate) fn resolve_repo(
    config: &Config,
    origin_url: Option<&str>,
    env: Env,
) -> Result<RepoSlug> {
    if let Some(slug) = config.github.repo.as_deref().and_then(RepoSlug::parse) {
        return Ok(slug);
    }
    if let Some(slug) = env("GITHUB_REPOSITORY")
        .as_deref()
        .and_then(RepoSlug::parse)
    {
        return Ok(slug);
    }
    origin_url
        .and_then(parse_remote_url)
        .ok_or(Error::NoGitHubRepository)
}

/// `owner/name` from a remote URL in any of git's forms:
/// `https://host/owner/name(.git)`, `git@host:owner/name(.git)`,
/// `ssh://git@host(:port)/owner/name(.git)`.
pub(crate) fn parse_remote_url(url: &str) -> Option<RepoSlug> {
    let url = url.trim().trim_end_matches('/');
    let path = if let Some((_, rest)) = url.split_once("://") {
        rest.split_once('/')?.1
    } else if let Some((host, path)) = url.split_once(':') {
        if host.contains('/') {
            return None;
        }
        path
    } else {
        return None;
    };
    let path = path.strip_suffix(".git").unwrap_or(path);
    let mut parts = path.rsplitn(3, '/');
    let name = parts.next()?;
    let owner = parts.next()?;
    RepoSlug::parse(&format!("{owner}/{name}"))
}

/// `https://api.github.com` → `https://api.github.com/graphql`;
/// `https://ghe.example.com/api/v3` → `https://ghe.example.com/api/graphql`.
pub(crate) fn graphql_url_for(api_url: &str) -> String {
    match api_url.strip_suffix("/api/v3") {
        Some(host) => format!("{host}/api/graphql"),
        None => format!("{api_url}/graphql"),
    }
}

/// `https://api.github.com` → `https://github.com`;
/// `https://ghe.example.com/api/v3` → `https://ghe.example.com`.
fn web_url_for(api_url: &str) -> String {
    if let Some(rest) = api_url.strip_prefix("https://api.") {
        return format!("https://{rest}");
    }
    api_url
        .strip_suffix("/api/v3")
        .unwrap_or(api_url)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_urls_in_every_form() {
        let want = Some(RepoSlug {
            owner: "acme".into(),
            name: "shop".into(),
        });
        for url in [
            "https://github.com/acme/shop.git",
            "https://github.com/acme/shop",
            "https://user@github.com/acme/shop/",
            "https://github.com/acme/shop.git/",
            "git@github.com:acme/shop.git",
            "ssh://git@github.com/acme/shop.git",
            "ssh://git@ghe.example.com:2222/acme/shop",
        ] {
            assert_eq!(parse_remote_url(url), want, "{url}");
        }
        assert_eq!(parse_remote_url("/srv/git/shop.git"), None);
    }

    #[test]
    fn web_urls() {
        assert_eq!(web_url_for("https://api.github.com"), "https://github.com");
        assert_eq!(
            web_url_for("https://ghe.example.com/api/v3"),
            "https://ghe.example.com"
        );
    }

    #[test]
    fn graphql_urls() {
        assert_eq!(
            graphql_url_for("https://api.github.com"),
            "https://api.github.com/graphql"
        );
        assert_eq!(
            graphql_url_for("https://ghe.example.com/api/v3"),
            "https://ghe.example.com/api/graphql"
        );
        let env = |name: &str| match name {
            "GITHUB_TOKEN" => Some("t".to_string()),
            "GITHUB_REPOSITORY" => Some("acme/shop".to_string()),
            "GITHUB_API_URL" => Some("https://ghe.example.com/api/v3".to_string()),
            "GITHUB_GRAPHQL_URL" => Some("https://gql.example.com/graphql/".to_string()),
            _ => None,
        };
        let settings = Settings::resolve("sync", &Config::default(), None, &env).expect("settings");
        assert_eq!(settings.graphql_url, "https://gql.example.com/graphql");
        let derived = |name: &str| env(name).filter(|_| name != "GITHUB_GRAPHQL_URL");
        let settings =
            Settings::resolve("sync", &Config::default(), None, &derived).expect("settings");
        assert_eq!(settings.graphql_url, "https://ghe.example.com/api/graphql");
    }

    #[test]
    fn tokens_do_not_print() {
        assert_eq!(format!("{:?}", Token("ghp_secret".into())), "Token(***)");
    }
}
