//! What a commit message says about safeguards: `Postmortem-Safeguard`
//! trailers and GitHub closing references (`Fixes #123`,
//! `closes acme/shop#7`, `Fixes https://github.com/acme/shop/issues/7`).
//!
//! Everything here works on the raw message bytes, so the history scan can
//! reject the vast majority of commits with one cheap pass
//! ([`might_reference`]) before any real parsing or allocation.
//!
//! # Trailers, as git finds them
//!
//! [`find_trailers`] is a port of git's `trailer.c` (with `commit.c`'s
//! `ignored_log_message_bytes` and `wt-status.c`'s scissors search), and
//! lists what `git interpret-trailers --parse --no-divider` lists (values
//! read as UTF-8, invalid bytes replaced); a unit test holds it to that
//! with git as the oracle. Its rules:
//!
//! - The message ends before a scissors line
//!   (`# ------------------------ >8 ------------------------`, written with
//!   the comment string) and before the trailing run of comment lines, empty
//!   lines and old-style `Conflicts:` blocks (a `Conflicts:` line followed
//!   by tab-indented paths) that `git merge` and `git cherry-pick` used to
//!   write.
//! - The first paragraph is the title and is never trailers. The trailer
//!   block is the last paragraph, when all its lines are trailers, or when
//!   one of them is a trailer git writes itself (`Signed-off-by: `,
//!   `(cherry picked from commit `) and at least a quarter of them are
//!   trailers. Comment lines never count.
//! - A trailer is `Key: value` with a key of letters, digits and `-`
//!   (spaces or tabs allowed before the `:`). An indented line after a
//!   trailer continues it; the value is unfolded as `--parse` does (every
//!   line break and the whitespace after it become one space).
//! - "Whitespace" and "letters" are git's own locale-free classes: space,
//!   tab, `\n` and `\r`; ASCII letters and digits.
//! - The message is read as if it ended with a newline (as
//!   `interpret-trailers` reads its input); it ends at its first NUL byte.
//!
//! Comment lines start with the repository's comment string: git's default
//! is `#`; a repository that sets `core.commentChar` (or, since git 2.45,
//! `core.commentString`) uses that, and [`ParseOptions::from_git_config`]
//! turns the configured value into options. `auto` lets `git commit` pick a
//! character per message, so nothing about a committed message can be
//! known from it: it reads as `#`, which is what `interpret-trailers` and
//! `git log` use then (git keeps a value set earlier in the configuration;
//! a caller that tracks that can pass it instead). Committed messages
//! normally had their comments stripped already, so this matters only for
//! messages committed with `--cleanup=verbatim` or `whitespace`.
//!
//! A `---` line (the start of a patch in `git format-patch` output) does
//! *not* end a commit message: git's own readers of committed messages
//! (`git log --format=%(trailers)`, `for-each-ref`, the sequencer) all read
//! past it, and only `interpret-trailers` without `--no-divider` stops
//! there. [`ParseOptions::patch_divider`] asks for that behaviour.
//! Repository `trailer.<token>.key` settings, which let git count more
//! paragraphs as trailer blocks, are not read: keys are matched as written.
//!
//! # GitHub squash merges
//!
//! A squash merge made with GitHub's default message puts the PR title (and
//! ` (#N)`) on the subject line, then every commit of the PR as
//! `* subject` followed by that commit's body, the commits separated by a
//! blank line; trailers of every commit but the last end up mid-body, where
//! git does not look. With a single commit, GitHub uses that commit's body
//! as is. When the PR has several authors, GitHub appends their
//! `Co-authored-by:` trailers at the end, after a `---------` line of its
//! own (older GitHub: directly, as a last paragraph).
//!
//! [`parse`] therefore also reads, besides the message's own trailer block:
//!
//! - **The GitHub tail.** The message's trailer block (as git finds it) is
//!   a *tail* when the paragraph before it is exactly the line `---------`,
//!   or when the tail holds nothing but `Co-authored-by:` lines. The
//!   message before the tail (and its `---------` line) is read with git's
//!   rules as a message of its own.
//! - **Commit blocks.** A message is *squash-shaped* when the first
//!   non-blank line after its title paragraph starts with `* ` (star,
//!   space). Its body (up to the tail, if any) is split into blocks, each
//!   starting at a line that starts with `* ` and is either the first body
//!   line or directly after a blank line; every block is read with git's
//!   rules as a message of its own whose title is its `* subject`.
//!
//! Nothing else mid-body counts: a trailer-shaped line in a middle
//! paragraph, of a block or of a message, is prose. A bullet list in a
//! commit body starts blocks too, which is harmless unless a trailer-shaped
//! paragraph sits right before one. Trailers found twice (a block's last
//! paragraph can be the message's) count once.
//!
//! # Closing references
//!
//! [`closing_refs`] finds GitHub's closing keywords (`close`, `closes`,
//! `closed`, `fix`, `fixes`, `fixed`, `resolve`, `resolves`, `resolved`, in
//! any case, at the start of a word, optionally followed by `:`) and what
//! they close: `#N`, `owner/repo#N`, or the issue's URL
//! `https://HOST/OWNER/REPO/issues/N` (or `http://`; `issues` in lower
//! case). A URL counts only when it ends at `N`, give or take trailing
//! punctuation (`.,:;!?*_~'")]>`): a comment anchor (`#issuecomment-1`), a
//! query, a further path or a `/pull/N` URL never closes anything.
//! [`ClosingRef::names`] decides whether a reference names a given issue of
//! a given repository on a given host.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::LazyLock;

use memchr::memmem;
use regex::bytes::Regex;

/// The trailer key that ships a safeguard (compared case-insensitively).
pub(crate) const SAFEGUARD_TRAILER: &str = "Postmortem-Safeguard";

/// The host a repository lives on when nobody says otherwise.
pub(crate) const DEFAULT_GITHUB_HOST: &str = "github.com";

/// Trailers git itself writes; a last paragraph holding one of these counts
/// as a trailer block when at least a quarter of its lines are trailers.
const GIT_GENERATED_PREFIXES: [&[u8]; 2] = [b"Signed-off-by: ", b"(cherry picked from commit "];

/// The scissors line, after the comment string and a space.
const CUT_LINE: &[u8] = b"------------------------ >8 ------------------------";

/// The line GitHub writes between a squash message and the
/// `Co-authored-by` trailers it appends.
const GITHUB_TAIL_SEPARATOR: &[u8] = b"---------";

/// The key of the trailers GitHub appends for a PR's other authors.
const CO_AUTHORED_BY: &[u8] = b"Co-authored-by";

/// How to read a message: which lines are comments, and whether a `---`
/// line ends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseOptions {
    /// Never empty, never holds a newline.
    comment: Vec<u8>,
    patch_divider: bool,
}

impl Default for ParseOptions {
    /// Git's defaults for a committed message: `#` starts a comment, and a
    /// `---` line is part of the message.
    fn default() -> Self {
        ParseOptions {
            comment: b"#".to_vec(),
            patch_divider: false,
        }
    }
}

impl ParseOptions {
    /// The same as [`ParseOptions::default`].
    #[cfg(test)]
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Options for a repository whose `core.commentChar` (or
    /// `core.commentString`, whichever git reads last) is `value`: `None`,
    /// `auto` (any case) and values git itself rejects (empty, or holding a
    /// newline) read as git's default `#`.
    pub(crate) fn from_git_config(value: Option<&str>) -> Self {
        match value {
            Some(v) if !v.is_empty() && !v.contains('\n') && !v.eq_ignore_ascii_case("auto") => {
                ParseOptions {
                    comment: v.as_bytes().to_vec(),
                    ..Self::default()
                }
            }
            _ => Self::default(),
        }
    }

    /// These options with `c` as the comment character; a newline (which
    /// git refuses) keeps the current one.
    #[cfg(test)]
    pub(crate) fn with_comment_char(mut self, c: u8) -> Self {
        if c != b'\n' {
            self.comment = vec![c];
        }
        self
    }

    /// These options with `patch_divider` deciding whether a line starting
    /// with `---` and whitespace ends the message, as it does for
    /// `git interpret-trailers` without `--no-divider`.
    pub(crate) fn patch_divider(mut self, patch_divider: bool) -> Self {
        self.patch_divider = patch_divider;
        self
    }

    /// What starts a comment line.
    pub(crate) fn comment(&self) -> &[u8] {
        &self.comment
    }
}

/// A reference that closes a GitHub issue: `#123`, `owner/repo#123` or
/// `https://host/owner/repo/issues/123`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ClosingRef {
    /// `owner/repo`, lower-cased, when the reference names one.
    pub(crate) repo: Option<String>,
    pub(crate) number: u64,
    /// The host of a URL reference, lower-cased (with its `:port`, if the
    /// URL has one); `None` for `#N` and `owner/repo#N`. Only meaningful
    /// with `repo`: without one, the reference is a bare `#N`.
    pub(crate) host: Option<String>,
}

impl ClosingRef {
    /// `#number`, or `repo#number`.
    pub(crate) fn new(repo: Option<&str>, number: u64) -> Self {
        ClosingRef {
            repo: repo.map(str::to_ascii_lowercase),
            number,
            host: None,
        }
    }

    /// `https://host/repo/issues/number`. `host` may also be given as a
    /// server URL (`https://github.com/`), as `GITHUB_SERVER_URL` holds it.
    pub(crate) fn url(host: &str, repo: &str, number: u64) -> Self {
        ClosingRef {
            repo: Some(repo.to_ascii_lowercase()),
            number,
            host: Some(host_of(host)),
        }
    }
}

impl fmt::Display for ClosingRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.host, &self.repo) {
            (Some(host), Some(repo)) => write!(f, "https://{host}/{repo}/issues/{}", self.number),
            (None, Some(repo)) => write!(f, "{repo}#{}", self.number),
            (_, None) => write!(f, "#{}", self.number),
        }
    }
}

impl FromStr for ClosingRef {
    type Err = String;

    /// Every form [`Display`](fmt::Display) writes: `#N`, `owner/repo#N`
    /// and `https://host/owner/repo/issues/N` (`http://` too).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || format!("`{s}` is not an issue reference");
        let number = |n: &str| -> Result<u64, String> {
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            n.parse().map_err(|_| err())
        };
        if let Some(rest) = strip_prefix_ignore_case(s, "https://")
            .or_else(|| strip_prefix_ignore_case(s, "http://"))
        {
            let (host, path) = rest.split_once('/').ok_or_else(err)?;
            let (slug, n) = path.rsplit_once('/').ok_or_else(err)?;
            let slug = slug.strip_suffix("/issues").ok_or_else(err)?;
            if !is_host(host) || !is_repo_slug(slug) {
                return Err(err());
            }
            return Ok(ClosingRef::url(host, slug, number(n)?));
        }
        let (repo, n) = s.rsplit_once('#').ok_or_else(err)?;
        let number = number(n)?;
        match repo {
            "" => Ok(ClosingRef::new(None, number)),
            r if is_repo_slug(r) => Ok(ClosingRef::new(Some(r), number)),
            _ => Err(err()),
        }
    }
}

/// The host of a host or server URL, lower-cased: `https://GHE.example/`
/// → `ghe.example`.
pub(crate) fn host_of(server: &str) -> String {
    let server = server.trim();
    let rest = strip_prefix_ignore_case(server, "https://")
        .or_else(|| strip_prefix_ignore_case(server, "http://"))
        .unwrap_or(server);
    rest.split('/').next().unwrap_or(rest).to_ascii_lowercase()
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// `owner/repo`: two non-empty parts of letters, digits, `-`, `_`, `.`.
fn is_repo_slug(s: &str) -> bool {
    let part = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
    };
    matches!(s.split_once('/'), Some((owner, repo)) if part(owner) && part(repo))
}

/// A host name, optionally with `:port`.
fn is_host(s: &str) -> bool {
    let (name, port) = match s.split_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (s, None),
    };
    name.bytes()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.'))
        && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
}

/// Everything one commit message says about safeguards.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MessageRefs {
    /// Values of `Postmortem-Safeguard` trailers, trimmed and unfolded, in
    /// message order: the message's trailer block, and those of a squash
    /// merge's commit blocks.
    pub(crate) trailers: Vec<String>,
    /// Closing references anywhere in the message.
    pub(crate) closes: Vec<ClosingRef>,
}

impl MessageRefs {
    pub(crate) fn is_empty(&self) -> bool {
        self.trailers.is_empty() && self.closes.is_empty()
    }
}

/// What the prefilter looks for when a message has no `#`: the path of an
/// issue URL.
static ISSUES_PATH: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b"/issues/"));

/// The one cheap pass over a message: could it hold a safeguard trailer
/// (the key appears, in any case) or a closing reference (a `#`, or
/// `/issues/`, appears)? `(trailer, closing)`; both false for almost every
/// commit.
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
    let closing = hash || ISSUES_PATH.find(message).is_some();
    (trailer, closing)
}

/// Parse a message that [`might_reference`] let through, with git's
/// default options ([`ParseOptions::default`]).
#[cfg(test)]
pub(crate) fn parse(message: &[u8], trailer: bool, closing: bool) -> MessageRefs {
    parse_with(message, trailer, closing, &ParseOptions::default())
}

/// Parse a message that [`might_reference`] let through: the safeguard
/// trailers of the message and of its squash blocks (see the module doc),
/// and its closing references.
pub(crate) fn parse_with(
    message: &[u8],
    trailer: bool,
    closing: bool,
    options: &ParseOptions,
) -> MessageRefs {
    let mut refs = MessageRefs::default();
    if trailer {
        refs.trailers = safeguard_trailers(message, options);
    }
    if closing {
        refs.closes = closing_refs(message);
    }
    refs
}

/// Every trailer of a message as `(key, value)`, exactly as
/// `git interpret-trailers --parse --no-divider` lists them with git's
/// default options (see the module doc). Keys are as written (without the
/// spaces before the `:`), values trimmed and unfolded.
#[cfg(test)]
pub(crate) fn find_trailers(message: &[u8]) -> Vec<(&[u8], String)> {
    find_trailers_with(message, &ParseOptions::default())
}

/// [`find_trailers`] with `options`: the comment string, and whether a
/// `---` line ends the message (`git interpret-trailers --parse` without
/// `--no-divider`).
pub(crate) fn find_trailers_with<'m>(
    message: &'m [u8],
    options: &ParseOptions,
) -> Vec<(&'m [u8], String)> {
    let buf = until_nul(message);
    trailers_of(buf, options)
        .into_iter()
        .map(|t| (&buf[t.key], t.value))
        .collect()
}

/// The values of the safeguard trailers of the message, of the message
/// before its GitHub tail and of its squash blocks, in message order, each
/// once.
fn safeguard_trailers(message: &[u8], options: &ParseOptions) -> Vec<String> {
    let buf = until_nul(message);
    let mut found = trailers_of(buf, options);
    for block in extra_blocks(buf, options) {
        found.extend(
            trailers_of(&buf[block.clone()], options)
                .into_iter()
                .map(|t| Trailer {
                    key: t.key.start + block.start..t.key.end + block.start,
                    value: t.value,
                }),
        );
    }
    found.sort_by_key(|t| t.key.start);
    found.dedup_by_key(|t| t.key.start);
    found
        .into_iter()
        .filter(|t| buf[t.key.clone()].eq_ignore_ascii_case(SAFEGUARD_TRAILER.as_bytes()))
        .map(|t| t.value)
        .filter(|value| !value.is_empty())
        .collect()
}

/// The message `git commit` records from the message file it hands the
/// `commit-msg` hook, as its `--cleanup=strip` (the default when an editor
/// ran) does: everything from the scissors line on cut, and every line that
/// starts with the comment string removed.
pub(crate) fn strip_comments(message: &[u8], options: &ParseOptions) -> Vec<u8> {
    let buf = until_nul(message);
    let end = scissors(buf, buf.len(), &options.comment);
    let mut kept = Vec::with_capacity(end);
    let mut at = 0;
    while at < end {
        let next = next_line(buf, at).min(end);
        if !buf[at..next].starts_with(&options.comment) {
            kept.extend_from_slice(&buf[at..next]);
        }
        at = next;
    }
    kept
}

/// The message as git's C code sees it: up to its first NUL byte.
fn until_nul(message: &[u8]) -> &[u8] {
    memchr::memchr(0, message).map_or(message, |nul| &message[..nul])
}

// ---------------------------------------------------------------------------
// A port of git's trailer.c. Offsets are byte offsets into `buf`; `buf` is
// read as if it ended with a newline, as `interpret-trailers` completes its
// input with one.

/// One trailer: where its key is, and its unfolded value.
#[derive(Debug)]
struct Trailer {
    key: Range<usize>,
    value: String,
}

/// git's `isspace`: space, tab, `\n` and `\r` only.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// git's `strbuf_trim`.
fn trim(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !is_space(*first) {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !is_space(*last) {
            break;
        }
        s = rest;
    }
    s
}

/// Where the line after the one at `at` starts (`buf.len()` at the end).
fn next_line(buf: &[u8], at: usize) -> usize {
    memchr::memchr(b'\n', &buf[at..]).map_or(buf.len(), |i| at + i + 1)
}

/// The line at `at`, without its `\n`.
fn line_at(buf: &[u8], at: usize) -> &[u8] {
    let rest = &buf[at..];
    memchr::memchr(b'\n', rest).map_or(rest, |i| &rest[..i])
}

/// git's `is_blank_line`: only whitespace up to the end of the line.
fn is_blank_line(buf: &[u8], at: usize) -> bool {
    line_at(buf, at).iter().all(|&c| is_space(c))
}

/// git's `last_line`: the start of the last line of `buf[..len]`, the last
/// character counting as part of that line even when it is a `\n`.
fn last_line(buf: &[u8], len: usize) -> Option<usize> {
    match len {
        0 => None,
        1 => Some(0),
        _ => Some(memchr::memrchr(b'\n', &buf[..len - 1]).map_or(0, |i| i + 1)),
    }
}

/// git's `find_separator` with `:` as the only separator: where the `:` of
/// `Key: value` is, when `line` (read up to its end) is shaped like that;
/// `Some(0)` when the line starts with `:`.
fn find_separator(line: &[u8]) -> Option<usize> {
    let mut whitespace_found = false;
    for (i, &c) in line.iter().enumerate() {
        if c == b':' {
            return Some(i);
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

/// Whether the line at `at` is exactly `what` (followed by `\n` or the end).
fn line_is(buf: &[u8], at: usize, what: &[u8]) -> bool {
    buf[at..].starts_with(what) && buf.get(at + what.len()).is_none_or(|&c| c == b'\n')
}

/// git's `wt_status_locate_end`: where the scissors line starts, or `len`.
fn scissors(buf: &[u8], len: usize, comment: &[u8]) -> usize {
    // "\n" + comment + " " + cut line, followed by "\n" (or the end).
    let mut pattern = Vec::with_capacity(comment.len() + CUT_LINE.len() + 2);
    pattern.push(b'\n');
    pattern.extend_from_slice(comment);
    pattern.push(b' ');
    pattern.extend_from_slice(CUT_LINE);
    if line_is(buf, 0, &pattern[1..]) {
        return 0;
    }
    memmem::find_iter(buf, &pattern)
        .find(|&p| line_is(buf, p + 1, &pattern[1..]))
        .map_or(len, |p| (p + 1).min(len))
}

/// git's `ignored_log_message_bytes`: how many bytes at the end of
/// `buf[..len]` are not part of the message (the scissors and below, and a
/// trailing run of comment lines, empty lines and `Conflicts:` blocks).
fn ignored_log_message_bytes(buf: &[u8], len: usize, comment: &[u8]) -> usize {
    // Offset 0 doubles as "none", as in git.
    let mut boc = 0;
    let mut bol = 0;
    let mut in_old_conflicts_block = false;
    let cutoff = scissors(buf, len, comment);
    while bol < cutoff {
        let next = memchr::memchr(b'\n', &buf[bol..len]).map_or(len, |i| bol + i + 1);
        if buf[bol..cutoff].starts_with(comment) || buf[bol] == b'\n' {
            if boc == 0 {
                boc = bol;
            }
        } else if line_is(buf, bol, b"Conflicts:") {
            in_old_conflicts_block = true;
            if boc == 0 {
                boc = bol;
            }
        } else if in_old_conflicts_block && buf[bol] == b'\t' {
            // A path in the conflicts block.
        } else if boc != 0 {
            boc = 0;
            in_old_conflicts_block = false;
        }
        bol = next;
    }
    if boc != 0 {
        len - boc
    } else {
        len - cutoff
    }
}

/// git's `find_end_of_log_message`: where the message proper ends.
fn end_of_log_message(buf: &[u8], options: &ParseOptions) -> usize {
    let mut end = buf.len();
    if options.patch_divider {
        let mut s = 0;
        while s < buf.len() {
            if buf[s..].starts_with(b"---") && buf.get(s + 3).is_none_or(|&c| is_space(c)) {
                end = s;
                break;
            }
            s = next_line(buf, s);
        }
    }
    end - ignored_log_message_bytes(buf, end, &options.comment)
}

/// Where the title paragraph ends: the first blank line that is not a
/// comment, or `len`.
fn end_of_title(buf: &[u8], len: usize, comment: &[u8]) -> usize {
    let mut s = 0;
    while s < len {
        if !buf[s..len].starts_with(comment) && is_blank_line(buf, s) {
            break;
        }
        s = next_line(buf, s);
    }
    s
}

/// git's `find_trailer_block_start`: where the trailer block of
/// `buf[..len]` starts, or `len` when there is none.
fn trailer_block_start(buf: &[u8], len: usize, comment: &[u8]) -> usize {
    let title_end = end_of_title(buf, len, comment);
    let mut only_spaces = true;
    let mut recognized_prefix = false;
    let mut trailer_lines = 0usize;
    let mut non_trailer_lines = 0usize;
    // Indented lines seen since the last trailer: continuations of the
    // trailer above them, or non-trailers when a non-trailer is above.
    let mut possible_continuation_lines = 0usize;

    let mut line = last_line(buf, len);
    while let Some(bol) = line.filter(|&l| l >= title_end) {
        line = last_line(buf, bol);
        if buf[bol..len].starts_with(comment) {
            non_trailer_lines += possible_continuation_lines;
            possible_continuation_lines = 0;
            continue;
        }
        if is_blank_line(buf, bol) {
            if only_spaces {
                continue;
            }
            non_trailer_lines += possible_continuation_lines;
            let is_block = (recognized_prefix && trailer_lines * 3 >= non_trailer_lines)
                || (trailer_lines > 0 && non_trailer_lines == 0);
            return if is_block { next_line(buf, bol) } else { len };
        }
        only_spaces = false;
        if GIT_GENERATED_PREFIXES
            .iter()
            .any(|p| buf[bol..].starts_with(p))
        {
            trailer_lines += 1;
            possible_continuation_lines = 0;
            recognized_prefix = true;
            continue;
        }
        let starts_with_space = is_space(buf[bol]);
        if find_separator(&buf[bol..]).is_some_and(|sep| sep >= 1) && !starts_with_space {
            trailer_lines += 1;
            possible_continuation_lines = 0;
        } else if starts_with_space {
            possible_continuation_lines += 1;
        } else {
            non_trailer_lines += 1 + possible_continuation_lines;
            possible_continuation_lines = 0;
        }
    }
    len
}

/// git's `unfold_value`, after `strbuf_trim`: every line break and the
/// whitespace after it become one space.
fn unfold(value: &[u8]) -> String {
    let value = trim(value);
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        let c = value[i];
        i += 1;
        if c == b'\n' {
            while i < value.len() && is_space(value[i]) {
                i += 1;
            }
            out.push(b' ');
        } else {
            out.push(c);
        }
    }
    String::from_utf8_lossy(trim(&out)).into_owned()
}

/// The trailers of `buf`, as `git interpret-trailers --parse` lists them:
/// git's `trailer_block_get` and `parse_trailers`.
fn trailers_of(buf: &[u8], options: &ParseOptions) -> Vec<Trailer> {
    let comment = options.comment();
    let end = end_of_log_message(buf, options);
    let start = trailer_block_start(buf, end, comment);

    // The block's lines, each continuation line joined to the trailer
    // before it: (start of the first line, end of the last one).
    let mut items: Vec<Range<usize>> = Vec::new();
    let mut last_is_trailer = false;
    let mut at = start;
    while at < end {
        let next = memchr::memchr(b'\n', &buf[at..end]).map_or(end, |i| at + i + 1);
        if last_is_trailer && is_space(buf[at]) {
            if let Some(item) = items.last_mut() {
                item.end = next;
            }
        } else {
            items.push(at..next);
            last_is_trailer = find_separator(&buf[at..next]).is_some_and(|sep| sep >= 1);
        }
        at = next;
    }

    items
        .into_iter()
        .filter(|item| !buf[item.clone()].starts_with(comment))
        .filter_map(|item| {
            let text = &buf[item.clone()];
            let sep = find_separator(text).filter(|&sep| sep >= 1)?;
            let key_len = trim(&text[..sep]).len();
            Some(Trailer {
                key: item.start..item.start + key_len,
                value: unfold(&text[sep + 1..]),
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------
// GitHub squash merges.

/// The parts of a message, besides the message itself, whose trailer
/// blocks count: the message before a GitHub tail, or each commit block of
/// a squash-shaped message (see the module doc).
fn extra_blocks(buf: &[u8], options: &ParseOptions) -> Vec<Range<usize>> {
    let comment = options.comment();
    let text = &buf[..end_of_log_message(buf, options)];
    let title_end = end_of_title(text, text.len(), comment);
    if title_end >= text.len() {
        return Vec::new();
    }
    let mut body = next_line(text, title_end);
    while body < text.len() && is_blank_line(text, body) {
        body = next_line(text, body);
    }
    if body >= text.len() {
        return Vec::new();
    }
    let tail = github_tail(text, body, comment);
    let content_end = tail.unwrap_or(text.len());

    if !text[body..].starts_with(b"* ") {
        // Not a squash: the message before the tail, if there is one.
        return tail.map(|end| 0..end).into_iter().collect();
    }
    let mut blocks: Vec<Range<usize>> = Vec::new();
    let mut after_blank = false;
    let mut at = body;
    while at < content_end {
        if at == body || (after_blank && text[at..].starts_with(b"* ")) {
            if let Some(block) = blocks.last_mut() {
                block.end = at;
            }
            blocks.push(at..content_end);
        }
        after_blank = is_blank_line(text, at);
        at = next_line(text, at);
    }
    blocks
}

/// Where GitHub's tail starts (its `---------` line, or its paragraph of
/// `Co-authored-by` trailers) in `text` whose body starts at `body`.
fn github_tail(text: &[u8], body: usize, comment: &[u8]) -> Option<usize> {
    let len = text.len();
    let block = trailer_block_start(text, len, comment);
    if block >= len || block <= body {
        return None;
    }
    // The paragraph before the trailer block: is it GitHub's separator?
    let mut above = last_line(text, block)?;
    while is_blank_line(text, above) && above > body {
        above = last_line(text, above)?;
    }
    let separator_above = above >= body
        && line_at(text, above) == GITHUB_TAIL_SEPARATOR
        && (above == body || last_line(text, above).is_some_and(|l| is_blank_line(text, l)));
    if separator_above {
        return Some(above);
    }
    // Or is the trailer block nothing but co-authors?
    let mut at = block;
    while at < len {
        let line = line_at(text, at);
        let co_author = line.get(..CO_AUTHORED_BY.len() + 1).is_some_and(|key| {
            key[..CO_AUTHORED_BY.len()].eq_ignore_ascii_case(CO_AUTHORED_BY)
                && key[CO_AUTHORED_BY.len()] == b':'
        });
        if !co_author && !is_blank_line(text, at) {
            return None;
        }
        at = next_line(text, at);
    }
    Some(block)
}

// ---------------------------------------------------------------------------
// Closing references.

/// GitHub's closing keywords, then `#N`, `owner/repo#N` or the start of an
/// issue URL up to its number. The keyword must start a word and a `#N`
/// must end one, so `prefix #1` and `#12` in `#123` do not count; a URL's
/// end is checked by [`url_ends_at_number`]. ASCII-only, case-insensitive
/// but for the URL's `issues`.
#[allow(clippy::expect_used, reason = "a constant pattern, tested")]
static CLOSING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i-u)\b(?:fix|fixes|fixed|close|closes|closed|resolve|resolves|resolved)(?:[ \t]*:[ \t]*|[ \t]+)(?:([a-z0-9][a-z0-9_.-]*/[a-z0-9_.-]+)?#([0-9]+)\b|https?://([a-z0-9][a-z0-9.-]*(?::[0-9]+)?)/([a-z0-9][a-z0-9_.-]*/[a-z0-9_.-]+)/(?-i:issues)/([0-9]+))",
    )
    .expect("closing-reference pattern is valid")
});

/// Whether an issue URL whose number ends just before `rest` ends there:
/// nothing follows but trailing punctuation, up to whitespace, `<` or the
/// end, as GitHub's autolinker trims it.
fn url_ends_at_number(rest: &[u8]) -> bool {
    let word_end = rest
        .iter()
        .position(|&c| c.is_ascii_whitespace() || c == b'<')
        .unwrap_or(rest.len());
    rest[..word_end]
        .iter()
        .all(|c| b".,:;!?*_~'\")]>".contains(c))
}

/// Every closing reference in a message, in order, without duplicates.
pub(crate) fn closing_refs(message: &[u8]) -> Vec<ClosingRef> {
    let mut refs: Vec<ClosingRef> = Vec::new();
    for caps in CLOSING.captures_iter(message) {
        let found = if let Some(number) = caps.get(2) {
            let Ok(number) = String::from_utf8_lossy(number.as_bytes()).parse() else {
                continue;
            };
            let repo = caps.get(1).map(|m| String::from_utf8_lossy(m.as_bytes()));
            ClosingRef::new(repo.as_deref(), number)
        } else {
            let (Some(host), Some(repo), Some(number)) = (caps.get(3), caps.get(4), caps.get(5))
            else {
                continue;
            };
            if !url_ends_at_number(&message[number.end()..]) {
                continue;
            }
            let Ok(number) = String::from_utf8_lossy(number.as_bytes()).parse() else {
                continue;
            };
            ClosingRef::url(
                &String::from_utf8_lossy(host.as_bytes()),
                &String::from_utf8_lossy(repo.as_bytes()),
                number,
            )
        };
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
        trailers_with(message, &ParseOptions::default())
    }

    fn trailers_with(message: &str, options: &ParseOptions) -> Vec<(String, String)> {
        find_trailers_with(message.as_bytes(), options)
            .into_iter()
            .map(|(k, v)| (String::from_utf8_lossy(k).into_owned(), v))
            .collect()
    }

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    fn safeguards(message: &str) -> Vec<String> {
        parse(message.as_bytes(), true, false).trailers
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
        assert!(safeguards(m).is_empty());
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
    fn a_value_folded_onto_the_next_line_is_found() {
        let m = "Add env check\n\nPostmortem-Safeguard:\n  2026-11-24-x/S1\n";
        assert_eq!(safeguards(m), ["2026-11-24-x/S1"]);
        let m =
            "Add env check\n\nPostmortem-Safeguard:\n\t2026-11-24-x/S1\nSigned-off-by: D <d@e>\n";
        assert_eq!(safeguards(m), ["2026-11-24-x/S1"]);
        // Folded values join with one space, as `--parse` prints them.
        let m = "S\n\nPostmortem-Safeguard: 2026-11-24-x/\n   S1\n";
        assert_eq!(safeguards(m), ["2026-11-24-x/ S1"]);
        // An indented line after a non-trailer is not a continuation.
        let m = "S\n\nprose\n  Postmortem-Safeguard: a/S1\n";
        assert!(safeguards(m).is_empty());
    }

    #[test]
    fn an_old_conflicts_block_after_the_trailers_is_ignored() {
        let m = "Merge branch 'x'\n\nPostmortem-Safeguard: 2026-11-24-x/S1\n\nConflicts:\n\tsrc/a.rs\n\tsrc/b.rs\n";
        assert_eq!(safeguards(m), ["2026-11-24-x/S1"]);
        // Directly below the trailers, and commented out.
        let m = "Pick\n\nPostmortem-Safeguard: a/S1\n(cherry picked from commit 0123abc)\nConflicts:\n\tsrc/a.rs\n";
        assert_eq!(safeguards(m), ["a/S1"]);
        let m = "Pick\n\nPostmortem-Safeguard: a/S1\n\n# Conflicts:\n#\tsrc/a.rs\n";
        assert_eq!(safeguards(m), ["a/S1"]);
        // Text after the block makes it part of the message again.
        let m = "Pick\n\nPostmortem-Safeguard: a/S1\n\nConflicts:\n\tsrc/a.rs\nprose\n";
        assert!(safeguards(m).is_empty());
    }

    #[test]
    fn stripping_comments_keeps_what_git_commit_records() {
        let scissors = "# ------------------------ >8 ------------------------\n";
        let file = format!(
            "Subject\n# Please enter the commit message\n\nBody\n#Postmortem-Safeguard: a/S9\nPostmortem-Safeguard: a/S1\n{scissors}diff --git a/x b/x\n"
        );
        let stripped = strip_comments(file.as_bytes(), &ParseOptions::default());
        assert_eq!(
            String::from_utf8_lossy(&stripped),
            "Subject\n\nBody\nPostmortem-Safeguard: a/S1\n"
        );
        let semicolon = ParseOptions::from_git_config(Some(";"));
        let stripped = strip_comments(b"Subject\n\n#1 is kept\n; dropped\n", &semicolon);
        assert_eq!(
            String::from_utf8_lossy(&stripped),
            "Subject\n\n#1 is kept\n"
        );
    }

    #[test]
    fn the_scissors_line_ends_the_message() {
        let scissors = "# ------------------------ >8 ------------------------\n";
        let m = format!(
            "Subject\n\nPostmortem-Safeguard: a/S1\n{scissors}# Do not modify.\ndiff --git a/x b/x\n\nKey: v\n"
        );
        assert_eq!(safeguards(&m), ["a/S1"]);
        let m = format!("Subject\n\nBody\n{scissors}\nPostmortem-Safeguard: a/S1\n");
        assert!(safeguards(&m).is_empty());
        // Written with another comment character, it is just a line.
        let semi = ParseOptions::new().with_comment_char(b';');
        let m = format!("Subject\n\nBody\n{scissors}\nPostmortem-Safeguard: a/S1\n");
        assert_eq!(
            trailers_with(&m, &semi),
            [pair("Postmortem-Safeguard", "a/S1")]
        );
        let m =
            "Subject\n\nBody\n; ------------------------ >8 ------------------------\n\nKey: v\n";
        assert!(trailers_with(m, &semi).is_empty());
    }

    #[test]
    fn comment_lines_follow_the_comment_char() {
        let m = "Subject\n\nKey: v\n# Other: w\n";
        assert_eq!(trailers(m), [pair("Key", "v")]);
        let semi = ParseOptions::from_git_config(Some(";"));
        assert_eq!(semi.comment(), b";");
        let m = "Subject\n\nKey: v\n; Other: w\n; more\n";
        assert_eq!(trailers_with(m, &semi), [pair("Key", "v")]);
        let parsed = parse_with(
            b"S\n\nPostmortem-Safeguard: a/S1\n; x\n",
            true,
            false,
            &semi,
        );
        assert_eq!(parsed.trailers, ["a/S1"]);
        // With `;` comments, a `#` line is prose.
        assert!(trailers_with("Subject\n\nKey: v\n# note\n", &semi).is_empty());
        for value in [None, Some("auto"), Some("AUTO"), Some(""), Some("a\nb")] {
            assert_eq!(
                ParseOptions::from_git_config(value),
                ParseOptions::default()
            );
        }
        let slashes = ParseOptions::from_git_config(Some("//"));
        assert_eq!(slashes.comment(), b"//");
        assert_eq!(
            trailers_with("S\n\nKey: v\n// c\n", &slashes),
            [pair("Key", "v")]
        );
        assert!(trailers_with("S\n\nKey: v\n/ c\n", &slashes).is_empty());
    }

    #[test]
    fn the_patch_divider_counts_only_when_asked() {
        // A commit message goes on past `---`: its last paragraph is
        // `---` and `Other: w`, not all trailers.
        let m = "Subject\n\nKey: v\n\n---\nOther: w\n";
        assert!(trailers(m).is_empty());
        let divider = ParseOptions::new().patch_divider(true);
        assert_eq!(trailers_with(m, &divider), [pair("Key", "v")]);
        let m = "Subject\n\nKey: v\n\nOther: w\n---\n";
        assert!(trailers(m).is_empty());
        assert_eq!(trailers_with(m, &divider), [pair("Other", "w")]);
    }

    #[test]
    fn a_message_ends_at_a_nul_byte() {
        assert!(find_trailers(b"S\n\nKey\0: v\n").is_empty());
        assert_eq!(find_trailers(b"S\n\nKey: v\n\0Other: w\n").len(), 1);
    }

    // GitHub's default squash messages (`COMMIT_MESSAGES`).

    #[test]
    fn a_squash_of_one_commit_is_that_commit() {
        let m = "Add env check (#42)\n\nCheck the environment first.\n\nPostmortem-Safeguard: 2026-11-24-x/S1\n";
        assert_eq!(safeguards(m), ["2026-11-24-x/S1"]);
        // Co-authors appended after GitHub's separator.
        let m = "Add env check (#42)\n\nCheck the environment first.\n\nPostmortem-Safeguard: 2026-11-24-x/S1\n\n---------\n\nCo-authored-by: Dana <d@example.com>\n";
        assert_eq!(safeguards(m), ["2026-11-24-x/S1"]);
        // Co-authors appended directly, as older GitHub did.
        let m = "Add env check (#42)\n\nPostmortem-Safeguard: 2026-11-24-x/S1\n\nCo-authored-by: Dana <d@example.com>\nCo-authored-by: Eli <e@example.com>\n";
        assert_eq!(safeguards(m), ["2026-11-24-x/S1"]);
        // Only the tail is taken off: the paragraph above it must still be
        // the last paragraph, and a trailer block.
        let m = "Add env check (#42)\n\nPostmortem-Safeguard: a/S1\n\nprose\n\n---------\n\nCo-authored-by: Dana <d@example.com>\n";
        assert!(safeguards(m).is_empty());
        let m = "Add env check (#42)\n\nprose\nPostmortem-Safeguard: a/S1\n\nCo-authored-by: Dana <d@example.com>\n";
        assert!(safeguards(m).is_empty());
        // A last paragraph of other trailers is no tail.
        let m =
            "Add env check\n\nPostmortem-Safeguard: a/S1\n\nReviewed-by: Dana <d@example.com>\n";
        assert!(safeguards(m).is_empty());
    }

    #[test]
    fn a_squash_of_several_commits_reads_every_commit() {
        let m = "Add env check (#42)\n\n\
* Add env check\n\n\
Postmortem-Safeguard: 2026-11-24-x/S1\n\n\
* Fix typo\n\n\
Co-authored-by: Dana <d@example.com>\n";
        assert_eq!(safeguards(m), ["2026-11-24-x/S1"]);

        let m = "Harden deploys (#7)\n\n\
* Add env check\n\n\
Checks the environment before the deploy starts.\n\n\
Postmortem-Safeguard: 2026-11-24-x/S1\n\
Signed-off-by: Dana <d@example.com>\n\n\
* Fix typo\n\n\
* Add rollback\n\n\
Postmortem-Safeguard: 2026-11-24-x/S2\n\n\
---------\n\n\
Co-authored-by: Dana <d@example.com>\n\
Co-authored-by: Eli <e@example.com>\n";
        assert_eq!(safeguards(m), ["2026-11-24-x/S1", "2026-11-24-x/S2"]);

        // Without co-authors, the last commit's trailers are the message's:
        // found once.
        let m = "Harden deploys (#7)\n\n* One\n\nPostmortem-Safeguard: a/S1\n\n* Two\n\nPostmortem-Safeguard: a/S2\n";
        assert_eq!(safeguards(m), ["a/S1", "a/S2"]);
        // Folded values inside a block.
        let m = "T (#7)\n\n* One\n\nPostmortem-Safeguard:\n  a/S1\n\n* Two\n";
        assert_eq!(safeguards(m), ["a/S1"]);
    }

    #[test]
    fn a_squash_counts_only_each_commits_last_paragraph() {
        // A trailer-shaped line in a middle paragraph of a commit is prose.
        let m = "T (#7)\n\n* One\n\nPostmortem-Safeguard: a/S1\n\nMore prose.\n\n* Two\n";
        assert!(safeguards(m).is_empty());
        // A commit's subject paragraph is its title, never trailers.
        let m = "T (#7)\n\n* Postmortem-Safeguard: a/S1\n\n* Two\n";
        assert!(safeguards(m).is_empty());
        let m = "T (#7)\n\n* One\nPostmortem-Safeguard: a/S1\n\n* Two\n";
        assert!(safeguards(m).is_empty());
        // A bullet that is not after a blank line does not start a commit.
        let m = "T (#7)\n\n* One\n\nPostmortem-Safeguard: a/S1\n* Two\n\nprose\n";
        assert!(safeguards(m).is_empty());
    }

    #[test]
    fn a_message_not_shaped_like_a_squash_is_read_as_git_reads_it() {
        // The body does not start with a bullet: bullets further down do
        // not split it.
        let m = "Subject\n\nIntro.\n\nPostmortem-Safeguard: a/S1\n\n* item\n";
        assert!(safeguards(m).is_empty());
        let m = "Subject\n\n- One\n\nPostmortem-Safeguard: a/S1\n\n- Two\n";
        assert!(safeguards(m).is_empty());
        let m = "Subject\n\n*One\n\nPostmortem-Safeguard: a/S1\n\n*Two\n";
        assert!(safeguards(m).is_empty());
    }

    #[test]
    fn the_prefilter_sees_keys_in_any_case_hashes_and_issue_urls() {
        assert_eq!(might_reference(b"Fix typo"), (false, false));
        assert_eq!(
            might_reference(b"x\n\nPOSTMORTEM-Safeguard: a/S1"),
            (true, false)
        );
        assert_eq!(might_reference(b"Merge pull request #4"), (false, true));
        assert_eq!(might_reference(b"postmortem-safeguar"), (false, false));
        assert_eq!(
            might_reference(b"Fixes https://github.com/acme/shop/issues/7"),
            (false, true)
        );
        assert_eq!(
            might_reference(b"See https://github.com/acme/shop/pull/7"),
            (false, false)
        );
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
        assert_eq!(
            numbers("Closed #1 Resolve #2 resolved #3 FIXED #4 closes #5"),
            ["#1", "#2", "#3", "#4", "#5"]
        );
        assert!(numbers("Fixing #1, closing #2, addresses #3, refs #4").is_empty());
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
    fn closing_refs_accept_issue_urls() {
        assert_eq!(
            numbers("Fixes https://github.com/Acme/Shop/issues/123"),
            ["https://github.com/acme/shop/issues/123"]
        );
        assert_eq!(
            numbers("fixes: HTTPS://GitHub.com/acme/shop/issues/7."),
            ["https://github.com/acme/shop/issues/7"]
        );
        assert_eq!(
            numbers("Closes http://ghe.corp.example:8443/team/app.js/issues/9)"),
            ["https://ghe.corp.example:8443/team/app.js/issues/9"]
        );
        assert_eq!(
            numbers("Resolves https://github.com/a/b/issues/1, fixes #2\n"),
            ["https://github.com/a/b/issues/1", "#2"]
        );
        let refs = closing_refs(b"Fixes https://github.com/Acme/Shop/issues/5");
        assert_eq!(
            refs,
            [ClosingRef {
                repo: Some("acme/shop".into()),
                number: 5,
                host: Some("github.com".into()),
            }]
        );
    }

    #[test]
    fn closing_refs_refuse_urls_that_are_not_an_issue() {
        for m in [
            "Fixes https://github.com/acme/shop/pull/12",
            "Fixes https://github.com/acme/shop/issues/12#issuecomment-1",
            "Fixes https://github.com/acme/shop/issues/12/",
            "Fixes https://github.com/acme/shop/issues/12?x=1",
            "Fixes https://github.com/acme/shop/issues/12.5",
            "Fixes https://github.com/acme/shop/issues/12abc",
            "Fixes https://github.com/acme/shop/Issues/12",
            "Fixes https://github.com/acme/issues/12",
            "Fixes https://github.com/acme/shop/sub/issues/12",
            "Fixes ftp://github.com/acme/shop/issues/12",
            "Fixes github.com/acme/shop/issues/12",
            "Prefixes https://github.com/acme/shop/issues/12",
            "See https://github.com/acme/shop/issues/12",
        ] {
            assert!(numbers(m).is_empty(), "{m}");
        }
    }

    #[test]
    fn closing_refs_round_trip_through_strings() {
        for s in [
            "#7",
            "acme/shop#123",
            "https://github.com/acme/shop/issues/5",
            "https://ghe.example:8443/a.b/c-d/issues/9",
        ] {
            let r: ClosingRef = s.parse().expect("parses");
            assert_eq!(r.to_string(), s);
        }
        assert_eq!(
            "http://GitHub.com/Acme/Shop/issues/5"
                .parse::<ClosingRef>()
                .expect("parses"),
            ClosingRef::url("github.com", "acme/shop", 5)
        );
        for bad in [
            "acme#1",
            "#x",
            "#+1",
            "#",
            "https://github.com/acme/shop/pull/5",
            "https://github.com/acme/shop/issues/",
            "https://github.com/acme/issues/5",
            "https:///acme/shop/issues/5",
            "https://github.com/acme/shop/issues/5/",
        ] {
            assert!(bad.parse::<ClosingRef>().is_err(), "{bad}");
        }
        // What the scan finds, the cache can store and restore.
        let found = closing_refs(b"Fixes #1, closes a/b#2, fixes https://GHE.example/A/B/issues/3");
        let restored: Vec<ClosingRef> = found
            .iter()
            .map(|r| r.to_string().parse().expect("parses"))
            .collect();
        assert_eq!(restored, found);
    }

    #[test]
    fn hosts_come_from_hosts_or_server_urls() {
        for server in [
            "github.com",
            "GITHUB.COM",
            "https://github.com/",
            "http://GitHub.com",
        ] {
            assert_eq!(host_of(server), "github.com", "{server}");
        }
        assert_eq!(host_of("https://ghe.example:8443/"), "ghe.example:8443");
    }

    #[test]
    fn subjects_join_the_first_paragraph() {
        assert_eq!(subject(b"Add a\ncheck\n\nbody"), "Add a check");
        assert_eq!(subject(b"One"), "One");
    }

    // Differential test: git itself is the oracle for `find_trailers`.

    use std::io::Write;
    use std::path::Path;
    use std::process::{Command, Stdio};

    /// `git interpret-trailers --parse` on `message`, isolated from every
    /// configuration but `core.commentChar`.
    fn git_trailers(
        dir: &Path,
        message: &[u8],
        comment: char,
        divider: bool,
    ) -> Vec<(String, String)> {
        let mut command = Command::new("git");
        command
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap_or(dir))
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_COMMON_DIR")
            .env_remove("GIT_CONFIG")
            .env_remove("GIT_CONFIG_PARAMETERS")
            .env_remove("GIT_CONFIG_COUNT")
            .args(["-c", &format!("core.commentChar={comment}")])
            .args(["interpret-trailers", "--parse"]);
        if !divider {
            command.arg("--no-divider");
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("git runs");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(message)
            .expect("message written");
        let output = child.wait_with_output().expect("git finishes");
        assert!(
            output.status.success(),
            "git interpret-trailers failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
            .stdout
            .split(|&b| b == b'\n')
            .filter(|line| !line.is_empty())
            .map(|line| {
                let colon = line.iter().position(|&b| b == b':').expect("Key: value");
                let value = &line[colon + 1..];
                let value = value.strip_prefix(b" ").unwrap_or(value);
                (
                    String::from_utf8_lossy(&line[..colon]).into_owned(),
                    String::from_utf8_lossy(value).into_owned(),
                )
            })
            .collect()
    }

    fn git_is_available() -> bool {
        Command::new("git")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// A random commit message made of the lines trailer parsing cares
    /// about, the comment character it is meant to be read with.
    fn random_message(rng: &mut fastrand::Rng) -> (String, char) {
        fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
            items[rng.usize(..items.len())]
        }
        let comment = if rng.u8(..5) == 0 { ';' } else { '#' };
        let keys = [
            "Postmortem-Safeguard",
            "postmortem-SAFEGUARD",
            "Signed-off-by",
            "Reviewed-by",
            "Co-authored-by",
            "Fixes",
            "Bug",
            "X-1",
            "a",
            "Key-",
            "-Key",
            "Ünï",
            "Key_x",
            "Key x",
            "Key.y",
            "#Key",
            ";Key",
        ];
        let separators = [
            ": ", ":", " : ", "\t: ", ":\t", ":   ", "  :", " ", "=", " :  ",
        ];
        let values = [
            "2026-11-24-x/S1",
            "\x0c",
            "a\x0b",
            "Dana <d@example.com>",
            "",
            " ",
            "a: b",
            "x # y",
            "https://e.com/x",
            "  padded  ",
            "ünïcödé",
        ];
        let others = [
            "Add env check",
            "This explains why.",
            "Some prose: with a colon",
            "more words here",
            "(cherry picked from commit 0123abcd)",
            "(cherry picked from commit",
            "Signed-off-by: Dana <d@e>",
            "Signed-off-by:Dana",
            "Bug #43",
            "* bullet",
            "Conflicts:",
            "Conflicts: x",
            "Conflicts: ",
            "\tsrc/a.rs",
            "#\tsrc/b.rs",
            "# Conflicts:",
            "# comment",
            "#Key: v",
            "#",
            "; semi",
            ";Key: v",
            "---",
            "--- x",
            "---x",
            "-----",
            "---------",
            "# ------------------------ >8 ------------------------",
            "; ------------------------ >8 ------------------------",
            "# ------------------------ >8 ------------------------ x",
            ": x",
            "   : x",
            "https://x/y",
            "Ünïcödé prose",
            "\r",
            "\x0c",
            "\x0bvertical tab",
            "Signed-off-by: Eli <e@x>",
            "(cherry picked from commit 89abcdef)",
        ];
        let continuations = [
            "  more",
            "\tcontinued",
            " ",
            "    indented: x",
            "\t",
            "  # x",
            "\x0cform feed",
        ];
        let mut lines: Vec<String> = Vec::new();
        if rng.u8(..10) == 0 {
            lines.push(String::new());
        }
        let paragraphs = rng.usize(1..6);
        for p in 0..paragraphs {
            if p > 0 {
                let blanks = rng.usize(1..3);
                for _ in 0..blanks {
                    lines.push(pick(rng, &["", "", "", " ", "\t"]).to_string());
                }
            }
            for _ in 0..rng.usize(1..9) {
                let line = match rng.u8(..10) {
                    0..=4 => format!(
                        "{}{}{}",
                        pick(rng, &keys),
                        pick(rng, &separators),
                        pick(rng, &values)
                    ),
                    5 | 6 => pick(rng, &continuations).to_string(),
                    _ => pick(rng, &others).to_string(),
                };
                lines.push(line);
            }
        }
        // What git and editors leave below a message.
        match rng.u8(..9) {
            0 => lines.extend(["", "Conflicts:", "\tsrc/a.rs", "\tsrc/b.rs"].map(String::from)),
            1 => lines.extend(["Conflicts:", "\tsrc/a.rs"].map(String::from)),
            6 => lines.extend(["", "Conflicts:", "  src/a.rs", "\tsrc/b.rs"].map(String::from)),
            2 => lines.extend(["", "# Conflicts:", "#\tsrc/a.rs"].map(String::from)),
            3 => lines.extend(
                [
                    "# ------------------------ >8 ------------------------",
                    "# Do not modify or remove the line above.",
                    "diff --git a/x b/x",
                    "",
                    "Postmortem-Safeguard: after/scissors",
                ]
                .map(String::from),
            ),
            4 => lines.extend(["", "# Please enter the commit message", "#"].map(String::from)),
            5 => lines.extend(["", ""].map(String::from)),
            7 => lines.extend(["", "#", "", "# comment", "\t"].map(String::from)),
            _ => {}
        }
        let mut message = lines.join("\n");
        if rng.u8(..10) != 0 {
            message.push('\n');
        }
        if rng.u8(..10) == 0 {
            message = message.replace('\n', "\r\n");
        }
        (message, comment)
    }

    /// Messages the random ones may miss, each on a rule of git's.
    const CORNER_CASES: &[&str] = &[
        // Indented lines under prose count as prose, so a quarter is not
        // reached...
        "S\n\nprose\n  c1\n  c2\n  c3\nSigned-off-by: D <d@e>\n",
        // ...but under a trailer they continue it.
        "S\n\nKey: v\n  c1\n  c2\n  c3\nprose\nSigned-off-by: D <d@e>\n",
        "S\n\nKey: v\n# c\n  c1\nOther: w\n",
        "S\n\nKey:\n\n  v\n",
        "S\n\nKey: v\n\t\n  w\n",
        "S\n\n(cherry picked from commit 0123)\nprose\nprose\nprose\n",
        "S\n\n(cherry picked from commit 0123)\nprose\nprose\nprose\nprose\n",
        "S\n\nKey: v\nConflicts:\n\ta\n\n\tb\n# c\n",
        "S\n\nKey: v\n\nConflicts:\n\ta\n  b\n",
        "# c\nS\n\nKey: v\n",
        "#\n\nKey: v\n",
        "\nKey: v\n",
        "\n\nKey: v\n",
        "Key: v",
        "S\n\nKey: v",
        "S\n\nKey: v\nConflicts:",
        "S\n\nKey: v\n---",
        "# ------------------------ >8 ------------------------\nS\n\nKey: v\n",
        "S\n\nKey: v\n# ------------------------ >8 ------------------------",
        "S\n\nKey: v\n#  ------------------------ >8 ------------------------\n\nprose\n",
        "S\r\n\r\nKey: v\r\n  w\r\n",
        "S\n\nKey : v\nKey\t: v\nKey x: v\n-: v\n: v\n",
        "",
        "\n",
    ];

    #[test]
    fn trailers_agree_with_git_interpret_trailers() {
        if !git_is_available() {
            eprintln!("skipped: no `git` on PATH to compare trailers with");
            return;
        }
        let dir = tempfile::tempdir().expect("temporary directory");
        let mut rng = fastrand::Rng::with_seed(0x5afe_6a4d);
        let mut disagreements = Vec::new();
        let mut with_trailers = 0;
        // Hand-made corner cases first, then random messages.
        let mut corner_cases = CORNER_CASES.iter().map(|m| (m.to_string(), '#'));
        for _ in 0..CORNER_CASES.len() + 400 {
            let (message, comment) = corner_cases
                .next()
                .unwrap_or_else(|| random_message(&mut rng));
            let options = ParseOptions::new().with_comment_char(comment as u8);
            for divider in [false, true] {
                let options = options.clone().patch_divider(divider);
                let expected = git_trailers(dir.path(), message.as_bytes(), comment, divider);
                let found = trailers_with(&message, &options);
                with_trailers += usize::from(!expected.is_empty());
                if found != expected {
                    disagreements.push(format!(
                        "message {message:?} (comment {comment:?}, divider {divider}):\n  git: {expected:?}\n  ours: {found:?}"
                    ));
                }
            }
        }
        assert!(
            disagreements.is_empty(),
            "{} disagreements with git, the first:\n{}",
            disagreements.len(),
            disagreements[..disagreements.len().min(5)].join("\n")
        );
        // The generator must exercise trailer blocks, not only prose.
        assert!(
            with_trailers > 150,
            "only {with_trailers} messages had trailers"
        );
    }
}
