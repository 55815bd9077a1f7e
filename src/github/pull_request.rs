//! Pull requests, as `review` needs them: which one a GitHub Actions run is
//! for (from its event payload), and who has approved it on GitHub (from
//! its reviews). Pure functions over what was read; no I/O here.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::github::api::Review;

/// The pull request number in an Actions event payload: its
/// `pull_request.number` (`pull_request`, `pull_request_target`,
/// `pull_request_review`… events), else, for `pull_request` and
/// `pull_request_target` events, the top-level `number`. None for events
/// that are not about a pull request (`push`, `schedule`…).
pub(crate) fn number_from_event(event: &Value, event_name: Option<&str>) -> Option<u64> {
    let positive = |v: &Value| v.as_u64().filter(|n| *n > 0);
    if let Some(number) = event.pointer("/pull_request/number").and_then(positive) {
        return Some(number);
    }
    matches!(event_name, Some("pull_request" | "pull_request_target"))
        .then(|| event.get("number").and_then(positive))
        .flatten()
}

/// Who approves a pull request on GitHub: each reviewer's latest review
/// decides. `APPROVED` approves; a later `CHANGES_REQUESTED` or `DISMISSED`
/// withdraws it; `COMMENTED` (and a `PENDING` draft) changes nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Approvals {
    /// Lower-cased login → approves.
    by_login: BTreeMap<String, bool>,
}

impl Approvals {
    /// From the reviews of a pull request, oldest first (GitHub's order).
    pub(crate) fn from_reviews(reviews: &[Review]) -> Approvals {
        let mut by_login = BTreeMap::new();
        for review in reviews {
            let Some(user) = &review.user else {
                continue;
            };
            let approves = match review.state.to_ascii_uppercase().as_str() {
                "APPROVED" => true,
                "CHANGES_REQUESTED" | "DISMISSED" => false,
                _ => continue,
            };
            by_login.insert(user.login.to_ascii_lowercase(), approves);
        }
        Approvals { by_login }
    }

    /// Whether `name`, as written in a postmortem's `reviewers`, approves:
    /// matched case-insensitively, with or without a leading `@`.
    pub(crate) fn approves(&self, name: &str) -> bool {
        let login = name.trim();
        let login = login.strip_prefix('@').unwrap_or(login);
        self.by_login
            .get(&login.to_ascii_lowercase())
            .copied()
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::github::api::User;

    fn review(login: &str, state: &str) -> Review {
        Review {
            user: Some(User {
                login: login.into(),
            }),
            state: state.into(),
        }
    }

    #[test]
    fn pull_request_numbers_from_events() {
        let pr = json!({ "action": "synchronize", "number": 7, "pull_request": { "number": 7 } });
        assert_eq!(number_from_event(&pr, Some("pull_request")), Some(7));
        assert_eq!(number_from_event(&pr, None), Some(7));
        let review = json!({ "pull_request": { "number": 9 }, "review": { "id": 1 } });
        assert_eq!(
            number_from_event(&review, Some("pull_request_review")),
            Some(9)
        );
        let bare = json!({ "number": 12 });
        assert_eq!(
            number_from_event(&bare, Some("pull_request_target")),
            Some(12)
        );
        // An issue event's `number` is not a pull request's.
        assert_eq!(number_from_event(&bare, Some("issues")), None);
        assert_eq!(number_from_event(&bare, None), None);
        let push = json!({ "ref": "refs/heads/main", "after": "abc" });
        assert_eq!(number_from_event(&push, Some("push")), None);
        let odd = json!({ "pull_request": { "number": "7" }, "number": 0 });
        assert_eq!(number_from_event(&odd, Some("pull_request")), None);
    }

    #[test]
    fn the_latest_review_of_each_reviewer_decides() {
        let approvals = Approvals::from_reviews(&[
            review("SRE-Lead", "APPROVED"),
            review("sre-lead", "COMMENTED"),
            review("support-lead", "APPROVED"),
            review("support-lead", "CHANGES_REQUESTED"),
            review("ops", "APPROVED"),
            review("ops", "DISMISSED"),
            review("dba", "CHANGES_REQUESTED"),
            review("dba", "APPROVED"),
            review("drafting", "PENDING"),
            Review {
                user: None,
                state: "APPROVED".into(),
            },
        ]);
        assert!(approvals.approves("sre-lead"));
        assert!(approvals.approves("@SRE-lead"));
        assert!(approvals.approves(" @sre-lead "));
        assert!(!approvals.approves("support-lead"));
        assert!(!approvals.approves("ops"));
        assert!(approvals.approves("dba"));
        assert!(!approvals.approves("drafting"));
        assert!(!approvals.approves("nobody"));
        assert!(!approvals.approves("@@sre-lead"));
    }
}
