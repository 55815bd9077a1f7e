//! Property tests: the loader and the lints never panic, whatever bytes or
//! mutations of a valid file they are given.

use git_postmortem::clock::Clock;
use git_postmortem::config::Config;
use git_postmortem::lint::{self, CommitLookup};
use git_postmortem::source::Source;
use proptest::prelude::*;

use crate::common::fixtures::CHECKOUT;

struct NoCommits;

impl CommitLookup for NoCommits {
    fn has_commit(&self, _: &str) -> bool {
        false
    }
}

fn lint_text(text: String) -> Vec<git_postmortem::diagnostic::Diagnostic> {
    let clock =
        Clock::fixed(chrono::DateTime::parse_from_rfc3339("2026-11-26T12:00:00Z").expect("time"));
    let source = Source::new("postmortems/2026-11-20-x.toml", text);
    lint::lint_file(
        "2026-11-20-x",
        &source,
        &Config::default(),
        &clock,
        &NoCommits,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let _ = lint_text(text);
    }

    #[test]
    fn mutated_valid_files_never_panic_and_errors_stay_in_the_file(
        cut in 0usize..CHECKOUT.len(),
        len in 0usize..40,
        insert in "[ -~\n\"\\[\\]=#é]{0,12}",
    ) {
        let mut text = CHECKOUT.to_string();
        let start = (0..=cut).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let end = (start + len..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
        text.replace_range(start..end, &insert);
        let lines = text.lines().count().max(1);
        for d in lint_text(text) {
            prop_assert!(d.line >= 1 && d.line <= lines + 1, "{d}");
            prop_assert!(d.column >= 1, "{d}");
        }
    }
}
