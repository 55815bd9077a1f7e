//! A fake GitHub on 127.0.0.1, built on wiremock: enough of the issues,
//! labels, assignees, comments, pull request reviews and `GET /user` API,
//! with state, authors, pagination and injectable failures, so tests can
//! assert the exact requests `sync` and `review` make; and `POST /graphql`,
//! answering the issue queries `sync` sends (closers, closing pull
//! requests) in GitHub's shape. [`FakeGitHub::requests`] lists the REST
//! requests, [`FakeGitHub::graphql_requests`] the GraphQL ones.
//!
//! [`HostileServer`] is a raw HTTP server for what wiremock cannot play:
//! an answer dripped a byte at a time, no answer at all, an endless body.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const TOKEN: &str = "ghp_test-token-never-printed-0123456789";
pub const REPO: &str = "acme/shop";
/// The login the fake says [`TOKEN`] acts as: the author of every issue
/// and comment the tool creates, and of [`issue`]'s.
pub const BOT: &str = "postmortem-bot";

/// A failure to inject into the next matching requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer normally.
    Pass,
    /// Create the issue, then answer 502 as if the response was lost.
    CreatedThen502,
    /// Answer 502 without doing anything.
    Status502,
    /// Secondary rate limit: 403 with `retry-after`.
    RateLimited { retry_after: u64 },
    /// Primary rate limit: 403 with `x-ratelimit-remaining: 0` and a reset
    /// this many seconds from now.
    Exhausted { reset_in: u64 },
    /// GraphQL only: HTTP 200 with an `errors` array and no data.
    GraphqlErrors,
    /// GraphQL only: [`Fault::GraphqlErrors`] whose message quotes the
    /// token.
    GraphqlErrorsQuotingToken,
}

#[derive(Debug, Default)]
pub struct State {
    pub issues: Vec<Value>,
    pub labels: Vec<String>,
    pub comments: HashMap<u64, Vec<Value>>,
    pub assignable: Vec<String>,
    /// Faults for `POST …/issues`, used front first.
    pub create_faults: Vec<Fault>,
    /// Faults for `GET …/issues` lists, used front first.
    pub list_faults: Vec<Fault>,
    /// Reviews by pull request number: (login, state).
    pub reviews: HashMap<u64, Vec<(String, String)>>,
    /// Answer review lists with this status instead (403: the token may
    /// not read pull requests).
    pub reviews_status: Option<u16>,
    /// Answer every request with 401.
    pub unauthorized: bool,
    /// Answer every REST request with 403 and a message that quotes the
    /// request's `Authorization` header, as some proxies do.
    pub echo_token: bool,
    /// Who the token acts as (`GET /user`); [`BOT`] by default.
    pub login: String,
    /// Answer `GET /user` with this status instead (403: an installation
    /// token, which may not read it).
    pub user_status: Option<u16>,
    /// What closed each issue, as GraphQL's `closer`:
    /// [`pull_request_closer`] or [`commit_closer`].
    pub closers: HashMap<u64, Value>,
    /// Open pull requests that will close each issue.
    pub closing_prs: HashMap<u64, Vec<u64>>,
    /// Faults for `POST /graphql`, used front first.
    pub graphql_faults: Vec<Fault>,
}

/// A `closer` that is a merged pull request into `main`.
pub fn pull_request_closer(number: u64, merge_commit: &str) -> Value {
    json!({
        "__typename": "PullRequest",
        "number": number,
        "baseRefName": "main",
        "mergeCommit": { "oid": merge_commit },
    })
}

/// A `closer` that is a commit.
pub fn commit_closer(oid: &str) -> Value {
    json!({ "__typename": "Commit", "oid": oid })
}

pub struct FakeGitHub {
    pub server: MockServer,
    pub state: Arc<Mutex<State>>,
    /// Requests before this index are forgotten by [`FakeGitHub::requests`].
    seen_before: std::sync::atomic::AtomicUsize,
}

/// One request as the fake saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    pub method: String,
    /// Path and query.
    pub url: String,
    pub body: Option<Value>,
}

impl Seen {
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.url)
    }

    pub fn is_write(&self) -> bool {
        self.method != "GET"
    }

    pub fn is_graphql(&self) -> bool {
        self.method == "POST" && self.url == GRAPHQL_PATH
    }
}

pub const GRAPHQL_PATH: &str = "/graphql";

/// The checkout postmortem (fixtures::CHECKOUT) in a fresh repository, and
/// a fake GitHub where its S1 already has open issue #123 (labelled, with
/// its marker); S2 has no issue yet.
pub async fn checkout_with_issue() -> (super::TestRepo, FakeGitHub) {
    use super::fixtures::{CHECKOUT, CHECKOUT_ID};
    let repo = super::TestRepo::new();
    repo.write_postmortem(
        CHECKOUT_ID,
        &CHECKOUT.replace("{TRIGGER}", "0123456789012345678901234567890123456789"),
    );
    let gh = FakeGitHub::start().await;
    gh.with_state(|s| {
        s.issues.push(issue(
            123,
            "[postmortem] Fail deploy when a required env var is missing",
            "<!-- git-postmortem: 2026-11-20-checkout-500s/S1 -->",
            "open",
            &["postmortem", "safeguard"],
        ));
    });
    (repo, gh)
}

/// `METHOD /path?query` of each request.
pub fn lines(requests: &[Seen]) -> Vec<String> {
    requests.iter().map(Seen::line).collect()
}

/// `METHOD /path?query` of each request that is not a GET.
pub fn writes(requests: &[Seen]) -> Vec<String> {
    requests
        .iter()
        .filter(|r| r.is_write())
        .map(Seen::line)
        .collect()
}

/// An issue [`BOT`] opened.
pub fn issue(number: u64, title: &str, body: &str, state: &str, labels: &[&str]) -> Value {
    issue_by(BOT, number, title, body, state, labels)
}

/// An issue `login` opened.
pub fn issue_by(
    login: &str,
    number: u64,
    title: &str,
    body: &str,
    state: &str,
    labels: &[&str],
) -> Value {
    json!({
        "number": number,
        "title": title,
        "body": body,
        "state": state,
        "state_reason": if state == "closed" { json!("completed") } else { Value::Null },
        "labels": labels.iter().map(|l| json!({ "name": l })).collect::<Vec<_>>(),
        "created_at": "2026-11-20T15:00:00Z",
        "user": user(login),
    })
}

/// A comment `login` wrote.
pub fn comment_by(login: &str, id: u64, body: &str) -> Value {
    json!({ "id": id, "body": body, "user": user(login) })
}

fn user(login: &str) -> Value {
    json!({ "login": login, "id": 1, "type": if login.ends_with("[bot]") { "Bot" } else { "User" } })
}

impl FakeGitHub {
    pub async fn start() -> FakeGitHub {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State {
            assignable: vec!["dana".into(), "sre-lead".into()],
            login: BOT.into(),
            ..State::default()
        }));
        let base = server.uri();
        let repo = format!("/repos/{REPO}");
        let h = |f: fn(&Arc<Mutex<State>>, &str, &Request) -> ResponseTemplate| Handler {
            state: state.clone(),
            base: base.clone(),
            f,
        };
        Mock::given(method("GET"))
            .and(path(format!("{repo}/issues")))
            .respond_with(h(list_issues))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("{repo}/issues")))
            .respond_with(h(create_issue))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex(format!(r"^{repo}/issues/\d+$")))
            .respond_with(h(get_issue))
            .mount(&server)
            .await;
        Mock::given(method("PATCH"))
            .and(path_regex(format!(r"^{repo}/issues/\d+$")))
            .respond_with(h(patch_issue))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex(format!(r"^{repo}/issues/\d+/comments$")))
            .respond_with(h(list_comments))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path_regex(format!(r"^{repo}/issues/\d+/comments$")))
            .respond_with(h(create_comment))
            .mount(&server)
            .await;
        Mock::given(method("PATCH"))
            .and(path_regex(format!(r"^{repo}/issues/comments/\d+$")))
            .respond_with(h(update_comment))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex(format!(r"^{repo}/pulls/\d+/reviews$")))
            .respond_with(h(list_reviews))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("{repo}/labels")))
            .respond_with(h(list_labels))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(format!("{repo}/labels")))
            .respond_with(h(create_label))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex(format!(r"^{repo}/assignees/[^/]+$")))
            .respond_with(h(check_assignee))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(GRAPHQL_PATH))
            .respond_with(h(graphql))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/user"))
            .respond_with(h(get_user))
            .mount(&server)
            .await;
        FakeGitHub {
            server,
            state,
            seen_before: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    pub fn with_state(&self, f: impl FnOnce(&mut State)) {
        f(&mut self.state.lock().expect("state"));
    }

    /// Environment for the binary: token, API URL, fast retries.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("GITHUB_TOKEN", TOKEN.to_string()),
            ("GITHUB_API_URL", self.server.uri()),
            ("GITHUB_REPOSITORY", REPO.to_string()),
            ("GITHUB_SERVER_URL", "https://github.com".to_string()),
            ("GIT_POSTMORTEM_BACKOFF_MS", "5".to_string()),
        ]
    }

    /// Run the binary in `repo` with this fake's environment; (exit code,
    /// stdout, stderr). The fake keeps answering while it runs.
    pub async fn run(&self, repo: &super::TestRepo, args: &[&str]) -> (i32, String, String) {
        self.run_with(repo, &[], args).await
    }

    /// [`FakeGitHub::run`] with more environment variables.
    pub async fn run_with(
        &self,
        repo: &super::TestRepo,
        env: &[(&str, &str)],
        args: &[&str],
    ) -> (i32, String, String) {
        let mut cmd = repo.cmd();
        for (key, value) in self.env() {
            cmd.env(key, value);
        }
        for (key, value) in env {
            cmd.env(key, value);
        }
        cmd.args(args);
        let output = tokio::task::spawn_blocking(move || cmd.output())
            .await
            .expect("join")
            .expect("run binary");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8(output.stdout).expect("utf-8 stdout"),
            String::from_utf8(output.stderr).expect("utf-8 stderr"),
        )
    }

    /// REST requests received since the last
    /// [`FakeGitHub::reset_requests`].
    pub async fn requests(&self) -> Vec<Seen> {
        self.all_requests()
            .await
            .into_iter()
            .filter(|r| !r.is_graphql())
            .collect()
    }

    /// GraphQL requests received since the last
    /// [`FakeGitHub::reset_requests`].
    pub async fn graphql_requests(&self) -> Vec<Seen> {
        self.all_requests()
            .await
            .into_iter()
            .filter(Seen::is_graphql)
            .collect()
    }

    async fn all_requests(&self) -> Vec<Seen> {
        let skip = self.seen_before.load(std::sync::atomic::Ordering::SeqCst);
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .skip(skip)
            .map(|r| Seen {
                method: r.method.to_string(),
                url: match r.url.query() {
                    Some(q) => format!("{}?{q}", r.url.path()),
                    None => r.url.path().to_string(),
                },
                body: serde_json::from_slice(&r.body).ok(),
            })
            .collect()
    }

    /// Forget the requests so far (the mocks and their state stay).
    pub async fn reset_requests(&self) {
        let seen = self
            .server
            .received_requests()
            .await
            .unwrap_or_default()
            .len();
        self.seen_before
            .store(seen, std::sync::atomic::Ordering::SeqCst);
    }
}

struct Handler {
    state: Arc<Mutex<State>>,
    base: String,
    f: fn(&Arc<Mutex<State>>, &str, &Request) -> ResponseTemplate,
}

impl Respond for Handler {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if self.state.lock().expect("state").unauthorized {
            return ResponseTemplate::new(401).set_body_json(json!({
                "message": "Bad credentials",
                "documentation_url": "https://docs.github.com/rest"
            }));
        }
        let auth = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !auth.ends_with(TOKEN) {
            return ResponseTemplate::new(401)
                .set_body_json(json!({ "message": "Requires authentication" }));
        }
        if self.state.lock().expect("state").echo_token {
            return ResponseTemplate::new(403).set_body_json(json!({
                "message": format!("Resource not accessible with `Authorization: {auth}`"),
            }));
        }
        (self.f)(&self.state, &self.base, request)
    }
}

fn query(request: &Request, key: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

fn fault_response(fault: Fault) -> ResponseTemplate {
    match fault {
        Fault::RateLimited { retry_after } => ResponseTemplate::new(403)
            .insert_header("retry-after", retry_after.to_string())
            .set_body_json(json!({ "message": "You have exceeded a secondary rate limit." })),
        Fault::Exhausted { reset_in } => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", (now + reset_in).to_string())
                .set_body_json(json!({ "message": "API rate limit exceeded" }))
        }
        Fault::GraphqlErrors => ResponseTemplate::new(200).set_body_json(json!({
            "errors": [{
                "type": "INTERNAL",
                "message": "Something went wrong while executing your query.",
            }]
        })),
        Fault::GraphqlErrorsQuotingToken => ResponseTemplate::new(200).set_body_json(json!({
            "errors": [{
                "type": "FORBIDDEN",
                "message": format!("Resource not accessible with token {TOKEN}"),
            }]
        })),
        Fault::Pass | Fault::Status502 | Fault::CreatedThen502 => {
            ResponseTemplate::new(502).set_body_string("Bad Gateway")
        }
    }
}

fn list_issues(state: &Arc<Mutex<State>>, base: &str, request: &Request) -> ResponseTemplate {
    let mut state = state.lock().expect("state");
    if !state.list_faults.is_empty() {
        let fault = state.list_faults.remove(0);
        if fault != Fault::Pass {
            return fault_response(fault);
        }
    }
    let label = query(request, "labels");
    let mut issues: Vec<Value> = state
        .issues
        .iter()
        .filter(|i| {
            label.as_deref().is_none_or(|l| {
                i["labels"]
                    .as_array()
                    .is_some_and(|ls| ls.iter().any(|x| x["name"] == l))
            })
        })
        .cloned()
        .collect();
    let newest_first = query(request, "sort").as_deref() == Some("created")
        && query(request, "direction").as_deref() == Some("desc");
    issues.sort_by_key(|i| i["number"].as_u64());
    if newest_first || query(request, "sort").is_none() {
        // GitHub's default order is newest first, too.
        issues.reverse();
    }
    let per_page: usize = query(request, "per_page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(30);
    let page: usize = query(request, "page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    let start = (page - 1) * per_page;
    let chunk: Vec<Value> = issues.iter().skip(start).take(per_page).cloned().collect();
    let mut response = ResponseTemplate::new(200).set_body_json(Value::Array(chunk));
    if start + per_page < issues.len() {
        let mut url = request.url.clone();
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != "page")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(pairs)
            .append_pair("page", &(page + 1).to_string());
        let next = format!("{base}{}?{}", url.path(), url.query().unwrap_or(""));
        response = response.insert_header("link", format!("<{next}>; rel=\"next\""));
    }
    response
}

fn create_issue(state: &Arc<Mutex<State>>, _: &str, request: &Request) -> ResponseTemplate {
    let mut state = state.lock().expect("state");
    let fault = if state.create_faults.is_empty() {
        None
    } else {
        Some(state.create_faults.remove(0))
    };
    if matches!(
        fault,
        Some(Fault::Status502 | Fault::RateLimited { .. } | Fault::Exhausted { .. })
    ) {
        return fault_response(fault.expect("checked"));
    }
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let number = state
        .issues
        .iter()
        .filter_map(|i| i["number"].as_u64())
        .max()
        .unwrap_or(0)
        + 1;
    let labels: Vec<&str> = body["labels"]
        .as_array()
        .map(|ls| ls.iter().filter_map(|l| l.as_str()).collect())
        .unwrap_or_default();
    let created = issue_by(
        &state.login,
        number,
        body["title"].as_str().unwrap_or(""),
        body["body"].as_str().unwrap_or(""),
        "open",
        &labels,
    );
    state.issues.push(created.clone());
    match fault {
        Some(Fault::CreatedThen502) => fault_response(Fault::CreatedThen502),
        _ => ResponseTemplate::new(201).set_body_json(created),
    }
}

fn number_in(request: &Request) -> u64 {
    request
        .url
        .path()
        .split('/')
        .find_map(|s| s.parse().ok())
        .unwrap_or(0)
}

fn get_issue(state: &Arc<Mutex<State>>, _: &str, request: &Request) -> ResponseTemplate {
    let state = state.lock().expect("state");
    let number = number_in(request);
    match state.issues.iter().find(|i| i["number"] == number) {
        Some(i) => ResponseTemplate::new(200).set_body_json(i.clone()),
        None => ResponseTemplate::new(404).set_body_json(json!({ "message": "Not Found" })),
    }
}

fn patch_issue(state: &Arc<Mutex<State>>, _: &str, request: &Request) -> ResponseTemplate {
    let mut state = state.lock().expect("state");
    let number = number_in(request);
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    match state.issues.iter_mut().find(|i| i["number"] == number) {
        Some(i) => {
            if let Some(s) = body.get("state") {
                i["state"] = s.clone();
            }
            if let Some(r) = body.get("state_reason") {
                i["state_reason"] = r.clone();
            }
            ResponseTemplate::new(200).set_body_json(i.clone())
        }
        None => ResponseTemplate::new(404).set_body_json(json!({ "message": "Not Found" })),
    }
}

fn list_comments(state: &Arc<Mutex<State>>, _: &str, request: &Request) -> ResponseTemplate {
    let state = state.lock().expect("state");
    let comments = state
        .comments
        .get(&number_in(request))
        .cloned()
        .unwrap_or_default();
    ResponseTemplate::new(200).set_body_json(Value::Array(comments))
}

fn create_comment(state: &Arc<Mutex<State>>, _: &str, request: &Request) -> ResponseTemplate {
    let mut state = state.lock().expect("state");
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let id = state.comments.values().map(Vec::len).sum::<usize>() as u64 + 1;
    let comment = json!({ "id": id, "body": body["body"], "user": user(&state.login) });
    let list = state.comments.entry(number_in(request)).or_default();
    list.push(comment.clone());
    ResponseTemplate::new(201).set_body_json(comment)
}

fn update_comment(state: &Arc<Mutex<State>>, _: &str, request: &Request) -> ResponseTemplate {
    let mut state = state.lock().expect("state");
    let id = number_in(request);
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    for comments in state.comments.values_mut() {
        if let Some(c) = comments.iter_mut().find(|c| c["id"] == id) {
            c["body"] = body["body"].clone();
            return ResponseTemplate::new(200).set_body_json(c.clone());
        }
    }
    ResponseTemplate::new(404).set_body_json(json!({ "message": "Not Found" }))
}

fn list_reviews(state: &Arc<Mutex<State>>, _: &str, request: &Request) -> ResponseTemplate {
    let state = state.lock().expect("state");
    if let Some(status) = state.reviews_status {
        return ResponseTemplate::new(status)
            .set_body_json(json!({ "message": "Resource not accessible by integration" }));
    }
    let reviews: Vec<Value> = state
        .reviews
        .get(&number_in(request))
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, (login, review_state))| {
            json!({ "id": i + 1, "user": { "login": login }, "state": review_state })
        })
        .collect();
    ResponseTemplate::new(200).set_body_json(Value::Array(reviews))
}

fn get_user(state: &Arc<Mutex<State>>, _: &str, _: &Request) -> ResponseTemplate {
    let state = state.lock().expect("state");
    match state.user_status {
        Some(status) => ResponseTemplate::new(status).set_body_json(json!({
            "message": "Resource not accessible by integration",
            "documentation_url": "https://docs.github.com/rest/users/users#get-the-authenticated-user",
        })),
        None => ResponseTemplate::new(200).set_body_json(user(&state.login)),
    }
}

fn list_labels(state: &Arc<Mutex<State>>, _: &str, _: &Request) -> ResponseTemplate {
    let state = state.lock().expect("state");
    let labels: Vec<Value> = state.labels.iter().map(|l| json!({ "name": l })).collect();
    ResponseTemplate::new(200).set_body_json(Value::Array(labels))
}

fn create_label(state: &Arc<Mutex<State>>, _: &str, request: &Request) -> ResponseTemplate {
    let mut state = state.lock().expect("state");
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let name = body["name"].as_str().unwrap_or("").to_string();
    if state.labels.contains(&name) {
        return ResponseTemplate::new(422).set_body_json(json!({ "message": "Validation Failed" }));
    }
    state.labels.push(name.clone());
    ResponseTemplate::new(201).set_body_json(json!({ "name": name }))
}

fn check_assignee(state: &Arc<Mutex<State>>, _: &str, request: &Request) -> ResponseTemplate {
    let state = state.lock().expect("state");
    let login = request.url.path().rsplit('/').next().unwrap_or("");
    if state.assignable.iter().any(|a| a == login) {
        ResponseTemplate::new(204)
    } else {
        ResponseTemplate::new(404).set_body_json(json!({ "message": "Not Found" }))
    }
}

/// The issue numbers a query asks for: every `issue(number: N)`.
pub fn queried_issues(query: &str) -> Vec<u64> {
    query
        .split("issue(number:")
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest
                .trim_start()
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

/// `POST /graphql`: each `iN: issue(number: N)` answered from the state,
/// a missing issue as null with a `NOT_FOUND` error, as GitHub does.
fn graphql(state: &Arc<Mutex<State>>, _: &str, request: &Request) -> ResponseTemplate {
    let mut state = state.lock().expect("state");
    if !state.graphql_faults.is_empty() {
        let fault = state.graphql_faults.remove(0);
        if fault != Fault::Pass {
            return fault_response(fault);
        }
    }
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let query = body["query"].as_str().unwrap_or("");
    let (owner, name) = REPO.split_once('/').expect("slug");
    if body["variables"] != json!({ "owner": owner, "name": name }) {
        return ResponseTemplate::new(200).set_body_json(json!({
            "data": { "repository": null },
            "errors": [{ "type": "NOT_FOUND", "message": "Could not resolve to a Repository" }]
        }));
    }
    let mut repository = serde_json::Map::new();
    let mut errors = Vec::new();
    for number in queried_issues(query) {
        let alias = format!("i{number}");
        let Some(issue) = state.issues.iter().find(|i| i["number"] == number) else {
            repository.insert(alias.clone(), Value::Null);
            errors.push(json!({
                "type": "NOT_FOUND",
                "path": ["repository", alias],
                "message": format!("Could not resolve to an issue or pull request with the number of {number}."),
            }));
            continue;
        };
        let closed = issue["state"] == "closed";
        let closer = state.closers.get(&number).cloned();
        let timeline: Vec<Value> = if closed {
            vec![json!({ "closer": closer })]
        } else {
            Vec::new()
        };
        let prs: Vec<Value> = state
            .closing_prs
            .get(&number)
            .into_iter()
            .flatten()
            .map(|n| json!({ "number": n, "state": "OPEN" }))
            .collect();
        repository.insert(
            alias,
            json!({
                "number": number,
                "state": if closed { "CLOSED" } else { "OPEN" },
                "stateReason": if closed { json!("COMPLETED") } else { Value::Null },
                "createdAt": issue["created_at"],
                "timelineItems": { "nodes": timeline },
                "closedByPullRequestsReferences": { "nodes": prs },
            }),
        );
    }
    let mut answer = json!({ "data": { "repository": repository } });
    if !errors.is_empty() {
        answer["errors"] = Value::Array(errors);
    }
    ResponseTemplate::new(200).set_body_json(answer)
}

/// What a [`HostileServer`] does with every request it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hostile {
    /// Sends a 200's status line and headers at once, then its body one
    /// byte a second: every read succeeds, the answer never completes.
    SlowDrip,
    /// Reads the request and never answers.
    NeverAnswer,
    /// A 200 whose chunked body (no `content-length`) runs to
    /// [`HUGE_BODY`] bytes.
    HugeBody,
}

/// How much [`Hostile::HugeBody`] sends: more than the client reads.
pub const HUGE_BODY: usize = 40 * 1024 * 1024;

/// A raw HTTP/1.1 server on 127.0.0.1 that answers every request the
/// same hostile way. It runs on the test's runtime and ends with it.
pub struct HostileServer {
    pub url: String,
    requests: Arc<std::sync::atomic::AtomicUsize>,
}

impl HostileServer {
    pub async fn start(mode: Hostile) -> HostileServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = requests.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve_hostile(socket, mode, counter.clone()));
            }
        });
        HostileServer { url, requests }
    }

    /// Requests read so far.
    pub fn requests(&self) -> usize {
        self.requests.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Environment for the binary: token, this server as the API and the
    /// GraphQL endpoint, fast retries, and a budget of `budget` seconds.
    pub fn env(&self, budget: u64) -> Vec<(&'static str, String)> {
        vec![
            ("GITHUB_TOKEN", TOKEN.to_string()),
            ("GITHUB_API_URL", self.url.clone()),
            ("GITHUB_REPOSITORY", REPO.to_string()),
            ("GIT_POSTMORTEM_BACKOFF_MS", "5".to_string()),
            ("GIT_POSTMORTEM_GITHUB_BUDGET", budget.to_string()),
        ]
    }
}

async fn serve_hostile(
    mut socket: tokio::net::TcpStream,
    mode: Hostile,
    requests: Arc<std::sync::atomic::AtomicUsize>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    // The request's head; a body, if any, is left unread.
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    requests.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    match mode {
        Hostile::NeverAnswer => {
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
        Hostile::SlowDrip => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n";
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            loop {
                if socket.write_all(b" ").await.is_err() {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        }
        Hostile::HugeBody => {
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b' '; 64 * 1024];
            let framed = [
                format!("{:x}\r\n", chunk.len()).into_bytes(),
                chunk,
                b"\r\n".to_vec(),
            ]
            .concat();
            for _ in 0..HUGE_BODY / (64 * 1024) {
                if socket.write_all(&framed).await.is_err() {
                    return;
                }
            }
            let _ = socket.write_all(b"0\r\n\r\n").await;
        }
    }
}

/// Run `cmd` to its end, or kill it after `limit` and fail the test: a
/// command that hangs must not hang the suite. (exit code, stdout,
/// stderr, how long it ran).
pub async fn run_within(
    mut cmd: std::process::Command,
    limit: std::time::Duration,
) -> (i32, String, String, std::time::Duration) {
    tokio::task::spawn_blocking(move || {
        use std::io::Read;
        let started = std::time::Instant::now();
        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run binary");
        let drain = |mut pipe: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut text = String::new();
                let _ = pipe.read_to_string(&mut text);
                text
            })
        };
        let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
        let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if started.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "still running after {limit:?}; stderr so far:\n{}",
                    stderr.join().unwrap_or_default()
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        let elapsed = started.elapsed();
        (
            status.code().unwrap_or(-1),
            stdout.join().expect("stdout"),
            stderr.join().expect("stderr"),
            elapsed,
        )
    })
    .await
    .expect("join")
}
