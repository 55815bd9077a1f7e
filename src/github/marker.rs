//! Hidden markers in issue and comment bodies, so the tool finds its own
//! issues and comments again instead of creating duplicates.

use std::fmt::Display;

use crate::model::SafeguardRef;

/// `<!-- git-postmortem: <postmortem-id>/<safeguard-id> -->`
pub(crate) fn issue_marker(reference: &SafeguardRef) -> String {
    format!("<!-- git-postmortem: {reference} -->")
}

/// The comment posted once when a safeguard ships.
pub(crate) fn shipped_marker(reference: impl Display) -> String {
    format!("<!-- git-postmortem: shipped {reference} -->")
}

/// The sticky `review` comment on a pull request. It has no `/`, so it is
/// never taken for an issue's marker.
pub(crate) const REVIEW_MARKER: &str = "<!-- git-postmortem: review -->";

/// The safeguard reference an issue body's marker names, if any.
pub(crate) fn find_issue_marker(body: &str) -> Option<SafeguardRef> {
    const OPEN: &str = "<!-- git-postmortem: ";
    let mut rest = body;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let end = after.find(" -->")?;
        let reference = after[..end].trim();
        if !reference.starts_with("shipped ") {
            if let Ok(reference) = reference.parse() {
                return Some(reference);
            }
        }
        rest = &after[end..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip() {
        let s1: SafeguardRef = "2026-11-24-x/S1".parse().expect("reference");
        let body = format!("text\n\n{}\n", issue_marker(&s1));
        assert_eq!(find_issue_marker(&body), Some(s1));
        assert_eq!(find_issue_marker(&shipped_marker("2026-11-24-x/S1")), None);
        assert_eq!(
            find_issue_marker("<!-- git-postmortem: not a ref -->"),
            None
        );
        assert_eq!(find_issue_marker("no marker"), None);
        assert_eq!(find_issue_marker(REVIEW_MARKER), None);
    }
}
