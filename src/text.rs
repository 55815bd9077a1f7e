//! Untrusted text on its way to a terminal or a CI log. Postmortems, commit
//! messages and file names come from a repository, and a pull request can
//! put anything there; two things in them must never reach a reader as
//! they are:
//!
//! - **control characters** (ESC, BEL, a lone CR, the C1 range): a
//!   terminal runs them, so a title could set the window title, clear the
//!   screen or rewrite what was printed before it. They are shown as
//!   `\u{1b}` (and `\n`, `\r`) instead, by [`show_controls`] and
//!   [`one_line`]; the `schema` finding rejects them in postmortem files
//!   ([`is_forbidden_control`]).
//! - **workflow commands**: GitHub Actions runs every line of a step's
//!   output that starts with `::` after leading whitespace (`::add-mask::`,
//!   `::stop-commands::`, `::error …`). [`defuse_workflow_commands`] puts a
//!   zero-width space before such a line's `::`; the tool's own annotations
//!   are the only lines printed without it.
//!
//! The escapers of each format (`render::escape`, `render::annotations`)
//! handle both in their own terms; `output` applies these as the last line
//! of defence to everything it prints.

use std::borrow::Cow;

/// Whether a string in a postmortem may not hold `c`: every control
/// character (C0, DEL and C1) but tab and newline.
pub(crate) fn is_forbidden_control(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

/// How a control character is shown: `\n`, `\r`, else `\u{1b}`.
pub(crate) fn visible(c: char) -> String {
    match c {
        '\n' => "\\n".to_string(),
        '\r' => "\\r".to_string(),
        c => c.escape_unicode().to_string(),
    }
}

/// `s` with every control character but tab and newline shown as text, so
/// a terminal runs none of them.
pub(crate) fn show_controls(s: &str) -> Cow<'_, str> {
    shown_if(s, is_forbidden_control)
}

/// `s` on one line: as [`show_controls`], and newlines shown as `\n` too.
pub(crate) fn one_line(s: &str) -> Cow<'_, str> {
    shown_if(s, |c| c.is_control() && c != '\t')
}

fn shown_if(s: &str, show: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&show) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if show(c) {
            out.push_str(&visible(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// What goes before the `::` of a line that must not be a workflow
/// command: a zero-width space, which the runner does not trim and a
/// reader does not see.
pub(crate) const COMMAND_BREAK: char = '\u{200B}';

/// `text` with a [`COMMAND_BREAK`] before the `::` of every line (split at
/// `\n` and `\r`, as the runner splits) that would be a workflow command.
pub(crate) fn defuse_workflow_commands(text: &str) -> Cow<'_, str> {
    if !text.contains("::") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut line_start = true;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if line_start && !c.is_whitespace() {
            if rest.starts_with("::") {
                out.push(COMMAND_BREAK);
            }
            line_start = false;
        }
        if c == '\n' || c == '\r' {
            line_start = true;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether GitHub Actions would run `line` as a workflow command: it
    /// starts with `::` once leading whitespace is trimmed, as the runner
    /// trims it.
    fn is_workflow_command(line: &str) -> bool {
        line.trim_start().starts_with("::")
    }

    /// The lines the Actions runner would run as workflow commands.
    fn commands(text: &str) -> Vec<&str> {
        text.split(['\n', '\r'])
            .filter(|l| is_workflow_command(l))
            .collect()
    }

    #[test]
    fn controls_are_shown_not_sent() {
        assert_eq!(
            show_controls("a\u{1b}]0;pwned\u{7}b\tc\nd\re\u{9b}f\u{7f}"),
            "a\\u{1b}]0;pwned\\u{7}b\tc\nd\\re\\u{9b}f\\u{7f}"
        );
        assert_eq!(one_line("a\nb\r\nc\td"), "a\\nb\\r\\nc\td");
        assert!(matches!(show_controls("plain é ✓"), Cow::Borrowed(_)));
        assert!(is_forbidden_control('\u{0}'));
        assert!(is_forbidden_control('\r'));
        assert!(is_forbidden_control('\u{85}'));
        assert!(!is_forbidden_control('\n'));
        assert!(!is_forbidden_control('\t'));
        assert!(!is_forbidden_control('\u{200B}'));
    }

    #[test]
    fn no_line_starts_a_workflow_command() {
        let hostile = "::error file=x,line=1::boom\n  ::add-mask::secret\nok ::fine\r::stop-commands::t\n\u{a0}\u{3000}::set-output name=a::b\n:: \n:single";
        assert_eq!(commands(hostile).len(), 5);
        let defused = defuse_workflow_commands(hostile);
        assert_eq!(commands(&defused), Vec::<&str>::new(), "{defused:?}");
        assert_eq!(defused.replace(COMMAND_BREAK, ""), hostile);
        assert!(defused.contains("ok ::fine"));
        assert_eq!(defuse_workflow_commands("a: b"), "a: b");
    }
}
