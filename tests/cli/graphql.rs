//! Every GraphQL document `sync` sends, captured by the fake GitHub during
//! an end-to-end run and validated against GitHub's published schema
//! (`@octokit/graphql-schema`) by `tests/graphql/validate.mjs`, with the
//! `graphql` package's own validator. `.ci/run` installs both packages
//! (`npm ci` in `tests/graphql`); without them or `node` the test fails in
//! CI and is skipped, saying so, elsewhere.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::github::{checkout_with_issue, pull_request_closer};

fn validator() -> Option<(PathBuf, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/graphql");
    let modules = dir.join("node_modules");
    let installed = modules
        .join("@octokit/graphql-schema/schema.json")
        .is_file()
        && modules.join("graphql/package.json").is_file();
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    (installed && node).then(|| (dir.join("validate.mjs"), dir))
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Run the validator on `documents`; (success, its output).
fn validate(script: &Path, documents: &[String]) -> (bool, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let files: Vec<PathBuf> = documents
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            let file = dir.path().join(format!("document-{i}.graphql"));
            std::fs::write(&file, doc).expect("write document");
            file
        })
        .collect();
    let output = Command::new("node")
        .arg(script)
        .args(&files)
        .output()
        .expect("run node");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn every_graphql_document_sync_sends_is_valid_against_githubs_schema() {
    let Some((script, dir)) = validator() else {
        let why = "node, or graphql and @octokit/graphql-schema in tests/graphql/node_modules (run `npm ci --prefix tests/graphql`)";
        assert!(!in_ci(), "the GraphQL schema check needs {why}");
        eprintln!("skipping the GraphQL schema check: it needs {why}");
        return;
    };
    // A closed issue (closer read) and an open one (closing PRs read).
    let (repo, gh) = checkout_with_issue().await;
    gh.with_state(|s| {
        s.issues[0]["state"] = serde_json::json!("closed");
        s.closers.insert(
            123,
            pull_request_closer(456, "3fb0429d1c5e8a7b6f4e2d0c9b8a7f6e5d4c3b2a"),
        );
    });
    let (code, _, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 0, "{stderr}");
    // The second sync asks about both issues: #124 was opened by the first.
    let (code, _, stderr) = gh.run(&repo, &["sync"]).await;
    assert_eq!(code, 0, "{stderr}");
    let documents: BTreeSet<String> = gh
        .graphql_requests()
        .await
        .iter()
        .map(|r| {
            let body = r.body.as_ref().expect("a JSON body");
            assert_eq!(
                body["variables"],
                serde_json::json!({ "owner": "acme", "name": "shop" })
            );
            body["query"].as_str().expect("a query").to_string()
        })
        .collect();
    assert!(!documents.is_empty(), "sync sent no GraphQL");
    let documents: Vec<String> = documents.into_iter().collect();
    let (ok, output) = validate(&script, &documents);
    assert!(
        ok,
        "invalid against GitHub's schema ({}):\n{output}",
        dir.display()
    );

    // The check itself catches a wrong field, so it cannot pass vacuously.
    let wrong = documents[0].replace("closedByPullRequestsReferences", "closingPullRequests");
    let (ok, output) = validate(&script, &[wrong]);
    assert!(!ok, "{output}");
    assert!(output.contains("closingPullRequests"), "{output}");
}
