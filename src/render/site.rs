//! The postmortem site's pages: the index, one page per postmortem and the
//! dashboard, rendered as HTML from the `site/*.html` templates, with the
//! stylesheet and the script beside them (`site/site.css`, `site/site.js`,
//! templates too, so a repository overrides any of them the same way:
//! `templates/site/<name>.hbs`).
//!
//! Safe by construction: the HTML registry escapes every value with
//! Handlebars' HTML escaper (`&<>"'`=`), the helpers escape what they
//! write, and links are built here only from a validated repository slug
//! and hex commit ids, never from text in a postmortem. Each page carries a
//! strict Content-Security-Policy (in the templates); the charts come from
//! [`super::svg`], already escaped.

use std::collections::BTreeMap;

use handlebars::{html_escape, Handlebars};
use serde::Serialize;

use crate::error::Result;
use crate::model::{is_repo_slug, Timestamp, Update};
use crate::render::svg::{self, Axis, Bar};
use crate::render::view::{self, ShowView, TriggerCommit, TriggerRange};
use crate::render::{Escape, Renderer, Template};
use crate::site::{Facets, IndexEntry, Labels, QuarterTrend};
use crate::stats::Stats;
use crate::status::{Row, SafeguardState};

pub(crate) const INDEX: Template = Template {
    name: "site/index.html",
    builtin: include_str!("../../templates/site/index.html.hbs"),
    escape: Escape::Html,
};

pub(crate) const POSTMORTEM: Template = Template {
    name: "site/postmortem.html",
    builtin: include_str!("../../templates/site/postmortem.html.hbs"),
    escape: Escape::Html,
};

pub(crate) const DASHBOARD: Template = Template {
    name: "site/dashboard.html",
    builtin: include_str!("../../templates/site/dashboard.html.hbs"),
    escape: Escape::Html,
};

pub(crate) const STYLESHEET: Template = Template {
    name: "site/site.css",
    builtin: include_str!("../../templates/site/site.css.hbs"),
    escape: Escape::Html,
};

pub(crate) const SCRIPT: Template = Template {
    name: "site/site.js",
    builtin: include_str!("../../templates/site/site.js.hbs"),
    escape: Escape::Html,
};

/// The registry for HTML templates: strict, with Handlebars' HTML escaper
/// (its default), and `{{when t}}` for a timestamp as people read it.
pub(crate) fn registry() -> Handlebars<'static> {
    let mut registry = Handlebars::new();
    registry.set_strict_mode(true);
    registry.register_escape_fn(html_escape);
    registry.register_helper(
        "when",
        Box::new(super::TextHelper {
            name: "when",
            unescape: str::to_string,
            map: when,
        }),
    );
    registry
}

/// `{{when t}}`: an RFC 3339 timestamp as `2026-11-24 14:02 UTC`,
/// HTML-escaped; other text is escaped as it is. The site's data is not
/// escaped before the template sees it, so there is nothing to undo.
fn when(text: &str) -> String {
    let shown = match text.parse::<Timestamp>() {
        Ok(t) => view::format_time(&t),
        Err(_) => text.to_string(),
    };
    html_escape(&shown)
}

/// Where commits, pull requests and issues of the repository live on the
/// forge: `https://github.com/owner/name`, or the GitHub Enterprise server
/// `GITHUB_SERVER_URL` names. Built only from a valid `owner/name` and an
/// `http(s)` server URL, so no link can carry a `javascript:` URL or
/// anything from a postmortem.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Forge {
    /// `https://github.com/owner/name`.
    pub(crate) url: String,
}

impl Forge {
    pub(crate) fn new(server: Option<&str>, slug: Option<&str>) -> Option<Forge> {
        let slug = slug.filter(|s| is_repo_slug(s))?;
        let server = server
            .map(|s| s.trim().trim_end_matches('/'))
            .filter(|s| {
                (s.starts_with("https://") || s.starts_with("http://"))
                    && !s.contains(|c: char| c.is_whitespace() || "\"'<>`\\".contains(c))
            })
            .unwrap_or("https://github.com");
        Some(Forge {
            url: format!("{server}/{slug}"),
        })
    }

    fn commit(&self, oid: &str) -> Option<String> {
        oid.bytes()
            .all(|b| b.is_ascii_hexdigit())
            .then(|| format!("{}/commit/{oid}", self.url))
    }

    fn pull(&self, number: u64) -> String {
        format!("{}/pull/{number}", self.url)
    }

    fn issue(&self, number: u64) -> String {
        format!("{}/issues/{number}", self.url)
    }
}

/// What every page shows in its header and footer.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SiteMeta {
    /// The site's name: `acme/shop postmortems`, or `Postmortems`.
    pub(crate) name: String,
    /// The way back to the site's root from the page: `` or `../`.
    pub(crate) root: &'static str,
    pub(crate) today: String,
    pub(crate) branch: String,
    /// The branch's tip, abbreviated.
    pub(crate) tip: String,
    pub(crate) version: &'static str,
    pub(crate) forge: Option<Forge>,
}

impl SiteMeta {
    fn at_depth(&self, root: &'static str) -> SiteMeta {
        SiteMeta {
            root,
            ..self.clone()
        }
    }
}

#[derive(Serialize)]
struct IndexView<'a> {
    site: &'a SiteMeta,
    entries: &'a [IndexEntry],
    facets: &'a Facets,
}

/// The index page.
pub(crate) fn index_page(
    templates: &Renderer,
    site: &SiteMeta,
    entries: &[IndexEntry],
    facets: &Facets,
) -> Result<String> {
    templates.render(
        INDEX,
        &IndexView {
            site,
            entries,
            facets,
        },
    )
}

/// A commit as a page links it.
#[derive(Debug, Serialize)]
struct CommitLink {
    /// As written in the postmortem, or the full oid.
    rev: String,
    found: bool,
    oid: String,
    short: String,
    subject: String,
    author: String,
    date: String,
    url: Option<String>,
}

impl CommitLink {
    fn of(rev: &str, info: Option<&crate::model::CommitInfo>, forge: Option<&Forge>) -> Self {
        match info {
            Some(c) => CommitLink {
                rev: rev.to_string(),
                found: true,
                oid: c.oid.clone(),
                short: c.short.clone(),
                subject: c.subject.clone(),
                author: c.author.clone(),
                date: c.date.clone(),
                url: forge.and_then(|f| f.commit(&c.oid)),
            },
            None => CommitLink {
                rev: rev.to_string(),
                found: false,
                oid: String::new(),
                short: String::new(),
                subject: String::new(),
                author: String::new(),
                date: String::new(),
                url: None,
            },
        }
    }
}

#[derive(Debug, Serialize)]
struct RangeLink {
    range: String,
    commits: Vec<CommitLink>,
    truncated: bool,
    error: Option<String>,
}

/// A shipping (or reverting) commit with its links.
#[derive(Debug, Serialize)]
struct ShipLink {
    oid: String,
    short: String,
    subject: String,
    date: String,
    via: &'static str,
    url: Option<String>,
    pull_request: Option<u64>,
    pull_url: Option<String>,
}

fn ship_link(
    oid: &crate::model::CommitId,
    at: &Timestamp,
    subject: &str,
    via: &'static str,
    pull_request: Option<u64>,
    forge: Option<&Forge>,
) -> ShipLink {
    ShipLink {
        oid: oid.to_string(),
        short: oid.as_str().chars().take(7).collect(),
        subject: subject.to_string(),
        date: at.to_string(),
        via,
        url: forge.and_then(|f| f.commit(oid.as_str())),
        pull_request,
        pull_url: pull_request.and_then(|n| forge.map(|f| f.pull(n))),
    }
}

#[derive(Debug, Serialize)]
struct PullLink {
    number: u64,
    url: Option<String>,
}

/// A safeguard with its verdict and the commit that shipped it.
#[derive(Debug, Serialize)]
struct SafeguardCard<'a> {
    id: &'a str,
    title: &'a str,
    kind: Option<&'static str>,
    owner: Option<&'a str>,
    due: Option<String>,
    issue: Option<u64>,
    issue_url: Option<String>,
    state: &'static str,
    days_overdue: i64,
    dropped: bool,
    reason: Option<&'a str>,
    updates: &'a [Update],
    shipped: Option<ShipLink>,
    reverted: Option<ShipLink>,
    reverted_by: Option<ShipLink>,
    closing_pull_requests: Vec<PullLink>,
}

fn card<'a>(row: &'a Row<'a>, forge: Option<&Forge>) -> SafeguardCard<'a> {
    let s = row.safeguard;
    SafeguardCard {
        id: &s.id,
        title: &s.title,
        kind: s.kind.map(|k| k.as_str()),
        owner: s.owner.as_deref(),
        due: s.due.map(|d| d.0.format("%Y-%m-%d").to_string()),
        issue: s.issue,
        issue_url: s.issue.and_then(|n| forge.map(|f| f.issue(n))),
        state: row.state.as_str(),
        days_overdue: row.days_overdue,
        dropped: row.state == SafeguardState::Dropped,
        reason: s.reason.as_deref(),
        updates: &s.updates,
        shipped: row.evidence.as_ref().map(|e| {
            ship_link(
                &e.commit,
                &e.at,
                &e.subject,
                e.via.into(),
                e.pull_request,
                forge,
            )
        }),
        reverted: row.reverted.as_ref().map(|(e, _)| {
            ship_link(
                &e.commit,
                &e.at,
                &e.subject,
                e.via.into(),
                e.pull_request,
                forge,
            )
        }),
        reverted_by: row
            .reverted
            .as_ref()
            .map(|(_, by)| ship_link(&by.commit, &by.at, &by.subject, "revert", None, forge)),
        closing_pull_requests: row
            .closing_pull_requests
            .iter()
            .map(|&number| PullLink {
                number,
                url: forge.map(|f| f.pull(number)),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct PostmortemView<'a> {
    site: SiteMeta,
    doc: &'a ShowView<'a>,
    services: &'a [String],
    tags: &'a [String],
    trigger_commits: Vec<CommitLink>,
    trigger_ranges: Vec<RangeLink>,
    safeguards: Vec<SafeguardCard<'a>>,
}

/// The page of one postmortem: `doc` is its `show` view (trigger
/// resolved), `rows` the verdicts on its safeguards.
pub(crate) fn postmortem_page(
    templates: &Renderer,
    site: &SiteMeta,
    doc: &ShowView<'_>,
    labels: &Labels,
    rows: &[&Row<'_>],
) -> Result<String> {
    let forge = site.forge.as_ref();
    let commit = |c: &TriggerCommit<'_>| CommitLink::of(c.rev, c.commit.as_ref(), forge);
    let range = |r: &TriggerRange<'_>| RangeLink {
        range: r.range.to_string(),
        commits: r
            .commits
            .iter()
            .map(|c| CommitLink::of(&c.oid, Some(c), forge))
            .collect(),
        truncated: r.truncated,
        error: r.error.clone(),
    };
    templates.render(
        POSTMORTEM,
        &PostmortemView {
            site: site.at_depth("../"),
            doc,
            services: &labels.services,
            tags: &labels.tags,
            trigger_commits: doc.trigger_commits.iter().map(commit).collect(),
            trigger_ranges: doc.trigger_ranges.iter().map(range).collect(),
            safeguards: rows.iter().map(|r| card(r, forge)).collect(),
        },
    )
}

/// A chart and the table of the numbers it draws (its long text
/// alternative, under a disclosure).
#[derive(Debug, Serialize)]
pub(crate) struct Chart {
    pub(crate) id: &'static str,
    pub(crate) title: &'static str,
    /// The SVG, built and escaped by [`svg`].
    pub(crate) svg: String,
    pub(crate) columns: Vec<&'static str>,
    pub(crate) rows: Vec<Vec<String>>,
}

/// A postmortem as the dashboard links it.
#[derive(Debug, Serialize)]
struct Linked {
    id: String,
    href: String,
}

#[derive(Debug, Serialize)]
struct Pattern {
    name: String,
    count: usize,
    /// The latest few; `data.json` has them all.
    postmortems: Vec<Linked>,
    /// How many earlier ones are not linked.
    earlier: usize,
}

/// Postmortems linked per pattern on the dashboard.
const LINKED: usize = 10;

#[derive(Serialize)]
struct DashboardView<'a> {
    site: &'a SiteMeta,
    stats: &'a Stats,
    last_incident: Option<Linked>,
    ship_rate: Option<String>,
    charts: Vec<Chart>,
    recurring_factors: Vec<Pattern>,
    shared_trigger_files: Vec<Pattern>,
}

fn linked(id: &str) -> Linked {
    Linked {
        id: id.to_string(),
        href: crate::site::page_of(id),
    }
}

fn percent(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

/// Hours as `1.5h`, or days past two days (`3.2d`).
fn hours(h: f64) -> String {
    if h >= 48.0 {
        format!("{:.1}d", h / 24.0)
    } else {
        format!("{h:.1}h")
    }
}

/// The dashboard's charts, in the order the page shows them.
pub(crate) fn charts(stats: &Stats, quarters: &[QuarterTrend]) -> Vec<Chart> {
    let s = &stats.safeguards;
    let states: Vec<(&str, usize)> = s
        .by_state()
        .into_iter()
        .filter(|(name, n)| *n > 0 || matches!(*name, "shipped" | "pending" | "overdue"))
        .collect();
    let state_bars: Vec<Bar> = states
        .iter()
        .map(|(name, n)| Bar {
            class: Some(format!("state-{name}")),
            ..Bar::new(*name, *n as f64, n.to_string())
        })
        .collect();
    let count_rows = |pairs: &[(&str, usize)]| -> Vec<Vec<String>> {
        pairs
            .iter()
            .map(|(a, n)| vec![a.to_string(), n.to_string()])
            .collect()
    };

    let shipped: Vec<Bar> = quarters
        .iter()
        .map(|q| Bar::new(&q.quarter, q.shipped as f64, q.shipped.to_string()))
        .collect();
    let on_time: Vec<Bar> = quarters
        .iter()
        .map(|q| {
            Bar::new(
                &q.quarter,
                q.on_time_rate.unwrap_or(0.0),
                q.on_time_rate.map_or_else(|| "–".to_string(), percent),
            )
        })
        .collect();
    let resolve: Vec<Bar> = quarters
        .iter()
        .map(|q| {
            Bar::new(
                &q.quarter,
                q.median_hours_to_resolve.unwrap_or(0.0),
                q.median_hours_to_resolve
                    .map_or_else(|| "–".to_string(), hours),
            )
        })
        .collect();
    let incidents: Vec<Bar> = quarters
        .iter()
        .map(|q| Bar::new(&q.quarter, q.incidents as f64, q.incidents.to_string()))
        .collect();
    let factors: Vec<Bar> = stats
        .recurring_factors
        .iter()
        .map(|r| Bar::new(r.kind.as_str(), r.count as f64, r.count.to_string()))
        .collect();
    let files: Vec<Bar> = stats
        .shared_trigger_files
        .iter()
        .take(15)
        .map(|f| {
            let n = f.postmortems.len();
            Bar::new(&f.path, n as f64, n.to_string())
        })
        .collect();

    let describe = |what: &str, bars: &[Bar]| -> String {
        if bars.is_empty() {
            return format!("{what}: nothing yet.");
        }
        let parts: Vec<String> = bars
            .iter()
            .map(|b| format!("{} {}", b.label, b.text))
            .collect();
        format!("{what}: {}.", parts.join(", "))
    };

    vec![
        Chart {
            id: "chart-states",
            title: "Safeguards by state",
            svg: svg::rows(
                "chart-states",
                "Safeguards by state",
                &describe("Safeguards by state", &state_bars),
                &state_bars,
            ),
            columns: vec!["State", "Safeguards"],
            rows: count_rows(&states),
        },
        Chart {
            id: "chart-shipped",
            title: "Safeguards shipped per quarter",
            svg: svg::columns(
                "chart-shipped",
                "Safeguards shipped per quarter",
                &describe(
                    "Safeguards shipped per quarter, by the shipping commit's date",
                    &shipped,
                ),
                &shipped,
                Axis::Count,
            ),
            columns: vec!["Quarter", "Shipped", "On time", "With a due date"],
            rows: quarters
                .iter()
                .map(|q| {
                    vec![
                        q.quarter.clone(),
                        q.shipped.to_string(),
                        q.shipped_on_time.to_string(),
                        q.shipped_with_due.to_string(),
                    ]
                })
                .collect(),
        },
        Chart {
            id: "chart-on-time",
            title: "On-time rate per quarter",
            svg: svg::columns(
                "chart-on-time",
                "On-time rate per quarter",
                &describe(
                    "Share of the safeguards shipped in each quarter that shipped by their due date",
                    &on_time,
                ),
                &on_time,
                Axis::Percent,
            ),
            columns: vec!["Quarter", "On-time rate"],
            rows: on_time
                .iter()
                .map(|b| vec![b.label.clone(), b.text.clone()])
                .collect(),
        },
        Chart {
            id: "chart-resolve",
            title: "Time to resolve per quarter",
            svg: svg::columns(
                "chart-resolve",
                "Time to resolve per quarter (median hours)",
                &describe(
                    "Median time from the start of an incident to its resolution, per quarter",
                    &resolve,
                ),
                &resolve,
                Axis::Count,
            ),
            columns: vec!["Quarter", "Median time to resolve", "Incidents resolved"],
            rows: quarters
                .iter()
                .zip(&resolve)
                .map(|(q, b)| vec![q.quarter.clone(), b.text.clone(), q.resolved.to_string()])
                .collect(),
        },
        Chart {
            id: "chart-incidents",
            title: "Incidents per quarter",
            svg: svg::columns(
                "chart-incidents",
                "Incidents per quarter",
                &describe("Incidents per quarter", &incidents),
                &incidents,
                Axis::Count,
            ),
            columns: vec!["Quarter", "Incidents"],
            rows: incidents
                .iter()
                .map(|b| vec![b.label.clone(), b.text.clone()])
                .collect(),
        },
        Chart {
            id: "chart-factors",
            title: "Recurring contributing factors",
            svg: svg::rows(
                "chart-factors",
                "Recurring contributing factors",
                &describe(
                    "Contributing factors named by two or more postmortems",
                    &factors,
                ),
                &factors,
            ),
            columns: vec!["Factor", "Postmortems"],
            rows: factors
                .iter()
                .map(|b| vec![b.label.clone(), b.text.clone()])
                .collect(),
        },
        Chart {
            id: "chart-files",
            title: "Files the triggers of several incidents touched",
            svg: svg::rows(
                "chart-files",
                "Files the triggers of several incidents touched",
                &describe(
                    "Files changed by the trigger commits of two or more postmortems (the 15 most shared)",
                    &files,
                ),
                &files,
            ),
            columns: vec!["File", "Postmortems"],
            rows: files
                .iter()
                .map(|b| vec![b.label.clone(), b.text.clone()])
                .collect(),
        },
    ]
}

/// The dashboard page.
pub(crate) fn dashboard_page(
    templates: &Renderer,
    site: &SiteMeta,
    stats: &Stats,
    quarters: &[QuarterTrend],
) -> Result<String> {
    let pattern = |name: &str, ids: &[String]| Pattern {
        name: name.to_string(),
        count: ids.len(),
        postmortems: ids.iter().rev().take(LINKED).map(|id| linked(id)).collect(),
        earlier: ids.len().saturating_sub(LINKED),
    };
    templates.render(
        DASHBOARD,
        &DashboardView {
            site,
            stats,
            last_incident: stats.last_incident.as_deref().map(linked),
            ship_rate: stats.safeguards.ship_rate.map(percent),
            charts: charts(stats, quarters),
            recurring_factors: stats
                .recurring_factors
                .iter()
                .map(|r| pattern(r.kind.as_str(), &r.postmortems))
                .collect(),
            shared_trigger_files: stats
                .shared_trigger_files
                .iter()
                .map(|f| pattern(&f.path, &f.postmortems))
                .collect(),
        },
    )
}

#[derive(Serialize)]
struct AssetView<'a> {
    site: &'a SiteMeta,
}

/// The stylesheet and the script, by their file names under `assets/`.
pub(crate) fn assets(
    templates: &Renderer,
    site: &SiteMeta,
) -> Result<BTreeMap<&'static str, String>> {
    let view = AssetView { site };
    let mut files = BTreeMap::new();
    files.insert("site.css", templates.render(STYLESHEET, &view)?);
    files.insert("site.js", templates.render(SCRIPT, &view)?);
    Ok(files)
}

/// What the index's script filters on, one element per entry in the order
/// the page lists them.
#[derive(Serialize)]
struct SearchEntry<'a> {
    search: &'a str,
    severity: &'a str,
    status: &'a str,
    labels: Vec<&'a str>,
    year: i32,
}

/// `assets/index.js`: the search data as a script that assigns a global,
/// since browsers refuse `fetch()` of a `file://` URL and the site must
/// work opened from disk.
pub(crate) fn search_script(entries: &[IndexEntry]) -> Result<String> {
    let data: Vec<SearchEntry<'_>> = entries
        .iter()
        .map(|e| SearchEntry {
            search: &e.search,
            severity: &e.severity,
            status: e.status,
            labels: e
                .services
                .iter()
                .chain(&e.tags)
                .map(String::as_str)
                .collect(),
            year: e.year,
        })
        .collect();
    let json = serde_json::to_string(&data).map_err(|e| crate::error::Error::BadArgument {
        what: "the search index".into(),
        message: e.to_string(),
    })?;
    Ok(format!(
        "// Written by git postmortem site: what the index's search and filters read.\nwindow.GIT_POSTMORTEM_INDEX = {json};\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forge_links_come_only_from_a_valid_slug_and_server() {
        assert_eq!(
            Forge::new(None, Some("acme/shop")).map(|f| f.url),
            Some("https://github.com/acme/shop".into())
        );
        assert_eq!(
            Forge::new(Some("https://ghe.example.com/"), Some("acme/shop")).map(|f| f.url),
            Some("https://ghe.example.com/acme/shop".into())
        );
        assert_eq!(
            Forge::new(Some("javascript:alert(1)"), Some("acme/shop")).map(|f| f.url),
            Some("https://github.com/acme/shop".into())
        );
        assert!(Forge::new(None, Some("javascript:alert(1)")).is_none());
        assert!(Forge::new(None, None).is_none());
        let forge = Forge::new(None, Some("acme/shop")).expect("forge");
        assert_eq!(forge.commit("not hex"), None);
    }

    #[test]
    fn search_data_is_a_script_assigning_a_global() {
        let script = search_script(&[]).expect("script");
        assert!(script.contains("window.GIT_POSTMORTEM_INDEX = [];"));
    }
}
