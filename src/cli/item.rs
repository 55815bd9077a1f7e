//! What `update`, `action done|drop` and `safeguard drop` share: finding an
//! action or safeguard by id (a bad one names the valid ones), and changing
//! its status in place, re-validated before the atomic write.

use std::io::Write;

use crate::app::{Ctx, Outcome};
use crate::error::{Error, Result};
use crate::model::{ItemKind, Postmortem};
use crate::store::edit::{self, EditError};
use crate::store::Loaded;

/// The item `query` names in `postmortem`: `A2`/`a2` for an action, `S1`
/// for a safeguard. With `kind`, only that kind is accepted.
pub fn resolve(loaded: &Loaded, kind: Option<ItemKind>, query: &str) -> Result<(ItemKind, String)> {
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
pub fn reason(text: &str) -> Result<String> {
    let reason = text.trim();
    if reason.is_empty() {
        return Err(Error::BadArgument {
            what: "--reason".into(),
            message: "the reason is empty; say why, e.g. \"Replaced by S3\"".into(),
        });
    }
    Ok(reason.to_string())
}

/// A status change, planned from the item as it is now.
pub struct StatusChange {
    pub from: &'static str,
    pub to: &'static str,
    pub old_reason: Option<String>,
    /// The reason to write; `None` removes one (a reason only explains a
    /// drop).
    pub reason: Option<String>,
}

/// Change the status of the item `item` in postmortem `query`. `plan` sees
/// the parsed postmortem and the item's id.
pub fn change_status(
    ctx: &mut Ctx,
    query: &str,
    kind: ItemKind,
    item: &str,
    plan: impl Fn(&Postmortem, &str) -> Option<StatusChange>,
) -> Result<Outcome> {
    let store = ctx.store();
    let id = store.resolve(query, &ctx.ws.cwd)?;
    let loaded = store.load(&id)?;
    let (kind, item) = resolve(&loaded, Some(kind), item)?;
    let title = loaded
        .postmortem
        .item_title(kind, &item)
        .unwrap_or_default()
        .to_string();
    let Some(change) = plan(&loaded.postmortem, &item) else {
        unreachable!("resolve found {item}");
    };
    let mut said = Vec::new();
    let mut fields = Vec::new();
    if change.from != change.to {
        said.push(format!("{} → {}", change.from, change.to));
        fields.push(("status", Some(change.to.into())));
    }
    match (&change.old_reason, &change.reason) {
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
    if fields.is_empty() {
        writeln!(
            ctx.out,
            "{item} ({title}) is already {}; nothing changed",
            change.to
        )
        .map_err(|e| Error::io("stdout", e))?;
        return Ok(Outcome::Ok);
    }
    let text = edit::set_fields(&loaded.source.text, kind.key(), &item, fields)
        .map_err(|e| cannot_edit(&loaded, e))?;
    store.rewrite(&loaded, text)?;
    writeln!(
        ctx.out,
        "{item} ({title}) in {}: {}",
        loaded.source.path,
        said.join("; ")
    )
    .map_err(|e| Error::io("stdout", e))?;
    Ok(Outcome::Ok)
}

/// An edit `toml_edit` refused: the file is valid for the schema but laid
/// out in a way the edit cannot handle.
pub fn cannot_edit(loaded: &Loaded, error: EditError) -> Error {
    Error::BadArgument {
        what: loaded.source.path.clone(),
        message: format!("cannot edit the file: {error}"),
    }
}
