//! The digest as a Slack message: a Block Kit payload (`digest --format
//! slack`) for an incoming webhook or `chat.postMessage`.
//!
//! Slack's limits are kept by construction: a header, one section for the
//! counter and the counts, a divider and one section per part of the
//! digest (eight blocks, against Slack's 50), each section's text at most 3,000
//! characters (counted in UTF-16 code units, which is never fewer than
//! Slack's count), ending with `… and N more` when its list does not fit.
//!
//! User text is escaped as Slack asks (`&`, `<`, `>` as entities), so no
//! `<!channel>`, `<@U123>` or `<https://evil|click>` survives as markup; an
//! `@` that could start a mention (`@here`, `@channel`, `@everyone`,
//! `@dana`) gets a zero-width space after it; line breaks become spaces, so
//! a title cannot fake list items; long texts are cut. Postmortems link to
//! their file on GitHub, safeguards to their issue, shipping commits to
//! the commit, when the repository is known.

use std::collections::HashMap;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Value};

use crate::digest::{Digest, DigestSafeguard};

use super::view::format_time;

/// Slack's limit on the text of a section block.
pub(crate) const SECTION_LIMIT: usize = 3000;

/// Slack's limit on the blocks of a message.
pub(crate) const BLOCK_LIMIT: usize = 50;

/// The most characters of one title, subject or note shown.
const TEXT_LIMIT: usize = 300;

/// What links point at: the repository's page on GitHub and the branch
/// whose files postmortem links show.
pub(crate) struct Links<'a> {
    /// `https://github.com/acme/shop`; no links without it.
    pub(crate) repository: Option<String>,
    /// The branch or other ref in file links (`HEAD`: the default branch).
    pub(crate) blob_ref: &'a str,
    /// Each postmortem's file, by id.
    pub(crate) paths: HashMap<&'a str, &'a str>,
}

impl Links<'_> {
    fn postmortem(&self, id: &str) -> Option<String> {
        let repository = self.repository.as_deref()?;
        let path = self.paths.get(id)?;
        Some(format!(
            "{repository}/blob/{}/{}",
            encode_path(self.blob_ref),
            encode_path(path)
        ))
    }

    fn issue(&self, number: u64) -> Option<String> {
        Some(format!("{}/issues/{number}", self.repository.as_deref()?))
    }

    fn commit(&self, oid: &str) -> Option<String> {
        Some(format!("{}/commit/{oid}", self.repository.as_deref()?))
    }
}

/// What is left as it is in a URL path segment: RFC 3986's unreserved
/// characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A `/`-separated path with every segment percent-encoded.
fn encode_path(path: &str) -> String {
    path.split('/')
        .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Text for Slack's `mrkdwn`: `&`, `<` and `>` as entities; a zero-width
/// space after an `@` that starts a word (`@here`, `@channel`); every
/// line break and run of whitespace one space; at most [`TEXT_LIMIT`]
/// characters (cut before escaping, so no entity is cut in half).
pub(crate) fn escape(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = if one_line.chars().count() > TEXT_LIMIT {
        let mut cut: String = one_line.chars().take(TEXT_LIMIT - 1).collect();
        cut.push('…');
        cut
    } else {
        one_line
    };
    let mut out = String::with_capacity(cut.len() + 8);
    let mut previous: Option<char> = None;
    for c in cut.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' if !previous.is_some_and(char::is_alphanumeric) => out.push_str("@\u{200B}"),
            c => out.push(c),
        }
        previous = Some(c);
    }
    out
}

/// `<url|text>` with the text escaped, or the escaped text alone without a
/// URL.
fn link(url: Option<String>, text: &str) -> String {
    match url {
        Some(url) => format!("<{url}|{}>", escape(text)),
        None => escape(text),
    }
}

/// How long a text is for Slack's limits: UTF-16 code units.
fn length(text: &str) -> usize {
    text.encode_utf16().count()
}

/// A section: the heading, then as many lines as fit in
/// [`SECTION_LIMIT`], then `… and N more` for the rest; `empty` when there
/// are no lines.
fn section(heading: &str, lines: &[String], empty: &str) -> Value {
    let mut text = format!("*{heading}*");
    if lines.is_empty() {
        text.push('\n');
        text.push_str(empty);
    }
    let more = |n: usize| format!("\n… and {n} more");
    for (i, line) in lines.iter().enumerate() {
        let left_after = lines.len() - i - 1;
        let reserve = if left_after > 0 {
            length(&more(left_after))
        } else {
            0
        };
        if length(&text) + 1 + length(line) + reserve > SECTION_LIMIT {
            text.push_str(&more(lines.len() - i));
            break;
        }
        text.push('\n');
        text.push_str(line);
    }
    json!({"type": "section", "text": {"type": "mrkdwn", "text": text}})
}

fn days(n: i64) -> String {
    format!("{n} day{}", if n == 1 { "" } else { "s" })
}

/// ` (owner)` and ` · #123`, as far as the safeguard has them.
fn owner_and_issue(s: &DigestSafeguard<'_>, links: &Links<'_>) -> String {
    let mut text = String::new();
    if let Some(owner) = s.safeguard.owner {
        text.push_str(&format!(" ({})", escape(owner)));
    }
    if let Some(n) = s.safeguard.issue {
        text.push_str(&format!(" · {}", link(links.issue(n), &format!("#{n}"))));
    }
    text
}

/// The reference, linked to its postmortem, and the title.
fn safeguard_head(s: &DigestSafeguard<'_>, links: &Links<'_>) -> String {
    format!(
        "• {} {}",
        link(
            links.postmortem(s.safeguard.postmortem),
            &s.safeguard.reference.to_string()
        ),
        escape(s.safeguard.title)
    )
}

/// The Block Kit payload: `text` (the notification's fallback), `blocks`,
/// and no link previews.
pub(crate) fn digest(digest: &Digest<'_>, tip_short: &str, links: &Links<'_>) -> Value {
    let period = if digest.period.start == digest.period.end {
        digest.period.end.to_string()
    } else {
        format!("{} to {}", digest.period.start, digest.period.end)
    };
    let summary = crate::digest::summary(digest);
    let counter = match (
        &digest.error_free.last_incident,
        digest.error_free.days_since_last_incident,
    ) {
        (Some(id), Some(n)) => format!(
            "*{}* since the last incident ({}).",
            days(n),
            link(links.postmortem(id), id)
        ),
        _ => "No incidents recorded.".to_string(),
    };
    let branch: String = digest.branch.chars().filter(|c| *c != '`').collect();
    let intro = format!(
        "{counter}\n{} Branch `{}` at `{}`.",
        escape(&summary),
        escape(&branch),
        escape(tip_short)
    );

    let shipped: Vec<String> = digest
        .shipped
        .iter()
        .map(|s| {
            let commit = match (&s.safeguard.shipped_by, &s.commit_short) {
                (Some(by), Some(short)) => format!(
                    ": {} {}, {}",
                    link(links.commit(&by.commit.to_string()), short),
                    escape(by.subject),
                    format_time(&by.date)
                ),
                _ => String::new(),
            };
            format!(
                "{}{commit}{}",
                safeguard_head(s, links),
                owner_and_issue(s, links)
            )
        })
        .collect();
    let became_overdue: Vec<String> = digest
        .became_overdue
        .iter()
        .map(|s| {
            let due = match (s.safeguard.due, s.overdue_since) {
                (Some(due), Some(since)) => format!(": due {due}, overdue since {since}"),
                _ => String::new(),
            };
            format!(
                "{}{due}{}",
                safeguard_head(s, links),
                owner_and_issue(s, links)
            )
        })
        .collect();
    let overdue: Vec<String> = digest
        .overdue
        .safeguards
        .iter()
        .map(|s| {
            let due = s
                .safeguard
                .due
                .map_or_else(String::new, |d| format!(", due {d}"));
            format!(
                "{}: *{}* overdue{due}{}",
                safeguard_head(s, links),
                days(s.safeguard.days_overdue),
                owner_and_issue(s, links)
            )
        })
        .collect();
    let new_postmortems: Vec<String> = digest
        .new_postmortems
        .iter()
        .map(|p| {
            format!(
                "• {} {}: {}, {}, {}",
                link(links.postmortem(p.id), p.id),
                escape(p.title),
                escape(p.severity),
                p.status,
                format_time(&p.occurred_at)
            )
        })
        .collect();
    let updates: Vec<String> = digest
        .updates
        .iter()
        .map(|u| {
            format!(
                "• {} {} {}: {}",
                u.at,
                link(links.postmortem(u.postmortem), &u.reference),
                escape(u.title),
                escape(u.note)
            )
        })
        .collect();

    let header = format!("Postmortem digest: {period}");
    let blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "text": header, "emoji": true}}),
        json!({"type": "section", "text": {"type": "mrkdwn", "text": intro}}),
        json!({"type": "divider"}),
        section("✅ Shipped", &shipped, "Nothing shipped in this period."),
        section(
            "⏰ Became overdue",
            &became_overdue,
            "Nothing became overdue in this period.",
        ),
        section("🔥 Overdue", &overdue, "Nothing is overdue."),
        section(
            "🆕 New postmortems",
            &new_postmortems,
            "No new postmortems in this period.",
        ),
        section(
            "📝 Progress updates",
            &updates,
            "No progress updates in this period.",
        ),
    ];
    debug_assert!(blocks.len() <= BLOCK_LIMIT);
    json!({
        "text": format!("{header}: {}", escape(&summary)),
        "blocks": blocks,
        "unfurl_links": false,
        "unfurl_media": false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_and_markup_are_neutralised() {
        let escaped = escape("<!channel> @here & <https://evil|click> dana@example.com\n• fake");
        assert_eq!(
            escaped,
            "&lt;!channel&gt; @\u{200B}here &amp; &lt;https://evil|click&gt; dana@example.com • fake"
        );
    }

    #[test]
    fn long_text_is_cut_before_escaping() {
        let escaped = escape(&"&".repeat(400));
        assert!(escaped.ends_with("&amp;…"), "{escaped}");
        assert_eq!(escaped.matches("&amp;").count(), TEXT_LIMIT - 1);
    }

    #[test]
    fn paths_are_encoded_by_segment() {
        assert_eq!(
            encode_path("post mortems/2026-11-20-a|b>.toml"),
            "post%20mortems/2026-11-20-a%7Cb%3E.toml"
        );
    }

    #[test]
    fn a_long_list_ends_with_how_many_more() {
        let lines: Vec<String> = (0..500)
            .map(|i| format!("• line {i} {}", "x".repeat(40)))
            .collect();
        let block = section("🔥 Overdue", &lines, "none");
        let text = block["text"]["text"].as_str().expect("text");
        assert!(length(text) <= SECTION_LIMIT, "{}", length(text));
        let shown = text.lines().filter(|l| l.starts_with("• ")).count();
        assert!(
            text.ends_with(&format!("… and {} more", 500 - shown)),
            "{text}"
        );
    }
}
