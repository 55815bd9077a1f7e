//! What GitHub's GraphQL API says about issues that REST does not: what
//! closed each one (the last `ClosedEvent`'s `closer`, a merged pull
//! request or a commit) and which open pull requests will close it
//! (`closedByPullRequestsReferences`). One query per [`BATCH`] issues,
//! each issue under an alias, never one request per issue. The documents
//! are built by [`issue_links_query`], a pure function, and validated
//! against GitHub's published schema in the tests.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::github::api::{ApiError, GitHubApi};
use crate::github::settings::RepoSlug;
use crate::model::{Closer, IssueLinks};

/// Issues per query: GitHub's node limit allows far more, but a batch of
/// 100 keeps each answer small and each failure cheap.
pub(crate) const BATCH: usize = 100;

/// Open closing pull requests read per issue.
const CLOSING_PRS: u32 = 10;

/// The query for `numbers` (at most [`BATCH`]), with `$owner` and `$name`
/// as variables; each issue is under the alias `i<number>`.
pub(crate) fn issue_links_query(numbers: &[u64]) -> String {
    let mut query = String::from(
        "query($owner: String!, $name: String!) {\n  repository(owner: $owner, name: $name) {\n",
    );
    for n in numbers {
        query.push_str(&format!(
            "    i{n}: issue(number: {n}) {{\n      ...links\n    }}\n"
        ));
    }
    query.push_str("  }\n}\n\n");
    query.push_str(&format!(
        "fragment links on Issue {{
  number
  state
  stateReason
  createdAt
  timelineItems(itemTypes: [CLOSED_EVENT], last: 1) {{
    nodes {{
      ... on ClosedEvent {{
        closer {{
          __typename
          ... on PullRequest {{
            number
            baseRefName
            mergeCommit {{
              oid
            }}
          }}
          ... on Commit {{
            oid
          }}
        }}
      }}
    }}
  }}
  closedByPullRequestsReferences(first: {CLOSING_PRS}, includeClosedPrs: false) {{
    nodes {{
      number
      state
    }}
  }}
}}
"
    ));
    query
}

/// The variables that go with every query.
pub(crate) fn variables(repo: &RepoSlug) -> Value {
    json!({ "owner": repo.owner, "name": repo.name })
}

/// The links of each of `numbers` found in a query's `data`. An issue
/// that came back null (deleted, transferred) is left out; one that came
/// back has an entry, empty when nothing links to it. A closer is kept
/// only for a closed issue, closing pull requests only for an open one.
pub(crate) fn parse_issue_links(data: &Value, numbers: &[u64]) -> BTreeMap<u64, IssueLinks> {
    let repository = &data["repository"];
    let mut links = BTreeMap::new();
    for &n in numbers {
        let issue = &repository[format!("i{n}")];
        if !issue.is_object() {
            continue;
        }
        let closed = issue["state"] == "CLOSED";
        let closer = issue["timelineItems"]["nodes"]
            .as_array()
            .and_then(|nodes| nodes.last())
            .map(|node| &node["closer"])
            .filter(|_| closed)
            .and_then(closer);
        let closing_prs = if closed {
            Vec::new()
        } else {
            issue["closedByPullRequestsReferences"]["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|pr| pr["state"] == "OPEN")
                .filter_map(|pr| pr["number"].as_u64())
                .collect()
        };
        let created_at = issue["createdAt"]
            .as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.timestamp());
        links.insert(
            n,
            IssueLinks {
                closer,
                closing_prs,
                created_at,
            },
        );
    }
    links
}

fn closer(value: &Value) -> Option<Closer> {
    let hex = |v: &Value| {
        v.as_str()
            .filter(|s| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(str::to_ascii_lowercase)
    };
    match value["__typename"].as_str()? {
        "PullRequest" => Some(Closer::PullRequest {
            number: value["number"].as_u64()?,
            base_ref: value["baseRefName"].as_str().map(String::from),
            merge_commit: hex(&value["mergeCommit"]["oid"]),
        }),
        "Commit" => Some(Closer::Commit {
            oid: hex(&value["oid"])?,
        }),
        _ => None,
    }
}

/// Links by issue number; on a failure, what was read before it, with
/// the error.
pub(crate) type LinksRead =
    Result<BTreeMap<u64, IssueLinks>, (BTreeMap<u64, IssueLinks>, ApiError)>;

/// The links of every issue in `numbers`, [`BATCH`] at a time. On a
/// failure, what the batches before it read comes back with the error.
pub(crate) async fn issue_links(
    api: &impl GitHubApi,
    repo: &RepoSlug,
    numbers: &[u64],
) -> LinksRead {
    let mut links = BTreeMap::new();
    for batch in numbers.chunks(BATCH) {
        match api
            .graphql(&issue_links_query(batch), variables(repo))
            .await
        {
            Ok(data) => links.extend(parse_issue_links(&data, batch)),
            Err(e) => return Err((links, e)),
        }
    }
    Ok(links)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_alias_per_issue() {
        let query = issue_links_query(&[124, 7]);
        assert!(query.contains("i124: issue(number: 124)"));
        assert!(query.contains("i7: issue(number: 7)"));
        assert_eq!(query.matches("...links").count(), 2);
    }

    #[test]
    fn closers_and_closing_pull_requests_are_read() {
        let oid = "3fb0429".repeat(5) + "ABCDE";
        let data = json!({ "repository": {
            "i124": {
                "number": 124, "state": "CLOSED", "stateReason": "COMPLETED",
                "timelineItems": { "nodes": [ { "closer": {
                    "__typename": "PullRequest", "number": 456, "baseRefName": "main",
                    "mergeCommit": { "oid": oid }
                } } ] },
                "closedByPullRequestsReferences": { "nodes": [] }
            },
            "i125": {
                "number": 125, "state": "OPEN", "stateReason": null,
                "timelineItems": { "nodes": [] },
                "closedByPullRequestsReferences": { "nodes": [
                    { "number": 789, "state": "OPEN" },
                    { "number": 790, "state": "MERGED" }
                ] }
            },
            "i126": {
                "number": 126, "state": "CLOSED", "stateReason": "COMPLETED",
                "timelineItems": { "nodes": [ { "closer": null } ] },
                "closedByPullRequestsReferences": { "nodes": [] }
            },
            "i127": null
        } });
        let links = parse_issue_links(&data, &[124, 125, 126, 127]);
        assert_eq!(
            links[&124].closer,
            Some(Closer::PullRequest {
                number: 456,
                base_ref: Some("main".into()),
                merge_commit: Some(oid.to_ascii_lowercase()),
            })
        );
        assert_eq!(links[&125].closing_prs, [789]);
        assert!(links[&126].is_empty());
        assert!(!links.contains_key(&127));
    }
}
