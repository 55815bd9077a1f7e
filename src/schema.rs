//! The schema of a postmortem file, the `schema` finding: TOML syntax,
//! unknown keys, wrong types (all found by serde while parsing), then what
//! serde cannot see: the schema version, the configured severities, id
//! formats and duplicates. Loading a file and linting it both go through
//! [`parse_checked`]; nothing here reads a file.

use std::collections::HashSet;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Finding, Level, LintId};
use crate::key_path;
use crate::model::{
    is_postmortem_id, ActionStatus, ItemId, Postmortem, SafeguardStatus, Seg, SCHEMA_VERSION,
};
use crate::source::{NotUtf8, Source};
use crate::text;

/// Parse and check a postmortem; every schema error on failure.
pub(crate) fn parse_checked(
    id: &str,
    source: &Source,
    severities: &[String],
) -> Result<Postmortem, Vec<Diagnostic>> {
    let postmortem: Postmortem = deserialize(source).map_err(|d| vec![d])?;
    let findings = check(id, &postmortem, severities);
    let controls = control_characters(source);
    if findings.is_empty() && controls.is_empty() {
        Ok(postmortem)
    } else {
        let located = findings.into_iter().map(|f| f.locate(source));
        Err(located.chain(controls).collect())
    }
}

/// Deserialize a whole TOML file as `T`. A failure is one located
/// diagnostic: at the first byte that is not UTF-8, or a TOML or serde
/// error whose message starts with the dotted path of the key it is about
/// (`` `safeguards[1].due`: … ``), when it is about one.
pub(crate) fn deserialize<T: DeserializeOwned>(source: &Source) -> Result<T, Diagnostic> {
    if let Some(bad) = source.not_utf8() {
        return Err(not_utf8(source, bad));
    }
    let document =
        toml::Deserializer::parse(&source.text).map_err(|e| from_toml_error(source, &e))?;
    serde_path_to_error::deserialize(document).map_err(|e| {
        let mut diagnostic = from_toml_error(source, e.inner());
        // An unknown key's path ends with that key, which the message names.
        let unknown = e.inner().message().starts_with("unknown field");
        let segments = e.path().iter().count();
        let owner = e
            .path()
            .iter()
            .take(segments - usize::from(unknown && segments > 0));
        if let Some(key) = key_path(owner) {
            diagnostic.message = format!("`{key}`: {}", diagnostic.message);
        }
        diagnostic
    })
}

/// A serde path as the user would write the key: `safeguards[1].due`
/// (indexes count from 0), with quotes around a key that is not bare.
/// `None` for the document itself, and for a path serde could not follow.
fn key_path<'a>(path: impl Iterator<Item = &'a serde_path_to_error::Segment>) -> Option<String> {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            // toml's `Spanned` reads its value through a private key.
            Segment::Map { key } if key.starts_with("$__") => {}
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                let bare = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if bare {
                    out.push_str(key);
                } else {
                    out.push_str(&format!("{key:?}"));
                }
            }
            Segment::Unknown => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// A toml/serde error as a located diagnostic, with "did you mean" for
/// misspelt keys.
pub(crate) fn from_toml_error(source: &Source, error: &toml::de::Error) -> Diagnostic {
    let (line, column) = source.line_col(error.span().map_or(0, |s| s.start));
    Diagnostic {
        level: Level::Error,
        lint: LintId::Schema,
        path: source.path.clone(),
        line,
        column,
        message: match error.span().and_then(|s| source.text.get(s)) {
            // toml names no key here; the span is the second one's.
            Some(key) if error.message() == "duplicate key" => {
                format!("duplicate key `{}`", key.trim())
            }
            _ => explain(error.message()),
        },
    }
}

/// A file that is not UTF-8, located at its first bad byte.
fn not_utf8(source: &Source, bad: &NotUtf8) -> Diagnostic {
    let (line, column) = source.line_col(bad.offset);
    let shown: Vec<String> = bad.bytes.iter().map(|b| format!("0x{b:02X}")).collect();
    // A UTF-16 byte order mark: FF FE or FE FF.
    let hint = if bad.offset == 0 && matches!(bad.bytes.first(), Some(0xFF | 0xFE)) {
        "the file looks like UTF-16; save it as UTF-8"
    } else {
        "save the file as UTF-8"
    };
    Diagnostic {
        level: Level::Error,
        lint: LintId::Schema,
        path: source.path.clone(),
        line,
        column,
        message: format!(
            "not valid UTF-8: byte{} {} cannot be read as text; {hint}",
            if shown.len() == 1 { "" } else { "s" },
            shown.join(" ")
        ),
    }
}

/// Turn serde's "unknown field `x`, expected one of `a`, `b`" into
/// "unknown key `x` (did you mean `a`?)", and tidy the other messages.
pub(crate) fn explain(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((key, expected)) = rest.split_once('`') {
            let candidates: Vec<&str> = expected
                .split('`')
                .skip(1)
                .step_by(2)
                .filter(|c| !c.is_empty())
                .collect();
            let best = candidates
                .iter()
                .map(|c| (strsim::damerau_levenshtein(key, c), *c))
                .filter(|(d, c)| *d <= 2.max(c.len() / 3))
                .min();
            return match best {
                Some((_, c)) => format!("unknown key `{key}` (did you mean `{c}`?)"),
                None if candidates.is_empty() => format!("unknown key `{key}`"),
                None => format!(
                    "unknown key `{key}`; expected one of {}",
                    candidates
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        if let Some((key, _)) = rest.split_once('`') {
            return format!("missing required key `{key}`");
        }
    }
    message.replace("unknown variant", "unknown value")
}

/// Schema rules serde cannot express.
pub(crate) fn check(id: &str, postmortem: &Postmortem, severities: &[String]) -> Vec<Finding> {
    let mut findings = Vec::new();
    if !is_postmortem_id(id) {
        findings.push(Finding::error(
            LintId::Schema,
            key_path![],
            format!("file name `{id}.toml` is not a postmortem id: use YYYY-MM-DD-slug.toml with a real date and a slug of a-z, 0-9 and -"),
        ));
    }
    if postmortem.schema != SCHEMA_VERSION {
        findings.push(Finding::error(
            LintId::Schema,
            key_path!["schema"],
            format!(
                "schema {} is not supported; this version of git-postmortem reads schema {SCHEMA_VERSION}",
                postmortem.schema
            ),
        ));
    }
    if postmortem.title.trim().is_empty() {
        findings.push(Finding::error(
            LintId::Schema,
            key_path!["title"],
            "`title` is empty",
        ));
    }
    if !severities.contains(&postmortem.severity) {
        findings.push(Finding::error(
            LintId::Schema,
            key_path!["severity"],
            format!(
                "unknown severity `{}`; .postmortem.toml allows {}",
                postmortem.severity,
                severities.join(", ")
            ),
        ));
    }
    if let Some(trigger) = &postmortem.trigger {
        for (i, range) in trigger.ranges.iter().enumerate() {
            if !range.contains("..") {
                findings.push(Finding::error(
                    LintId::Schema,
                    key_path!["trigger", "ranges", i],
                    format!("`{range}` is not a range; write A..B"),
                ));
            }
        }
    }
    check_ids(
        &mut findings,
        "actions",
        'A',
        postmortem.actions.iter().map(|a| a.id.as_str()),
    );
    check_ids(
        &mut findings,
        "safeguards",
        'S',
        postmortem.safeguards.iter().map(|s| s.id.as_str()),
    );
    for (i, a) in postmortem.actions.iter().enumerate() {
        if a.status == ActionStatus::Dropped && blank(&a.reason) {
            findings.push(Finding::error(
                LintId::Schema,
                key_path!["actions", i, "status"],
                format!("action {} is dropped without a `reason`", a.id),
            ));
        }
    }
    for (path, names) in postmortem.lint_allows() {
        for (j, name) in names.iter().enumerate() {
            let known = name.parse::<LintId>().is_ok_and(LintId::is_configurable);
            if !known {
                let mut at = path.clone();
                at.extend([Seg::Key("lint_allow"), Seg::Index(j)]);
                let lints: Vec<&str> = LintId::configurable().map(LintId::as_str).collect();
                findings.push(Finding::error(
                    LintId::Schema,
                    at,
                    format!(
                        "`{}` in `lint_allow` is not a lint that can be allowed; use one of {}",
                        name.escape_debug(),
                        lints.join(", ")
                    ),
                ));
            }
        }
    }
    for (i, s) in postmortem.safeguards.iter().enumerate() {
        if s.status == SafeguardStatus::Dropped && blank(&s.reason) {
            findings.push(Finding::error(
                LintId::Schema,
                key_path!["safeguards", i, "status"],
                format!("safeguard {} is dropped without a `reason`", s.id),
            ));
        }
    }
    findings
}

/// A control character other than tab and newline in any string of the
/// file: a terminal would run it (ESC starts a sequence that can set the
/// window title or clear the screen), so no string may hold one. A CR
/// before a LF is a line break (a CRLF file's multi-line string), not a
/// control character. One finding per string, at its first such
/// character's escape.
pub(crate) fn control_characters(source: &Source) -> Vec<Diagnostic> {
    // A control character but the CR of a CRLF line break.
    let offending = |c: char, next: Option<char>| {
        text::is_forbidden_control(c) && !(c == '\r' && next == Some('\n'))
    };
    let in_chars = |chars: &[char], i: usize| offending(chars[i], chars.get(i + 1).copied());
    let mut found = Vec::new();
    // Most files hold neither a control character nor an escape that
    // could write one: they need no span map.
    let text = &source.text;
    let nexts = text.chars().skip(1).map(Some).chain([None]);
    let maybe = text.contains('\\') || text.chars().zip(nexts).any(|(c, n)| offending(c, n));
    if !maybe {
        return found;
    }
    for string in source.string_values() {
        let chars: Vec<char> = string.value.chars().collect();
        let Some(first) = (0..chars.len()).find(|&i| in_chars(&chars, i)) else {
            continue;
        };
        let raw = source.text.get(string.span.clone()).unwrap_or("");
        let written = toml_string_chars(raw);
        let decoded: Vec<char> = written.iter().map(|(c, _)| *c).collect();
        let offset = (0..decoded.len())
            .find(|&i| in_chars(&decoded, i))
            .map_or(0, |i| written[i].1);
        let (line, column) = source.line_col(string.span.start + offset);
        found.push(Diagnostic {
            level: Level::Error,
            lint: LintId::Schema,
            path: source.path.clone(),
            line,
            column,
            message: format!(
                "`{}` holds the control character U+{:04X}; strings may hold tabs and newlines but no other control character, which a terminal would run: remove it",
                string.key,
                u32::from(chars[first])
            ),
        });
    }
    found
}

/// The characters a TOML string's source (quotes included) stands for,
/// each with the byte offset in `raw` of what wrote it: the character
/// itself, or the backslash of its escape. Best effort: an escape it does
/// not know ends the list.
fn toml_string_chars(raw: &str) -> Vec<(char, usize)> {
    let (quote, basic) = match raw.as_bytes().first() {
        Some(b'"') => (if raw.starts_with("\"\"\"") { 3 } else { 1 }, true),
        Some(b'\'') => (if raw.starts_with("'''") { 3 } else { 1 }, false),
        _ => return Vec::new(),
    };
    let end = raw.len().saturating_sub(quote).max(quote);
    let mut out = Vec::new();
    let mut i = quote;
    while i < end {
        let Some(c) = raw[i..].chars().next() else {
            break;
        };
        if c != '\\' || !basic {
            out.push((c, i));
            i += c.len_utf8();
            continue;
        }
        let Some(kind) = raw[i + 1..].chars().next() else {
            break;
        };
        let hex = |digits: usize| {
            raw.get(i + 2..i + 2 + digits)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
                .map(|c| (c, 2 + digits))
        };
        let decoded = match kind {
            'b' => Some(('\u{8}', 2)),
            't' => Some(('\t', 2)),
            'n' => Some(('\n', 2)),
            'f' => Some(('\u{c}', 2)),
            'r' => Some(('\r', 2)),
            'e' => Some(('\u{1b}', 2)),
            '"' => Some(('"', 2)),
            '\\' => Some(('\\', 2)),
            'x' => hex(2),
            'u' => hex(4),
            'U' => hex(8),
            c if c.is_whitespace() => {
                // A line-ending backslash: the whitespace after it goes.
                let rest = &raw[i + 1..end];
                i = end - rest.trim_start().len();
                continue;
            }
            _ => None,
        };
        let Some((c, len)) = decoded else {
            break;
        };
        out.push((c, i));
        i += len;
    }
    out
}

fn blank(text: &Option<String>) -> bool {
    text.as_deref().is_none_or(|t| t.trim().is_empty())
}

fn check_ids<'a>(
    findings: &mut Vec<Finding>,
    table: &'static str,
    prefix: char,
    ids: impl Iterator<Item = &'a str>,
) {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if ItemId::parse(id, prefix).is_none() {
            findings.push(Finding::error(
                LintId::Schema,
                key_path![table, i, "id"],
                format!("`{id}` is not a valid id in {table}; use {prefix}1, {prefix}2, …"),
            ));
        } else if !seen.insert(id) {
            findings.push(Finding::error(
                LintId::Schema,
                key_path![table, i, "id"],
                format!("duplicate id `{id}` in {table}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{deserialize, explain};
    use crate::source::Source;

    #[test]
    fn misspelt_key_gets_a_suggestion() {
        assert_eq!(
            explain("unknown field `safegaurds`, expected one of `schema`, `title`, `safeguards`"),
            "unknown key `safegaurds` (did you mean `safeguards`?)"
        );
        assert_eq!(
            explain("unknown field `zzz`, expected `id` or `title`"),
            "unknown key `zzz`; expected one of `id`, `title`"
        );
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Shape {
        list: Vec<Inner>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        n: u8,
        map: Option<std::collections::BTreeMap<String, u8>>,
    }

    fn message(text: &str) -> String {
        let source = Source::new("t.toml", text.to_string());
        match deserialize::<Shape>(&source) {
            Ok(shape) => panic!("{shape:?}"),
            Err(d) => d.message,
        }
    }

    #[test]
    fn messages_start_with_the_path_of_the_key() {
        assert_eq!(
            message("[[list]]\nn = 1\n[[list]]\nn = \"2\"\n"),
            "`list[1].n`: invalid type: string \"2\", expected u8"
        );
        assert_eq!(
            message("[[list]]\nn = 1\nmap = { \"a b\" = -1 }\n"),
            "`list[0].map.\"a b\"`: invalid value: integer `-1`, expected u8"
        );
        assert_eq!(
            message("[[list]]\nm = 1\n"),
            "`list[0]`: unknown key `m` (did you mean `n`?)"
        );
        assert_eq!(
            message("lists = []\n"),
            "unknown key `lists` (did you mean `list`?)"
        );
        assert_eq!(
            message("list = 1\n"),
            "`list`: invalid type: integer `1`, expected a sequence"
        );
    }
}
