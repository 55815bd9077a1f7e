//! `review`: the postmortems a branch adds or changes, rendered for the
//! people reviewing its pull request. [`diff`] says what changed between
//! two versions of one.

pub mod diff;
