//! The site in a real browser: headless Chromium, driven by
//! `tests/browser/check-site.mjs` (playwright-core), opens the pages from
//! disk (`file://`) and reports what happened; the assertions are here.
//! Screenshots land in `target/site-screenshots/`. Without Chromium, node
//! or `tests/browser/node_modules` (`npm ci --prefix tests/browser`) the
//! tests skip, saying so; in CI (`CI` set) they fail instead.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use super::site::{site_repo, DNS, POOL, POOL_AGAIN, XSS};
use crate::common::TestRepo;

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// `CHROMIUM`, else the first of Debian's and others' names on `PATH`.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM").map(PathBuf::from) {
        return path.is_file().then_some(path);
    }
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
    .find(|candidate| candidate.is_file())
}

/// The browser and the driver script, or why the test cannot run.
fn browser() -> Result<(PathBuf, PathBuf), String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = chromium()
        .ok_or("Chromium (`apt-get install chromium`, or CHROMIUM=/path/to/chrome)".to_string())?;
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node {
        return Err("node".into());
    }
    if !dir
        .join("node_modules/playwright-core/package.json")
        .is_file()
    {
        return Err(
            "playwright-core in tests/browser/node_modules (`npm ci --prefix tests/browser`)"
                .into(),
        );
    }
    Ok((chromium, dir.join("check-site.mjs")))
}

/// The browser, or `None` after saying why the test is skipped; in CI a
/// missing browser fails the test.
fn browser_or_skip(test: &str) -> Option<(PathBuf, PathBuf)> {
    match browser() {
        Ok(found) => Some(found),
        Err(missing) => {
            assert!(!in_ci(), "{test} needs {missing}, and CI must run it");
            eprintln!("skipping {test}: it needs {missing}");
            None
        }
    }
}

/// Where the screenshots go: `target/site-screenshots/`.
fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map_or_else(|| PathBuf::from("target"), Path::to_path_buf)
        .join("site-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

/// Run the driver with `spec` (the site and browser filled in).
fn drive(chromium: &Path, script: &Path, site: &Path, mut spec: Value) -> Value {
    spec["chromium"] = json!(chromium);
    spec["site"] = json!(site);
    let mut child = Command::new("node")
        .arg(script)
        .current_dir(script.parent().expect("tests/browser"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(spec.to_string().as_bytes())
            .expect("write the spec");
    }
    let output = child.wait_with_output().expect("wait for node");
    assert!(
        output.status.success(),
        "the browser driver failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the driver's JSON")
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Every page loaded with nothing on the console, no uncaught error, no
/// failed request, no dialog.
fn assert_clean(report: &Value) {
    for (page, seen) in report["pages"].as_object().expect("pages") {
        for what in ["console", "errors", "failed", "dialogs"] {
            assert!(
                strings(&seen[what]).is_empty(),
                "{page}: {what}: {:?}",
                seen[what]
            );
        }
        assert_eq!(seen["pwned"], Value::Null, "{page} ran injected script");
        assert_eq!(seen["images"], 0, "{page} has an image");
        assert!(strings(&seen["inline_handlers"]).is_empty(), "{page}");
        assert!(strings(&seen["javascript_links"]).is_empty(), "{page}");
        let csp = seen["csp"].as_str().unwrap_or_default();
        assert!(csp.contains("script-src 'self'"), "{page}: CSP {csp}");
    }
}

#[test]
fn the_site_works_in_a_real_browser_from_disk() {
    let Some((chromium, script)) = browser_or_skip("the browser check of the site") else {
        return;
    };
    let repo = site_repo();
    let (code, _, stderr) = repo.run(&["site"]);
    assert_eq!(code, 0, "{stderr}");
    let site = repo.file("postmortem-site");
    let shots = screenshots();
    let pages: Vec<String> = ["index.html".to_string(), "dashboard.html".to_string()]
        .into_iter()
        .chain([DNS, POOL, POOL_AGAIN, XSS].map(|id| format!("p/{id}.html")))
        .collect();
    let step = |name: &str, set: Value| json!({ "name": name, "set": set });
    let report = drive(
        &chromium,
        &script,
        &site,
        json!({
            "screenshots": shots,
            "pages": pages,
            "screenshot": {
                "index.html": "index",
                "dashboard.html": "dashboard",
                format!("p/{POOL}.html"): "postmortem",
                format!("p/{XSS}.html"): "postmortem-escaped",
            },
            "dark": { "dashboard.html": "dashboard-dark", "index.html": "index-dark" },
            "index_steps": [
                step("search title", json!({ "q": "exhausted" })),
                step("search summary", json!({ "q": "resolvers timed" })),
                step("search factor", json!({ "q": "monitoring" })),
                step("search service", json!({ "q": "db" })),
                step("search tag", json!({ "q": "security" })),
                step("severity", json!({ "f-severity": "sev2" })),
                step("status", json!({ "f-status": "final" })),
                step("service", json!({ "f-label": "checkout" })),
                step("tag", json!({ "f-label": "network" })),
                step("year", json!({ "f-year": "2025" })),
                step("together", json!({ "q": "pool", "f-status": "draft" })),
                step("nothing", json!({ "q": "pool", "f-year": "2025" })),
            ],
        }),
    );
    assert_clean(&report);

    // Without a filter the index lists everything, newest first, and the
    // script shows its controls.
    let initial = &report["index_initial"];
    assert_eq!(initial["filters_shown"], true);
    let all: Vec<String> = [XSS, POOL_AGAIN, POOL, DNS]
        .iter()
        .map(|id| format!("p/{id}.html"))
        .collect();
    assert_eq!(strings(&initial["ids"]), all);
    let page = |id: &str| format!("p/{id}.html");
    let expected: [(&str, Vec<String>); 12] = [
        ("search title", vec![page(POOL_AGAIN), page(POOL)]),
        ("search summary", vec![page(DNS)]),
        ("search factor", vec![page(DNS)]),
        ("search service", vec![page(POOL)]),
        ("search tag", vec![page(XSS)]),
        ("severity", vec![page(POOL_AGAIN), page(POOL)]),
        ("status", vec![page(DNS)]),
        ("service", vec![page(POOL_AGAIN), page(POOL)]),
        ("tag", vec![page(DNS)]),
        ("year", vec![page(DNS)]),
        ("together", vec![page(POOL_AGAIN)]),
        ("nothing", vec![]),
    ];
    let steps = report["index"].as_array().expect("steps");
    for ((name, ids), got) in expected.iter().zip(steps) {
        assert_eq!(got["name"], *name);
        assert_eq!(&strings(&got["ids"]), ids, "{name}");
        assert_eq!(got["none_shown"], ids.is_empty(), "{name}");
    }
    assert_eq!(steps[0]["count"], "2 of 4 postmortems");
    assert_eq!(steps[0]["hash"], "#q=exhausted");

    // The escaped postmortem shows its payloads as text and runs nothing.
    let xss = &report["pages"][format!("p/{XSS}.html")];
    let text = xss["text"].as_str().expect("text");
    for shown in [
        "Login <img src=x onerror=\"window.pwned=1\"> and <script>window.pwned=2</script>",
        "[click](javascript:window.pwned=3) <a href=\"javascript:window.pwned=3\">go</a>",
        "owner <b>bold</b>",
        "Escape <img src=x onerror=window.pwned=4> in titles",
    ] {
        assert!(
            text.contains(shown),
            "{shown:?} is not shown as text:\n{text}"
        );
    }
    assert_eq!(strings(&xss["scripts"]), Vec::<String>::new());
    assert!(
        xss["title"]
            .as_str()
            .expect("title")
            .starts_with("Login <img src=x"),
        "{}",
        xss["title"]
    );

    // The dashboard's charts, each titled and described.
    for key in ["dashboard.html", "dashboard.html (dark)"] {
        let svgs = report["pages"][key]["svgs"].as_array().expect("svgs");
        assert_eq!(svgs.len(), 7, "{key}");
        for svg in svgs {
            assert_eq!(svg["role"], "img");
            assert!(
                !svg["title"].as_str().unwrap_or_default().is_empty(),
                "{svg}"
            );
            assert!(
                !svg["desc"].as_str().unwrap_or_default().is_empty(),
                "{svg}"
            );
            assert!(svg["width"].as_f64().unwrap_or_default() > 100.0, "{svg}");
        }
        assert_eq!(svgs[0]["title"], "Safeguards by state");
        assert_eq!(svgs[1]["title"], "Safeguards shipped per quarter");
    }
    for shot in ["index", "dashboard", "postmortem", "dashboard-dark"] {
        assert!(shots.join(format!("{shot}.png")).is_file(), "{shot}.png");
    }
}

/// `n` postmortems a day apart from 2023-01-01, every tenth mentioning
/// "checkout" in its title, with factors, services and tags to search.
fn many_postmortems(n: usize) -> TestRepo {
    let repo = TestRepo::new();
    let start = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).expect("date");
    for i in 0..n {
        let day = start + chrono::Days::new(i as u64);
        let subject = if i % 10 == 0 { "Checkout" } else { "Search" };
        let id = format!("{}-incident-{i}", day.format("%Y-%m-%d"));
        repo.write_postmortem(
            &id,
            &format!(
                "schema = 1\ntitle = \"{subject} incident {i}\"\nstatus = \"draft\"\nseverity = \"sev{}\"\noccurred_at = {}T10:00:00Z\nresolved_at = {}T12:00:00Z\nsummary = \"Incident number {i} took two hours to resolve.\"\nservices = [\"service-{}\"]\ntags = [\"tag-{}\"]\n\n[[factors]]\nkind = \"tooling\"\nnote = \"A long note about what made sense at the time, number {i}.\"\n\n[[safeguards]]\nid = \"S1\"\ntitle = \"Guard {i}\"\nowner = \"team\"\ndue = {}\n",
                i % 4 + 1,
                day.format("%Y-%m-%d"),
                day.format("%Y-%m-%d"),
                i % 7,
                i % 5,
                (day + chrono::Days::new(30)).format("%Y-%m-%d"),
            ),
        );
    }
    repo
}

#[test]
fn search_at_a_thousand_postmortems_is_measured() {
    let Some((chromium, script)) = browser_or_skip("the search latency measurement") else {
        return;
    };
    let repo = many_postmortems(1000);
    let (code, _, stderr) = repo.run(&["site"]);
    assert_eq!(code, 0, "{stderr}");
    let queries = ["checkout", "incident 99", "tooling", "service-3", "zzz", ""];
    let report = drive(
        &chromium,
        &script,
        &repo.file("postmortem-site"),
        json!({
            "pages": ["index.html"],
            "time_queries": queries.iter().chain(&queries).collect::<Vec<_>>(),
        }),
    );
    assert_clean(&report);
    let timings = report["search_ms"].as_array().expect("timings");
    let shown: Vec<u64> = timings
        .iter()
        .take(queries.len())
        .map(|t| t["shown"].as_u64().expect("count"))
        .collect();
    // "incident 99": both words anywhere, so 99, 199, …, 999 and 990–998.
    assert_eq!(shown, [100, 19, 1000, 143, 0, 1000]);
    let mut ms: Vec<f64> = timings
        .iter()
        .map(|t| t["ms"].as_f64().expect("ms"))
        .collect();
    ms.sort_by(f64::total_cmp);
    let line = format!(
        "search over 1000 postmortems (filter and show, in page JS): median {:.1} ms, max {:.1} ms over {} searches\n",
        ms[ms.len() / 2],
        ms[ms.len() - 1],
        ms.len()
    );
    eprint!("{line}");
    std::fs::write(screenshots().join("search-latency.txt"), line).expect("record");
}
