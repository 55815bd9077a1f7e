//! Escaping user text for the formats we write. Markdown output must never
//! let a postmortem inject HTML or break out of a table or code span.

/// Escape for the inside of a TOML basic string (`"..."`).
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Markdown text: HTML is neutralised as entities and inline markup
/// characters are backslash-escaped, line breaks kept.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut at_line_start = true;
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '+' | '-' | '=' if at_line_start => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        at_line_start = c == '\n' || (at_line_start && c == ' ');
    }
    out
}

/// One Markdown table cell: escaped text on a single line.
pub fn table_cell(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    markdown(&one_line)
}

/// An inline code span holding `s` verbatim: fenced with one more backtick
/// than the longest run inside, padded when `s` starts or ends with one.
pub fn code_span(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
        assert_eq!(code_span("plain"), "`plain`");
    }
}
