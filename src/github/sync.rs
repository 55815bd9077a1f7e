//! `sync` as three steps: [`gather`] reads what GitHub has (lists, never
//! one request per safeguard), [`plan`] decides what to do (pure, tested
//! without a network), [`execute`] does it, writing each new issue number
//! back the moment it is known.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::time::Duration;

use crate::github::api::{ApiError, GitHubApi, Issue, IssueState, NewIssue};
use crate::github::marker::{find_issue_marker, shipped_marker};
use crate::model::SafeguardRef;

/// One safeguard as `sync` sees it.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) reference: SafeguardRef,
    pub(crate) title: String,
    pub(crate) owner: Option<String>,
    /// The issue number recorded in the file.
    pub(crate) issue: Option<u64>,
    pub(crate) dropped: bool,
    pub(crate) shipped: Option<Shipped>,
    /// Body for a new issue, hidden marker included.
    pub(crate) body: String,
}

/// The commit that shipped a safeguard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shipped {
    pub(crate) commit: String,
    pub(crate) subject: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub(crate) labels: Vec<String>,
    pub(crate) close_shipped: bool,
}

/// What GitHub has, as far as the plan needs to know.
#[derive(Debug, Default)]
pub(crate) struct Remote {
    /// `None` when no label needed checking (nothing to create).
    pub(crate) labels: Option<Vec<String>>,
    pub(crate) issues: HashMap<u64, Issue>,
    /// Issue number by the safeguard reference in its marker, for issues
    /// the token's own account opened.
    pub(crate) by_marker: HashMap<SafeguardRef, u64>,
    /// Issues that carry the marker of a safeguard without an issue but
    /// were opened by someone else: never adopted.
    pub(crate) foreign: Vec<(SafeguardRef, u64)>,
    /// Issues that already carry the "shipped" comment.
    pub(crate) shipped_commented: HashSet<u64>,
    /// Whether each owner can be assigned.
    pub(crate) assignable: HashMap<String, bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Op {
    CreateLabel(String),
    /// Open an issue for `items[item]`.
    Create {
        item: usize,
        issue: NewIssue,
    },
    /// An issue with the marker exists (a lost response, or a crash before
    /// the number was written): record its number, create nothing.
    Link {
        item: usize,
        number: u64,
    },
    CommentShipped {
        item: usize,
        number: u64,
        body: String,
    },
    Close {
        item: usize,
        number: u64,
    },
}

#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub(crate) ops: Vec<Op>,
    /// Known state of every recorded issue, for `status`.
    pub(crate) states: BTreeMap<u64, IssueState>,
    /// Safeguards whose recorded issue does not exist on GitHub.
    pub(crate) missing: Vec<(usize, u64)>,
}

/// A GitHub login: letters, digits and single inner hyphens, ≤ 39.
pub(crate) fn is_login(s: &str) -> bool {
    let s = s.strip_prefix('@').unwrap_or(s);
    !s.is_empty()
        && s.len() <= 39
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn login(owner: &str) -> &str {
    owner.strip_prefix('@').unwrap_or(owner)
}

/// Items that will need a new issue unless a marker turns one up.
fn wants_issue(item: &Item) -> bool {
    item.issue.is_none() && !item.dropped
}

/// Read what the plan needs: one paginated list of the label's issues,
/// then only what that list cannot answer.
pub(crate) async fn gather(
    api: &impl GitHubApi,
    items: &[Item],
    options: &Options,
) -> Result<Remote, ApiError> {
    let label = options.labels.first().map(String::as_str);
    let mut remote = Remote::default();
    let issues = api.list_issues(label).await?;
    // Anyone who can open an issue can copy a marker: only issues the
    // token's own account opened are adopted. Whose they are matters
    // only for the markers of safeguards that have no issue yet.
    let wanted: HashSet<&SafeguardRef> = items
        .iter()
        .filter(|i| wants_issue(i))
        .map(|i| &i.reference)
        .collect();
    let marked: Vec<(SafeguardRef, &Issue)> = issues
        .iter()
        .filter_map(|i| Some((i.body.as_deref().and_then(find_issue_marker)?, i)))
        .filter(|(reference, _)| wanted.contains(reference))
        .collect();
    if !marked.is_empty() {
        let me = api.login().await?;
        for (reference, issue) in marked {
            if !issue.is_by(&me) {
                remote.foreign.push((reference, issue.number));
                continue;
            }
            // The oldest issue wins if a marker was ever duplicated.
            remote
                .by_marker
                .entry(reference)
                .and_modify(|n| *n = (*n).min(issue.number))
                .or_insert(issue.number);
        }
    }
    for issue in issues {
        remote.issues.insert(issue.number, issue);
    }
    for item in items {
        if let Some(number) = item.issue {
            if let Entry::Vacant(slot) = remote.issues.entry(number) {
                if let Some(issue) = api.get_issue(number).await? {
                    slot.insert(issue);
                }
            }
        }
    }
    let creating: Vec<&Item> = items
        .iter()
        .filter(|i| wants_issue(i) && !remote.by_marker.contains_key(&i.reference))
        .collect();
    if !creating.is_empty() && !options.labels.is_empty() {
        remote.labels = Some(api.list_labels().await?);
    }
    for owner in creating.iter().filter_map(|i| i.owner.as_deref()) {
        if is_login(owner) && !remote.assignable.contains_key(login(owner)) {
            let ok = api.is_assignable(login(owner)).await?;
            remote.assignable.insert(login(owner).to_string(), ok);
        }
    }
    for item in items {
        let open_and_shipped = item.shipped.is_some()
            && item
                .issue
                .and_then(|n| remote.issues.get(&n))
                .is_some_and(|i| i.state() == IssueState::Open);
        if let (true, Some(number)) = (open_and_shipped, item.issue) {
            let marker = shipped_marker(&item.reference);
            let comments = api.list_comments(number).await?;
            let marked: Vec<_> = comments
                .iter()
                .filter(|c| c.body.as_deref().is_some_and(|b| b.contains(&marker)))
                .collect();
            if !marked.is_empty() {
                let me = api.login().await?;
                if marked.iter().any(|c| c.is_by(&me)) {
                    remote.shipped_commented.insert(number);
                }
            }
        }
    }
    Ok(remote)
}

/// Decide every operation. Pure: the same inputs give the same plan.
pub(crate) fn plan(items: &[Item], remote: &Remote, options: &Options) -> Plan {
    let mut plan = Plan::default();
    let mut creates = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match item.issue {
            None if item.dropped => {}
            None => match remote.by_marker.get(&item.reference) {
                Some(&number) => {
                    plan.ops.push(Op::Link {
                        item: index,
                        number,
                    });
                    if let Some(issue) = remote.issues.get(&number) {
                        plan.states.insert(number, issue.state());
                    }
                }
                None => creates.push(Op::Create {
                    item: index,
                    issue: NewIssue {
                        title: format!("[postmortem] {}", item.title),
                        body: item.body.clone(),
                        labels: options.labels.clone(),
                        assignees: item
                            .owner
                            .as_deref()
                            .map(login)
                            .filter(|o| remote.assignable.get(*o).copied().unwrap_or(false))
                            .map(|o| vec![o.to_string()])
                            .unwrap_or_default(),
                    },
                }),
            },
            Some(number) => match remote.issues.get(&number) {
                None => plan.missing.push((index, number)),
                Some(issue) => {
                    let state = issue.state();
                    plan.states.insert(number, state.clone());
                    if let (Some(shipped), IssueState::Open) = (&item.shipped, &state) {
                        if !remote.shipped_commented.contains(&number) {
                            plan.ops.push(Op::CommentShipped {
                                item: index,
                                number,
                                body: shipped_comment(&item.reference, shipped),
                            });
                        }
                        if options.close_shipped {
                            plan.ops.push(Op::Close {
                                item: index,
                                number,
                            });
                        }
                    }
                }
            },
        }
    }
    if !creates.is_empty() {
        if let Some(existing) = &remote.labels {
            for label in &options.labels {
                if !existing.iter().any(|e| e.eq_ignore_ascii_case(label)) {
                    plan.ops.push(Op::CreateLabel(label.clone()));
                }
            }
        }
        plan.ops.extend(creates);
    }
    plan
}

pub(crate) fn shipped_comment(reference: &SafeguardRef, shipped: &Shipped) -> String {
    format!(
        "Shipped by {} ({}), found on the default branch by `git postmortem`.\n\n{}",
        shipped.commit,
        shipped.subject.replace(['<', '>'], ""),
        shipped_marker(reference)
    )
}

/// What happened, for the summary line.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Done {
    pub(crate) created: Vec<(SafeguardRef, u64)>,
    pub(crate) linked: Vec<(SafeguardRef, u64)>,
    pub(crate) commented: usize,
    pub(crate) closed: usize,
}

/// A failure part-way: what was done before it, and why it stopped.
#[derive(Debug)]
pub(crate) struct Stopped {
    pub(crate) done: Done,
    pub(crate) error: StopReason,
}

#[derive(Debug)]
pub(crate) enum StopReason {
    GitHub(ApiError),
    WriteBack(crate::Error),
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::GitHub(e) => write!(f, "{e}"),
            StopReason::WriteBack(e) => write!(f, "{e}"),
        }
    }
}

/// Attempts at creating one issue whose creation keeps getting lost.
const CREATE_ATTEMPTS: u32 = 3;

/// Carry out `plan`. `record` writes an issue number into the safeguard's
/// file, and is called as soon as each number is known, so a failure later
/// loses nothing.
pub(crate) async fn execute(
    api: &impl GitHubApi,
    items: &[Item],
    plan: &Plan,
    options: &Options,
    backoff: Duration,
    record: &mut dyn FnMut(&Item, u64) -> crate::Result<()>,
) -> Result<Done, Stopped> {
    let mut done = Done::default();
    let label = options.labels.first().map(String::as_str);
    macro_rules! stop {
        ($e:expr) => {
            return Err(Stopped {
                done,
                error: StopReason::GitHub($e),
            })
        };
    }
    macro_rules! record {
        ($item:expr, $number:expr) => {
            if let Err(e) = record($item, $number) {
                return Err(Stopped {
                    done,
                    error: StopReason::WriteBack(e),
                });
            }
        };
    }
    for op in &plan.ops {
        match op {
            Op::CreateLabel(name) => match api.create_label(name).await {
                Ok(()) => {}
                Err(e) => stop!(e),
            },
            Op::Link { item, number } => {
                record!(&items[*item], *number);
                done.linked.push((items[*item].reference.clone(), *number));
            }
            Op::Create { item, issue } => {
                let item = &items[*item];
                let mut attempt = 0;
                let number = loop {
                    attempt += 1;
                    match api.create_issue(issue).await {
                        Ok(created) => break created.number,
                        Err(ApiError::Ambiguous { .. }) if attempt < CREATE_ATTEMPTS => {
                            // The issue may exist although the answer was
                            // lost: look for its marker before trying again.
                            match find_by_marker(api, label, &item.reference).await {
                                Ok(Some(number)) => break number,
                                Ok(None) => tokio::time::sleep(backoff * attempt).await,
                                Err(e) => stop!(e),
                            }
                        }
                        Err(ApiError::Ambiguous {
                            method,
                            path,
                            detail,
                        }) => match find_by_marker(api, label, &item.reference).await {
                            Ok(Some(number)) => break number,
                            _ => stop!(ApiError::Ambiguous {
                                method,
                                path,
                                detail
                            }),
                        },
                        Err(e) => stop!(e),
                    }
                };
                record!(item, number);
                done.created.push((item.reference.clone(), number));
            }
            Op::CommentShipped { number, body, .. } => {
                match api.create_comment(*number, body).await {
                    Ok(_) => done.commented += 1,
                    Err(e) => stop!(e),
                }
            }
            Op::Close { number, .. } => match api.close_issue(*number, "completed").await {
                Ok(()) => done.closed += 1,
                Err(e) => stop!(e),
            },
        }
    }
    Ok(done)
}

/// The oldest of the newest issues that carries `reference`'s marker and
/// was opened by the token's own account.
async fn find_by_marker(
    api: &impl GitHubApi,
    label: Option<&str>,
    reference: &SafeguardRef,
) -> Result<Option<u64>, ApiError> {
    let issues = api.recent_issues(label).await?;
    let marked: Vec<&Issue> = issues
        .iter()
        .filter(|i| i.body.as_deref().and_then(find_issue_marker).as_ref() == Some(reference))
        .collect();
    if marked.is_empty() {
        return Ok(None);
    }
    let me = api.login().await?;
    Ok(marked
        .into_iter()
        .filter(|i| i.is_by(&me))
        .map(|i| i.number)
        .min())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(reference: &str, issue: Option<u64>) -> Item {
        Item {
            reference: reference.parse().expect("reference"),
            title: format!("Title of {reference}"),
            owner: Some("dana".into()),
            issue,
            dropped: false,
            shipped: None,
            body: format!("body\n<!-- git-postmortem: {reference} -->"),
        }
    }

    fn issue(number: u64, state: &str, reference: Option<&str>) -> Issue {
        Issue {
            number,
            body: reference.map(|r| format!("<!-- git-postmortem: {r} -->")),
            state: state.into(),
            state_reason: (state == "closed").then(|| "completed".into()),
            pull_request: None,
            user: None,
        }
    }

    fn options() -> Options {
        Options {
            labels: vec!["postmortem".into(), "safeguard".into()],
            close_shipped: false,
        }
    }

    #[test]
    fn creates_missing_issues_and_labels_and_assigns_logins() {
        let items = [item("pm/S1", None)];
        let remote = Remote {
            labels: Some(vec!["Postmortem".into()]),
            assignable: HashMap::from([("dana".to_string(), true)]),
            ..Remote::default()
        };
        let plan = plan(&items, &remote, &options());
        assert_eq!(
            plan.ops,
            [
                Op::CreateLabel("safeguard".into()),
                Op::Create {
                    item: 0,
                    issue: NewIssue {
                        title: "[postmortem] Title of pm/S1".into(),
                        body: items[0].body.clone(),
                        labels: vec!["postmortem".into(), "safeguard".into()],
                        assignees: vec!["dana".into()],
                    }
                }
            ]
        );
    }

    #[test]
    fn an_issue_found_by_marker_is_linked_not_created() {
        let items = [item("pm/S1", None)];
        let mut remote = Remote::default();
        remote.issues.insert(7, issue(7, "open", Some("pm/S1")));
        remote
            .by_marker
            .insert("pm/S1".parse().expect("reference"), 7);
        let plan = plan(&items, &remote, &options());
        assert_eq!(plan.ops, [Op::Link { item: 0, number: 7 }]);
    }

    #[test]
    fn up_to_date_safeguards_need_no_writes() {
        let items = [item("pm/S1", Some(7)), item("pm/S2", Some(8))];
        let mut remote = Remote::default();
        remote.issues.insert(7, issue(7, "open", Some("pm/S1")));
        remote.issues.insert(8, issue(8, "closed", Some("pm/S2")));
        let plan = plan(&items, &remote, &options());
        assert!(plan.ops.is_empty(), "{:?}", plan.ops);
        assert_eq!(
            plan.states[&8],
            IssueState::Closed {
                reason: Some("completed".into())
            }
        );
    }

    #[test]
    fn shipped_open_issue_is_commented_once_and_closed_on_request() {
        let mut shipped = item("pm/S1", Some(7));
        shipped.shipped = Some(Shipped {
            commit: "abc1234".into(),
            subject: "Fail deploy on missing env".into(),
        });
        let items = [shipped];
        let mut remote = Remote::default();
        remote.issues.insert(7, issue(7, "open", Some("pm/S1")));
        let mut opts = options();
        opts.close_shipped = true;
        let ops = plan(&items, &remote, &opts).ops;
        assert!(matches!(ops[0], Op::CommentShipped { number: 7, .. }));
        assert_eq!(ops[1], Op::Close { item: 0, number: 7 });
        remote.shipped_commented.insert(7);
        opts.close_shipped = false;
        assert!(plan(&items, &remote, &opts).ops.is_empty());
    }

    #[test]
    fn dropped_safeguards_get_no_issue_and_unknown_numbers_are_reported() {
        let mut dropped = item("pm/S1", None);
        dropped.dropped = true;
        let items = [dropped, item("pm/S2", Some(99))];
        let plan = plan(&items, &Remote::default(), &options());
        assert!(plan.ops.is_empty());
        assert_eq!(plan.missing, [(1, 99)]);
    }

    #[test]
    fn logins() {
        assert!(is_login("dana"));
        assert!(is_login("@dana-k"));
        assert!(!is_login("Dana Smith"));
        assert!(!is_login("sre-team@example.com"));
        assert!(!is_login("-x"));
    }
}
