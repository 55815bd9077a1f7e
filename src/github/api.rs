//! The GitHub operations the tool needs, as a trait, and the shapes of
//! what goes over the wire. Only the fields we use are read.

use serde::{Deserialize, Serialize};

pub(crate) use crate::model::IssueState;

/// An issue as listed or fetched.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Issue {
    pub(crate) number: u64,
    #[serde(default)]
    pub(crate) body: Option<String>,
    pub(crate) state: String,
    #[serde(default)]
    pub(crate) state_reason: Option<String>,
    /// Present when the "issue" is a pull request.
    #[serde(default)]
    pub(crate) pull_request: Option<serde_json::Value>,
    /// Who opened it; null for a deleted account.
    #[serde(default)]
    pub(crate) user: Option<User>,
}

impl Issue {
    /// Whether `login` opened it (logins compare case-insensitively).
    pub(crate) fn is_by(&self, login: &str) -> bool {
        is_by(self.user.as_ref(), login)
    }

    pub(crate) fn state(&self) -> IssueState {
        if self.state == "closed" {
            IssueState::Closed {
                reason: self.state_reason.clone(),
            }
        } else {
            IssueState::Open
        }
    }
}

/// `POST /repos/{owner}/{repo}/issues`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct NewIssue {
    pub(crate) title: String,
    pub(crate) body: String,
    pub(crate) labels: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) assignees: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Comment {
    pub(crate) id: u64,
    #[serde(default)]
    pub(crate) body: Option<String>,
    /// Who wrote it; null for a deleted account.
    #[serde(default)]
    pub(crate) user: Option<User>,
}

impl Comment {
    /// Whether `login` wrote it (logins compare case-insensitively).
    pub(crate) fn is_by(&self, login: &str) -> bool {
        is_by(self.user.as_ref(), login)
    }
}

fn is_by(user: Option<&User>, login: &str) -> bool {
    user.is_some_and(|u| u.login.eq_ignore_ascii_case(login))
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Review {
    pub(crate) user: Option<User>,
    pub(crate) state: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct User {
    pub(crate) login: String,
}

/// What went wrong talking to GitHub, before it becomes a user-facing
/// error with a hint.
#[derive(Debug, Clone, thiserror::Error)]
pub(crate) enum ApiError {
    #[error("GitHub refused the token ({status}): {message}")]
    Unauthorized { status: u16, message: String },
    #[error("{method} {path} failed with HTTP {status}: {message}")]
    Http {
        method: &'static str,
        path: String,
        status: u16,
        message: String,
    },
    /// A write whose result is unknown: the server may have done it.
    #[error("{method} {path}: no answer ({detail}); GitHub may or may not have done it")]
    Ambiguous {
        method: &'static str,
        path: String,
        detail: String,
    },
    #[error("{method} {path}: {detail}")]
    Unreachable {
        method: &'static str,
        path: String,
        detail: String,
    },
    #[error("{what}: unexpected response: {detail}")]
    Decode { what: String, detail: String },
    /// An answer longer than any GitHub sends: reading stopped at `limit`.
    #[error("{method} {path}: the answer is larger than {limit}, more than GitHub ever sends; stopped reading it")]
    TooLarge {
        method: &'static str,
        path: String,
        limit: String,
    },
    /// The token's own login could not be read, so the tool cannot tell
    /// its own issues and comments from anyone else's.
    #[error("cannot tell which account the token acts as: GET /user failed with HTTP {status}: {message}")]
    NoIdentity { status: u16, message: String },
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;

/// The operations `sync` and friends perform. Implemented by
/// [`crate::github::Client`]; generic code takes `&impl GitHubApi`.
#[allow(async_fn_in_trait)]
pub(crate) trait GitHubApi {
    /// The login the token acts as: only issues and comments it wrote
    /// carry markers the tool trusts. Asked once, then remembered.
    async fn login(&self) -> ApiResult<String>;
    async fn list_labels(&self) -> ApiResult<Vec<String>>;
    async fn create_label(&self, name: &str) -> ApiResult<()>;
    /// Every issue (not pull request) with `label`, open or closed, all
    /// pages.
    async fn list_issues(&self, label: Option<&str>) -> ApiResult<Vec<Issue>>;
    /// The newest issues with `label`: one page, for finding an issue a
    /// lost response created.
    async fn recent_issues(&self, label: Option<&str>) -> ApiResult<Vec<Issue>>;
    async fn get_issue(&self, number: u64) -> ApiResult<Option<Issue>>;
    /// Not retried on 5xx or network errors: the caller must first look
    /// for the issue (by marker) before trying again.
    async fn create_issue(&self, issue: &NewIssue) -> ApiResult<Issue>;
    async fn close_issue(&self, number: u64, reason: &str) -> ApiResult<()>;
    async fn list_comments(&self, number: u64) -> ApiResult<Vec<Comment>>;
    /// Returns the new comment's id.
    async fn create_comment(&self, number: u64, body: &str) -> ApiResult<u64>;
    async fn update_comment(&self, id: u64, body: &str) -> ApiResult<()>;
    /// Reviews of a pull request, oldest first.
    async fn list_reviews(&self, pull: u64) -> ApiResult<Vec<Review>>;
    /// Whether `login` can be assigned issues in the repository.
    async fn is_assignable(&self, login: &str) -> ApiResult<bool>;
    /// Run a GraphQL query (a read: retried like a GET) with `variables`;
    /// its `data`. An `errors` array in the answer is an error, except
    /// `NOT_FOUND` ones, which leave a null where the object would be.
    async fn graphql(
        &self,
        document: &str,
        variables: serde_json::Value,
    ) -> ApiResult<serde_json::Value>;
}
