//! Live capture, for whoever types during the incident: `timeline add`,
//! `action add`, `requirement add` and `factor add`. Like the other edits
//! ([`super::edit`]), each resolves the postmortem, then, holding its lock
//! ([`crate::store::Store::update`]), adds the entry through
//! [`crate::store::edit`] (every other byte kept), re-validates the file
//! and writes it atomically. Text is checked before the lock is taken.

use chrono::{DateTime, FixedOffset, NaiveTime, TimeZone, Timelike};

use crate::error::{Error, Result};
use crate::model::{next_item_id, Date, FactorKind, Timestamp};
use crate::source::Loaded;
use crate::store::edit::{self, EditError, NewAction};

use super::Ctx;

/// Where an entry went: the postmortem's file and what to say about it.
pub(crate) struct Captured {
    pub(crate) path: String,
    /// `timeline entry 3 of 5 (2026-11-20T14:05:00Z)`, `A3`, …
    pub(crate) what: String,
}

/// Text for a postmortem from an argument (`what` names it): trimmed, not
/// empty, without control characters but tab and newline.
fn text_argument(what: &str, text: &str, example: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::BadArgument {
            what: what.into(),
            message: format!("it is empty; {example}"),
        });
    }
    super::no_control_characters(what, text)?;
    Ok(text.to_string())
}

fn cannot_edit(loaded: &Loaded, error: EditError) -> Error {
    Error::BadArgument {
        what: loaded.source.path.clone(),
        message: format!("cannot edit the file: {error}"),
    }
}

/// When a timeline entry happened: `--at` as a TOML datetime with an
/// offset (`2026-11-20T14:05:00Z`), or a time of day (`14:05`,
/// `14:05:30`) today in the clock's offset; without it, now, to the second.
pub(crate) fn timeline_time(ctx: &Ctx, at: Option<&str>) -> Result<Timestamp> {
    let now = ctx.clock().now();
    let Some(at) = at.map(str::trim) else {
        return Ok(Timestamp(now.with_nanosecond(0).unwrap_or(now)));
    };
    if let Ok(t) = at.parse::<Timestamp>() {
        return Ok(t);
    }
    let time = NaiveTime::parse_from_str(at, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(at, "%H:%M:%S"));
    let today_at = |time: NaiveTime| -> Option<DateTime<FixedOffset>> {
        now.offset()
            .from_local_datetime(&now.date_naive().and_time(time))
            .single()
    };
    match time.ok().and_then(today_at) {
        Some(t) => Ok(Timestamp(t)),
        None => Err(Error::BadArgument {
            what: "--at".into(),
            message: format!(
                "`{at}` is neither a datetime with an offset like 2026-11-20T14:05:00Z nor a time of day like 14:05"
            ),
        }),
    }
}

/// Add a timeline entry at its place in time: after every entry at or
/// before `at`, before the first one after it.
pub(crate) fn add_timeline(ctx: &Ctx, query: &str, at: Timestamp, event: &str) -> Result<Captured> {
    let event = text_argument(
        "EVENT",
        event,
        "say what happened, e.g. \"Rollback to v1.4.1 starts\"",
    )?;
    let store = ctx.store();
    let id = store.resolve(query, &ctx.ws.cwd)?;
    store.update(&id, |loaded, text| {
        let timeline = &loaded.postmortem.timeline;
        let index = timeline
            .iter()
            .position(|entry| entry.at > at)
            .unwrap_or(timeline.len());
        let edited =
            edit::insert_timeline(text, index, at, &event).map_err(|e| cannot_edit(loaded, e))?;
        Ok((
            Some(edited),
            Captured {
                path: loaded.source.path.clone(),
                what: format!(
                    "timeline entry {} of {} at {at}",
                    index + 1,
                    timeline.len() + 1
                ),
            },
        ))
    })
}

/// An action to add, as the user gave it.
pub(crate) struct ActionInput<'a> {
    pub(crate) title: &'a str,
    pub(crate) owner: Option<&'a str>,
    pub(crate) due: Option<Date>,
}

/// What `action add` did.
pub(crate) struct ActionAdded {
    pub(crate) path: String,
    pub(crate) action: NewAction,
    /// The due date came from the policy's `default_due`.
    pub(crate) default_due: bool,
}

/// Append an action with the next free `A<n>`; without `--due`, due after
/// the `default_due` of the postmortem's severity, if there is one.
pub(crate) fn add_action(ctx: &Ctx, query: &str, input: &ActionInput<'_>) -> Result<ActionAdded> {
    let title = text_argument("--title", input.title, "say what will be done")?;
    super::no_control_characters("--owner", input.owner.unwrap_or_default())?;
    let store = ctx.store();
    let id = store.resolve(query, &ctx.ws.cwd)?;
    store.update(&id, |loaded, text| {
        let (due, default_due) = due_or_default(ctx, loaded, input.due);
        let action = NewAction {
            id: next_item_id(loaded.postmortem.actions.iter().map(|a| a.id.as_str()), 'A'),
            title: title.clone(),
            owner: input
                .owner
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(String::from),
            due,
        };
        let edited = edit::append_action(text, &action).map_err(|e| cannot_edit(loaded, e))?;
        Ok((
            Some(edited),
            ActionAdded {
                path: loaded.source.path.clone(),
                action,
                default_due,
            },
        ))
    })
}

/// `due`, else today plus the `default_due` of the postmortem's severity;
/// whether the default was used.
pub(crate) fn due_or_default(
    ctx: &Ctx,
    loaded: &Loaded,
    due: Option<Date>,
) -> (Option<Date>, bool) {
    if due.is_some() {
        return (due, false);
    }
    let policy = ctx.config.policy_for(&loaded.postmortem.severity);
    let default = policy.default_due.and_then(|days| {
        ctx.clock()
            .today()
            .checked_add_days(chrono::Days::new(u64::from(days.0)))
            .map(Date)
    });
    (default, default.is_some())
}

/// Append a requirement: who asked and what.
pub(crate) fn add_requirement(ctx: &Ctx, query: &str, from: &str, asked: &str) -> Result<Captured> {
    let from = text_argument("--from", from, "say who asked, e.g. \"support\"")?;
    let asked = text_argument("TEXT", asked, "say what they asked for")?;
    let store = ctx.store();
    let id = store.resolve(query, &ctx.ws.cwd)?;
    store.update(&id, |loaded, text| {
        let edited =
            edit::append_requirement(text, &from, &asked).map_err(|e| cannot_edit(loaded, e))?;
        Ok((
            Some(edited),
            Captured {
                path: loaded.source.path.clone(),
                what: format!(
                    "requirement {} from {from}",
                    loaded.postmortem.requirements.len() + 1
                ),
            },
        ))
    })
}

/// Append a contributing factor of `kind`, with a note when given.
pub(crate) fn add_factor(
    ctx: &Ctx,
    query: &str,
    kind: FactorKind,
    note: Option<&str>,
) -> Result<Captured> {
    let note = note
        .map(|n| text_argument("NOTE", n, "say how it played out, or leave the note out"))
        .transpose()?;
    let store = ctx.store();
    let id = store.resolve(query, &ctx.ws.cwd)?;
    store.update(&id, |loaded, text| {
        let edited =
            edit::append_factor(text, kind, note.as_deref()).map_err(|e| cannot_edit(loaded, e))?;
        Ok((
            Some(edited),
            Captured {
                path: loaded.source.path.clone(),
                what: format!(
                    "factor {} ({})",
                    loaded.postmortem.factors.len() + 1,
                    kind.as_str()
                ),
            },
        ))
    })
}
