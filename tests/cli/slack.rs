//! `digest --format slack`: a Slack Block Kit payload within Slack's
//! limits, with user text that mentions nobody and links nowhere but the
//! repository.

use crate::common::fixtures::minimal;
use crate::common::{transcript, TestRepo};
use crate::digest::{week, DNS, POOL};

/// Slack's limits: blocks per message, characters per section text,
/// characters per header.
const BLOCKS: usize = 50;
const SECTION: usize = 3000;
const HEADER: usize = 150;

const HOSTILE: &str = "<!channel> @here & <https://evil.example|click> <@U024BE7LH> @everyone";

fn slack(repo: &TestRepo, args: &[&str], env: &[(&str, &str)]) -> serde_json::Value {
    let mut all = vec!["digest", "--format", "slack"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = repo.run_env(&all, env);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    serde_json::from_str(&stdout).expect("one JSON document")
}

/// Every mrkdwn text of the payload, the fallback `text` included.
fn texts(payload: &serde_json::Value) -> Vec<String> {
    let mut texts = vec![payload["text"].as_str().expect("fallback text").to_string()];
    for block in payload["blocks"].as_array().expect("blocks") {
        if block["type"] == "section" {
            assert_eq!(block["text"]["type"], "mrkdwn", "{block}");
            texts.push(block["text"]["text"].as_str().expect("text").to_string());
        }
    }
    texts
}

/// The `<url|text>` links of a text, and the text without them.
fn links(text: &str) -> (Vec<(String, String)>, String) {
    let re = regex::Regex::new(r"<([^<>|]*)\|([^<>]*)>").expect("regex");
    let found = re
        .captures_iter(text)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect();
    (found, re.replace_all(text, "").into_owned())
}

/// What Slack would read as markup or a mention in a text: no `<` or `>`
/// outside our links, no `&` but in an entity, no link elsewhere than
/// `allowed`, no `@here`-style mention.
fn assert_inert(text: &str, allowed: &str) {
    let (found, rest) = links(text);
    for (url, label) in &found {
        assert!(url.starts_with(allowed), "link to {url} in {text}");
        assert!(!label.contains('|'), "{label}");
    }
    assert!(!rest.contains(['<', '>']), "markup left in {rest}");
    let without_entities = rest
        .replace("&amp;", "")
        .replace("&lt;", "")
        .replace("&gt;", "");
    assert!(!without_entities.contains('&'), "bare & in {rest}");
    for mention in ["@here", "@channel", "@everyone", "<!", "<@"] {
        assert!(!text.contains(mention), "{mention} in {text}");
    }
}

#[test]
fn slack_digest_of_a_week_links_postmortems_and_commits() {
    let repo = week();
    repo.repo
        .remote("origin", "https://github.com/acme/shop.git")
        .expect("origin");
    let payload = slack(&repo, &["--since", "7d"], &[]);
    insta::assert_snapshot!(
        "slack_week",
        serde_json::to_string_pretty(&payload).expect("json")
    );
    let all = texts(&payload).join("\n");
    assert!(all.contains(&format!(
        "<https://github.com/acme/shop/blob/HEAD/postmortems/{POOL}.toml|{POOL}/S2>"
    )));
    assert!(
        all.contains("<https://github.com/acme/shop/commit/"),
        "{all}"
    );
    assert!(all.contains(&format!("{DNS}/S1")), "{all}");
    for text in texts(&payload) {
        assert_inert(&text, "https://github.com/acme/shop/");
    }
    assert_eq!(payload["unfurl_links"], false);
}

/// 300 overdue safeguards with hostile titles and owners, each with a
/// hostile progress update this week, and 80 new postmortems with hostile
/// titles: every list is longer than a section can hold.
fn hostile_crowd() -> TestRepo {
    let repo = TestRepo::new();
    let mut text = minimal(HOSTILE, "draft", "2026-11-20T10:00:00Z");
    for i in 1..=300 {
        text.push_str(&format!(
            "\n[[safeguards]]\nid = \"S{i}\"\ntitle = {:?}\nowner = \"@here\"\ndue = 2026-11-2{}\nissue = {i}\nupdates = [{{ at = 2026-11-25, note = {:?} }}]\n",
            format!("{HOSTILE} #{i} {}", "x".repeat(i % 7 * 40)),
            i % 5,
            format!("{HOSTILE}\n• fake item {i}"),
        ));
    }
    repo.write_postmortem("2026-11-20-crowd", &text);
    for i in 0..80 {
        repo.write_postmortem(
            &format!("2026-11-2{}-new-{i}", i % 6),
            &minimal(
                &format!("{HOSTILE} {i}"),
                "draft",
                &format!("2026-11-2{}T10:00:00Z", i % 6),
            ),
        );
    }
    repo.repo
        .remote("origin", "git@github.com:acme/shop.git")
        .expect("origin");
    repo
}

#[test]
fn slack_digest_keeps_slacks_limits_and_neutralises_hostile_text() {
    let repo = hostile_crowd();
    let payload = slack(&repo, &["--since", "7d"], &[]);
    let blocks = payload["blocks"].as_array().expect("blocks");
    assert!(blocks.len() <= BLOCKS, "{} blocks", blocks.len());
    let header = blocks[0]["text"]["text"].as_str().expect("header");
    assert_eq!(blocks[0]["type"], "header");
    assert!(header.chars().count() <= HEADER, "{header}");
    for text in texts(&payload) {
        assert!(
            text.chars().count() <= SECTION && text.encode_utf16().count() <= SECTION,
            "{} characters: {text}",
            text.chars().count()
        );
        assert_inert(&text, "https://github.com/acme/shop/");
    }

    // The hostile text is there, as text: entities and a zero-width space
    // after each `@`.
    let all = texts(&payload).join("\n");
    assert!(
        all.contains("&lt;!channel&gt; @\u{200B}here &amp; &lt;https://evil.example|click&gt; &lt;@\u{200B}U024BE7LH&gt; @\u{200B}everyone"),
        "{all}"
    );
    // A line break in a note does not start a list item of its own.
    assert!(!all.contains("\n• fake item"), "{all}");
    assert!(all.contains(" • fake item"), "{all}");
    // Issues are linked.
    assert!(
        all.contains("<https://github.com/acme/shop/issues/5|#5>"),
        "{all}"
    );

    // Each long list ends by counting what it left out; nothing is lost
    // from the counts.
    let section = |heading: &str| -> String {
        texts(&payload)
            .into_iter()
            .find(|t| t.starts_with(&format!("*{heading}*")))
            .unwrap_or_else(|| panic!("no {heading} section"))
    };
    for (heading, total) in [
        ("🔥 Overdue", 300),
        ("📝 Progress updates", 300),
        ("🆕 New postmortems", 81),
    ] {
        let text = section(heading);
        let listed = text.lines().filter(|l| l.starts_with("• ")).count();
        assert!(listed > 5 && listed < total, "{heading}: {listed} listed");
        assert!(
            text.ends_with(&format!("\n… and {} more", total - listed)),
            "{heading}: {text}"
        );
    }
    assert!(all.contains("300 overdue in all"), "{all}");
}

#[test]
fn slack_digest_links_nowhere_without_a_repository() {
    let repo = hostile_crowd();
    repo.repo.remote_delete("origin").expect("remove origin");
    let payload = slack(&repo, &["--since", "7d"], &[]);
    for text in texts(&payload) {
        let (found, _) = links(&text);
        assert!(found.is_empty(), "{found:?}");
        assert_inert(&text, "-");
    }
    // A GitHub Enterprise server from GITHUB_SERVER_URL, the repository
    // from GITHUB_REPOSITORY.
    let payload = slack(
        &repo,
        &["--since", "7d"],
        &[
            ("GITHUB_SERVER_URL", "https://ghe.example.com/"),
            ("GITHUB_REPOSITORY", "acme/shop"),
        ],
    );
    let all = texts(&payload).join("\n");
    assert!(
        all.contains("<https://ghe.example.com/acme/shop/issues/5|#5>"),
        "{all}"
    );
    for text in texts(&payload) {
        assert_inert(&text, "https://ghe.example.com/acme/shop/");
    }
    // A server URL a link would break on gives no links at all.
    let payload = slack(
        &repo,
        &["--since", "7d"],
        &[
            ("GITHUB_SERVER_URL", "https://ghe.example.com/|click"),
            ("GITHUB_REPOSITORY", "acme/shop"),
        ],
    );
    for text in texts(&payload) {
        assert!(links(&text).0.is_empty(), "{text}");
    }
}

#[test]
fn slack_digest_selects_and_leaves_the_step_summary_alone() {
    let repo = week();
    let summary = repo.dir.path().join("step-summary.md");
    std::fs::write(&summary, "earlier\n").expect("write summary");
    let path = summary.to_str().expect("utf-8 path");
    let payload = slack(
        &repo,
        &["--severity", "sev2"],
        &[("GITHUB_STEP_SUMMARY", path)],
    );
    assert_eq!(
        std::fs::read_to_string(&summary).expect("summary"),
        "earlier\n"
    );
    // Only the sev2 postmortem (DNS) is in the digest.
    let all = texts(&payload).join("\n");
    assert!(all.contains(DNS) && !all.contains(POOL), "{all}");
    let result = repo.run(&["digest", "--format", "slak"]);
    assert_eq!(result.0, 2, "{}", transcript(&result));
}
