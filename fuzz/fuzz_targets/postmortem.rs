//! A postmortem file's bytes through the loader and every lint.
//! The invariants live in `git_postmortem::fuzz::postmortem`.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = git_postmortem::fuzz::postmortem(data);
});
