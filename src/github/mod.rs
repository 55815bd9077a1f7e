//! GitHub: where safeguards become issues and reviews become pull request
//! comments. Async lives only in this module.
//! [`GitHubApi`] is the seam: the octocrab client implements it for real,
//! and the sync [`plan`](sync::plan) is a pure function over what it read.

pub(crate) mod api;
pub(crate) mod client;
pub(crate) mod comments;
pub(crate) mod graphql;
pub(crate) mod marker;
pub(crate) mod pull_request;
pub(crate) mod remind;
pub(crate) mod retry;
pub(crate) mod settings;
pub(crate) mod state;
pub(crate) mod sync;

pub(crate) use client::Client;
