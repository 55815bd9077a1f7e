use crate::common::fixtures::minimal;
use crate::common::{transcript, TestRepo};

/// Three incidents: two whose triggers touched `src/pool.rs`, two naming
/// `tooling` and two naming `process`; safeguards shipped, dropped, pending
/// and overdue.
fn three_incidents() -> TestRepo {
    let repo = TestRepo::new();
    let first = repo.commit_file("src/pool.rs", "size = 1\n", "Shrink the pool");
    repo.commit_file("src/db.rs", "timeout = 1\n", "Lower the timeout");
    let second = repo.commit_file("src/pool.rs", "size = env\n", "Read pool size from env");
    repo.commit_file("src/db.rs", "timeout = 5\n", "Raise the timeout");
    let a = "2026-08-10-pool";
    let b = "2026-10-05-pool-again";
    let c = "2026-11-20-alerts";
    repo.write_postmortem(
        a,
        &format!(
            "{}severity = \"sev1\"\n[trigger]\ncommits = [\"{first}\"]\n\n[[factors]]\nkind = \"tooling\"\n\n[[factors]]\nkind = \"process\"\n\n[[factors]]\nkind = \"tooling\"\n\n[[safeguards]]\nid = \"S1\"\ntitle = \"Pool size test\"\n\n[[safeguards]]\nid = \"S2\"\ntitle = \"Old idea\"\nstatus = \"dropped\"\nreason = \"S1 covers it\"\n",
            minimal("Pool exhausted", "draft", "2026-08-10T10:00:00Z").replace("severity = \"sev3\"\n", "")
        ),
    );
    repo.write_postmortem(
        b,
        &format!(
            "{}[trigger]\ncommits = [\"{second}\"]\n\n[[factors]]\nkind = \"tooling\"\n\n[[safeguards]]\nid = \"S1\"\ntitle = \"Env var check\"\nissue = 7\n\n[[safeguards]]\nid = \"S2\"\ntitle = \"Pool dashboard\"\ndue = 2026-12-20\n",
            minimal("Pool again", "draft", "2026-10-05T10:00:00Z").replace("sev3", "sev2")
        ),
    );
    repo.write_postmortem(
        c,
        &format!(
            "{}[[factors]]\nkind = \"process\"\n\n[[factors]]\nkind = \"monitoring\"\n\n[[safeguards]]\nid = \"S1\"\ntitle = \"Page on queue age\"\ndue = 2026-11-22\n",
            minimal("Alerts late", "draft", "2026-11-20T10:00:00Z").replace("sev3", "sev2")
        ),
    );
    repo.commit(&format!(
        "Add a pool size test\n\nPostmortem-Safeguard: {a}/S1"
    ));
    repo.commit("Check env vars at boot\n\nFixes #7");
    repo
}

#[test]
fn stats_counts_incidents_ship_rate_and_patterns() {
    let result = three_incidents().run(&["stats"]);
    assert_eq!(result.0, 0);
    insta::assert_snapshot!("stats_human", transcript(&result));
}

#[test]
fn stats_json() {
    let (code, stdout, stderr) = three_incidents().run(&["stats", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["days_since_last_incident"], 6);
    assert_eq!(doc["last_incident"], "2026-11-20-alerts");
    assert_eq!(doc["postmortems"], 3);
    assert_eq!(
        doc["by_severity"],
        serde_json::json!([
            {"severity": "sev1", "incidents": 1},
            {"severity": "sev2", "incidents": 2},
            {"severity": "sev3", "incidents": 0},
            {"severity": "sev4", "incidents": 0}
        ])
    );
    assert_eq!(
        doc["by_quarter"],
        serde_json::json!([
            {"quarter": "2026-Q3", "incidents": 1},
            {"quarter": "2026-Q4", "incidents": 2}
        ])
    );
    assert_eq!(
        doc["safeguards"],
        serde_json::json!({
            "total": 5, "shipped": 2, "pending": 1, "overdue": 1,
            "closed_unverified": 0, "dropped": 1, "ship_rate": 0.5
        })
    );
    // Shipped 2026-11-26T00:05Z and 00:06Z, 107.59 and 51.59 days after
    // their incidents (2026-08-10T10:00Z, 2026-10-05T10:00Z).
    assert_eq!(doc["median_days_to_ship"], 79.6);
    assert_eq!(
        doc["recurring_factors"],
        serde_json::json!([
            {"kind": "tooling", "count": 2, "postmortems": ["2026-08-10-pool", "2026-10-05-pool-again"]},
            {"kind": "process", "count": 2, "postmortems": ["2026-08-10-pool", "2026-11-20-alerts"]}
        ])
    );
    assert_eq!(
        doc["shared_trigger_files"],
        serde_json::json!([
            {"path": "src/pool.rs", "postmortems": ["2026-08-10-pool", "2026-10-05-pool-again"]}
        ])
    );
}

#[test]
fn stats_with_no_postmortems() {
    let (code, stdout, stderr) = TestRepo::new().run(&["stats", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["days_since_last_incident"], serde_json::Value::Null);
    assert_eq!(doc["safeguards"]["ship_rate"], serde_json::Value::Null);
    assert_eq!(doc["median_days_to_ship"], serde_json::Value::Null);
}
