//! Arguments several commands share.

use std::io::Read;

use chrono::NaiveDate;
use clap::Args;

use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::model::Date;
use crate::output;
use crate::source::Loaded;

/// A text argument, or standard input when it is `-` (for text typed or
/// pasted during an incident, quotes and all); `what` names the argument
/// in errors.
pub(crate) fn text_or_stdin(what: &str, arg: &str) -> Result<String> {
    if arg != "-" {
        return Ok(arg.to_string());
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Error::BadArgument {
            what: what.into(),
            message: format!("cannot read standard input: {e}"),
        })?;
    Ok(text)
}

/// Options of the commands that read history.
#[derive(Debug, Args)]
pub(crate) struct HistoryArgs {
    /// Branch "shipped" is measured against [default: `default_branch` from
    /// .postmortem.toml, else origin/HEAD, else main, else master].
    #[arg(long, value_name = "B")]
    pub(crate) branch: Option<String>,

    /// Judge deadlines as of this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE")]
    pub(crate) today: Option<Date>,
}

/// Select postmortems by what they are about: `list`, `status`, `digest`
/// and `stats`. Repeat a flag for any of several values; different flags
/// must all match.
#[derive(Debug, Args)]
pub(crate) struct SelectArgs {
    /// Only postmortems that name this service in `services` (any case;
    /// repeat for any of several).
    #[arg(long = "service", value_name = "NAME")]
    pub(crate) services: Vec<String>,

    /// Only postmortems with this tag in `tags` (any case; repeat for any
    /// of several).
    #[arg(long = "tag", value_name = "TAG")]
    pub(crate) tags: Vec<String>,

    /// Only postmortems of this severity, one of `severities` in
    /// .postmortem.toml (repeat for any of several).
    #[arg(long = "severity", value_name = "S")]
    pub(crate) severities: Vec<String>,
}

/// Select postmortems by the day the incident began (`occurred_at`, on
/// its own offset's calendar): `list`, `status` and `stats`.
#[derive(Debug, Args)]
pub(crate) struct WhenArgs {
    /// Only incidents that began on or after this day: a date
    /// (YYYY-MM-DD), or the last days, today included (`30d`, `12w`).
    #[arg(long, value_name = "DATE|DAYS")]
    pub(crate) since: Option<Since>,

    /// Only incidents that began on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub(crate) until: Option<Date>,
}

/// Select safeguards and actions by who owns them: `list` and `status`.
#[derive(Debug, Args)]
pub(crate) struct OwnerArgs {
    /// Only safeguards and actions this person owns (`owner`, any case, a
    /// leading `@` ignored; repeat for any of several).
    #[arg(long = "owner", value_name = "O")]
    pub(crate) owners: Vec<String>,
}

/// `--since`: a day, or the last `n` days with today included.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Since {
    Day(Date),
    Last(crate::model::Days),
}

impl std::str::FromStr for Since {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Ok(day) = text.trim().parse::<Date>() {
            return Ok(Since::Day(day));
        }
        if text.trim().starts_with(|c: char| c.is_ascii_digit()) && text.contains('-') {
            return Err(format!("`{text}` is not a date (YYYY-MM-DD)"));
        }
        text.parse()
            .map(Since::Last)
            .map_err(|e: String| format!("{e}; or give a date (YYYY-MM-DD)"))
    }
}

impl Since {
    /// The first day selected, as of `today`.
    pub(crate) fn first_day(self, today: NaiveDate) -> NaiveDate {
        match self {
            Since::Day(day) => day.0,
            Since::Last(days) => today
                .checked_sub_days(chrono::Days::new(u64::from(days.0.max(1)) - 1))
                .unwrap_or(NaiveDate::MIN),
        }
    }
}

/// The filter the flags ask for; `--severity` must be a configured
/// severity and `--since` no later than `--until` (exit 2 otherwise).
pub(crate) fn filter(
    select: &SelectArgs,
    when: Option<&WhenArgs>,
    severities: &[String],
    today: NaiveDate,
) -> Result<Filter> {
    for severity in &select.severities {
        if !severities.contains(severity) {
            return Err(Error::BadArgument {
                what: "--severity".into(),
                message: format!(
                    "`{severity}` is not a severity; .postmortem.toml allows {}",
                    severities.join(", ")
                ),
            });
        }
    }
    let since = when.and_then(|w| w.since).map(|s| s.first_day(today));
    let until = when.and_then(|w| w.until).map(|d| d.0);
    if let (Some(since), Some(until)) = (since, until) {
        if since > until {
            return Err(Error::BadArgument {
                what: "--since".into(),
                message: format!("{since} is after --until {until}; nothing could match"),
            });
        }
    }
    Ok(Filter {
        services: select.services.clone(),
        tags: select.tags.clone(),
        severities: select.severities.clone(),
        since,
        until,
        ..Filter::default()
    })
}

/// Say which `--service` and `--tag` values no postmortem names: a typo
/// would otherwise look like "nothing to report".
pub(crate) fn note_unnamed(filter: &Filter, loaded: &[Loaded]) {
    let all: Vec<&crate::model::Postmortem> = loaded.iter().map(|l| &l.postmortem).collect();
    for (what, value) in filter.unnamed(&all) {
        output::note(format_args!("no postmortem names the {what} `{value}`"));
    }
}
