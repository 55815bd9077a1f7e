//! A commit message through the trailer and closing-reference parsers.
//! The invariants live in `git_postmortem::fuzz::commit_message`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    git_postmortem::fuzz::commit_message(data);
});
