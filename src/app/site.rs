//! `site`: build the static postmortem site. Gathers every postmortem and
//! the verdicts on its safeguards (one history scan, as `status`), the
//! stats and the quarterly trends, renders the pages through the site
//! templates, and publishes the directory whole: the site is written to a
//! temporary directory beside the target and renamed into place, so a
//! failed build leaves the previous site as it was, and a directory the
//! tool did not write is never replaced.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{Date, Postmortem};
use crate::render::site::{self as pages, Forge, SiteMeta};
use crate::render::view::{TriggerCommit, TriggerRange};
use crate::site::{self, IndexEntry, Labels, QuarterTrend};
use crate::stats::{self, Stats};
use crate::status::{Row, SafeguardJson};

use super::judge::Verdicts;
use super::{show, Ctx, Outcome};

/// Where the site goes when `--out` is not given: this directory at the
/// top of the work tree (`init` adds it to `.gitignore`).
pub(crate) const DEFAULT_DIR: &str = "postmortem-site";

/// The file that marks a directory as one `site` wrote, and so one it may
/// replace.
pub(crate) const MARKER: &str = ".git-postmortem-site";

/// What a build wrote.
pub(crate) struct Built {
    /// The site's directory.
    pub(crate) dir: PathBuf,
    pub(crate) postmortems: usize,
    pub(crate) files: usize,
    pub(crate) outcome: Outcome,
}

/// `data.json`: the data behind every page, for people who build their
/// own.
#[derive(Serialize)]
struct SiteData<'a> {
    generator: String,
    today: &'a str,
    branch: &'a str,
    tip: String,
    github_repo: Option<String>,
    stats: &'a Stats,
    quarters: &'a [QuarterTrend],
    index: &'a [IndexEntry],
    postmortems: Vec<PostmortemData<'a>>,
}

#[derive(Serialize)]
struct PostmortemData<'a> {
    id: &'a str,
    path: &'a str,
    page: String,
    #[serde(flatten)]
    postmortem: &'a Postmortem,
    resolved_trigger: ResolvedTrigger<'a>,
    /// Each safeguard as `status --json` has it.
    safeguard_states: Vec<SafeguardJson<'a>>,
}

#[derive(Serialize)]
struct ResolvedTrigger<'a> {
    commits: &'a [TriggerCommit<'a>],
    ranges: &'a [TriggerRange<'a>],
}

/// Build the site into `out` (default [`DEFAULT_DIR`] at the top of the
/// work tree), judging safeguards on `branch` as of `today`.
pub(crate) fn build(
    ctx: &Ctx,
    out: Option<&Path>,
    branch: Option<&str>,
    today: Option<Date>,
) -> Result<Built> {
    let dir = match out {
        Some(out) => ctx.ws.cwd.join(out),
        None => ctx.root().join(DEFAULT_DIR),
    };
    let shown = ctx.ws.path_for_user(&dir);
    check_target(&dir, &shown)?;

    let verdicts = Verdicts::gather(ctx, branch, today)?;
    let rows = verdicts.rows(ctx);
    let loaded = &verdicts.loaded;
    let judged = &verdicts.judged;
    let history = &judged.history;
    let triggers = show::trigger_files(ctx.repo(), loaded);
    let stats = stats::compute(
        loaded,
        &rows,
        &ctx.config.severities,
        &triggers,
        judged.today,
        ctx.config.safeguard_grace,
    );
    let quarters = site::quarterly(loaded, &rows, ctx.config.safeguard_grace);
    let labels: BTreeMap<String, Labels> = loaded
        .iter()
        .map(|l| (l.id.clone(), site::labels(&l.postmortem)))
        .collect();
    let entries = site::index(loaded, &rows, &labels);
    let facets = site::facets(&entries, &ctx.config.severities);

    let github_repo = history.github_repo.clone();
    let meta = SiteMeta {
        name: github_repo
            .as_deref()
            .map_or_else(|| "Postmortems".to_string(), |r| format!("{r} postmortems")),
        root: "",
        today: judged.today.format("%Y-%m-%d").to_string(),
        branch: history.branch.name.clone(),
        tip: ctx.repo().short_oid(&history.branch.tip),
        version: env!("CARGO_PKG_VERSION"),
        forge: Forge::new(history.github_host.as_deref(), github_repo.as_deref()),
    };

    let mut by_postmortem: BTreeMap<&str, Vec<&Row<'_>>> = BTreeMap::new();
    for row in &rows {
        by_postmortem
            .entry(row.reference.postmortem.as_str())
            .or_default()
            .push(row);
    }

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut data = Vec::with_capacity(loaded.len());
    let no_labels = Labels::default();
    let no_rows = Vec::new();
    for l in loaded {
        let doc = show::show_view(
            ctx.repo(),
            github_repo.as_deref(),
            &l.id,
            &l.source.path,
            &l.postmortem,
        );
        let own_labels = labels.get(&l.id).unwrap_or(&no_labels);
        let own_rows = by_postmortem.get(l.id.as_str()).unwrap_or(&no_rows);
        let html = pages::postmortem_page(&ctx.templates, &meta, &doc, own_labels, own_rows)?;
        files.push((site::page_of(&l.id), html.into_bytes()));
        data.push((l, doc, own_rows));
    }
    let index_html = pages::index_page(&ctx.templates, &meta, &entries, &facets)?;
    files.push(("index.html".into(), index_html.into_bytes()));
    let dashboard = pages::dashboard_page(&ctx.templates, &meta, &stats, &quarters)?;
    files.push(("dashboard.html".into(), dashboard.into_bytes()));
    for (name, text) in pages::assets(&ctx.templates, &meta)? {
        files.push((format!("assets/{name}"), text.into_bytes()));
    }
    files.push((
        "assets/index.js".into(),
        pages::search_script(&entries)?.into_bytes(),
    ));
    files.push((
        "assets/favicon.svg".into(),
        include_str!("../../templates/site/favicon.svg")
            .as_bytes()
            .to_vec(),
    ));

    let document = SiteData {
        generator: format!("git-postmortem {}", env!("CARGO_PKG_VERSION")),
        today: &meta.today,
        branch: &history.branch.name,
        tip: history.branch.tip.to_string(),
        github_repo: github_repo.clone(),
        stats: &stats,
        quarters: &quarters,
        index: &entries,
        postmortems: data
            .iter()
            .map(|(l, doc, own_rows)| PostmortemData {
                id: &l.id,
                path: &l.source.path,
                page: site::page_of(&l.id),
                postmortem: &l.postmortem,
                resolved_trigger: ResolvedTrigger {
                    commits: &doc.trigger_commits,
                    ranges: &doc.trigger_ranges,
                },
                safeguard_states: own_rows.iter().map(|r| SafeguardJson::of(r)).collect(),
            })
            .collect(),
    };
    let json = serde_json::to_vec_pretty(&document).map_err(|e| Error::BadArgument {
        what: "data.json".into(),
        message: e.to_string(),
    })?;
    files.push(("data.json".into(), json));
    files.push((
        MARKER.into(),
        b"This directory is written by `git postmortem site`, which replaces all of it on every build.\n"
            .to_vec(),
    ));

    publish(&dir, &shown, &files)?;
    Ok(Built {
        dir,
        postmortems: loaded.len(),
        files: files.len(),
        outcome: verdicts.outcome,
    })
}

/// Refuse, before any work, a target that is not ours to replace: a file,
/// a symbolic link, or a directory with something in it and no
/// [`MARKER`].
fn check_target(dir: &Path, shown: &str) -> Result<()> {
    let refuse = |message: String| Error::BadArgument {
        what: format!("--out {shown}"),
        message,
    };
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(shown, e)),
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(
            "is a symbolic link; name the directory itself".into(),
        ));
    }
    if !meta.is_dir() {
        return Err(refuse("exists and is not a directory".into()));
    }
    let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(shown, e))?;
    if entries.next().is_some() && !dir.join(MARKER).is_file() {
        return Err(refuse(format!(
            "is not empty and was not written by `git postmortem site` (it has no {MARKER}); refusing to replace it: choose another --out, or empty it"
        )));
    }
    Ok(())
}

/// Write `files` to a new directory beside `dir` and put it in `dir`'s
/// place: the old site (if any) is removed only once the new one is
/// complete.
fn publish(dir: &Path, shown: &str, files: &[(String, Vec<u8>)]) -> Result<()> {
    let io = |e: std::io::Error| Error::io(shown, e);
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io)?;
    let staging = tempfile::Builder::new()
        .prefix(".postmortem-site-")
        .tempdir_in(parent)
        .map_err(io)?;
    for (rel, bytes) in files {
        let path = staging.path().join(rel);
        if let Some(sub) = path.parent() {
            std::fs::create_dir_all(sub).map_err(io)?;
        }
        std::fs::write(&path, bytes).map_err(io)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o755))
            .map_err(io)?;
    }
    // Checked again: something may have appeared while the site was built.
    check_target(dir, shown)?;
    if dir.exists() {
        let old = parent.join(format!(
            ".postmortem-site-old-{}-{}",
            std::process::id(),
            fastrand::u32(..)
        ));
        std::fs::rename(dir, &old).map_err(io)?;
        if let Err(e) = std::fs::rename(staging.path(), dir) {
            let _ = std::fs::rename(&old, dir);
            return Err(io(e));
        }
        let _ = staging.keep();
        std::fs::remove_dir_all(&old).map_err(|e| Error::io(old.display().to_string(), e))?;
    } else {
        std::fs::rename(staging.path(), dir).map_err(io)?;
        let _ = staging.keep();
    }
    Ok(())
}
