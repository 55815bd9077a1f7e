//! `list`: one line per postmortem, newest first.

use clap::builder::PossibleValuesParser;
use clap::Args;
use serde::Serialize;
use strum::VariantNames;

use crate::app::{self, Ctx, Outcome};
use crate::error::Result;
use crate::model::Status;
use crate::output;
use crate::source::Loaded;

/// List postmortems, newest first.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Only postmortems with this status.
    #[arg(long, value_name = "S", value_parser = PossibleValuesParser::new(Status::VARIANTS))]
    status: Option<String>,

    /// One JSON document instead of lines.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    path: &'a str,
    title: &'a str,
    status: &'static str,
    severity: &'a str,
    occurred_at: String,
    actions: usize,
    safeguards: usize,
}

pub(crate) fn run(ctx: &mut Ctx, args: &ListArgs) -> Result<Outcome> {
    let (mut loaded, failed) = ctx.store().load_all()?;
    let outcome = app::report_failures(&failed);
    loaded.retain(|l| {
        args.status
            .as_deref()
            .is_none_or(|s| l.postmortem.status.as_str() == s)
    });
    newest_first(&mut loaded);
    let rows: Vec<Listed> = loaded
        .iter()
        .map(|l| Listed {
            id: &l.id,
            path: &l.source.path,
            title: &l.postmortem.title,
            status: l.postmortem.status.as_str(),
            severity: &l.postmortem.severity,
            occurred_at: l.postmortem.occurred_at.to_toml_string(),
            actions: l.postmortem.actions.len(),
            safeguards: l.postmortem.safeguards.len(),
        })
        .collect();
    if args.json {
        ctx.out.json(&serde_json::json!({ "postmortems": rows }))?;
        return Ok(outcome);
    }
    let id_width = rows.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let sev_width = rows.iter().map(|r| r.severity.len()).max().unwrap_or(0);
    for r in &rows {
        ctx.out.line(format_args!(
            "{:id_width$}  {:6}  {:sev_width$}  {}",
            r.id, r.status, r.severity, r.title
        ))?;
    }
    if rows.is_empty() && failed.is_empty() && args.status.is_none() {
        output::say("no postmortems yet; write one with `git postmortem new TITLE`");
    }
    Ok(outcome)
}

/// Sort by when the incident began, newest first; ties by id.
fn newest_first(loaded: &mut [Loaded]) {
    loaded.sort_by(|a, b| {
        b.postmortem
            .occurred_at
            .cmp(&a.postmortem.occurred_at)
            .then_with(|| b.id.cmp(&a.id))
    });
}
