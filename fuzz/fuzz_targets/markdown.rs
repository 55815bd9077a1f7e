//! Text through the Markdown escapers.
//! The invariants live in `git_postmortem::fuzz::markdown`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = git_postmortem::fuzz::markdown(data);
});
