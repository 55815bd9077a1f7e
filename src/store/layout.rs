//! What `toml_edit` does not keep: a UTF-8 byte order mark and the line
//! endings. Edits work on the file's text without its BOM and with `\r\n`
//! read as `\n` ([`for_editing`]); [`restore`] then carries the edit back
//! onto the original bytes. Every line the edit did not change is copied
//! from the original as it was, ending and all; lines the edit wrote get
//! the file's own line ending, and the BOM is put back.

use similar::{capture_diff_slices, Algorithm, DiffOp};

const BOM: char = '\u{feff}';

/// The text an edit works on: no BOM, `\r\n` as `\n`.
pub(crate) fn for_editing(original: &str) -> String {
    original
        .strip_prefix(BOM)
        .unwrap_or(original)
        .replace("\r\n", "\n")
}

/// `edited` (an edit of `for_editing(original)`) in `original`'s layout:
/// the BOM back if there was one, unchanged lines byte for byte as they
/// were, new lines ending as most of the file's lines do.
pub(crate) fn restore(original: &str, edited: &str) -> String {
    let body = original.strip_prefix(BOM);
    let has_bom = body.is_some();
    let body = body.unwrap_or(original);
    if !has_bom && !body.contains("\r\n") {
        return edited.to_string();
    }
    let before = for_editing(original);
    let original_lines: Vec<&str> = body.split_inclusive('\n').collect();
    let before_lines: Vec<&str> = before.split_inclusive('\n').collect();
    let edited_lines: Vec<&str> = edited.split_inclusive('\n').collect();
    let newline = dominant_newline(&original_lines);

    let mut out = String::with_capacity(edited.len() + edited_lines.len());
    if has_bom {
        out.push(BOM);
    }
    let write_new = |out: &mut String, line: &str| match line.strip_suffix('\n') {
        Some(content) => {
            out.push_str(content);
            out.push_str(newline);
        }
        None => out.push_str(line),
    };
    for op in capture_diff_slices(Algorithm::Myers, &before_lines, &edited_lines) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                for line in &original_lines[old_index..old_index + len] {
                    out.push_str(line);
                }
            }
            DiffOp::Delete { .. } => {}
            DiffOp::Insert {
                new_index, new_len, ..
            }
            | DiffOp::Replace {
                new_index, new_len, ..
            } => {
                for line in &edited_lines[new_index..new_index + new_len] {
                    write_new(&mut out, line);
                }
            }
        }
    }
    out
}

/// `\r\n` when more of the lines end so than with a bare `\n`.
fn dominant_newline(lines: &[&str]) -> &'static str {
    let crlf = lines.iter().filter(|l| l.ends_with("\r\n")).count();
    let lf = lines
        .iter()
        .filter(|l| l.ends_with('\n') && !l.ends_with("\r\n"))
        .count();
    if crlf > lf {
        "\r\n"
    } else {
        "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lf_text_is_the_edit_itself() {
        assert_eq!(restore("a\nb\n", "a\nx\nb\n"), "a\nx\nb\n");
    }

    #[test]
    fn crlf_lines_and_the_bom_come_back() {
        let original = "\u{feff}a = 1\r\n# note\r\nb = 2\r\n";
        let editing = for_editing(original);
        assert_eq!(editing, "a = 1\n# note\nb = 2\n");
        let edited = "a = 1\n# note\nb = 3 # new\nc = 4\n";
        assert_eq!(
            restore(original, edited),
            "\u{feff}a = 1\r\n# note\r\nb = 3 # new\r\nc = 4\r\n"
        );
    }

    #[test]
    fn mixed_endings_keep_each_unchanged_line_as_it_was() {
        let original = "a\r\nb\nc\r\nd\r\n";
        let edited = "a\nb\nc\nnew\nd\n";
        assert_eq!(restore(original, edited), "a\r\nb\nc\r\nnew\r\nd\r\n");
    }

    #[test]
    fn a_last_line_without_a_newline_gets_the_files_ending() {
        let original = "a\r\nb";
        let edited = "a\nb\n\nc\n";
        assert_eq!(restore(original, edited), "a\r\nb\r\n\r\nc\r\n");
        assert_eq!(restore("\u{feff}a", "a\n"), "\u{feff}a\n");
    }

    #[test]
    fn a_lone_carriage_return_is_content() {
        let original = "a = \"x\ry\"\r\nb = 1\r\n";
        let edited = for_editing(original).replace("b = 1", "b = 2");
        assert_eq!(restore(original, &edited), "a = \"x\ry\"\r\nb = 2\r\n");
    }
}
