//! Fuzzing on the stable toolchain. Each target of `git_postmortem::fuzz`
//! (the loader and lints, the commit-message parsers, the Markdown
//! escapers) first replays its seed corpus, `fuzz/corpus/<target>/`, then
//! runs on inputs derived from it: seeds mutated by byte and token edits,
//! seeds spliced together, random bytes. The targets panic when an
//! invariant breaks, not only on crashes; proptest shrinks a failing input
//! and the failure names the seed that reproduces the run.
//!
//! The run is bounded: `FUZZ_CASES` inputs per target (default 2,000) and
//! `FUZZ_SECONDS` seconds per target (default 15), whichever ends first.
//! `FUZZ_SEED` picks the run (default: a new one each run). The README
//! shows a longer run; `fuzz/` has the same targets for cargo-fuzz.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use git_postmortem::fuzz;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::common::fixtures::{minimal, CHECKOUT};
use crate::common::TestRepo;

/// Tokens a mutation may insert, per target: what the parsers look for.
const POSTMORTEM_TOKENS: &[&str] = &[
    "\n",
    "=",
    " = ",
    "\"",
    "\"\"\"",
    "'",
    "'''",
    "[",
    "]",
    "[[safeguards]]\n",
    "[[actions]]\n",
    "[impact]\n",
    "{",
    "}",
    ",",
    "#",
    "\\",
    "\\u0000",
    "\\n",
    "\r\n",
    "\u{feff}",
    "é",
    "2026-12-01",
    "2026-11-20T14:02:00Z",
    "id = \"S1\"\n",
    "status = \"final\"\n",
    "schema = 1\n",
    "\"a\nb\"",
    "\"\\n::error::x\" = 1\n",
    "mistakes were made",
    "human error",
    "Sam's fault",
    "\u{0}",
];
const MESSAGE_TOKENS: &[&str] = &[
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "\t",
    ":",
    "Postmortem-Safeguard: ",
    "postmortem-safeguard:",
    "2026-11-20-checkout-500s/S1",
    "Signed-off-by: Dana <d@example.com>\n",
    "Co-authored-by: ",
    "(cherry picked from commit ",
    "Fixes #",
    "closes acme/shop#",
    "Resolves: ",
    "https://github.com/acme/shop/issues/",
    "#",
    "123",
    "* ",
    "---------\n",
    "---\n",
    "# ------------------------ >8 ------------------------\n",
    "Conflicts:\n\tsrc/a.rs\n",
    ";",
    "\u{0}",
    "é",
    "This reverts commit ",
];
const MARKDOWN_TOKENS: &[&str] = &[
    "\n",
    "\r",
    "\r\n",
    " ",
    "    ",
    "\t",
    "\u{a0}",
    "::",
    "::error::x",
    "<",
    ">",
    "&",
    "&amp;",
    "\"",
    "@",
    "@dana",
    "*",
    "_",
    "`",
    "```",
    "~",
    "[",
    "]",
    "(",
    ")",
    "|",
    "!",
    "$",
    "\\",
    "#",
    "-",
    "+",
    "=",
    "1.",
    "2)",
    ">",
    "&#60;",
    "<!--",
    "javascript:",
    "\u{200b}",
    "\u{0}",
];

/// The seed corpus of `target`, sorted by name.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .collect();
    files.sort();
    let seeds: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read seed"))
        })
        .collect();
    assert!(seeds.len() >= 5, "{}: too few seeds", dir.display());
    seeds
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a number")),
        Err(_) => default,
    }
}

/// One edit of an input.
#[derive(Debug, Clone)]
enum Mutation {
    Insert(Index, Vec<u8>),
    Token(Index, &'static str),
    Delete(Index, usize),
    Overwrite(Index, u8),
    Duplicate(Index, Index),
}

fn mutation(tokens: &'static [&'static str]) -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => (any::<Index>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        4 => (any::<Index>(), select(tokens)).prop_map(|(at, t)| Mutation::Token(at, t)),
        2 => (any::<Index>(), 1usize..32).prop_map(|(at, n)| Mutation::Delete(at, n)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(at, b)| Mutation::Overwrite(at, b)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Duplicate(a, b)),
    ]
}

fn apply(mut input: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let at = |i: &Index, len: usize| i.index(len + 1);
        match m {
            Mutation::Insert(i, bytes) => {
                let at = at(i, input.len());
                input.splice(at..at, bytes.iter().copied());
            }
            Mutation::Token(i, token) => {
                let at = at(i, input.len());
                input.splice(at..at, token.bytes());
            }
            Mutation::Delete(i, n) => {
                let at = at(i, input.len());
                let end = (at + n).min(input.len());
                input.drain(at..end);
            }
            Mutation::Overwrite(i, b) if !input.is_empty() => {
                let at = i.index(input.len());
                input[at] = *b;
            }
            Mutation::Overwrite(..) => {}
            Mutation::Duplicate(from, to) if !input.is_empty() => {
                let start = from.index(input.len());
                let end = (start + 64).min(input.len());
                let piece = input[start..end].to_vec();
                let at = at(to, input.len());
                input.splice(at..at, piece);
            }
            Mutation::Duplicate(..) => {}
        }
    }
    input
}

/// Inputs derived from `seeds`: mutated seeds mostly, two seeds spliced,
/// and random bytes.
fn inputs(seeds: Vec<Vec<u8>>, tokens: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let mutated = (
        select(seeds.clone()),
        proptest::collection::vec(mutation(tokens), 1..12),
    )
        .prop_map(|(seed, ms)| apply(seed, &ms));
    let spliced = (
        select(seeds.clone()),
        select(seeds),
        any::<Index>(),
        any::<Index>(),
    )
        .prop_map(|(a, b, i, j)| {
            let mut out = a[..i.index(a.len() + 1)].to_vec();
            out.extend_from_slice(&b[j.index(b.len() + 1)..]);
            out
        });
    prop_oneof![
        6 => mutated,
        2 => spliced,
        1 => proptest::collection::vec(any::<u8>(), 0..512),
    ]
}

/// Replay `target`'s corpus through `check`, then fuzz it within the
/// budget.
fn fuzz_target(target: &str, tokens: &'static [&'static str], check: fn(&[u8])) {
    let seeds = corpus(target);
    let seeds_count = seeds.len();
    for (name, bytes) in &seeds {
        let outcome = std::panic::catch_unwind(|| check(bytes));
        assert!(outcome.is_ok(), "fuzz/corpus/{target}/{name} fails");
    }
    let cases = env_number("FUZZ_CASES", 2_000);
    let budget = Duration::from_secs(env_number("FUZZ_SECONDS", 15));
    let seed = env_number(
        "FUZZ_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
    );
    let mut rng_seed = [0u8; 32];
    rng_seed[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases: u32::try_from(cases).unwrap_or(u32::MAX),
        failure_persistence: None,
        max_shrink_time: 60_000,
        // The first input rejected (when time is up) ends the run.
        max_global_rejects: 0,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &rng_seed));
    let start = Instant::now();
    let deadline = start + budget;
    let ran = AtomicU64::new(0);
    let strategy = inputs(seeds.into_iter().map(|(_, b)| b).collect(), tokens);
    let result = runner.run(&strategy, |input| {
        if Instant::now() >= deadline {
            return Err(TestCaseError::reject("time is up"));
        }
        ran.fetch_add(1, Ordering::Relaxed);
        check(&input);
        Ok(())
    });
    match result {
        Ok(()) | Err(TestError::Abort(_)) => eprintln!(
            "fuzz target `{target}`: {} seeds and {} inputs in {:.1} s (FUZZ_SEED={seed})",
            seeds_count,
            ran.load(Ordering::Relaxed),
            start.elapsed().as_secs_f64()
        ),
        Err(TestError::Fail(reason, input)) => panic!(
            "fuzz target `{target}` failed (rerun with FUZZ_SEED={seed}); once fixed, add the input to fuzz/corpus/{target}/:\n{:?}\n{reason}",
            String::from_utf8_lossy(&input)
        ),
    }
}

#[test]
fn fuzz_postmortem_loader_and_lints() {
    fuzz_target("postmortem", POSTMORTEM_TOKENS, |data| {
        fuzz::postmortem(data);
    });
}

#[test]
fn fuzz_commit_message_parser() {
    fuzz_target("commit_message", MESSAGE_TOKENS, fuzz::commit_message);
}

/// Escaped Markdown, alone and in a list item, renders as nothing but
/// text: no HTML, link, image, emphasis, code, math, heading, quote, list,
/// table or rule.
fn renders_as_plain_text(data: &[u8]) {
    let escaped = fuzz::markdown(data);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM;
    for event in Parser::new_ext(&escaped, options) {
        assert!(
            matches!(
                event,
                Event::Text(_)
                    | Event::SoftBreak
                    | Event::HardBreak
                    | Event::Start(Tag::Paragraph)
                    | Event::End(TagEnd::Paragraph)
            ),
            "{event:?} in {escaped:?}"
        );
    }
}

#[test]
fn fuzz_markdown_escaper() {
    fuzz_target("markdown", MARKDOWN_TOKENS, renders_as_plain_text);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        fuzz::postmortem(&bytes);
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
        fuzz::postmortem(text.as_bytes());
    }
}

/// The targets run here are the cargo-fuzz targets of `fuzz/`, and each has
/// a seed corpus.
#[test]
fn every_fuzz_target_has_a_corpus_and_a_cargo_fuzz_binary() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).expect("fuzz/Cargo.toml"))
            .expect("fuzz/Cargo.toml is TOML");
    let mut bins: Vec<String> = manifest["bin"]
        .as_array()
        .expect("[[bin]]")
        .iter()
        .map(|b| b["name"].as_str().expect("name").to_string())
        .collect();
    bins.sort();
    let mut corpora: Vec<String> = std::fs::read_dir(root.join("corpus"))
        .expect("fuzz/corpus")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    corpora.sort();
    assert_eq!(bins, ["commit_message", "markdown", "postmortem"]);
    assert_eq!(corpora, bins);
    for bin in &bins {
        let source = std::fs::read_to_string(root.join(format!("fuzz_targets/{bin}.rs")))
            .expect("fuzz target source");
        assert!(
            source.contains(&format!("git_postmortem::fuzz::{bin}(data)")),
            "{bin}"
        );
    }
}

// What the fuzz targets found, as the binary shows it.

/// Lines a GitHub Actions runner would read as workflow commands.
fn workflow_commands(output: &str) -> Vec<&str> {
    output
        .lines()
        .filter(|l| l.trim_start().starts_with("::"))
        .collect()
}

#[test]
fn a_quoted_key_with_a_line_break_forges_no_finding_and_no_workflow_command() {
    let repo = TestRepo::new();
    let mut text = minimal("Disk full", "draft", "2026-11-24T10:00:00Z");
    text.push_str("\"\\n::error file=README::forged\" = 1\n");
    repo.write_postmortem("2026-11-24-disk", &text);
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    assert!(
        stderr.starts_with("error: postmortems/2026-11-24-disk.toml:6:1: [schema] unknown key `\\n::error file=README::forged`;"),
        "{stderr}"
    );
    assert_eq!(workflow_commands(&stderr), Vec::<&str>::new());
}

#[test]
fn a_file_name_with_a_line_break_stays_on_one_line() {
    let repo = TestRepo::new();
    let name = "postmortems/2026-11-24-disk\n::warning::forged.toml";
    repo.write(name, &minimal("Disk full", "draft", "2026-11-24T10:00:00Z"));
    let (code, _, stderr) = repo.run(&["lint"]);
    assert_eq!(code, 2);
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
    assert!(
        stderr.starts_with("error: postmortems/2026-11-24-disk\\n::warning::forged.toml:1:1: [schema] file name `2026-11-24-disk\\n::warning::forged.toml` is not a postmortem id"),
        "{stderr}"
    );
    assert_eq!(workflow_commands(&stderr), Vec::<&str>::new());
}

#[test]
fn rendered_markdown_starts_no_line_with_a_workflow_command() {
    let repo = TestRepo::new();
    repo.branch("feature");
    let mut text = minimal("Disk full", "draft", "2026-11-24T10:00:00Z");
    text.push_str("summary = \"\"\"\nThe disk filled up.\n::add-mask::hunter2\n  ::error file=README::forged\n\u{a0}::stop-commands::token\"\"\"\n");
    repo.write_postmortem("2026-11-24-disk", &text);
    repo.commit_all("Add the disk postmortem");
    let (code, stdout, stderr) = repo.run(&["show", "2026-11-24-disk"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\\::add-mask::hunter2"), "{stdout}");
    assert_eq!(workflow_commands(&stdout), Vec::<&str>::new());
    let (code, stdout, stderr) = repo.run(&["review", "--base", "main"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\\::stop-commands::token"), "{stdout}");
    assert_eq!(workflow_commands(&stdout), Vec::<&str>::new());
}
