//! `new`: a postmortem written from the `postmortem.toml` template, linked
//! to the commits that triggered the incident and pointed (`#:schema`) at
//! the installed version's JSON Schema for editors, checked against the
//! schema before anything touches the disk, then opened in the user's
//! editor.

use std::io::IsTerminal;
use std::path::Path;
use std::process::Command;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::json_schema;
use crate::lint;
use crate::model::{slugify, CommitInfo, Timestamp};
use crate::output;
use crate::render::{Markup, NEW_POSTMORTEM};
use crate::schema;
use crate::source::Source;

use super::{Ctx, Outcome};

#[derive(Serialize)]
struct NewView<'a> {
    /// Where the installed version's JSON Schema is published, for the
    /// `#:schema` directive editors read.
    schema_url: Markup,
    id: &'a str,
    title: &'a str,
    severity: &'a str,
    severities: String,
    /// A TOML datetime, written as a value.
    occurred_at: Markup,
    today: String,
    authors: Vec<String>,
    commits: Vec<CommitInfo>,
    ranges: Vec<RangeView<'a>>,
}

#[derive(Serialize)]
struct RangeView<'a> {
    range: &'a str,
    count: usize,
    plural: bool,
}

/// Commits listed per range on stderr, so the user sees what they linked.
const RANGE_PREVIEW: usize = 20;

/// What `new` is asked to write.
pub(crate) struct NewInput<'a> {
    pub(crate) title: &'a str,
    pub(crate) commits: &'a [String],
    pub(crate) ranges: &'a [String],
    pub(crate) severity: Option<&'a str>,
    pub(crate) occurred_at: Option<&'a str>,
    pub(crate) no_edit: bool,
}

/// Write a new postmortem, print its path, and open it in the editor when
/// a person is at a terminal.
pub(crate) fn new(ctx: &Ctx, args: &NewInput<'_>) -> Result<Outcome> {
    let title = args.title.trim();
    if title.is_empty() {
        return Err(Error::BadArgument {
            what: "TITLE".into(),
            message: "the title is empty".into(),
        });
    }
    super::no_control_characters("TITLE", title)?;
    let severities = &ctx.config.severities;
    let severity = match args.severity {
        Some(s) if severities.iter().any(|k| k == s) => s.to_string(),
        Some(s) => {
            return Err(Error::BadArgument {
                what: "--severity".into(),
                message: format!(
                    "unknown severity `{s}`; choose one of {}",
                    severities.join(", ")
                ),
            })
        }
        None => severities.last().cloned().unwrap_or_else(|| "sev4".into()),
    };
    let occurred_at = match args.occurred_at {
        Some(s) => s
            .parse::<Timestamp>()
            .map_err(|message| Error::BadArgument {
                what: "--occurred-at".into(),
                message,
            })?,
        None => Timestamp(minute_precision(ctx.clock().now())),
    };

    let repo = ctx.repo();
    let commits = args
        .commits
        .iter()
        .map(|rev| {
            repo.resolve_commit(rev)
                .and_then(|id| repo.commit_info(&id))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut range_commits = Vec::new();
    for range in args.ranges {
        let listed = repo.range_commits(range, usize::MAX)?;
        range_commits.push((range.as_str(), listed));
    }

    let id_base = format!("{}-{}", occurred_at.0.format("%Y-%m-%d"), slugify(title));
    let authors = repo
        .config_string("user.name")
        .into_iter()
        .collect::<Vec<_>>();
    let render_for = |id: &str| {
        let view = NewView {
            schema_url: Markup(json_schema::url_of(json_schema::POSTMORTEM_FILE)),
            id,
            title,
            severity: &severity,
            severities: severities.join(" | "),
            occurred_at: Markup(occurred_at.to_toml_string()),
            today: ctx.clock().today().format("%Y-%m-%d").to_string(),
            authors: authors.clone(),
            commits: commits.clone(),
            ranges: range_commits
                .iter()
                .map(|(range, listed)| RangeView {
                    range,
                    count: listed.len(),
                    plural: listed.len() != 1,
                })
                .collect(),
        };
        ctx.templates
            .render_variant(NEW_POSTMORTEM, &severity, &view)
    };

    // Each candidate id is rendered and checked against the schema before
    // anything touches the disk; the file is then created under its lock,
    // never replacing one that is there.
    let render_checked = |id: &str| {
        let text = render_for(id)?;
        let check = Source::new(format!("{}/{id}.toml", ctx.config.dir), text);
        match schema::parse_checked(id, &check, &ctx.config.severities) {
            Ok(_) => Ok(check.text),
            Err(diagnostics) => Err(Error::Template {
                name: ctx.templates.variant_origin(NEW_POSTMORTEM, &severity),
                message: format!(
                    "the rendered postmortem is not valid: {}",
                    diagnostics[0].location_message()
                ),
            }),
        }
    };
    render_checked(&id_base)?;
    let store = ctx.store();
    let (id, path) = store.create(&id_base, render_checked)?;
    let shown = ctx.ws.path_for_user(&path);
    ctx.out.line(shown)?;
    ctx.out.flush()?;

    for (range, listed) in &range_commits {
        output::say(format_args!(
            "trigger range {range}: {} commit{}",
            listed.len(),
            crate::diagnostic::plural(listed.len())
        ));
        for c in listed.iter().take(RANGE_PREVIEW) {
            output::say(format_args!("  {} {}", c.short, c.subject));
        }
        if listed.len() > RANGE_PREVIEW {
            output::say(format_args!(
                "  … and {} more",
                listed.len() - RANGE_PREVIEW
            ));
        }
    }

    if args.no_edit || !interactive() {
        return Ok(Outcome::Ok);
    }
    open_editor(ctx, &path)?;
    // Say at once if the edit broke the file; it stays as the user left it.
    let source = store.read(&id)?;
    let findings = lint::lint_file(&id, &source, &ctx.config, ctx.clock(), ctx.repo());
    findings.iter().for_each(output::diagnostic);
    Ok(if findings.iter().any(|d| d.is_schema()) {
        Outcome::BadInput
    } else {
        Outcome::Ok
    })
}

fn minute_precision(
    t: chrono::DateTime<chrono::FixedOffset>,
) -> chrono::DateTime<chrono::FixedOffset> {
    use chrono::Timelike;
    t.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(t)
        .with_timezone(&chrono::Utc)
        .fixed_offset()
}

/// A person at a terminal: both ends are TTYs and no CI is announced.
fn interactive() -> bool {
    std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal()
        && std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false")
}

/// The editor git would use: `GIT_EDITOR`, `core.editor`, `VISUAL`,
/// `EDITOR`, then `vi`.
fn editor(ctx: &Ctx) -> String {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    env("GIT_EDITOR")
        .or_else(|| ctx.repo().config_string("core.editor"))
        .or_else(|| env("VISUAL"))
        .or_else(|| env("EDITOR"))
        .unwrap_or_else(|| "vi".into())
}

fn open_editor(ctx: &Ctx, path: &Path) -> Result<()> {
    let editor = editor(ctx);
    // Through the shell, as git does, so `code --wait` and friends work.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(&editor)
        .arg(path)
        .status()
        .map_err(|e| Error::Editor {
            editor: editor.clone(),
            message: e.to_string(),
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Editor {
            editor,
            message: format!("{status}; the file was kept"),
        })
    }
}
