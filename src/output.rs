//! The one way the tool speaks: results on stdout through [`Output`],
//! messages on stderr through [`warn`], [`note`], [`hint`],
//! [`diagnostic`] and [`error`], and the GitHub Actions job summary through
//! [`append_step_summary`]. Colour is decided once, by `anstream`, from the
//! terminal and `NO_COLOR`/`CLICOLOR`; a closed stdout (`| head`) surfaces
//! as one [`Error::Io`] on `stdout`, which the binary treats as success.
//!
//! Whatever it prints, on stdout or stderr, goes through [`crate::text`]
//! last: control characters are shown as `\u{1b}` rather than sent to the
//! terminal, and no line can start a GitHub Actions workflow command except
//! the tool's own annotations ([`Output::workflow_command`]). A
//! [`Output::line`] and a diagnostic stay on one line: a newline in them is
//! shown as `\n`.

use std::cell::RefCell;
use std::io::Write;
use std::path::Path;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Level};
use crate::error::{Error, Result};
use crate::text;

/// Where results go: stdout, or whatever a test hands in. Shared by
/// reference, so a use case can print through it while it reads the rest
/// of the context.
pub struct Output {
    out: RefCell<Box<dyn Write>>,
}

fn stdout_error(e: std::io::Error) -> Error {
    Error::io("stdout", e)
}

impl Output {
    /// Results go to `out`.
    pub fn new(out: Box<dyn Write>) -> Self {
        Output {
            out: RefCell::new(out),
        }
    }

    /// One line of text: a newline or control character in it is shown,
    /// not sent, and it cannot be a workflow command.
    pub(crate) fn line(&self, line: impl std::fmt::Display) -> Result<()> {
        let line = line.to_string();
        let line = text::defuse_workflow_commands(&text::one_line(&line)).into_owned();
        writeln!(self.out.borrow_mut(), "{line}").map_err(stdout_error)
    }

    /// A document (a rendered one ends with its own newline): control
    /// characters but newline and tab are shown, not sent, and no line of
    /// it can be a workflow command.
    pub(crate) fn text(&self, document: &str) -> Result<()> {
        let shown = text::show_controls(document);
        self.out
            .borrow_mut()
            .write_all(text::defuse_workflow_commands(&shown).as_bytes())
            .map_err(stdout_error)
    }

    /// One GitHub Actions workflow command the tool wrote itself (an
    /// annotation whose user text is already escaped as GitHub specifies):
    /// the one kind of line allowed to start with `::`.
    pub(crate) fn workflow_command(&self, command: &str) -> Result<()> {
        debug_assert!(command.starts_with("::"), "{command}");
        writeln!(self.out.borrow_mut(), "{}", text::one_line(command)).map_err(stdout_error)
    }

    /// One pretty-printed JSON document and a newline. JSON already
    /// escapes C0 controls; DEL and the C1 range are escaped too (as
    /// `\u009b`), which leaves the document's values as they were.
    pub(crate) fn json<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let document = serde_json::to_string_pretty(value).map_err(|e| stdout_error(e.into()))?;
        let mut out = self.out.borrow_mut();
        out.write_all(escape_json_controls(&document).as_bytes())
            .map_err(stdout_error)?;
        writeln!(out).map_err(stdout_error)
    }

    pub(crate) fn flush(&self) -> Result<()> {
        self.out.borrow_mut().flush().map_err(stdout_error)
    }
}

fn bold(color: AnsiColor) -> Style {
    Style::new().fg_color(Some(color.into())).bold()
}

/// `document` with every DEL and C1 character (which can only stand in
/// its strings) written as a JSON escape.
fn escape_json_controls(document: &str) -> std::borrow::Cow<'_, str> {
    let escaped = |c: char| c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c);
    if !document.chars().any(escaped) {
        return document.into();
    }
    document
        .chars()
        .map(|c| {
            if escaped(c) {
                format!("\\u{:04x}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// A message for stderr: control characters shown, no workflow command.
fn for_stderr(message: impl std::fmt::Display) -> String {
    let message = message.to_string();
    text::defuse_workflow_commands(&text::show_controls(&message)).into_owned()
}

fn to_stderr(label: &str, style: Style, message: impl std::fmt::Display) {
    let mut err = anstream::stderr().lock();
    let _ = writeln!(err, "{style}{label}{style:#}: {}", for_stderr(message));
}

/// `warning: …` on stderr.
pub(crate) fn warn(message: impl std::fmt::Display) {
    to_stderr("warning", bold(AnsiColor::Yellow), message);
}

/// `note: …` on stderr.
pub(crate) fn note(message: impl std::fmt::Display) {
    to_stderr("note", Style::new().bold(), message);
}

/// `hint: …` on stderr.
pub(crate) fn hint(message: impl std::fmt::Display) {
    to_stderr("hint", Style::new(), message);
}

/// `debug: …` on stderr (only called when debugging is on).
pub(crate) fn debug(message: impl std::fmt::Display) {
    to_stderr("debug", Style::new(), message);
}

/// A plain line on stderr: a command's closing summary.
pub(crate) fn say(message: impl std::fmt::Display) {
    let mut err = anstream::stderr().lock();
    let _ = writeln!(err, "{}", for_stderr(message));
}

/// One diagnostic on stderr, coloured on a terminal.
pub(crate) fn diagnostic(diagnostic: &Diagnostic) {
    let style = match diagnostic.level {
        Level::Error => bold(AnsiColor::Red),
        Level::Warning => bold(AnsiColor::Yellow),
    };
    to_stderr(
        diagnostic.level.into(),
        style,
        diagnostic.location_message(),
    );
}

/// `error: …` on stderr: something a command found, not an [`Error`].
pub(crate) fn error_message(message: impl std::fmt::Display) {
    to_stderr("error", bold(AnsiColor::Red), message);
}

/// An error that stopped a command, with its hint, on stderr.
pub fn error(error: &Error) {
    to_stderr("error", bold(AnsiColor::Red), error);
    if let Some(text) = error.hint() {
        hint(text);
    }
}

/// How a section joins what other steps wrote to the job summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Join {
    /// After a blank line (`review`, `digest`).
    BlankLine,
    /// Right after it (`check`'s section starts with its own heading).
    Direct,
}

/// Whether `GITHUB_STEP_SUMMARY` names a file to append to.
pub(crate) fn step_summary_wanted() -> bool {
    std::env::var_os("GITHUB_STEP_SUMMARY").is_some_and(|p| !p.is_empty())
}

/// Append Markdown to the GitHub Actions job summary when
/// `GITHUB_STEP_SUMMARY` names a file.
pub(crate) fn append_step_summary(markdown: &str, join: Join) -> Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let path = Path::new(&path);
    let shown = || path.display().to_string();
    let had_text = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Error::io(shown(), e))?;
    let text = if had_text && join == Join::BlankLine {
        format!("\n{markdown}")
    } else {
        markdown.to_string()
    };
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(shown(), e))
}
