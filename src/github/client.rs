//! The octocrab-backed [`GitHubApi`]. Every request goes through one
//! `send` that applies the retry [`Policy`] within a total time budget,
//! gives each attempt a deadline for the whole exchange (connecting,
//! headers and body), caps how much of an answer it reads, follows `Link`
//! pagination, and never lets the token reach a message: it is redacted
//! from everything a server sends before anything reads it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, StatusCode};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use octocrab::Octocrab;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::github::api::{ApiError, ApiResult, Comment, GitHubApi, Issue, NewIssue, Review, User};
use crate::github::retry::{Decision, Outcome, Policy};
use crate::github::settings::{RepoSlug, Settings, Token};

/// Overrides the first backoff step (milliseconds), so tests of retries
/// do not sleep for seconds.
pub(crate) const BACKOFF_VAR: &str = "GIT_POSTMORTEM_BACKOFF_MS";
/// Overrides the total time budget for GitHub (seconds).
pub(crate) const BUDGET_VAR: &str = "GIT_POSTMORTEM_GITHUB_BUDGET";

const PER_PAGE: u32 = 100;
/// The budget when [`BUDGET_VAR`] does not set one.
const DEFAULT_BUDGET: Duration = Duration::from_secs(300);
/// The longest one attempt may take, answer included, within the budget.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);
/// The most of one answer that is read. A page of 100 issues whose
/// bodies are each GitHub's longest (65,536 characters of four UTF-8
/// bytes) stays below it.
pub(crate) const MAX_BODY: usize = 32 * 1024 * 1024;
/// Who the workflow's own `GITHUB_TOKEN` acts as.
pub(crate) const ACTIONS_BOT: &str = "github-actions[bot]";

pub(crate) struct Client {
    octo: Octocrab,
    /// The GraphQL endpoint's host, and its path: it may be on another
    /// host or path than the REST API (GitHub Enterprise: `/api/graphql`
    /// beside `/api/v3`).
    graphql: Result<(Octocrab, String), ApiError>,
    repo: RepoSlug,
    policy: Policy,
    /// How long the command may spend on GitHub, counted from its first
    /// request.
    budget: Duration,
    started: OnceLock<Instant>,
    /// To redact from what servers send.
    token: Token,
    /// See [`Settings::in_actions`] and [`Settings::login`].
    in_actions: bool,
    login_override: Option<String>,
    /// The token's login, once asked.
    login: OnceLock<String>,
    requests: AtomicUsize,
    writes: AtomicUsize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    Post,
    Patch,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
        }
    }
}

struct Response {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

/// How one attempt at a request ended.
enum Attempt {
    Answered(Response),
    /// No complete answer: the connection failed or the answer was cut.
    Failed(String),
    /// The attempt's deadline passed before the answer was complete.
    TimedOut,
    /// The answer is longer than [`MAX_BODY`].
    TooLarge,
}

impl Client {
    pub(crate) fn new(settings: &Settings) -> ApiResult<Client> {
        let env_number = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let mut policy = Policy::default();
        if let Some(ms) = env_number(BACKOFF_VAR) {
            policy.base = Duration::from_millis(ms);
        }
        let budget = env_number(BUDGET_VAR).map_or(DEFAULT_BUDGET, Duration::from_secs);
        let unreachable = |detail: String| ApiError::Unreachable {
            method: "setup",
            path: settings.api_url.clone(),
            detail: settings.token.redact(&detail),
        };
        let build = |base: &str, var: &str| {
            Octocrab::builder()
                .base_uri(base)
                .map_err(|e| unreachable(format!("bad {var}: {e}")))?
                .personal_token(settings.token.expose().to_string())
                .set_connect_timeout(Some(Duration::from_secs(10)))
                .set_read_timeout(Some(Duration::from_secs(30)))
                .build()
                .map_err(|e| unreachable(e.to_string()))
        };
        let octo = build(settings.api_url.as_str(), "GITHUB_API_URL")?;
        let graphql = (|| {
            let uri: http::Uri = settings
                .graphql_url
                .parse()
                .map_err(|e| unreachable(format!("bad GITHUB_GRAPHQL_URL: {e}")))?;
            let (Some(scheme), Some(authority)) = (uri.scheme(), uri.authority()) else {
                return Err(unreachable(format!(
                    "bad GITHUB_GRAPHQL_URL: {} is not an absolute URL",
                    settings.graphql_url
                )));
            };
            let octo = build(&format!("{scheme}://{authority}"), "GITHUB_GRAPHQL_URL")?;
            Ok((octo, uri.path().to_string()))
        })();
        Ok(Client {
            octo,
            graphql,
            repo: settings.repo.clone(),
            policy,
            budget,
            started: OnceLock::new(),
            token: settings.token.clone(),
            in_actions: settings.in_actions,
            login_override: settings.login.clone(),
            login: OnceLock::new(),
            requests: AtomicUsize::new(0),
            writes: AtomicUsize::new(0),
        })
    }

    /// The first backoff step, for callers that retry on their own.
    pub(crate) fn backoff(&self) -> Duration {
        self.policy.base
    }

    /// Requests sent so far, and how many of them were writes.
    pub(crate) fn request_counts(&self) -> (usize, usize) {
        (
            self.requests.load(Ordering::Relaxed),
            self.writes.load(Ordering::Relaxed),
        )
    }

    fn repo_path(&self, rest: &str) -> String {
        format!("/repos/{}/{}{rest}", self.repo.owner, self.repo.name)
    }

    /// When the budget runs out: its length after the first request.
    fn deadline(&self) -> Instant {
        *self.started.get_or_init(Instant::now) + self.budget
    }

    /// Send with retries. Writes that are not idempotent come back as
    /// [`ApiError::Ambiguous`] on a 5xx or a lost connection instead of
    /// being retried blindly.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> ApiResult<Response> {
        let write = method != Method::Get;
        self.send_to(&self.octo, method, path, body, write).await
    }

    /// [`Client::send`] to `octo`'s host. A `write` that is a POST is not
    /// idempotent; a POST that only reads (a GraphQL query) is retried
    /// like a GET. Every error is redacted of the token.
    async fn send_to(
        &self,
        octo: &Octocrab,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        write: bool,
    ) -> ApiResult<Response> {
        self.send_attempts(octo, method, path, body, write)
            .await
            .map_err(|e| self.redact_error(e))
    }

    async fn send_attempts(
        &self,
        octo: &Octocrab,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        write: bool,
    ) -> ApiResult<Response> {
        let idempotent = !(write && method == Method::Post);
        let deadline = self.deadline();
        let unreachable = |detail: String| ApiError::Unreachable {
            method: method.as_str(),
            path: path.into(),
            detail,
        };
        let ambiguous = |detail: String| ApiError::Ambiguous {
            method: method.as_str(),
            path: path.into(),
            detail,
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let now = Instant::now();
            if now >= deadline {
                // Nothing was sent, so nothing is ambiguous.
                return Err(unreachable(format!(
                    "timed out: the time budget for GitHub ({}) ran out before it could be sent",
                    self.budget_text()
                )));
            }
            let until = deadline.min(now + ATTEMPT_TIMEOUT);
            self.requests.fetch_add(1, Ordering::Relaxed);
            if write {
                self.writes.fetch_add(1, Ordering::Relaxed);
            }
            let outcome = self.attempt(octo, method, path, body, until).await;
            let left = deadline.saturating_duration_since(Instant::now());
            let now_epoch = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let failure = match outcome {
                Attempt::Answered(response) => {
                    if response.status.is_server_error() && !idempotent {
                        return Err(ambiguous(format!("HTTP {}", response.status.as_u16())));
                    }
                    let header =
                        |name: &str| response.headers.get(name).and_then(|v| v.to_str().ok());
                    let outcome = Outcome::Status {
                        status: response.status.as_u16(),
                        retry_after: header("retry-after"),
                        ratelimit_remaining: header("x-ratelimit-remaining"),
                        ratelimit_reset: header("x-ratelimit-reset"),
                    };
                    match self.policy.decide(outcome, attempt, now_epoch, left) {
                        Decision::Done => return self.check(method, path, response),
                        Decision::RetryAfter(wait) => {
                            tokio::time::sleep(wait).await;
                            continue;
                        }
                        Decision::GiveUp(why) => {
                            return Err(ApiError::Http {
                                method: method.as_str(),
                                path: path.into(),
                                status: response.status.as_u16(),
                                message: format!("{} ({why})", github_message(&response.body)),
                            })
                        }
                    }
                }
                Attempt::TooLarge if idempotent => {
                    return Err(ApiError::TooLarge {
                        method: method.as_str(),
                        path: path.into(),
                        limit: max_body_text(),
                    })
                }
                Attempt::TooLarge => {
                    return Err(ambiguous(format!(
                        "the answer is larger than {}",
                        max_body_text()
                    )))
                }
                Attempt::TimedOut if until == deadline => format!(
                    "timed out: no complete answer within the time budget for GitHub ({})",
                    self.budget_text()
                ),
                Attempt::TimedOut => format!(
                    "timed out: no complete answer within {} s",
                    ATTEMPT_TIMEOUT.as_secs()
                ),
                Attempt::Failed(detail) => detail,
            };
            if !idempotent {
                return Err(ambiguous(failure));
            }
            match self
                .policy
                .decide(Outcome::NetworkError, attempt, now_epoch, left)
            {
                Decision::RetryAfter(wait) => tokio::time::sleep(wait).await,
                _ => return Err(unreachable(failure)),
            }
        }
    }

    /// One exchange, from sending to the last byte of the answer, by
    /// `until`. The answer is read up to [`MAX_BODY`] and redacted of the
    /// token.
    async fn attempt(
        &self,
        octo: &Octocrab,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
        until: Instant,
    ) -> Attempt {
        let exchange = async {
            let sent = match method {
                Method::Get => octo._get(path).await,
                Method::Post => octo._post(path, body).await,
                Method::Patch => octo._patch(path, body).await,
            };
            let raw = match sent {
                Ok(raw) => raw,
                Err(e) => return Attempt::Failed(network_detail(&e)),
            };
            let status = raw.status();
            let headers = raw.headers().clone();
            let announced = headers
                .get(http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            if announced.is_some_and(|n| n > MAX_BODY as u64) {
                return Attempt::TooLarge;
            }
            match Limited::new(raw.into_body(), MAX_BODY).collect().await {
                Ok(collected) => Attempt::Answered(Response {
                    status,
                    headers,
                    body: self
                        .token
                        .redact(&String::from_utf8_lossy(&collected.to_bytes())),
                }),
                Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Attempt::TooLarge,
                Err(e) => Attempt::Failed(format!("response lost: {e}")),
            }
        };
        tokio::time::timeout_at(until.into(), exchange)
            .await
            .unwrap_or(Attempt::TimedOut)
    }

    /// `300 s, GIT_POSTMORTEM_GITHUB_BUDGET`.
    fn budget_text(&self) -> String {
        format!("{} s, {BUDGET_VAR}", self.budget.as_secs())
    }

    /// `e` with the token taken out of every text in it.
    fn redact_error(&self, e: ApiError) -> ApiError {
        let r = |s: String| self.token.redact(&s);
        match e {
            ApiError::Unauthorized { status, message } => ApiError::Unauthorized {
                status,
                message: r(message),
            },
            ApiError::Http {
                method,
                path,
                status,
                message,
            } => ApiError::Http {
                method,
                path: r(path),
                status,
                message: r(message),
            },
            ApiError::Ambiguous {
                method,
                path,
                detail,
            } => ApiError::Ambiguous {
                method,
                path: r(path),
                detail: r(detail),
            },
            ApiError::Unreachable {
                method,
                path,
                detail,
            } => ApiError::Unreachable {
                method,
                path: r(path),
                detail: r(detail),
            },
            ApiError::Decode { what, detail } => ApiError::Decode {
                what: r(what),
                detail: r(detail),
            },
            ApiError::TooLarge {
                method,
                path,
                limit,
            } => ApiError::TooLarge {
                method,
                path: r(path),
                limit,
            },
            ApiError::NoIdentity { status, message } => ApiError::NoIdentity {
                status,
                message: r(message),
            },
        }
    }

    /// Turn error statuses into errors; pass successes through.
    fn check(&self, method: Method, path: &str, response: Response) -> ApiResult<Response> {
        let status = response.status.as_u16();
        match status {
            200..=399 => Ok(response),
            401 => Err(ApiError::Unauthorized {
                status,
                message: github_message(&response.body),
            }),
            _ => Err(ApiError::Http {
                method: method.as_str(),
                path: path.into(),
                status,
                message: github_message(&response.body),
            }),
        }
    }

    async fn get_json<T: DeserializeOwned>(&self, path: &str) -> ApiResult<(T, HeaderMap)> {
        let response = self.send(Method::Get, path, None).await?;
        let value = decode(path, &response.body)?;
        Ok((value, response.headers))
    }

    /// Every page of a list, following `Link: <…>; rel="next"`.
    async fn get_all<T: DeserializeOwned>(&self, first: String) -> ApiResult<Vec<T>> {
        let mut items = Vec::new();
        let mut next = Some(first);
        while let Some(path) = next.take() {
            let (page, headers): (Vec<T>, HeaderMap) = self.get_json(&path).await?;
            items.extend(page);
            next = headers
                .get(http::header::LINK)
                .and_then(|v| v.to_str().ok())
                .and_then(next_link);
        }
        Ok(items)
    }
}

fn decode<T: DeserializeOwned>(what: &str, body: &str) -> ApiResult<T> {
    serde_json::from_str(body).map_err(|e| ApiError::Decode {
        what: what.into(),
        detail: e.to_string(),
    })
}

/// GitHub's `{"message": "…"}`, or the start of the body.
fn github_message(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(String::from))
        .unwrap_or_else(|| body.chars().take(200).collect())
}

/// `32 MiB`.
fn max_body_text() -> String {
    format!("{} MiB", MAX_BODY / (1024 * 1024))
}

fn network_detail(e: &octocrab::Error) -> String {
    let text = e.to_string();
    if text.is_empty() {
        "connection failed".into()
    } else {
        text
    }
}

/// The path and query of the `rel="next"` link: relative, so the request
/// keeps going to the configured API host with the token.
pub(crate) fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        if !params.split(';').any(|p| p.trim() == "rel=\"next\"") {
            return None;
        }
        let url = url.trim().trim_start_matches('<').trim_end_matches('>');
        let uri: http::Uri = url.parse().ok()?;
        uri.path_and_query().map(|pq| pq.as_str().to_string())
    })
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl GitHubApi for Client {
    async fn login(&self) -> ApiResult<String> {
        if let Some(login) = self.login.get() {
            return Ok(login.clone());
        }
        let login = match self.get_json::<User>("/user").await {
            Ok((user, _)) => user.login,
            // An installation token (the workflow's own, or a GitHub
            // App's) may not read `/user`.
            Err(ApiError::Http {
                status: 403,
                message,
                ..
            }) => match (&self.login_override, self.in_actions) {
                (Some(login), _) => login.clone(),
                (None, true) => ACTIONS_BOT.to_string(),
                (None, false) => {
                    return Err(ApiError::NoIdentity {
                        status: 403,
                        message,
                    })
                }
            },
            Err(e) => return Err(e),
        };
        Ok(self.login.get_or_init(|| login).clone())
    }

    async fn list_labels(&self) -> ApiResult<Vec<String>> {
        #[derive(serde::Deserialize)]
        struct Label {
            name: String,
        }
        let labels: Vec<Label> = self
            .get_all(self.repo_path(&format!("/labels?per_page={PER_PAGE}")))
            .await?;
        Ok(labels.into_iter().map(|l| l.name).collect())
    }

    async fn create_label(&self, name: &str) -> ApiResult<()> {
        let body = json!({
            "name": name,
            "color": "b60205",
            "description": "Tracked by git-postmortem",
        });
        match self
            .send(Method::Post, &self.repo_path("/labels"), Some(&body))
            .await
        {
            // 422: it exists already (created by someone else meanwhile).
            Err(ApiError::Http { status: 422, .. }) => Ok(()),
            // A lost answer is harmless: the next run lists labels again.
            Err(ApiError::Ambiguous { .. }) => Ok(()),
            other => other.map(|_| ()),
        }
    }

    async fn list_issues(&self, label: Option<&str>) -> ApiResult<Vec<Issue>> {
        let filter = label
            .map(|l| format!("&labels={}", encode(l)))
            .unwrap_or_default();
        let issues: Vec<Issue> = self
            .get_all(self.repo_path(&format!("/issues?state=all{filter}&per_page={PER_PAGE}")))
            .await?;
        Ok(issues
            .into_iter()
            .filter(|i| i.pull_request.is_none())
            .collect())
    }

    async fn recent_issues(&self, label: Option<&str>) -> ApiResult<Vec<Issue>> {
        let filter = label
            .map(|l| format!("&labels={}", encode(l)))
            .unwrap_or_default();
        let path = self.repo_path(&format!(
            "/issues?state=all{filter}&sort=created&direction=desc&per_page={PER_PAGE}"
        ));
        let (issues, _): (Vec<Issue>, _) = self.get_json(&path).await?;
        Ok(issues
            .into_iter()
            .filter(|i| i.pull_request.is_none())
            .collect())
    }

    async fn get_issue(&self, number: u64) -> ApiResult<Option<Issue>> {
        match self
            .get_json(&self.repo_path(&format!("/issues/{number}")))
            .await
        {
            Ok((issue, _)) => Ok(Some(issue)),
            Err(ApiError::Http {
                status: 404 | 410, ..
            }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn create_issue(&self, issue: &NewIssue) -> ApiResult<Issue> {
        let body = serde_json::to_value(issue).map_err(|e| ApiError::Decode {
            what: "issue".into(),
            detail: e.to_string(),
        })?;
        let path = self.repo_path("/issues");
        let response = self.send(Method::Post, &path, Some(&body)).await?;
        decode(&path, &response.body)
    }

    async fn close_issue(&self, number: u64, reason: &str) -> ApiResult<()> {
        let body = json!({ "state": "closed", "state_reason": reason });
        self.send(
            Method::Patch,
            &self.repo_path(&format!("/issues/{number}")),
            Some(&body),
        )
        .await
        .map(|_| ())
    }

    async fn list_comments(&self, number: u64) -> ApiResult<Vec<Comment>> {
        self.get_all(self.repo_path(&format!("/issues/{number}/comments?per_page={PER_PAGE}")))
            .await
    }

    async fn create_comment(&self, number: u64, body: &str) -> ApiResult<u64> {
        let body = json!({ "body": body });
        let path = self.repo_path(&format!("/issues/{number}/comments"));
        let response = self.send(Method::Post, &path, Some(&body)).await?;
        let created: Comment = decode(&path, &response.body)?;
        Ok(created.id)
    }

    async fn update_comment(&self, id: u64, body: &str) -> ApiResult<()> {
        let body = json!({ "body": body });
        self.send(
            Method::Patch,
            &self.repo_path(&format!("/issues/comments/{id}")),
            Some(&body),
        )
        .await
        .map(|_| ())
    }

    async fn list_reviews(&self, pull: u64) -> ApiResult<Vec<Review>> {
        self.get_all(self.repo_path(&format!("/pulls/{pull}/reviews?per_page={PER_PAGE}")))
            .await
    }

    async fn graphql(
        &self,
        document: &str,
        variables: serde_json::Value,
    ) -> ApiResult<serde_json::Value> {
        let (octo, path) = self.graphql.as_ref().map_err(Clone::clone)?;
        let body = json!({ "query": document, "variables": variables });
        let response = self
            .send_to(octo, Method::Post, path, Some(&body), false)
            .await?;
        let answer: serde_json::Value = decode(path, &response.body)?;
        let errors: Vec<String> = answer["errors"]
            .as_array()
            .into_iter()
            .flatten()
            // An issue number that no longer resolves (deleted,
            // transferred) is a null in `data`, not a failed query.
            .filter(|e| e["type"] != "NOT_FOUND")
            .map(|e| e["message"].as_str().unwrap_or("unknown error").to_string())
            .collect();
        let data = answer.get("data").filter(|d| !d.is_null());
        match data {
            Some(data) if errors.is_empty() => Ok(data.clone()),
            _ => Err(ApiError::Decode {
                what: format!("POST {path}"),
                detail: if errors.is_empty() {
                    "no data in the GraphQL answer".into()
                } else {
                    format!("GraphQL errors: {}", errors.join("; "))
                },
            }),
        }
    }

    async fn is_assignable(&self, login: &str) -> ApiResult<bool> {
        let path = self.repo_path(&format!("/assignees/{}", encode(login)));
        match self.send(Method::Get, &path, None).await {
            Ok(_) => Ok(true),
            Err(ApiError::Http { status: 404, .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_links_are_made_relative() {
        let header = "<https://api.github.com/repositories/1/issues?state=all&page=2>; rel=\"next\", <https://api.github.com/repositories/1/issues?page=5>; rel=\"last\"";
        assert_eq!(
            next_link(header).as_deref(),
            Some("/repositories/1/issues?state=all&page=2")
        );
        assert_eq!(next_link("<https://x/y?page=1>; rel=\"prev\""), None);
    }

    #[test]
    fn labels_are_percent_encoded() {
        assert_eq!(encode("post mortem/ü"), "post%20mortem%2F%C3%BC");
    }
}
