//! The one integration test binary: every command driven through the real
//! executable in temporary git repositories.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

mod action;
mod byte_for_byte;
mod capture;
mod check;
mod completions;
mod concurrency;
mod digest;
mod errors;
mod filters;
mod fuzz;
mod gh_action;
mod graphql;
mod hook;
mod hostile;
mod hostile_github;
mod init;
mod install;
mod lint;
mod lint_config;
mod list;
mod man;
mod new;
mod one_bad_file;
mod openapi;
mod paths;
mod policy;
mod pre_commit;
mod pull_request_evidence;
mod remind;
mod report_formats;
mod review;
mod safeguard;
mod schema;
mod show;
mod site;
mod site_browser;
mod slack;
mod stats;
mod status;
mod sync;
mod update;
