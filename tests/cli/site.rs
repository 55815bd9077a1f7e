//! `site`: the static site's files, escaping, links, charts, the
//! directory it replaces (and the ones it refuses to), and `init`'s
//! `.gitignore` line. What a browser makes of the site is in
//! `site_browser.rs`.

use std::path::Path;

use crate::common::fixtures::minimal;
use crate::common::TestRepo;

pub(crate) const DNS: &str = "2025-03-02-dns-outage";
pub(crate) const POOL: &str = "2026-08-10-pool";
pub(crate) const POOL_AGAIN: &str = "2026-10-05-pool-again";
pub(crate) const XSS: &str = "2026-11-20-xss";

/// Text that would run script, load an image or link to `javascript:` if
/// it reached a page unescaped; each sets `window.pwned`.
pub(crate) const IMG: &str = "<img src=x onerror=\\\"window.pwned=1\\\">";
pub(crate) const SCRIPT: &str = "<script>window.pwned=2</script>";
pub(crate) const LINK: &str =
    "[click](javascript:window.pwned=3) <a href=\\\"javascript:window.pwned=3\\\">go</a>";

/// Four postmortems over two years, in `acme/shop`: services and tags,
/// triggers that touched `src/pool.rs` twice, factors that recur, and
/// safeguards shipped on time, shipped late, pending, overdue and dropped.
/// One of them (`XSS`) carries script, an image and `javascript:` links in
/// its title, summary, notes, owner, and the subject of the commit that
/// ships its safeguard.
pub(crate) fn site_repo() -> TestRepo {
    let repo = TestRepo::new();
    let config = repo.read(".postmortem.toml");
    repo.write(
        ".postmortem.toml",
        &config.replace("# repo = \"acme/shop\"", "repo = \"acme/shop\""),
    );
    let first = repo.commit_file("src/pool.rs", "size = 1\n", "Shrink the pool");
    let second = repo.commit_file("src/pool.rs", "size = env\n", "Read pool size from env");
    let head = |title: &str, status: &str, severity: &str, at: &str| {
        minimal(title, status, at).replace("sev3", severity)
    };
    repo.write_postmortem(
        DNS,
        &format!(
            "{}resolved_at = 2025-03-02T13:00:00Z\nsummary = \"Resolvers timed out for three hours.\"\nservices = [\"dns\"]\ntags = [\"network\"]\n\n[[factors]]\nkind = \"monitoring\"\n\n[[factors]]\nkind = \"process\"\n\n[[safeguards]]\nid = \"S1\"\ntitle = \"Second resolver\"\nowner = \"sre\"\ndue = 2026-10-01\n\n[[safeguards]]\nid = \"S2\"\ntitle = \"Resolver runbook\"\nowner = \"sre\"\n",
            head("DNS outage", "final", "sev1", "2025-03-02T10:00:00Z")
        ),
    );
    repo.write_postmortem(
        POOL,
        &format!(
            "{}resolved_at = 2026-08-10T11:00:00Z\nsummary = \"Checkout ran out of database connections.\"\nservices = [\"checkout\", \"db\"]\ntags = [\"database\"]\n\n[trigger]\ncommits = [\"{first}\"]\n\n[[factors]]\nkind = \"tooling\"\nnote = \"Nobody saw the pool size change.\"\n\n[[factors]]\nkind = \"process\"\n\n[[actions]]\nid = \"A1\"\ntitle = \"Refund failed orders\"\nowner = \"dana\"\nupdates = [{{ at = 2026-08-12, note = \"Refunds 60% done\" }}]\n\n[[safeguards]]\nid = \"S1\"\ntitle = \"Pool size test\"\nowner = \"dana\"\ndue = 2026-12-01\n\n[[safeguards]]\nid = \"S2\"\ntitle = \"Pool dashboard\"\nowner = \"dana\"\ndue = 2026-11-01\n",
            head("Pool exhausted", "review", "sev2", "2026-08-10T10:00:00Z")
        ),
    );
    repo.write_postmortem(
        POOL_AGAIN,
        &format!(
            "{}services = [\"checkout\"]\n\n[trigger]\ncommits = [\"{second}\"]\n\n[[factors]]\nkind = \"tooling\"\n\n[[safeguards]]\nid = \"S1\"\ntitle = \"Old idea\"\nstatus = \"dropped\"\nreason = \"{POOL}/S1 covers it\"\n",
            head("Pool exhausted again", "draft", "sev2", "2026-10-05T10:00:00Z")
        ),
    );
    repo.write_postmortem(
        XSS,
        &format!(
            "schema = 1\ntitle = \"Login {IMG} and {SCRIPT}\"\nstatus = \"draft\"\nseverity = \"sev3\"\noccurred_at = 2026-11-20T10:00:00Z\nsummary = \"Summary {SCRIPT} {LINK}\"\ntags = [\"security\", \"{SCRIPT}\"]\n\n[[timeline]]\nat = 2026-11-20T10:05:00Z\nevent = \"Event {IMG} {LINK}\"\n\n[[factors]]\nkind = \"other\"\nnote = \"Note {IMG}\"\n\n[accountability]\nstatement = \"We own it {LINK}\"\n\n[[actions]]\nid = \"A1\"\ntitle = \"Action {SCRIPT}\"\nowner = \"{IMG}\"\nupdates = [{{ at = 2026-11-21, note = \"Update {LINK}\" }}]\n\n[[safeguards]]\nid = \"S1\"\ntitle = \"Escape {IMG}\"\nowner = \"<b>bold</b>\"\ndue = 2026-12-20\n"
        ),
    );
    repo.commit(&format!(
        "Add a pool size test\n\nPostmortem-Safeguard: {POOL}/S1"
    ));
    repo.commit(&format!(
        "Add a second resolver\n\nPostmortem-Safeguard: {DNS}/S1"
    ));
    repo.commit(&format!(
        "Escape <img src=x onerror=window.pwned=4> in titles\n\nPostmortem-Safeguard: {XSS}/S1"
    ));
    repo
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn site_writes_the_index_a_page_per_postmortem_the_dashboard_and_data_json() {
    let repo = site_repo();
    let (code, stdout, stderr) = repo.run(&["site"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "wrote the site for 4 postmortems to postmortem-site/ (12 files); open postmortem-site/index.html\n"
    );
    let dir = repo.file("postmortem-site");
    for rel in [
        "index.html",
        "dashboard.html",
        "data.json",
        "assets/site.css",
        "assets/site.js",
        "assets/index.js",
        "assets/favicon.svg",
    ] {
        assert!(dir.join(rel).is_file(), "{rel} is missing");
    }
    for id in [DNS, POOL, POOL_AGAIN, XSS] {
        assert!(dir.join(format!("p/{id}.html")).is_file(), "{id}");
    }

    // Newest first, each with its link.
    let index = read(&dir, "index.html");
    let at = |id: &str| {
        index
            .find(&format!("href=\"p/{id}.html\""))
            .unwrap_or_else(|| panic!("{id} is not linked"))
    };
    assert!(at(XSS) < at(POOL_AGAIN) && at(POOL_AGAIN) < at(POOL) && at(POOL) < at(DNS));
    assert!(index.contains("<option value=\"checkout\">checkout</option>"));
    assert!(index.contains("<option value=\"2025\">2025</option>"));

    // The data behind the pages.
    let data: serde_json::Value = serde_json::from_str(&read(&dir, "data.json")).expect("JSON");
    assert_eq!(data["github_repo"], "acme/shop");
    assert_eq!(data["postmortems"].as_array().expect("array").len(), 4);
    let pool = data["postmortems"]
        .as_array()
        .expect("array")
        .iter()
        .find(|p| p["id"] == POOL)
        .expect("the pool postmortem");
    assert_eq!(pool["services"], serde_json::json!(["checkout", "db"]));
    assert_eq!(pool["safeguard_states"][0]["state"], "shipped");
    assert_eq!(pool["safeguard_states"][1]["state"], "overdue");
    assert_eq!(data["stats"]["safeguards"]["shipped"], 3);
    assert_eq!(data["index"][0]["id"], XSS);

    // The search data is a script assigning a global, in the index's order.
    let script = read(&dir, "assets/index.js");
    let json = script
        .split_once("window.GIT_POSTMORTEM_INDEX = ")
        .and_then(|(_, rest)| rest.trim_end().strip_suffix(';'))
        .expect("assigns the global");
    let search: serde_json::Value = serde_json::from_str(json).expect("JSON");
    assert_eq!(search[3]["severity"], "sev1");
    assert_eq!(search[3]["labels"], serde_json::json!(["dns", "network"]));
}

#[test]
fn the_postmortem_page_shows_every_section_and_each_safeguards_proof() {
    let repo = site_repo();
    let (code, _, stderr) = repo.run(&["site", "--out", "out"]);
    assert_eq!(code, 0, "{stderr}");
    let page = read(&repo.file("out"), &format!("p/{POOL}.html"));
    for section in [
        "id=\"summary\"",
        "id=\"impact\"",
        "id=\"trigger\"",
        "id=\"factors\"",
        "id=\"actions\"",
        "id=\"safeguards\"",
    ] {
        if section == "id=\"impact\"" {
            continue; // the pool postmortem has no impact section
        }
        assert!(page.contains(section), "{section} missing");
    }
    assert!(page.contains("Refunds 60% done"), "{page}");
    assert!(page.contains("Nobody saw the pool size change."));
    // The trigger commit and the shipping commit link to the forge.
    let trigger = repo
        .repo
        .revparse_single("HEAD~4")
        .expect("trigger")
        .id()
        .to_string();
    assert!(
        page.contains(&format!("https://github.com/acme/shop/commit/{trigger}")),
        "{page}"
    );
    let shipped = repo
        .repo
        .revparse_single("HEAD~2")
        .expect("ship")
        .id()
        .to_string();
    assert!(page.contains(&format!(
        "href=\"https://github.com/acme/shop/commit/{shipped}\""
    )));
    assert!(page.contains("state-shipped\">shipped</span> <strong>S1</strong>"));
    assert!(page.contains("state-overdue\">overdue</span> <strong>S2</strong>"));
    assert!(page.contains("Add a pool size test"));
}

#[test]
fn without_a_known_repository_commits_are_shown_but_not_linked() {
    let repo = site_repo();
    let config = repo.read(".postmortem.toml");
    repo.write(
        ".postmortem.toml",
        &config.replace("repo = \"acme/shop\"", "# no repository"),
    );
    let (code, _, stderr) = repo.run(&["site"]);
    assert_eq!(code, 0, "{stderr}");
    let page = read(&repo.file("postmortem-site"), &format!("p/{POOL}.html"));
    assert!(page.contains("Add a pool size test"));
    assert!(!page.contains("/commit/"), "{page}");
    assert!(!page.contains("https://"), "{page}");
}

#[test]
fn user_text_is_html_escaped_on_every_page_and_in_the_charts() {
    let repo = site_repo();
    let (code, _, stderr) = repo.run(&["site"]);
    assert_eq!(code, 0, "{stderr}");
    let dir = repo.file("postmortem-site");
    for rel in [
        "index.html".to_string(),
        "dashboard.html".to_string(),
        format!("p/{XSS}.html"),
    ] {
        let html = read(&dir, &rel);
        assert!(!html.contains("<img"), "{rel}: an image tag got through");
        assert!(!html.contains("<b>"), "{rel}: markup got through");
        assert!(!html.contains("onerror="), "{rel}: a handler got through");
        assert!(!html.contains("<a href=\"javascript"), "{rel}");
        assert!(!html.contains("href=\"javascript"), "{rel}");
        let scripts = html.matches("<script").count();
        let ours = html.matches("<script src=\"").count();
        assert_eq!(scripts, ours, "{rel}: a script element got through");
    }
    let page = read(&dir, &format!("p/{XSS}.html"));
    // Shown as text, escaped once: title, summary, owner, commit subject.
    assert!(
        page.contains("Login &lt;img src&#x3D;x onerror&#x3D;&quot;window.pwned&#x3D;1&quot;&gt;"),
        "{page}"
    );
    assert!(page.contains("&lt;script&gt;window.pwned&#x3D;2&lt;/script&gt;"));
    assert!(page.contains("owner &lt;b&gt;bold&lt;/b&gt;"));
    assert!(
        page.contains("Escape &lt;img src&#x3D;x onerror&#x3D;window.pwned&#x3D;4&gt; in titles")
    );
    assert!(
        !page.contains("<script"),
        "a postmortem page needs no script"
    );
}

#[test]
fn the_dashboard_draws_titled_charts_with_their_numbers() {
    let repo = site_repo();
    let (code, _, stderr) = repo.run(&["site"]);
    assert_eq!(code, 0, "{stderr}");
    let html = read(&repo.file("postmortem-site"), "dashboard.html");
    assert_eq!(html.matches("<svg").count(), 7, "{html}");
    assert_eq!(html.matches("role=\"img\"").count(), 7);
    for title in [
        "Safeguards by state",
        "Safeguards shipped per quarter",
        "On-time rate per quarter",
        "Time to resolve per quarter (median hours)",
        "Incidents per quarter",
        "Recurring contributing factors",
        "Files the triggers of several incidents touched",
    ] {
        assert!(
            html.contains(&format!("-title\">{title}</title>")),
            "{title} missing"
        );
    }
    // The error-free counter: 2026-11-26 is 6 days after the last one.
    assert!(html.contains("<span class=\"number\">6</span>"), "{html}");
    // Three safeguards shipped in 2026-Q4: one on time (pool S1, due
    // 2026-12-01), one late (dns S1, due 2026-10-01), one on time (xss S1).
    assert!(
        html.contains("<tr><td>2026-Q4</td><td>3</td><td>2</td><td>3</td></tr>"),
        "{html}"
    );
    assert!(html.contains("<tr><td>2026-Q4</td><td>67%</td></tr>"));
    // Quarters with nothing in them are drawn too, from 2025-Q1 on.
    assert!(html.contains("<tr><td>2025-Q2</td><td>0</td></tr>"));
    // Time to resolve: 3 hours in 2025-Q1, 1 hour in 2026-Q3.
    assert!(html.contains("<tr><td>2025-Q1</td><td>3.0h</td><td>1</td></tr>"));
    assert!(html.contains("<tr><td>2026-Q3</td><td>1.0h</td><td>1</td></tr>"));
    // Patterns: tooling and process recur; src/pool.rs was touched twice.
    assert!(html.contains("<tr><td>tooling</td><td>2</td></tr>"));
    assert!(html.contains("<tr><td>process</td><td>2</td></tr>"));
    assert!(html.contains("<tr><td>src/pool.rs</td><td>2</td></tr>"));
    assert!(!html.contains("style="), "inline styles break the CSP");
}

#[test]
fn site_replaces_its_own_directory_whole() {
    let repo = site_repo();
    let (code, _, stderr) = repo.run(&["site"]);
    assert_eq!(code, 0, "{stderr}");
    let dir = repo.file("postmortem-site");
    assert!(dir.join(format!("p/{POOL_AGAIN}.html")).is_file());
    std::fs::remove_file(repo.file(&format!("postmortems/{POOL_AGAIN}.toml"))).expect("rm");
    let (code, stdout, stderr) = repo.run(&["site"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("3 postmortems"), "{stdout}");
    assert!(
        !dir.join(format!("p/{POOL_AGAIN}.html")).exists(),
        "a removed postmortem's page stayed"
    );
    // Nothing is left beside it.
    let leftovers: Vec<String> = std::fs::read_dir(repo.path())
        .expect("read")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".postmortem-site"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn site_refuses_a_directory_it_did_not_write() {
    let repo = site_repo();
    repo.write("docs/keep.md", "mine\n");
    let (code, stdout, stderr) = repo.run(&["site", "--out", "docs"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains(
            "error: --out docs: is not empty and was not written by `git postmortem site`"
        ),
        "{stderr}"
    );
    assert_eq!(repo.read("docs/keep.md"), "mine\n");
    assert!(!repo.file("docs/index.html").exists());

    repo.write("a-file", "x\n");
    let (code, _, stderr) = repo.run(&["site", "--out", "a-file"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("exists and is not a directory"), "{stderr}");
    assert_eq!(repo.read("a-file"), "x\n");

    // An empty directory is fine.
    std::fs::create_dir_all(repo.file("empty")).expect("mkdir");
    let (code, _, stderr) = repo.run(&["site", "--out", "empty"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(repo.file("empty/index.html").is_file());
}

#[test]
fn a_postmortem_that_does_not_parse_is_reported_and_the_rest_are_built() {
    let repo = site_repo();
    repo.write_postmortem(
        "2026-11-25-broken",
        "schema = 1\ntitle = \"Broken\"\nstatus = \"draft\"\nseverity = \"sev3\"\noccurred_at = 2026-11-25T10:00:00Z\nservices = \"checkout\"\n",
    );
    let (code, stdout, stderr) = repo.run(&["site"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains("postmortems/2026-11-25-broken.toml:6:12"),
        "{stderr}"
    );
    assert!(stderr.contains("expected a sequence"), "{stderr}");
    assert!(stdout.contains("4 postmortems"), "{stdout}");
    assert!(repo.file("postmortem-site/index.html").is_file());
}

#[test]
fn a_repository_overrides_a_site_template() {
    let repo = site_repo();
    repo.write(
        "templates/site/index.html.hbs",
        "<!doctype html><title>Ours</title>{{#each entries}}<p>{{title}}</p>{{/each}}\n",
    );
    let (code, _, stderr) = repo.run(&["site"]);
    assert_eq!(code, 0, "{stderr}");
    let index = read(&repo.file("postmortem-site"), "index.html");
    assert!(
        index.starts_with("<!doctype html><title>Ours</title><p>Login &lt;img"),
        "{index}"
    );
    // The others are still the built-in ones.
    assert!(
        read(&repo.file("postmortem-site"), "dashboard.html").contains("Content-Security-Policy")
    );
}

#[test]
fn a_site_with_no_postmortems_is_still_a_site() {
    let repo = TestRepo::new();
    let (code, stdout, stderr) = repo.run(&["site"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("0 postmortems"), "{stdout}");
    let dashboard = read(&repo.file("postmortem-site"), "dashboard.html");
    assert!(dashboard.contains("no incidents recorded"));
    assert_eq!(dashboard.matches("<svg").count(), 7);
}

#[test]
fn init_ignores_the_site_directory_and_keeps_the_ignore_file() {
    let repo = TestRepo::without_config();
    repo.write(".gitignore", "target/\r\n*.log\r\n");
    let (code, _, stderr) = repo.run(&["init"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        repo.read(".gitignore"),
        "target/\r\n*.log\r\n/postmortem-site/\r\n"
    );

    let fresh = TestRepo::without_config();
    let (code, stdout, _) = fresh.run(&["init"]);
    assert_eq!(code, 0);
    assert_eq!(fresh.read(".gitignore"), "/postmortem-site/\n");
    assert!(stdout.contains(".gitignore"), "{stdout}");

    // Already ignored: left alone.
    let ignored = TestRepo::without_config();
    ignored.write(".gitignore", "postmortem-site/");
    let (code, _, _) = ignored.run(&["init"]);
    assert_eq!(code, 0);
    assert_eq!(ignored.read(".gitignore"), "postmortem-site/");
}
