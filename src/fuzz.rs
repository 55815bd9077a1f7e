//! Fuzz targets: each takes arbitrary bytes, feeds them to a reader of
//! untrusted input, and panics when an invariant breaks, so that a fuzzer
//! (or the bounded run in `tests/cli/fuzz.rs`) reports more than crashes.
//! The targets of `fuzz/` (cargo-fuzz) and the corpus under `fuzz/corpus/`
//! name them. Nothing in the crate calls this module.
//!
//! - [`postmortem`]: a file's bytes through the loader and every lint.
//! - [`commit_message`]: a commit message through the trailer and closing
//!   reference parsers and the history scan's prefilter.
//! - [`markdown`]: text through the Markdown escapers.

use crate::clock::Clock;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::history::message::{self, ClosingRef, ParseOptions};
use crate::lint::{self, CommitLookup};
use crate::render::{annotations, escape, rdjson};
use crate::source::Source;

/// Where [`postmortem`] pretends its bytes were read from.
pub const POSTMORTEM_PATH: &str = "postmortems/2026-11-20-fuzz.toml";

/// A repository that has no commits: the `unresolved-commit` lint asks it.
struct NoCommits;

impl CommitLookup for NoCommits {
    fn has_commit(&self, _: &str) -> bool {
        false
    }
}

/// Load and lint `data` as a postmortem file. Besides not panicking: every
/// diagnostic is about this file, has a non-empty message, and points at a
/// line and column (1-based) inside it; it prints as one line on stderr
/// and as one GitHub annotation, and reviewdog's byte column can be
/// computed for it. Returns the diagnostics for harnesses that check more.
pub fn postmortem(data: &[u8]) -> Vec<Diagnostic> {
    let source = Source::from_bytes(POSTMORTEM_PATH, data.to_vec());
    let clock = chrono::DateTime::parse_from_rfc3339("2026-11-26T12:00:00Z")
        .map(Clock::fixed)
        .unwrap_or_else(|_| unreachable!("a valid timestamp"));
    let diagnostics = lint::lint_file(
        "2026-11-20-fuzz",
        &source,
        &Config::default(),
        &clock,
        &NoCommits,
    );
    let lines: Vec<&str> = source.text.split('\n').collect();
    for d in &diagnostics {
        assert_eq!(d.path, POSTMORTEM_PATH, "{d}");
        assert!(!d.message.trim().is_empty(), "an empty message: {d:?}");
        assert!(
            d.line >= 1 && d.line <= lines.len(),
            "line {} of {}: {d}",
            d.line,
            lines.len()
        );
        let width = lines[d.line - 1].chars().count();
        assert!(
            d.column >= 1 && d.column <= width + 1,
            "column {} of a line of {width} characters: {d}",
            d.column
        );
        let line = d.to_string();
        assert!(!line.contains(['\n', '\r']), "not one line: {line:?}");
        let annotation = annotations::annotation(d);
        assert!(
            !annotation.contains(['\n', '\r']) && annotation.starts_with("::"),
            "{annotation:?}"
        );
        assert!(rdjson::byte_column(&source.text, d.line, d.column) >= 1);
    }
    diagnostics
}

/// Parse `data` as a commit message, with git's default options and with
/// `;` as the comment character and a `---` line ending the message.
/// Besides not panicking: trailer keys are letters, digits and `-`; values
/// are trimmed of git's whitespace and hold no line break; the history
/// scan's prefilter lets through every message that has a safeguard
/// trailer or a closing reference; every closing reference reads back from
/// how it is written; a subject holds no line feed; stripping comments leaves no
/// comment line.
pub fn commit_message(data: &[u8]) {
    let semicolon = ParseOptions::from_git_config(Some(";")).patch_divider(true);
    for options in [ParseOptions::default(), semicolon] {
        for (key, value) in message::find_trailers_with(data, &options) {
            assert!(
                !key.is_empty() && key.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-'),
                "key {:?}",
                String::from_utf8_lossy(key)
            );
            assert_trimmed(&value);
        }
        let refs = message::parse_with(data, true, true, &options);
        for value in &refs.trailers {
            assert!(!value.is_empty());
            assert_trimmed(value);
        }
        let (trailer, closing) = message::might_reference(data);
        assert!(
            trailer || refs.trailers.is_empty(),
            "the prefilter hides trailers {:?}",
            refs.trailers
        );
        assert!(
            closing || refs.closes.is_empty(),
            "the prefilter hides closing references {:?}",
            refs.closes
        );
        let stripped = message::strip_comments(data, &options);
        assert!(
            stripped
                .split(|b| *b == b'\n')
                .all(|line| !line.starts_with(options.comment())),
            "a comment line survives: {:?}",
            String::from_utf8_lossy(&stripped)
        );
    }
    for reference in message::closing_refs(data) {
        let written = reference.to_string();
        assert_eq!(
            written.parse::<ClosingRef>().as_ref(),
            Ok(&reference),
            "{written}"
        );
    }
    // As git's `%s`: a lone carriage return stays, as git keeps it.
    let subject = message::subject(data);
    assert!(!subject.contains('\n'), "{subject:?}");
}

/// What a trailer value may not start or end with, nor hold inside: git's
/// whitespace at the ends, a line break anywhere.
fn assert_trimmed(value: &str) {
    let git_space = [' ', '\t', '\n', '\r'];
    assert!(
        !value.starts_with(git_space) && !value.ends_with(git_space),
        "not trimmed: {value:?}"
    );
    assert!(!value.contains('\n'), "a line break: {value:?}");
}

/// Escape `data` (as text, bad UTF-8 replaced) for Markdown, a table cell
/// and a code span. Besides not panicking: the Markdown holds none of the
/// input's HTML (`<`, `>`, `"`), its markup characters only escaped, `&`
/// only as an entity this escaper writes, no line that GitHub Actions
/// would read as a workflow command (`::`), and reads back as the input
/// (line breaks normalised, leading whitespace of any kind dropped,
/// control characters shown as `\\u{1b}`); a table cell is one line
/// with every `|` escaped; a code span is one line fenced by more
/// backticks than it holds in a row. Returns the Markdown.
pub fn markdown(data: &[u8]) -> String {
    let text = String::from_utf8_lossy(data);
    let escaped = escape::markdown(&text);
    let expected: Vec<String> = text
        .split("\r\n")
        .flat_map(|l| l.split(['\r', '\n']))
        .map(|l| crate::text::show_controls(l.trim_start()).into_owned())
        .collect();
    assert_eq!(
        unescape(&escaped),
        expected.join("\n"),
        "{text:?} → {escaped:?}"
    );
    assert_no_workflow_command(&escaped);

    let cell = escape::table_cell(&text);
    assert!(!cell.contains(['\n', '\r']), "{cell:?}");
    assert_eq!(
        unescape(&cell),
        crate::text::show_controls(&text.split_whitespace().collect::<Vec<_>>().join(" "))
    );
    assert_no_workflow_command(&cell);

    let span = escape::code_span(&text);
    assert!(!span.contains(['\n', '\r']), "{span:?}");
    if !span.is_empty() {
        let fence = span.bytes().take_while(|b| *b == b'`').count();
        let inner = &span[fence..span.len() - fence];
        assert!(span.ends_with(&"`".repeat(fence)), "{span:?}");
        let longest = inner.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        assert!(longest < fence, "{span:?}");
    }
    let code_cell = escape::code_cell(&text);
    assert!(
        code_cell
            .match_indices('|')
            .all(|(i, _)| code_cell[..i].ends_with('\\')),
        "{code_cell:?}"
    );
    escaped
}

/// GitHub Actions reads a line of a step's output as a command when it
/// starts with `::`, after whitespace.
fn assert_no_workflow_command(markdown: &str) {
    for line in markdown.split('\n') {
        assert!(
            !line.trim_start().starts_with("::"),
            "a workflow command: {line:?}"
        );
    }
}

/// The text that escaped Markdown stands for, panicking on anything the
/// escaper should never leave as it is: a raw `<`, `>` or `"`, a markup
/// character without its backslash, an `&` that starts no entity the
/// escaper writes, a carriage return.
fn unescape(markdown: &str) -> String {
    const ENTITIES: [(&str, &str); 5] = [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#8203;", ""),
    ];
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(c) = rest.chars().next() {
        let mut advance = c.len_utf8();
        match c {
            '\\' => {
                let next = rest[1..].chars().next();
                match next {
                    Some(n) if n.is_ascii_punctuation() => {
                        out.push(n);
                        advance = 2;
                    }
                    other => panic!("a backslash before {other:?} in {markdown:?}"),
                }
            }
            '&' => match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
                Some((entity, plain)) => {
                    out.push_str(plain);
                    advance = entity.len();
                }
                None => panic!("a raw `&` in {markdown:?}"),
            },
            '<' | '>' | '"' | '*' | '_' | '`' | '[' | ']' | '|' | '~' | '!' | '$' | '\r' => {
                panic!("{c:?} left unescaped in {markdown:?}")
            }
            c => out.push(c),
        }
        rest = &rest[advance..];
    }
    out
}
