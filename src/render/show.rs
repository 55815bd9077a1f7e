//! The `show` document: a postmortem with its trigger commits and ranges
//! (resolved from git by the caller), rendered through the `show.md`
//! template. `show` prints it; `review` embeds it for reviewers.

use crate::error::Result;
use crate::model::Postmortem;
use crate::render::view::{SafeguardView, ShowView, TriggerCommit, TriggerRange};
use crate::render::{Renderer, SHOW};

/// The view `show.md` renders: `pm` with what git knows of its trigger
/// (resolved by the caller), and issue links into `github_repo` when there
/// is one.
pub(crate) fn show_view<'a>(
    id: &'a str,
    path: &'a str,
    pm: &'a Postmortem,
    github_repo: Option<&str>,
    trigger_commits: Vec<TriggerCommit<'a>>,
    trigger_ranges: Vec<TriggerRange<'a>>,
) -> ShowView<'a> {
    let mut view = ShowView::new(id, path, pm);
    view.trigger_commits = trigger_commits;
    view.trigger_ranges = trigger_ranges;
    view.safeguards = pm
        .safeguards
        .iter()
        .map(|s| SafeguardView::new(s, github_repo))
        .collect();
    view
}

/// The Markdown document for `view`.
pub(crate) fn show_markdown(templates: &Renderer, view: &ShowView) -> Result<String> {
    Ok(tidy(&templates.render(SHOW, view)?))
}

/// Collapse the blank-line runs that template conditionals leave behind,
/// and trailing spaces.
pub(crate) fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let trimmed = out.trim_end();
    format!("{}\n", trimmed.trim_start_matches('\n'))
}

/// `markdown` with every ATX heading `levels` deeper (at most `######`), so
/// a document can sit inside another one. Fenced code is left alone;
/// escaped text (`\#`) is not a heading and stays as it is.
pub(crate) fn demote_headings(markdown: &str, levels: usize) -> String {
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut fence: Option<&str> = None;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let opens = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        match (fence, opens) {
            (Some(f), Some(o)) if f == o => fence = None,
            (None, Some(o)) => fence = Some(o),
            _ => {}
        }
        let hashes = line.bytes().take_while(|b| *b == b'#').count();
        let is_heading = fence.is_none()
            && opens.is_none()
            && (1..=6).contains(&hashes)
            && matches!(
                line.as_bytes().get(hashes),
                None | Some(b' ' | b'\t' | b'\n')
            );
        if is_heading {
            let deeper = (hashes + levels).min(6);
            out.push_str(&"#".repeat(deeper));
            out.push_str(&line[hashes..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::demote_headings;

    #[test]
    fn headings_go_deeper_but_not_code_or_text() {
        let doc = "# Title\n\n## Summary\n\\# not one\n#hashtag\n```\n# in code\n```\n##### Deep\n";
        assert_eq!(
            demote_headings(doc, 3),
            "#### Title\n\n##### Summary\n\\# not one\n#hashtag\n```\n# in code\n```\n###### Deep\n"
        );
    }
}
