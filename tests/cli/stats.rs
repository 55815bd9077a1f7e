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

/// Five incidents with what leads measure (today is 2026-11-26,
/// `safeguard_grace = "2d"`):
///
/// | id | severity | detect | resolve | safeguards |
/// |---|---|---|---|---|
/// | `2026-05-10-a` | sev1 | 5m | 1h | S1 due 06-01 shipped 06-02 (on time with the grace), S2 due 06-01 shipped 06-10 (late) |
/// | `2026-07-01-b` | sev1 | 20m | 3h | S1 due 07-15 never shipped (missed), S2 without due shipped 07-05 |
/// | `2026-08-15-c` | sev2 | missing | 1d | S1 due 12-31 (pending) |
/// | `2026-10-20-d` | sev2 | 10m *before* | missing | S1 dropped, S2 due 12-01 (pending) |
/// | `2026-11-20-e` | sev3 | 45m | 2h | S1 due 11-22 (missed: overdue from 11-25) |
///
/// The triggers of `a` and `b` both touched `=SUM(1,1).rs`, a name a
/// spreadsheet would read as a formula.
fn leads_metrics() -> TestRepo {
    let repo = TestRepo::new();
    let config = repo.read(".postmortem.toml");
    repo.write(
        ".postmortem.toml",
        &config.replace("safeguard_grace = \"0d\"", "safeguard_grace = \"2d\""),
    );
    let first = repo.commit_file("=SUM(1,1).rs", "1\n", "Add a sum");
    let second = repo.commit_file("=SUM(1,1).rs", "2\n", "Change the sum");
    let pm = |id: &str, severity: &str, times: &str, rest: &str| {
        let (occurred, extra) = times.split_once('\n').unwrap_or((times, ""));
        repo.write_postmortem(
            id,
            &format!(
                "{}{extra}\n{rest}",
                minimal(id, "draft", occurred).replace("sev3", severity)
            ),
        );
    };
    let safeguard = |id: &str, due: Option<&str>| {
        let due = due.map_or_else(String::new, |d| format!("due = {d}\n"));
        format!(
            "\n[[safeguards]]\nid = \"{id}\"\ntitle = \"Safeguard {id}\"\nowner = \"dana\"\n{due}"
        )
    };
    pm(
        "2026-05-10-a",
        "sev1",
        "2026-05-10T10:00:00Z\ndetected_at = 2026-05-10T10:05:00Z\nresolved_at = 2026-05-10T11:00:00Z\n",
        &format!(
            "[trigger]\ncommits = [\"{first}\"]\n{}{}",
            safeguard("S1", Some("2026-06-01")),
            safeguard("S2", Some("2026-06-01"))
        ),
    );
    pm(
        "2026-07-01-b",
        "sev1",
        "2026-07-01T10:00:00Z\ndetected_at = 2026-07-01T10:20:00Z\nresolved_at = 2026-07-01T13:00:00Z\n",
        &format!(
            "[trigger]\ncommits = [\"{second}\"]\n{}{}",
            safeguard("S1", Some("2026-07-15")),
            safeguard("S2", None)
        ),
    );
    pm(
        "2026-08-15-c",
        "sev2",
        "2026-08-15T10:00:00Z\nresolved_at = 2026-08-16T10:00:00Z\n",
        &safeguard("S1", Some("2026-12-31")),
    );
    pm(
        "2026-10-20-d",
        "sev2",
        "2026-10-20T10:00:00+02:00\ndetected_at = 2026-10-20T09:50:00+02:00\n",
        &format!(
            "{}status = \"dropped\"\nreason = \"S2 covers it\"\n{}",
            safeguard("S1", Some("2026-11-01")),
            safeguard("S2", Some("2026-12-01"))
        ),
    );
    pm(
        "2026-11-20-e",
        "sev3",
        "2026-11-20T10:00:00Z\ndetected_at = 2026-11-20T10:45:00Z\nresolved_at = 2026-11-20T12:00:00Z\n",
        &safeguard("S1", Some("2026-11-22")),
    );
    for (reference, at) in [
        ("2026-05-10-a/S1", "2026-06-02T10:00:00Z"),
        ("2026-05-10-a/S2", "2026-06-10T10:00:00Z"),
        ("2026-07-01-b/S2", "2026-07-05T10:00:00Z"),
    ] {
        repo.commit_at(&format!("Ship it\n\nPostmortem-Safeguard: {reference}"), at);
    }
    repo
}

#[test]
fn stats_reports_time_to_detect_and_resolve_by_severity_and_quarter() {
    let (code, stdout, stderr) = leads_metrics().run(&["stats", "--json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let spread = |measured: u64,
                  median: serde_json::Value,
                  p90: serde_json::Value,
                  missing: u64,
                  before: u64| {
        serde_json::json!({"measured": measured, "median_minutes": median, "p90_minutes": p90,
            "missing_detected_at": missing, "before_occurred_at": before})
    };
    let with = |mut a: serde_json::Value, key: &str, value: &str| {
        a[key] = value.into();
        a
    };
    let ttd = &doc["time_to_detect"];
    // 5, 20 and 45 minutes; `c` has none, `d`'s is before the incident.
    assert_eq!(
        serde_json::json!({"measured": ttd["measured"], "median_minutes": ttd["median_minutes"],
            "p90_minutes": ttd["p90_minutes"], "missing_detected_at": ttd["missing_detected_at"],
            "before_occurred_at": ttd["before_occurred_at"]}),
        spread(3, 20.0.into(), 45.0.into(), 1, 1)
    );
    assert_eq!(
        ttd["by_severity"],
        serde_json::json!([
            with(
                spread(2, 12.5.into(), 20.0.into(), 0, 0),
                "severity",
                "sev1"
            ),
            with(
                spread(0, serde_json::Value::Null, serde_json::Value::Null, 1, 1),
                "severity",
                "sev2"
            ),
            with(
                spread(1, 45.0.into(), 45.0.into(), 0, 0),
                "severity",
                "sev3"
            ),
        ])
    );
    assert_eq!(
        ttd["by_quarter"],
        serde_json::json!([
            with(
                spread(1, 5.0.into(), 5.0.into(), 0, 0),
                "quarter",
                "2026-Q2"
            ),
            with(
                spread(1, 20.0.into(), 20.0.into(), 1, 0),
                "quarter",
                "2026-Q3"
            ),
            with(
                spread(1, 45.0.into(), 45.0.into(), 0, 1),
                "quarter",
                "2026-Q4"
            ),
        ])
    );
    let ttr = &doc["time_to_resolve"];
    // 60, 120, 180 and 1440 minutes: the median between the middle two,
    // p90 by nearest rank (the 4th of 4).
    assert_eq!(ttr["measured"], 4);
    assert_eq!(ttr["median_minutes"], 150.0);
    assert_eq!(ttr["p90_minutes"], 1440.0);
    assert_eq!(ttr["missing_resolved_at"], 1);
    assert_eq!(ttr["before_occurred_at"], 0);
    assert_eq!(ttr["by_severity"][1]["severity"], "sev2");
    assert_eq!(ttr["by_severity"][1]["missing_resolved_at"], 1);
    assert_eq!(ttr["by_severity"][1]["median_minutes"], 1440.0);
}

#[test]
fn stats_reports_on_time_shipping_shipped_per_quarter_and_open_by_age() {
    let (code, stdout, stderr) = leads_metrics().run(&["stats", "--json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(
        doc["safeguards_on_time"],
        serde_json::json!({"on_time": 1, "late": 1, "missed": 2, "rate": 0.25, "shipped_without_due": 1})
    );
    assert_eq!(
        doc["shipped_by_quarter"],
        serde_json::json!([
            {"quarter": "2026-Q2", "shipped": 2},
            {"quarter": "2026-Q3", "shipped": 1}
        ])
    );
    assert_eq!(
        doc["open_safeguards_by_age"],
        serde_json::json!([
            {"age": "<30d", "safeguards": 1},
            {"age": "30-90d", "safeguards": 1},
            {"age": ">90d", "safeguards": 2}
        ])
    );
    // Without the grace, shipping a day after the due date is late.
    let repo = leads_metrics();
    let config = repo.read(".postmortem.toml");
    repo.write(".postmortem.toml", &config.replace("\"2d\"", "\"0d\""));
    let (_, stdout, _) = repo.run(&["stats", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["safeguards_on_time"]["on_time"], 0);
    assert_eq!(doc["safeguards_on_time"]["late"], 2);
}

#[test]
fn stats_metrics_in_text() {
    let result = leads_metrics().run(&["stats"]);
    assert_eq!(result.0, 0);
    insta::assert_snapshot!("stats_metrics_human", transcript(&result));
}

#[test]
fn stats_csv_is_one_tidy_row_per_number() {
    let (code, stdout, stderr) = leads_metrics().run(&["stats", "--format", "csv"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    assert_eq!(
        reader.headers().expect("header"),
        vec!["metric", "dimension", "group", "value"]
    );
    let mut values = std::collections::BTreeMap::new();
    for record in reader.records() {
        let record = record.expect("a CSV record");
        assert_eq!(record.len(), 4, "{record:?}");
        let key = (
            record[0].to_string(),
            record[1].to_string(),
            record[2].to_string(),
        );
        assert!(
            values.insert(key.clone(), record[3].to_string()).is_none(),
            "{key:?} twice"
        );
    }
    let value = |metric: &str, dimension: &str, group: &str| {
        values
            .get(&(metric.to_string(), dimension.to_string(), group.to_string()))
            .unwrap_or_else(|| panic!("no row {metric},{dimension},{group}"))
            .as_str()
    };
    assert_eq!(value("incidents", "all", ""), "5");
    assert_eq!(value("incidents", "severity", "sev2"), "2");
    assert_eq!(value("days_since_last_incident", "all", ""), "6");
    assert_eq!(value("time_to_detect_median_minutes", "all", ""), "20");
    assert_eq!(
        value("time_to_detect_median_minutes", "severity", "sev1"),
        "12.5"
    );
    // No number is an empty value, not a zero.
    assert_eq!(
        value("time_to_detect_median_minutes", "severity", "sev2"),
        ""
    );
    assert_eq!(value("time_to_detect_missing_detected_at", "all", ""), "1");
    assert_eq!(
        value("time_to_detect_before_occurred_at", "quarter", "2026-Q4"),
        "1"
    );
    assert_eq!(value("time_to_resolve_p90_minutes", "all", ""), "1440");
    assert_eq!(
        value("time_to_resolve_missing_resolved_at", "severity", "sev2"),
        "1"
    );
    assert_eq!(value("on_time_rate", "all", ""), "0.25");
    assert_eq!(value("safeguards_missed", "all", ""), "2");
    assert_eq!(value("safeguards_shipped", "quarter", "2026-Q2"), "2");
    assert_eq!(value("open_safeguards", "age", ">90d"), "2");
    assert_eq!(value("safeguards", "state", "dropped"), "1");
    // A file name a spreadsheet would run as a formula is quoted as text.
    assert_eq!(value("shared_trigger_file", "path", "'=SUM(1,1).rs"), "2");
    // Every value is a number or empty.
    for ((metric, _, _), v) in &values {
        assert!(v.is_empty() || v.parse::<f64>().is_ok(), "{metric}: {v}");
    }
    // The selection flags apply: only sev1.
    let (_, stdout, _) = leads_metrics().run(&["stats", "--format", "csv", "--severity", "sev1"]);
    assert!(stdout.contains("\nincidents,all,,2\n"), "{stdout}");
}
