//! The pure core of `review`: what changed between two versions of a
//! postmortem ([`diff`]), and how a review is cut to fit a pull request
//! comment. The use case that reads the branch and talks to GitHub is
//! `app::review`.

pub(crate) mod diff;

/// The most a GitHub comment body may hold: 65,536 characters. Counted
/// here in bytes, which are never fewer than characters however GitHub
/// counts them, so a body within it is never refused.
pub(crate) const COMMENT_LIMIT: usize = 65_536;

/// Closes a review that had to be cut to fit in a comment.
pub(crate) const CUT_NOTE: &str = "**This review is cut short here**: it is longer than GitHub allows in a comment. The full review is in the workflow run's summary, or run `git postmortem review`.\n";

/// `markdown` cut after its last whole line that leaves room for `note`
/// within `budget` bytes, then the note after a blank line (so that it
/// starts a paragraph of its own, whatever block was cut).
pub(crate) fn cut_at_line(markdown: &str, budget: usize, note: &str) -> String {
    if markdown.len() <= budget {
        return markdown.to_string();
    }
    let room = budget.saturating_sub(note.len() + 2);
    let mut end = 0;
    for line in markdown.split_inclusive('\n') {
        if end + line.len() > room {
            break;
        }
        end += line.len();
    }
    match markdown[..end].trim_end() {
        "" => note.to_string(),
        kept => format!("{kept}\n\n{note}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_keeps_whole_lines_and_ends_with_the_note() {
        let text = "## Review\n\n| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n";
        assert_eq!(cut_at_line(text, 100, "NOTE\n"), text);
        let cut = cut_at_line(text, 40, "NOTE\n");
        assert_eq!(cut, "## Review\n\n| a | b |\n|---|---|\n\nNOTE\n");
        assert!(cut.len() <= 40);
        // Nothing fits but the note.
        assert_eq!(cut_at_line(text, 8, "NOTE\n"), "NOTE\n");
    }
}
