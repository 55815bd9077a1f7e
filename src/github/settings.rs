//! Where to reach GitHub and as whom: token from `GITHUB_TOKEN` then
//! `GH_TOKEN`, API base from `GITHUB_API_URL`, GraphQL endpoint from
//! `GITHUB_GRAPHQL_URL` (else derived from the API base), repository from the config,
//! then `GITHUB_REPOSITORY`, then the `origin` remote. The token is kept in
//! a type that never prints it and can redact it from any text; it and
//! the URLs are checked here, before any request, so a bad value is a
//! usage error naming its variable (exit 2), never a panic or a request
//! that sends the token in clear text.

use std::fmt;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::is_repo_slug;

pub(crate) const DEFAULT_API_URL: &str = "https://api.github.com";
/// `1` (or `true`) allows a plain `http://` API URL that is not loopback.
pub(crate) const ALLOW_HTTP_VAR: &str = "GIT_POSTMORTEM_ALLOW_HTTP";
/// The login the token acts as, for tokens that cannot read `GET /user`
/// (a GitHub App's installation token: `my-app[bot]`).
pub(crate) const LOGIN_VAR: &str = "GIT_POSTMORTEM_GITHUB_LOGIN";

/// A secret that `Debug` and `Display` never reveal.
#[derive(Clone)]
pub(crate) struct Token(String);

impl Token {
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the token replaced by `***`: for
    /// anything a server sent, which may echo it.
    pub(crate) fn redact(&self, text: &str) -> String {
        if self.0.is_empty() || !text.contains(&self.0) {
            return text.to_string();
        }
        text.replace(&self.0, "***")
    }

    /// The token in `var`, trimmed. A GitHub token is printable ASCII
    /// without spaces; anything else (a control character from a paste)
    /// would not fit in an HTTP header, and is refused without showing it.
    fn from_var(var: &'static str, raw: &str) -> Result<Token> {
        let value = raw.trim();
        if let Some((at, c)) = value
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_graphic())
        {
            let what = if c.is_control() {
                "a control character"
            } else if c.is_whitespace() {
                "a space"
            } else {
                "a character that is not ASCII"
            };
            return Err(Error::BadEnvironment {
                var,
                message: format!(
                    "the token holds {what} (character {} of {}), so it cannot be sent",
                    at + 1,
                    value.chars().count()
                ),
                hint: Some(format!(
                    "a GitHub token is printable ASCII without spaces: set {var} to the token alone (its value is not shown)"
                )),
            });
        }
        Ok(Token(value.to_string()))
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
    /// `GITHUB_ACTIONS=true`: a token that cannot read `GET /user` is the
    /// workflow's own, acting as `github-actions[bot]`.
    pub(crate) in_actions: bool,
    /// [`LOGIN_VAR`], for a token that cannot read `GET /user`.
    pub(crate) login: Option<String>,
}

/// The environment, as a function, so tests can hand in their own.
pub(crate) type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A variable of the process's environment; a value that is not UTF-8 is
/// read lossily, so that checking it finds the odd character instead of
/// taking the variable for unset.
pub(crate) fn process_env(name: &str) -> Option<String> {
    std::env::var_os(name)
        .map(|v| v.to_string_lossy().into_owned())
        .filter(|v| !v.trim().is_empty())
}

impl Settings {
    pub(crate) fn resolve(
        command: &'static str,
        config: &Config,
        origin_url: Option<&str>,
        env: Env,
    ) -> Result<Settings> {
        let token = match (env("GITHUB_TOKEN"), env("GH_TOKEN")) {
            (Some(t), _) => Token::from_var("GITHUB_TOKEN", &t)?,
            (None, Some(t)) => Token::from_var("GH_TOKEN", &t)?,
            (None, None) => return Err(Error::MissingToken { command }),
        };
        let slug = resolve_repo(config, origin_url, env)?;
        let allow_http = env(ALLOW_HTTP_VAR)
            .is_some_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true"));
        let api_url = match env("GITHUB_API_URL") {
            Some(url) => checked_url("GITHUB_API_URL", &url, allow_http, &token)?,
            None => DEFAULT_API_URL.into(),
        };
        let graphql_url = match env("GITHUB_GRAPHQL_URL") {
            Some(url) => checked_url("GITHUB_GRAPHQL_URL", &url, allow_http, &token)?,
            None => graphql_url_for(&api_url),
        };
        let web_url = env("GITHUB_SERVER_URL")
            .map(|u| u.trim_end_matches('/').to_string())
            .unwrap_or_else(|| web_url_for(&api_url));
        Ok(Settings {
            token,
            api_url,
            graphql_url,
            web_url,
            repo: slug,
            in_actions: env("GITHUB_ACTIONS").is_some_and(|v| v.trim() == "true"),
            login: env(LOGIN_VAR).map(|l| l.trim().to_string()),
        })
    }
}

/// The URL in `var`, without a trailing `/`: absolute, `https://` (or
/// `http://` to a loopback address, or anywhere with `allow_http`), with a
/// host and no user name, password or query.
fn checked_url(var: &'static str, raw: &str, allow_http: bool, token: &Token) -> Result<String> {
    let value = raw.trim().trim_end_matches('/');
    let example = match var {
        "GITHUB_GRAPHQL_URL" => "https://api.github.com/graphql or https://ghe.example.com/api/graphql, or unset it to derive it from GITHUB_API_URL",
        _ => "https://api.github.com or https://ghe.example.com/api/v3, or unset it for github.com",
    };
    let bad = |message: String| Error::BadEnvironment {
        var,
        message: token.redact(&message),
        hint: Some(format!("set {var} to a URL like {example}")),
    };
    let uri: http::Uri = value
        .parse()
        .map_err(|e| bad(format!("`{value}` is not a URL ({e})")))?;
    let scheme = uri.scheme_str().map(str::to_ascii_lowercase);
    if !matches!(scheme.as_deref(), Some("https" | "http")) {
        return Err(bad(format!("`{value}` is not an https:// URL")));
    }
    let Some(authority) = uri.authority() else {
        return Err(bad(format!("`{value}` names no host")));
    };
    if authority.as_str().contains('@') {
        // Not echoed: the user name or password may be a secret.
        return Err(bad(
            "the URL holds a user name or password; the token belongs in GITHUB_TOKEN".into(),
        ));
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(bad(format!("`{value}` names no host")));
    }
    if uri.query().is_some() {
        return Err(bad(format!("`{value}` has a query string")));
    }
    if scheme.as_deref() == Some("http") && !allow_http && !is_loopback(uri.host().unwrap_or("")) {
        return Err(Error::BadEnvironment {
            var,
            message: token.redact(&format!(
                "`{value}` is plain http, which would send the token unencrypted"
            )),
            hint: Some(format!(
                "use https://, or set {ALLOW_HTTP_VAR}=1 to allow plain http on a network you trust (loopback addresses are always allowed)"
            )),
        });
    }
    Ok(value.to_string())
}

/// `localhost`, `127.0.0.0/8` or `::1`: traffic that never leaves the
/// machine.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
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

/// The GitHub web server links point at, for a command that does not talk
/// to GitHub: `GITHUB_SERVER_URL`, else the server of `GITHUB_API_URL`,
/// else `https://github.com`; `None` when that is not an `http(s)://` URL
/// with a host and nothing a link could break on (spaces, `|`, `<`, `>`,
/// quotes), or holds a user name or password.
pub(crate) fn web_url(env: Env) -> Option<String> {
    let url = match (env("GITHUB_SERVER_URL"), env("GITHUB_API_URL")) {
        (Some(server), _) => server,
        (None, Some(api)) => web_url_for(api.trim().trim_end_matches('/')),
        (None, None) => web_url_for(DEFAULT_API_URL),
    };
    let url = url.trim().trim_end_matches('/').to_string();
    let uri: http::Uri = url.parse().ok()?;
    let scheme_ok = matches!(
        uri.scheme_str().map(str::to_ascii_lowercase).as_deref(),
        Some("https" | "http")
    );
    let authority_ok = uri.authority().is_some_and(|a| !a.as_str().contains('@'));
    let plain = !url.contains(|c: char| {
        c.is_whitespace() || c.is_control() || matches!(c, '|' | '<' | '>' | '"' | '\'')
    });
    (scheme_ok && authority_ok && plain && uri.query().is_none()).then_some(url)
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
    fn web_urls_for_links() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(web_url(&env(&[])).as_deref(), Some("https://github.com"));
        assert_eq!(
            web_url(&env(&[(
                "GITHUB_API_URL",
                "https://ghe.example.com/api/v3"
            )]))
            .as_deref(),
            Some("https://ghe.example.com")
        );
        assert_eq!(
            web_url(&env(&[("GITHUB_SERVER_URL", "https://ghe.example.com/")])).as_deref(),
            Some("https://ghe.example.com")
        );
        for bad in [
            "javascript:alert(1)",
            "https://ghe.example.com|click",
            "https://user:pw@ghe.example.com",
            "ghe.example.com",
        ] {
            let vars: &'static [(&'static str, &'static str)] =
                Box::leak(Box::new([("GITHUB_SERVER_URL", bad)]));
            assert_eq!(web_url(&env(vars)), None, "{bad}");
        }
    }

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

    #[test]
    fn tokens_are_redacted_from_any_text() {
        let token = Token("ghp_secret".into());
        assert_eq!(
            token.redact("Bearer ghp_secret, again ghp_secret"),
            "Bearer ***, again ***"
        );
        assert_eq!(token.redact("nothing here"), "nothing here");
        assert_eq!(Token(String::new()).redact("text"), "text");
    }

    #[test]
    fn a_token_must_be_printable_ascii() {
        assert_eq!(
            Token::from_var("GITHUB_TOKEN", " ghp_ok\n")
                .expect("token")
                .expose(),
            "ghp_ok"
        );
        for (raw, what) in [
            ("ghp_a\u{7}b", "a control character (character 6 of 7)"),
            ("ghp a", "a space (character 4 of 5)"),
            (
                "ghp_\u{e9}",
                "a character that is not ASCII (character 5 of 5)",
            ),
        ] {
            let message = Token::from_var("GH_TOKEN", raw).expect_err(raw).to_string();
            assert!(
                message.starts_with("GH_TOKEN: the token holds "),
                "{message}"
            );
            assert!(message.contains(what), "{message}");
            assert!(!message.contains("ghp"), "{message}");
        }
    }

    #[test]
    fn api_urls_are_checked() {
        let token = Token("ghp_secret".into());
        let check = |url: &str, allow_http: bool| {
            checked_url("GITHUB_API_URL", url, allow_http, &token).map_err(|e| e.to_string())
        };
        assert_eq!(
            check("https://ghe.example.com/api/v3/", false).as_deref(),
            Ok("https://ghe.example.com/api/v3")
        );
        for loopback in [
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://localhost:3000/api",
            "http://[::1]:9000",
        ] {
            assert!(check(loopback, false).is_ok(), "{loopback}");
        }
        assert!(check("http://ghe.example.com", true).is_ok());
        for (bad, why) in [
            ("http://ghe.example.com", "plain http"),
            ("http://10.0.0.1", "plain http"),
            ("not a url", "is not a URL"),
            ("ghe.example.com", "is not an https:// URL"),
            ("ftp://ghe.example.com", "is not an https:// URL"),
            ("file:///etc/passwd", "is not a URL"),
            ("https://ghe.example.com/api?x=1", "query string"),
            (
                "https://user:ghp_secret@ghe.example.com",
                "user name or password",
            ),
        ] {
            let message = check(bad, false).expect_err(bad);
            assert!(message.contains(why), "{bad}: {message}");
            assert!(!message.contains("ghp_secret"), "{bad}: {message}");
        }
    }
}
