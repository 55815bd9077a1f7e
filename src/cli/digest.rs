//! `digest [--since 7d]`: what shipped, what became overdue, what is
//! overdue, new postmortems and progress updates over the last days, with
//! the error-free counter; Markdown for people, JSON for scripts.

use std::io::Write;

use clap::{Args, ValueEnum};

use crate::app::{self, Ctx, Outcome};
use crate::digest::{self, DigestView, Inputs, Period};
use crate::error::{Error, Result};
use crate::history;
use crate::render::{self, DIGEST};

use super::status::{HistoryArgs, Judged};

/// Summarise a period for a team channel, an email or a CI job summary.
///
/// Covers the last `--since` days, today included: the safeguards whose
/// shipping commit is dated in the period, those that became overdue in it
/// and still are, every overdue safeguard, postmortems of incidents that
/// began in the period, the progress updates dated in it, and the days
/// since the last incident.
///
/// Markdown is rendered from the template `digest.md` (override it with
/// `templates/digest.md.hbs`); when GITHUB_STEP_SUMMARY is set, it is also
/// appended to that file. Exit 0 even when safeguards are overdue (`check`
/// is the gate); 2 when a postmortem does not parse.
#[derive(Debug, Args)]
pub struct DigestArgs {
    /// How many days back the digest looks, today included: `7d`, `2w`,
    /// `30d` (whole days).
    #[arg(long, value_name = "DURATION", default_value = "7d", value_parser = parse_since)]
    since: Since,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DigestFormat::Md)]
    format: DigestFormat,

    #[command(flatten)]
    history: HistoryArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DigestFormat {
    Md,
    Json,
}

/// A period length in whole days, at least one.
#[derive(Debug, Clone, Copy)]
struct Since {
    days: u64,
}

/// `7d`, `2w`, `30d`, `1day`… as humantime reads them, in whole days.
fn parse_since(text: &str) -> std::result::Result<Since, String> {
    const DAY: u64 = 86_400;
    let duration = humantime::parse_duration(text.trim())
        .map_err(|e| format!("not a duration like 7d, 2w or 30d ({e})"))?;
    let seconds = duration.as_secs();
    if seconds < DAY {
        return Err("the digest covers whole days; give at least 1d".into());
    }
    if seconds % DAY != 0 || duration.subsec_nanos() != 0 {
        let days = seconds / DAY;
        return Err(format!(
            "the digest covers whole days; try {days}d or {}d",
            days + 1
        ));
    }
    Ok(Since {
        days: seconds / DAY,
    })
}

pub fn run(ctx: &mut Ctx, args: &DigestArgs) -> Result<Outcome> {
    let (loaded, failed) = ctx.store().load_all()?;
    let outcome = super::list::report_failures(&failed);
    let judged = Judged::new(ctx, &args.history)?;
    let rows = judged.rows(ctx, &loaded);
    let repo = &ctx.ws.repo;
    let short_oid = |oid| history::short_oid(repo, oid);
    let branch = &judged.history.branch;
    let digest = digest::compute(&Inputs {
        loaded: &loaded,
        rows: &rows,
        period: Period::ending(judged.today, args.since.days),
        grace: ctx.config.safeguard_grace,
        branch: &branch.name,
        tip: branch.tip.to_string(),
        short_oid: &short_oid,
    });
    let io = |e| Error::io("stdout", e);
    match args.format {
        DigestFormat::Json => {
            serde_json::to_writer_pretty(&mut ctx.out, &digest)
                .map_err(|e| Error::io("stdout", e.into()))?;
            writeln!(ctx.out).map_err(io)?;
        }
        DigestFormat::Md => {
            let view = DigestView::new(&digest, short_oid(branch.tip));
            let markdown = render::render(Some(ctx.root()), DIGEST, &view)?;
            ctx.out.write_all(markdown.as_bytes()).map_err(io)?;
            app::append_step_summary(&markdown)?;
        }
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::parse_since;

    #[test]
    fn since_takes_whole_days() {
        for (text, days) in [("7d", 7), ("2w", 14), ("30d", 30), ("1day", 1), ("48h", 2)] {
            assert_eq!(parse_since(text).map(|s| s.days), Ok(days), "{text}");
        }
        for bad in ["", "7", "seven days", "-7d", "0d", "12h", "36h", "1month"] {
            assert!(parse_since(bad).is_err(), "{bad}");
        }
    }
}
