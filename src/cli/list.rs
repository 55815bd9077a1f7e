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

use super::args::{self, SelectArgs, WhenArgs};

/// List postmortems, newest first.
///
/// Repeat a flag for any of several values; different flags must all
/// match: `--service checkout --service payments --severity sev1` lists
/// the sev1 postmortems of either service.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Only postmortems with this status, `draft`, `review` or `final`
    /// (`--state` is the same flag; repeat for any of several).
    #[arg(long, visible_alias = "state", value_name = "S", value_parser = PossibleValuesParser::new(Status::VARIANTS))]
    status: Vec<String>,

    #[command(flatten)]
    select: SelectArgs,

    #[command(flatten)]
    when: WhenArgs,

    /// Only postmortems with an action or a safeguard this person owns
    /// (any case, a leading `@` ignored; repeat for any of several).
    #[arg(long = "owner", value_name = "O")]
    owners: Vec<String>,

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
    services: &'a [String],
    tags: &'a [String],
    occurred_at: String,
    actions: usize,
    safeguards: usize,
}

pub(crate) fn run(ctx: &mut Ctx, args: &ListArgs) -> Result<Outcome> {
    let (mut loaded, failed) = ctx.store().load_all()?;
    let outcome = app::report_failures(&failed);
    let mut filter = args::filter(
        &args.select,
        Some(&args.when),
        &ctx.config.severities,
        ctx.clock().today(),
    )?;
    filter.statuses = args.status.clone();
    if !args.owners.is_empty() {
        filter.owners.push(args.owners.clone());
    }
    args::note_unnamed(&filter, &loaded);
    let everything = loaded.len();
    loaded.retain(|l| filter.postmortem(&l.postmortem) && filter.owns_something(&l.postmortem));
    newest_first(&mut loaded);
    let rows: Vec<Listed> = loaded
        .iter()
        .map(|l| Listed {
            id: &l.id,
            path: &l.source.path,
            title: &l.postmortem.title,
            status: l.postmortem.status.as_str(),
            severity: &l.postmortem.severity,
            services: &l.postmortem.services,
            tags: &l.postmortem.tags,
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
    if everything == 0 && failed.is_empty() {
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
