//! `git postmortem` keeps blameless, accountable postmortems as TOML files in
//! the repository they are about, links them to the commits that caused the
//! incident, and proves from git history whether each promised safeguard
//! shipped.
//!
//! The crate is a library with a thin binary. Dependencies point one way:
//! `cli → app → {store, history, github, render, output} → {lint, status,
//! stats, digest, site, filter, review} → {config, schema, json_schema, diagnostic, source,
//! text, error} → model`. The model and the pure cores do no I/O; git2 lives only in
//! `history`, async only in `github`, clap only in `cli`. ARCHITECTURE.md
//! has the map.

pub mod app;
pub mod atomic;
pub mod cli;
pub mod clock;
pub mod config;
pub mod diagnostic;
pub mod digest;
pub mod error;
pub mod filter;
#[doc(hidden)]
pub mod fuzz;
pub mod github;
pub mod history;
pub mod json_schema;
pub mod lint;
pub mod model;
pub mod output;
pub mod render;
pub mod review;
pub mod schema;
pub mod site;
pub mod source;
pub mod stats;
pub mod status;
pub mod store;
pub mod text;

pub use error::{Error, Result};
