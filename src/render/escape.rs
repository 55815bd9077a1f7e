//! Escaping user text for the formats we write. Markdown output must never
//! let a postmortem inject HTML or break out of a table or code span.

pub(crate) use crate::model::toml_string;
use crate::text;

/// Markdown text: HTML is neutralised as entities and markup characters are
/// backslash-escaped, line breaks kept, so that the text reads as written
/// and can start nothing: no HTML, emphasis, link, list, quote, heading,
/// code block, table cell or (on GitHub) math.
///
/// What goes where:
/// - `<`, `>`, `&`, `"` become entities, so no tag, autolink, HTML comment
///   or character reference survives, and `>` cannot open a block quote;
/// - the ASCII punctuation that starts inline markup is backslash-escaped
///   everywhere (`*`, `_`, `` ` ``, `~`, `[`, `]`, `|`, `!`, `$`, `\`);
/// - at the start of a line, what would open a block is escaped too: `#`,
///   `+`, `-`, `=` and the `.` or `)` after a number (`1.`, `2)`);
/// - leading whitespace (any Unicode whitespace) is dropped from each line,
///   since four spaces after a blank line would start an indented code
///   block (a paragraph drops it anyway);
/// - a `:` that starts a line is backslash-escaped, so that no line of the
///   output is a GitHub Actions workflow command (`::error …`,
///   `::add-mask::…`), which the runner reads from a step's output even
///   when it is indented;
/// - control characters other than tab are shown as `\u{1b}` (the
///   backslash escaped), never sent to a terminal;
/// - `\r\n` and lone `\r` become `\n`;
/// - an `@name` that GitHub would turn into a mention (an `@` not inside a
///   word, before a letter or digit: `@dana`, `@acme/sre`) gets a
///   zero-width space after the `@`, written as the entity `@&#8203;name`:
///   it reads as `@name`, but links and notifies nobody, so posting a
///   postmortem in a comment cannot page half the company. An `@` inside
///   a word, as in `dana@example.com`, is left alone: GitHub does not
///   read it as a mention.
pub(crate) fn markdown(s: &str) -> String {
    let normalised;
    let s = if s.contains('\r') {
        normalised = s.replace("\r\n", "\n").replace('\r', "\n");
        normalised.as_str()
    } else {
        s
    };
    let mut out = String::with_capacity(s.len() + 8);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        markdown_line(line.trim_start(), &mut out);
    }
    out
}

fn markdown_line(line: &str, out: &mut String) {
    // Digits that open the line: `1.` or `1)` there starts an ordered list.
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let mut previous: Option<char> = None;
    let mut indent = true;
    for (i, c) in line.char_indices() {
        let was = previous.replace(c);
        let first = indent;
        indent = indent && c.is_whitespace();
        match c {
            ':' if first => out.push_str("\\:"),
            '@' if starts_mention(was, &line[i + 1..]) => out.push_str(MENTION_BREAK),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '+' | '-' | '=' | ':' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() && c != '\t' => {
                out.push('\\');
                out.push_str(&text::visible(c));
            }
            '.' | ')' if digits > 0 && i == digits => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

/// The text [`markdown`] escaped, back: backslash escapes and the entities
/// it writes are undone, the zero-width space after an `@` dropped. What
/// `markdown` drops (leading whitespace, `\r`) stays dropped, and control
/// characters stay shown. Helpers that take text from a template's data,
/// which is escaped before the template sees it, read it through this.
pub(crate) fn unescape_markdown(s: &str) -> String {
    const ENTITIES: [(&str, &str); 5] = [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#8203;", ""),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    'text: while let Some(c) = rest.chars().next() {
        if c == '\\' {
            if let Some(next) = rest[1..].chars().next() {
                out.push(next);
                rest = &rest[1 + next.len_utf8()..];
                continue;
            }
        }
        if c == '&' {
            for (entity, plain) in ENTITIES {
                if let Some(after) = rest.strip_prefix(entity) {
                    out.push_str(plain);
                    rest = after;
                    continue 'text;
                }
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// What an `@` becomes where GitHub would read a mention: the `@` and a
/// zero-width space (as an entity, so it shows in the Markdown source).
const MENTION_BREAK: &str = "@&#8203;";

/// Whether an `@` after `before` and followed by `after` would mention
/// someone on GitHub: it must not follow a letter or digit (which makes it
/// an e-mail address), and a login starts with a letter or digit. `_`
/// before it counts as a boundary here, to be on the safe side.
fn starts_mention(before: Option<char>, after: &str) -> bool {
    !before.is_some_and(|c| c.is_ascii_alphanumeric())
        && after.starts_with(|c: char| c.is_ascii_alphanumeric())
}

/// One Markdown table cell: escaped text on a single line.
pub(crate) fn table_cell(s: &str) -> String {
    markdown(&one_line(s))
}

/// Whitespace runs, newlines included, as single spaces.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An inline code span holding `s` verbatim: fenced with one more backtick
/// than the longest run inside, padded when `s` starts or ends with one.
/// Nothing for nothing: Markdown has no empty code span.
pub(crate) fn code_span(s: &str) -> String {
    let s = text::show_controls(&one_line(s)).into_owned();
    if s.is_empty() {
        return s;
    }
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A code span inside a table cell: a `|` must be escaped even there, or it
/// ends the cell (GitHub and CommonMark's table extension both unescape it
/// inside the span).
pub(crate) fn code_cell(s: &str) -> String {
    code_span(s).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    /// GitHub's flavour, as far as pulldown-cmark has it, and math, which
    /// GitHub renders from `$…$`.
    fn options() -> Options {
        Options::ENABLE_TABLES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_MATH
            | Options::ENABLE_GFM
    }

    fn events(markdown: &str) -> Vec<Event<'_>> {
        Parser::new_ext(markdown, options()).collect()
    }

    /// The text a reader sees, whitespace runs collapsed, or the first
    /// event that is not plain paragraph text.
    fn plain_text(markdown: &str) -> Result<String, String> {
        let mut text = String::new();
        for event in events(markdown) {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                Event::Start(Tag::Paragraph) => text.push(' '),
                Event::End(TagEnd::Paragraph) => {}
                other => return Err(format!("{other:?} in {markdown:?}")),
            }
        }
        Ok(one_line(&text))
    }

    /// The logins GitHub would mention in rendered text: an `@` at the
    /// start or after a non-word character, then a letter or digit (as in
    /// GitHub's own pattern, `(?:^|\W)@([a-z0-9][a-z0-9-]*)`).
    fn mentions(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let word = |c: &char| c.is_ascii_alphanumeric() || *c == '_';
        (0..chars.len())
            .filter(|&i| chars[i] == '@')
            .filter(|&i| i == 0 || !word(&chars[i - 1]))
            .filter_map(|i| {
                let login: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == '-')
                    .collect();
                login
                    .starts_with(|c: char| c.is_ascii_alphanumeric())
                    .then_some(login)
            })
            .collect()
    }

    /// What a reader sees: the text without the zero-width spaces that
    /// break mentions.
    fn visible(text: &str) -> String {
        text.replace('\u{200B}', "")
    }

    #[test]
    fn mentions_read_as_written_but_mention_nobody() {
        let text = "Paged @dana and @acme/sre-team (cc @Ops_Lead, @1337); mail dana@example.com; @ alone, @@x, _@y, é@z";
        assert_eq!(
            mentions(text),
            ["dana", "acme", "Ops", "1337", "x", "z"],
            "the test's idea of a mention"
        );
        let escaped = markdown(text);
        assert_eq!(
            escaped,
            "Paged @&#8203;dana and @&#8203;acme/sre-team (cc @&#8203;Ops\\_Lead, @&#8203;1337); mail dana@example.com; @ alone, @@&#8203;x, \\_@&#8203;y, é@&#8203;z"
        );
        let shown = plain_text(&escaped).expect("plain text");
        assert_eq!(mentions(&shown), Vec::<String>::new(), "{shown:?}");
        assert_eq!(visible(&shown), text);
        // In a table cell and a list item too.
        let cell = format!("| a |\n|---|\n| {} |\n", table_cell("@dana | @acme/sre"));
        let mut seen = String::new();
        for event in events(&cell) {
            match event {
                Event::Text(t) => seen.push_str(&t),
                Event::End(TagEnd::TableCell) => seen.push(' '),
                _ => {}
            }
        }
        assert_eq!(visible(&seen), "a @dana | @acme/sre ");
        assert_eq!(mentions(&seen), Vec::<String>::new());
    }

    #[test]
    fn toml_strings_round_trip() {
        let hostile = "say \"hi\" \\ then\nnew line\u{7}";
        let text = format!("v = \"{}\"", toml_string(hostile));
        let parsed: toml::Table = toml::from_str(&text).expect("valid toml");
        assert_eq!(parsed["v"].as_str(), Some(hostile));
    }

    #[test]
    fn markdown_neutralises_html_and_markup() {
        assert_eq!(
            markdown("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(markdown("a|b *c*"), "a\\|b \\*c\\*");
        assert_eq!(markdown("# not a heading"), "\\# not a heading");
        assert_eq!(markdown("C# and 5-3"), "C# and 5-3");
        assert_eq!(markdown("1. first\n2) second"), "1\\. first\n2\\) second");
        assert_eq!(markdown("version 1.2"), "version 1.2");
        assert_eq!(markdown("costs $5, or $x$"), "costs \\$5, or \\$x\\$");
        assert_eq!(markdown("a\r\n\r\n    code"), "a\n\ncode");
    }

    #[test]
    fn no_line_reads_as_a_workflow_command() {
        assert_eq!(
            markdown("::error::x\n  ::add-mask::y\n\u{a0}::z\nkey: value ::"),
            "\\::error::x\n\\::add-mask::y\n\\::z\nkey: value ::"
        );
        assert_eq!(table_cell("\n ::stop-commands::t"), "\\::stop-commands::t");
    }

    #[test]
    fn hostile_text_stays_plain_text() {
        let hostile = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<!-- hidden --> <details open>",
            "[link](javascript:alert(1)) and ![img](x.png)",
            "<javascript:alert(1)> <https://example.com>",
            "[ref]: javascript:alert(1)\n\n[ref]",
            "*em* _em_ **strong** ~~gone~~ `code` ``more``",
            "> quoted\n>> deeper",
            "1. one\n2) two\n- dash\n+ plus\n* star",
            "# h1\n## h2\ntext\n===\ntext\n---",
            "```\nfenced\n```\n~~~\nfenced\n~~~",
            "para\n\n    indented code\n\n\tTabbed",
            "&lt;entity&gt; &#60;b&#62; &amp;amp;",
            "| a | b |\n|---|---|\n| c | d |",
            "- [ ] task\n- [x] done",
            "footnote[^1]\n\n[^1]: note",
            "$x^2$ and $$y$$",
            "trailing backslash \\\nnext",
            "a\r\n---\r\nb\r<b>x</b>",
            "***\n___\n- - -",
        ];
        for s in hostile {
            let escaped = markdown(s);
            assert_eq!(plain_text(&escaped), Ok(one_line(s)), "{s:?} → {escaped:?}");
            let in_list = format!("- **from**: {escaped}\n");
            for event in events(&in_list) {
                assert!(
                    !matches!(
                        event,
                        Event::Html(_)
                            | Event::InlineHtml(_)
                            | Event::Start(Tag::Link { .. })
                            | Event::Start(Tag::Image { .. })
                            | Event::Start(Tag::Emphasis)
                            | Event::Start(Tag::CodeBlock(_))
                            | Event::Start(Tag::Heading { .. })
                            | Event::Start(Tag::BlockQuote(_))
                            | Event::Code(_)
                            | Event::InlineMath(_)
                            | Event::DisplayMath(_)
                    ),
                    "{event:?} from {s:?} in a list item"
                );
            }
        }
    }

    /// Cells of each row of the one table in `markdown`.
    fn table_rows(markdown: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        let mut cell: Option<String> = None;
        for event in events(markdown) {
            match event {
                Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => rows.push(Vec::new()),
                Event::Start(Tag::TableCell) => cell = Some(String::new()),
                Event::End(TagEnd::TableCell) => {
                    if let (Some(row), Some(c)) = (rows.last_mut(), cell.take()) {
                        row.push(c);
                    }
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some(c) = cell.as_mut() {
                        c.push_str(&t);
                    }
                }
                Event::Html(h) | Event::InlineHtml(h) => panic!("HTML {h:?} in {markdown:?}"),
                _ => {}
            }
        }
        rows
    }

    #[test]
    fn table_cells_and_code_cells_hold_their_text() {
        let hostile = "a | b\n| c |\\| `x|y` <b>";
        let table = format!(
            "| one | two | three |\n|---|---|---|\n| {} | {} | end |\n",
            table_cell(hostile),
            code_cell(hostile)
        );
        assert_eq!(
            table_rows(&table),
            vec![
                vec!["one".to_string(), "two".into(), "three".into()],
                vec![one_line(hostile), one_line(hostile), "end".into()],
            ]
        );
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
        assert_eq!(code_span("plain"), "`plain`");
        for s in ["a`b", "`x`", "``", "<script>", "*a* [b](c)"] {
            let span = code_span(s);
            let code: Vec<String> = events(&span)
                .into_iter()
                .filter_map(|e| match e {
                    Event::Code(c) => Some(c.to_string()),
                    _ => None,
                })
                .collect();
            assert_eq!(code, vec![s.to_string()], "{span}");
        }
    }

    #[test]
    fn no_line_of_escaped_text_is_a_workflow_command() {
        let hostile = "x\n::error::a\n  ::add-mask::b\r::warning::c\r\n\u{a0}\u{3000}::notice::d\n\t::stop-commands::e";
        let escaped = markdown(hostile);
        assert_eq!(
            escaped,
            "x\n\\::error::a\n\\::add-mask::b\n\\::warning::c\n\\::notice::d\n\\::stop-commands::e"
        );
        assert!(!escaped
            .split(['\n', '\r'])
            .any(|line| line.trim_start().starts_with("::")));
        assert_eq!(plain_text(&escaped), Ok(one_line(hostile)));
        assert_eq!(markdown("a::b"), "a::b");
    }

    #[test]
    fn control_characters_are_shown_as_text() {
        let hostile = "title\u{1b}]0;pwned\u{7}\u{9b}2J";
        let escaped = markdown(hostile);
        assert_eq!(escaped, "title\\\\u{1b}\\]0;pwned\\\\u{7}\\\\u{9b}2J");
        assert_eq!(
            plain_text(&escaped),
            Ok("title\\u{1b}]0;pwned\\u{7}\\u{9b}2J".to_string())
        );
        assert_eq!(code_span(hostile), "`title\\u{1b}]0;pwned\\u{7}\\u{9b}2J`");
        assert!(!table_cell(hostile).chars().any(char::is_control));
    }

    #[test]
    fn unescaping_gives_back_the_text() {
        for s in [
            "plain",
            "*a* _b_ `c` [d](e) <f> & \"g\" | $h$ \\ ~i~ !j",
            "@dana and dana@example.com and @acme/sre",
            "&amp; &#8203; \\* @&#8203;x",
            "# heading\n1. list\n- dash\n::error",
        ] {
            assert_eq!(unescape_markdown(&markdown(s)), s, "{s:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// Helpers read the data's escaped text back: what `markdown`
        /// keeps comes back exactly.
        #[test]
        fn unescape_inverts_markdown(
            s in proptest::string::string_regex(r"[a-zA-Z0-9 \n<>&;#*_`~\[\]()|!$\\:./=+\-^{}'@]{0,40}")
                .expect("regex")
        ) {
            let kept: Vec<&str> = s.split('\n').map(str::trim_start).collect();
            prop_assert_eq!(unescape_markdown(&markdown(&s)), kept.join("\n"));
        }

        /// Whatever the text, escaped it parses back to itself as plain text.
        #[test]
        fn escaped_text_reads_as_written(
            s in proptest::string::string_regex(r"[a-zA-Z0-9 \n\r\t<>&;#*_`~\[\]()|!$\\:./=+\-^{}'@]{0,40}")
                .expect("regex")
        ) {
            let shown = plain_text(&markdown(&s));
            prop_assert_eq!(shown.as_deref().map(visible), Ok(one_line(&s)));
            prop_assert_eq!(mentions(shown.as_deref().unwrap_or("")), Vec::<String>::new());
        }

        #[test]
        fn escaped_cells_keep_the_table_shape(
            s in proptest::string::string_regex(r"[a-z |\\`<>*\n-]{0,30}").expect("regex")
        ) {
            let table = format!(
                "| a | b | c |\n|---|---|---|\n| {} | {} | x |\n",
                table_cell(&s),
                code_cell(&s)
            );
            let rows = table_rows(&table);
            prop_assert_eq!(rows.len(), 2);
            prop_assert_eq!(&rows[1], &vec![one_line(&s), one_line(&s), "x".to_string()]);
        }
    }
}
