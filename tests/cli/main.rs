//! The one integration test binary: every command driven through the real
//! executable in temporary git repositories.

#[path = "../common/mod.rs"]
mod common;

mod check;
mod completions;
mod errors;
mod fuzz;
mod init;
mod lint;
mod list;
mod new;
mod safeguard;
mod show;
mod stats;
mod status;
