//! GitHub: where safeguards become issues and reviews become pull request
//! comments. Async lives only in this module.
//! [`GitHubApi`] is the seam: the octocrab client implements it for real,
//! and the sync [`plan`](sync::plan) is a pure function over what it read.

pub mod api;
pub mod client;
pub mod comments;
pub mod marker;
pub mod pull_request;
pub mod remind;
pub mod retry;
pub mod settings;
pub mod state;
pub mod sync;

pub use api::{GitHubApi, Issue, IssueState, NewIssue};
pub use client::Client;
pub use settings::Settings;
