//! The edits: `safeguard add|drop`, `action done|drop` and `update`. Each
//! finds the postmortem, then, holding the file's lock
//! ([`crate::store::Store::update`]), the item (a bad id names the valid
//! ones), changes the text in place through [`crate::store::edit`] (every
//! other byte kept), re-validates it and writes it atomically. They return
//! what changed; the command says it.

use crate::error::{Error, Result};
use crate::model::{
    next_item_id, ActionStatus, Date, ItemKind, Postmortem, SafeguardKind, SafeguardStatus,
};
use crate::source::Loaded;
use crate::store::edit::{self, EditError, NewSafeguard};

use super::Ctx;

/// The item `query` names in `postmortem`: `A2`/`a2` for an action, `S1`
/// for a safeguard. With `kind`, only that kind is accepted.
pub(crate) fn resolve_item(
    loaded: &Loaded,
    kind: Option<ItemKind>,
    query: &str,
) -> Result<(ItemKind, String)> {
    let id = query.trim().to_uppercase();
    let pm = &loaded.postmortem;
    let found = ItemKind::of_id(&id)
        .filter(|k| kind.is_none_or(|wanted| wanted == *k))
        .filter(|k| pm.item_title(*k, &id).is_some());
    if let Some(found) = found {
        return Ok((found, id));
    }
    // Name the kind the user meant: `A9` is a missing action even where
    // only actions and safeguards would do.
    let kind = kind.or_else(|| ItemKind::of_id(&id));
    let kinds = match kind {
        Some(k) => vec![k],
        None => vec![ItemKind::Action, ItemKind::Safeguard],
    };
    Err(Error::UnknownItem {
        postmortem: loaded.id.clone(),
        kind: match kind {
            Some(k) => k.noun(),
            None => "action or safeguard",
        },
        id: query.to_string(),
        known: kinds
            .into_iter()
            .flat_map(|k| pm.item_ids(k))
            .map(String::from)
            .collect(),
    })
}

/// A `--reason`, trimmed; an empty one is refused, as the schema would.
pub(crate) fn reason(text: &str) -> Result<String> {
    let reason = text.trim();
    if reason.is_empty() {
        return Err(Error::BadArgument {
            what: "--reason".into(),
            message: "the reason is empty; say why, e.g. \"Replaced by S3\"".into(),
        });
    }
    super::no_control_characters("--reason", reason)?;
    Ok(reason.to_string())
}

/// An edit `toml_edit` refused: the file is valid for the schema but laid
/// out in a way the edit cannot handle.
fn cannot_edit(loaded: &Loaded, error: EditError) -> Error {
    Error::BadArgument {
        what: loaded.source.path.clone(),
        message: format!("cannot edit the file: {error}"),
    }
}

/// The status an action or safeguard is being moved to.
#[derive(Debug, Clone)]
pub(crate) enum NewStatus {
    ActionDone,
    ActionDropped { reason: String },
    SafeguardDropped { reason: String },
}

impl NewStatus {
    fn kind(&self) -> ItemKind {
        match self {
            NewStatus::ActionDone | NewStatus::ActionDropped { .. } => ItemKind::Action,
            NewStatus::SafeguardDropped { .. } => ItemKind::Safeguard,
        }
    }

    /// `(from, to, old reason, new reason)` for the item `id` of `pm`.
    fn plan(
        &self,
        pm: &Postmortem,
        id: &str,
    ) -> Option<(&'static str, &'static str, Option<String>, Option<String>)> {
        match self {
            NewStatus::ActionDone | NewStatus::ActionDropped { .. } => {
                let action = pm.actions.iter().find(|a| a.id == id)?;
                let (to, reason) = match self {
                    NewStatus::ActionDropped { reason } => {
                        (ActionStatus::Dropped, Some(reason.clone()))
                    }
                    _ => (ActionStatus::Done, None),
                };
                Some((
                    action.status.as_str(),
                    to.as_str(),
                    action.reason.clone(),
                    reason,
                ))
            }
            NewStatus::SafeguardDropped { reason } => {
                let safeguard = pm.safeguards.iter().find(|s| s.id == id)?;
                Some((
                    safeguard.status.as_str(),
                    SafeguardStatus::Dropped.as_str(),
                    safeguard.reason.clone(),
                    Some(reason.clone()),
                ))
            }
        }
    }
}

/// What a status change did.
#[derive(Debug, Clone)]
pub(crate) struct StatusChanged {
    pub(crate) item: String,
    pub(crate) title: String,
    pub(crate) path: String,
    pub(crate) to: &'static str,
    /// `open → done`, `reason: …`, `reason removed`; empty when the item
    /// already was as asked and nothing was written.
    pub(crate) said: Vec<String>,
}

/// Change the status of the item `item` in postmortem `query`.
pub(crate) fn change_status(
    ctx: &Ctx,
    query: &str,
    item: &str,
    to: &NewStatus,
) -> Result<StatusChanged> {
    let store = ctx.store();
    let id = store.resolve(query, &ctx.ws.cwd)?;
    store.update(&id, |loaded, text| {
        let (kind, item) = resolve_item(loaded, Some(to.kind()), item)?;
        let title = loaded
            .postmortem
            .item_title(kind, &item)
            .unwrap_or_default()
            .to_string();
        let Some((from, to, old_reason, reason)) = to.plan(&loaded.postmortem, &item) else {
            unreachable!("resolve_item found {item}");
        };
        let mut said = Vec::new();
        let mut fields = Vec::new();
        if from != to {
            said.push(format!("{from} → {to}"));
            fields.push(("status", Some(to.into())));
        }
        match (&old_reason, &reason) {
            (old, Some(new)) if old.as_ref() != Some(new) => {
                said.push(format!("reason: {new}"));
                fields.push(("reason", Some(edit::basic_string(new))));
            }
            (Some(_), None) => {
                said.push("reason removed".into());
                fields.push(("reason", None));
            }
            _ => {}
        }
        let edited = if fields.is_empty() {
            None
        } else {
            Some(
                edit::set_fields(text, kind.key(), &item, fields)
                    .map_err(|e| cannot_edit(loaded, e))?,
            )
        };
        let changed = StatusChanged {
            item,
            title,
            path: loaded.source.path.clone(),
            to,
            said,
        };
        Ok((edited, changed))
    })
}

/// A safeguard to add, as the user gave it.
pub(crate) struct SafeguardInput<'a> {
    pub(crate) title: &'a str,
    pub(crate) owner: Option<&'a str>,
    pub(crate) due: Option<Date>,
    pub(crate) kind: Option<SafeguardKind>,
}

/// What `safeguard add` did.
pub(crate) struct SafeguardAdded {
    pub(crate) postmortem: String,
    pub(crate) path: String,
    pub(crate) safeguard: NewSafeguard,
    /// The due date came from the policy's `default_due`.
    pub(crate) default_due: bool,
}

/// Append a safeguard with the next free id to postmortem `query`.
pub(crate) fn add_safeguard(
    ctx: &Ctx,
    query: &str,
    input: &SafeguardInput<'_>,
) -> Result<SafeguardAdded> {
    let title = input.title.trim();
    if title.is_empty() {
        return Err(Error::BadArgument {
            what: "--title".into(),
            message: "the title is empty".into(),
        });
    }
    super::no_control_characters("--title", title)?;
    super::no_control_characters("--owner", input.owner.unwrap_or_default())?;
    let store = ctx.store();
    let id = store.resolve(query, &ctx.ws.cwd)?;
    store.update(&id, |loaded, text| {
        let (due, default_due) = super::capture::due_or_default(ctx, loaded, input.due);
        let safeguard = NewSafeguard {
            id: next_item_id(
                loaded.postmortem.safeguards.iter().map(|s| s.id.as_str()),
                'S',
            ),
            title: title.to_string(),
            kind: input.kind,
            owner: input
                .owner
                .filter(|o| !o.trim().is_empty())
                .map(String::from),
            due,
        };
        let edited = edit::append_safeguard(text, &safeguard).map_err(|e| Error::BadArgument {
            what: loaded.source.path.clone(),
            message: format!("cannot add a safeguard: {e}"),
        })?;
        let added = SafeguardAdded {
            postmortem: loaded.id.clone(),
            path: loaded.source.path.clone(),
            safeguard,
            default_due,
        };
        Ok((Some(edited), added))
    })
}

/// What `update` did.
pub(crate) struct Updated {
    pub(crate) item: String,
    pub(crate) title: String,
    pub(crate) path: String,
    pub(crate) at: Date,
}

/// Append a dated progress note to an action or safeguard.
pub(crate) fn add_update(
    ctx: &Ctx,
    query: &str,
    item: &str,
    note: &str,
    at: Option<Date>,
) -> Result<Updated> {
    if note.trim().is_empty() {
        return Err(Error::BadArgument {
            what: "NOTE".into(),
            message: "the note is empty; say what happened, e.g. \"Refunds 60% done\"".into(),
        });
    }
    super::no_control_characters("NOTE", note.trim())?;
    let at = at.unwrap_or(Date(ctx.clock().today()));
    let store = ctx.store();
    let id = store.resolve(query, &ctx.ws.cwd)?;
    store.update(&id, |loaded, text| {
        let (kind, item) = resolve_item(loaded, None, item)?;
        let edited = edit::append_update(text, kind.key(), &item, at, note.trim())
            .map_err(|e| cannot_edit(loaded, e))?;
        let title = loaded
            .postmortem
            .item_title(kind, &item)
            .unwrap_or_default()
            .to_string();
        let updated = Updated {
            item,
            title,
            path: loaded.source.path.clone(),
            at,
        };
        Ok((Some(edited), updated))
    })
}
