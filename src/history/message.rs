//! What a commit message says about safeguards: `Postmortem-Safeguard`
//! trailers, found the way `git interpret-trailers` finds trailers, and
//! GitHub closing references (`Fixes #123`, `closes acme/shop#7`).
//!
//! Everything here works on the raw message bytes, so the history scan can
//! reject the vast majority of commits with one cheap pass
//! ([`might_reference`]) before any real parsing or allocation.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::bytes::Regex;

/// The trailer key that ships a safeguard (compared case-insensitively).
pub(crate) const SAFEGUARD_TRAILER: &str = "Postmortem-Safeguard";

/// Trailers git itself writes; a last paragraph holding one of these counts
/// as a trailer block when at least a quarter of its lines are trailers.
const GIT_GENERATED_PREFIXES: [&[u8]; 2] = [b"Signed-off-by: ", b"(cherry picked from commit "];

/// A reference that closes a GitHub issue: `#123` or `owner/repo#123`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ClosingRef {
    /// `owner/repo`, lower-cased, when the reference names one.
    pub(crate) repo: Option<String>,
    pub(crate) number: u64,
}

impl fmt::Display for ClosingRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repo {
            Some(repo) => write!(f, "{repo}#{}", self.number),
            None => write!(f, "#{}", self.number),
        }
    }
}

impl FromStr for ClosingRef {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (repo, number) = s
            .rsplit_once('#')
            .ok_or_else(|| format!("`{s}` is not an issue reference"))?;
        let number = number
            .parse()
            .map_err(|_| format!("`{s}` is not an issue reference"))?;
        let repo = match repo {
            "" => None,
            r if crate::model::is_repo_slug(r) => Some(r.to_ascii_lowercase()),
            _ => return Err(format!("`{s}` is not an issue reference")),
        };
        Ok(ClosingRef { repo, number })
    }
}

/// Everything one commit message says about safeguards.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MessageRefs {
    /// Values of `Postmortem-Safeguard` trailers, trimmed, as written.
    pub(crate) trailers: Vec<String>,
    /// Closing references anywhere in the message.
    pub(crate) closes: Vec<ClosingRef>,
}

impl MessageRefs {
    pub(crate) fn is_empty(&self) -> bool {
        self.trailers.is_empty() && self.closes.is_empty()
    }
}

/// The one cheap pass over a message: could it hold a safeguard trailer
/// (the key appears, in any case) or a closing reference (a `#` appears)?
/// `(trailer, closing)`; both false for almost every commit.
pub(crate) fn might_reference(message: &[u8]) -> (bool, bool) {
    const REST: &[u8] = b"ostmortem-safeguard";
    let mut trailer = false;
    let mut hash = false;
    for i in memchr::memchr3_iter(b'#', b'p', b'P', message) {
        if message[i] == b'#' {
            hash = true;
        } else if !trailer {
            trailer = message
                .get(i + 1..i + 1 + REST.len())
                .is_some_and(|rest| rest.eq_ignore_ascii_case(REST));
        }
        if trailer && hash {
            break;
        }
    }
    (trailer, hash)
}

/// Parse a message that [`might_reference`] let through.
pub(crate) fn parse(message: &[u8], trailer: bool, closing: bool) -> MessageRefs {
    let mut refs = MessageRefs::default();
    if trailer {
        refs.trailers = find_trailers(message)
            .into_iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(SAFEGUARD_TRAILER.as_bytes()))
            .map(|(_, value)| value)
            .filter(|value| !value.is_empty())
            .collect();
    }
    if closing {
        refs.closes = closing_refs(message);
    }
    refs
}

/// Every trailer of a message as `(key, value)`, with git's rules: only the
/// last paragraph, never the title paragraph, and that paragraph must be
/// all trailers (or a quarter trailers with one git itself writes, such as
/// `Signed-off-by`). Continuation lines are unfolded into the value.
pub(crate) fn find_trailers(message: &[u8]) -> Vec<(&[u8], String)> {
    let Some(block) = trailer_block(message) else {
        return Vec::new();
    };
    let mut trailers: Vec<(&[u8], String)> = Vec::new();
    let mut open = false;
    for line in lines(&message[block]) {
        if line.starts_with(b"#") {
            continue;
        }
        if line.first().is_some_and(u8::is_ascii_whitespace) {
            if let (true, Some((_, value))) = (open, trailers.last_mut()) {
                let more = String::from_utf8_lossy(line.trim_ascii());
                if !more.is_empty() {
                    value.push(' ');
                    value.push_str(&more);
                }
            }
            continue;
        }
        match find_separator(line) {
            Some(sep) => {
                let key = line[..sep].trim_ascii();
                let value = String::from_utf8_lossy(line[sep + 1..].trim_ascii()).into_owned();
                trailers.push((key, value));
                open = true;
            }
            None => open = false,
        }
    }
    trailers
}

/// The lines of `text` without their `\n`.
fn lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let text = text.strip_suffix(b"\n").unwrap_or(text);
    text.split(|b| *b == b'\n')
        .filter(move |_| !text.is_empty())
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// Where git's `find_separator` finds the `:` of `Key: value`: after a
/// token of letters, digits and `-`, and optional spaces; `None` when the
/// line is not shaped like a trailer.
fn find_separator(line: &[u8]) -> Option<usize> {
    let mut whitespace_found = false;
    for (i, &c) in line.iter().enumerate() {
        if c == b':' {
            return (i >= 1).then_some(i);
        }
        if !whitespace_found && (c.is_ascii_alphanumeric() || c == b'-') {
            continue;
        }
        if i != 0 && (c == b' ' || c == b'\t') {
            whitespace_found = true;
            continue;
        }
        break;
    }
    None
}

/// The byte range of the trailer block, a port of git's
/// `find_trailer_block_start`.
fn trailer_block(message: &[u8]) -> Option<Range<usize>> {
    // Start offsets of every line, and where each ends (without `\n`).
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    while start < message.len() {
        let end = memchr::memchr(b'\n', &message[start..]).map_or(message.len(), |i| start + i);
        spans.push(start..end);
        start = end + 1;
    }
    // Trailing blank and comment lines are not part of the message.
    while spans
        .last()
        .is_some_and(|s| is_blank(&message[s.clone()]) || message[s.clone()].starts_with(b"#"))
    {
        spans.pop();
    }
    let end = spans.last()?.end;
    // The first paragraph is the title and cannot be trailers.
    let title_end = spans
        .iter()
        .position(|s| {
            let line = &message[s.clone()];
            !line.starts_with(b"#") && is_blank(line)
        })
        .unwrap_or(spans.len());

    let mut only_spaces = true;
    let mut recognized_prefix = false;
    let mut trailer_lines = 0usize;
    let mut non_trailer_lines = 0usize;
    let mut possible_continuation_lines = 0usize;
    for (index, span) in spans.iter().enumerate().rev() {
        if index < title_end {
            break;
        }
        let line = &message[span.clone()];
        if line.starts_with(b"#") {
            non_trailer_lines += possible_continuation_lines;
            possible_continuation_lines = 0;
            continue;
        }
        if is_blank(line) {
            if only_spaces {
                continue;
            }
            non_trailer_lines += possible_continuation_lines;
            let is_block = (recognized_prefix && trailer_lines * 3 >= non_trailer_lines)
                || (trailer_lines > 0 && non_trailer_lines == 0);
            return is_block.then(|| (span.end + 1).min(end)..end);
        }
        only_spaces = false;
        if GIT_GENERATED_PREFIXES.iter().any(|p| line.starts_with(p)) {
            trailer_lines += 1;
            possible_continuation_lines = 0;
            recognized_prefix = true;
            continue;
        }
        let starts_with_space = line.first().is_some_and(u8::is_ascii_whitespace);
        if find_separator(line).is_some() && !starts_with_space {
            trailer_lines += 1;
            possible_continuation_lines = 0;
        } else if starts_with_space {
            possible_continuation_lines += 1;
        } else {
            non_trailer_lines += 1 + possible_continuation_lines;
            possible_continuation_lines = 0;
        }
    }
    None
}

/// GitHub's closing keywords, then `#N` or `owner/repo#N`. The keyword must
/// start a word and the number must end one, so `prefix #1` and `#12` in
/// `#123` do not count. ASCII-only, case-insensitive.
#[allow(clippy::expect_used, reason = "a constant pattern, tested")]
static CLOSING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i-u)\b(?:fix|fixes|fixed|close|closes|closed|resolve|resolves|resolved)(?:[ \t]*:[ \t]*|[ \t]+)([a-z0-9][a-z0-9_.-]*/[a-z0-9_.-]+)?#([0-9]+)\b",
    )
    .expect("closing-reference pattern is valid")
});

/// Every closing reference in a message, in order, without duplicates.
pub(crate) fn closing_refs(message: &[u8]) -> Vec<ClosingRef> {
    let mut refs: Vec<ClosingRef> = Vec::new();
    for caps in CLOSING.captures_iter(message) {
        let Some(number) = caps
            .get(2)
            .and_then(|m| std::str::from_utf8(m.as_bytes()).ok())
            .and_then(|n| n.parse().ok())
        else {
            continue;
        };
        let repo = caps
            .get(1)
            .map(|m| String::from_utf8_lossy(m.as_bytes()).to_ascii_lowercase());
        let found = ClosingRef { repo, number };
        if !refs.contains(&found) {
            refs.push(found);
        }
    }
    refs
}

/// The subject as git shows it (`%s`): the first paragraph, its lines
/// joined with spaces.
pub(crate) fn subject(message: &[u8]) -> String {
    let text = String::from_utf8_lossy(message);
    let mut subject = String::new();
    for line in text.trim_start_matches(['\n', '\r']).lines() {
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        if !subject.is_empty() {
            subject.push(' ');
        }
        subject.push_str(line);
    }
    subject
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trailers(message: &str) -> Vec<(String, String)> {
        find_trailers(message.as_bytes())
            .into_iter()
            .map(|(k, v)| (String::from_utf8_lossy(k).into_owned(), v))
            .collect()
    }

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn trailers_in_the_last_paragraph() {
        let m = "Add env check\n\nBody text.\n\nPostmortem-Safeguard: 2026-11-24-x/S1\nSigned-off-by: Dana <d@e>\n";
        assert_eq!(
            trailers(m),
            [
                pair("Postmortem-Safeguard", "2026-11-24-x/S1"),
                pair("Signed-off-by", "Dana <d@e>")
            ]
        );
    }

    #[test]
    fn trailer_looking_lines_in_the_body_are_not_trailers() {
        let m = "Add env check\n\nPostmortem-Safeguard: 2026-11-24-x/S1\n\nMore prose here.\n";
        assert!(trailers(m).is_empty());
    }

    #[test]
    fn the_title_paragraph_is_never_trailers() {
        assert!(trailers("Postmortem-Safeguard: 2026-11-24-x/S1\n").is_empty());
        assert!(trailers("Key: value\nOther: value\n").is_empty());
    }

    #[test]
    fn a_mixed_paragraph_is_not_a_trailer_block_without_git_trailers() {
        let m = "Subject\n\nSome prose\nPostmortem-Safeguard: 2026-11-24-x/S1\n";
        assert!(trailers(m).is_empty());
        // With Signed-off-by, a quarter of trailer lines is enough.
        let m = "Subject\n\nSome prose\nmore prose\nPostmortem-Safeguard: a/S1\nSigned-off-by: D <d@e>\n";
        assert_eq!(trailers(m).len(), 2);
    }

    #[test]
    fn keys_are_case_insensitive_and_spaces_before_the_colon_allowed() {
        let m = "Subject\n\npostmortem-SAFEGUARD : 2026-11-24-x/S2\n";
        let refs = parse(m.as_bytes(), true, false);
        assert_eq!(refs.trailers, ["2026-11-24-x/S2"]);
    }

    #[test]
    fn continuation_lines_unfold_and_trailing_blank_lines_are_ignored() {
        let m = "Subject\n\nNote: one\n  two\nPostmortem-Safeguard: a/S1\n\n\n";
        assert_eq!(
            trailers(m),
            [
                pair("Note", "one two"),
                pair("Postmortem-Safeguard", "a/S1")
            ]
        );
    }

    #[test]
    fn the_prefilter_sees_keys_in_any_case_and_hashes() {
        assert_eq!(might_reference(b"Fix typo"), (false, false));
        assert_eq!(
            might_reference(b"x\n\nPOSTMORTEM-Safeguard: a/S1"),
            (true, false)
        );
        assert_eq!(might_reference(b"Merge pull request #4"), (false, true));
        assert_eq!(might_reference(b"postmortem-safeguar"), (false, false));
    }

    fn numbers(message: &str) -> Vec<String> {
        closing_refs(message.as_bytes())
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn closing_keywords_in_any_case() {
        assert_eq!(
            numbers("Fixes #12, closes #13; RESOLVED #14\nfix: #15 close   #16"),
            ["#12", "#13", "#14", "#15", "#16"]
        );
        assert_eq!(
            numbers("fixed Acme/Shop#123 and resolves a.b/c-d#9"),
            ["acme/shop#123", "a.b/c-d#9"]
        );
    }

    #[test]
    fn closing_refs_need_a_keyword_a_word_start_and_a_whole_number() {
        assert!(numbers("prefix #12").is_empty());
        assert!(numbers("Merge pull request #12").is_empty());
        assert!(numbers("fixes#12").is_empty());
        assert!(numbers("fixes #12abc").is_empty());
        assert_eq!(numbers("Fixes #123."), ["#123"]);
        assert_eq!(numbers("Fixes #12"), ["#12"]);
        assert_eq!(numbers("Fixes #1, #2"), ["#1"]);
    }

    #[test]
    fn closing_refs_round_trip_through_strings() {
        for s in ["#7", "acme/shop#123"] {
            let r: ClosingRef = s.parse().expect("parses");
            assert_eq!(r.to_string(), s);
        }
        assert!("acme#1".parse::<ClosingRef>().is_err());
        assert!("#x".parse::<ClosingRef>().is_err());
    }

    #[test]
    fn subjects_join_the_first_paragraph() {
        assert_eq!(subject(b"Add a\ncheck\n\nbody"), "Add a check");
        assert_eq!(subject(b"One"), "One");
    }
}
