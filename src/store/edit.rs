//! Format-preserving edits with `toml_edit`: everything outside the table
//! being changed stays byte for byte as the user wrote it, comments
//! included. Each function takes the file's text and returns the new text;
//! the caller re-validates it and writes it atomically.

use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value};

use crate::model::Date;

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("{0}")]
    Parse(#[from] toml_edit::TomlError),
    #[error("`{0}` is neither an array of tables nor an inline array")]
    NotAnArray(String),
    #[error("no entry with id `{id}` in `{table}`")]
    NoSuchItem { table: String, id: String },
}

/// The fields of a safeguard being added.
#[derive(Debug, Clone)]
pub struct NewSafeguard {
    pub id: String,
    pub title: String,
    pub kind: Option<String>,
    pub owner: Option<String>,
    pub due: Option<Date>,
}

/// Append a `[[safeguards]]` entry after the last existing one. When the
/// safeguards are the last tables in the file, or there are none yet, the
/// entry goes at the very end, after any trailing comments (the template
/// ends with a commented guide to safeguards). An inline
/// `safeguards = [...]` array gets an inline table instead.
pub fn append_safeguard(text: &str, safeguard: &NewSafeguard) -> Result<String, EditError> {
    let mut doc: DocumentMut = text.parse()?;
    let mut fields: Vec<(&str, Value)> = vec![
        ("id", safeguard.id.as_str().into()),
        ("title", safeguard.title.as_str().into()),
    ];
    if let Some(kind) = &safeguard.kind {
        fields.push(("kind", kind.as_str().into()));
    }
    if let Some(owner) = &safeguard.owner {
        fields.push(("owner", owner.as_str().into()));
    }
    if let Some(due) = safeguard.due {
        fields.push(("due", toml_date(due)));
    }
    append_entry(text, &mut doc, "safeguards", fields)
}

/// Append an entry to the array `key`, as described on [`append_safeguard`].
fn append_entry(
    text: &str,
    doc: &mut DocumentMut,
    key: &str,
    fields: Vec<(&str, Value)>,
) -> Result<String, EditError> {
    let at_end = match doc.get(key) {
        None => true,
        Some(Item::ArrayOfTables(array)) => {
            array.iter().last().and_then(Table::position) == last_position(doc.as_table())
        }
        Some(_) => false,
    };
    if at_end {
        let mut snippet = DocumentMut::new();
        let mut array = ArrayOfTables::new();
        array.push(table_of(fields));
        snippet.insert(key, Item::ArrayOfTables(array));
        let mut out = text.to_string();
        if !out.is_empty() {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            if !out.ends_with("\n\n") {
                out.push('\n');
            }
        }
        out.push_str(&snippet.to_string());
        return Ok(out);
    }
    insert_entry(doc, key, fields)?;
    Ok(doc.to_string())
}

/// The highest document position of any table: the one written last.
fn last_position(table: &Table) -> Option<isize> {
    let mut last = table.position();
    for (_, item) in table.iter() {
        let inner = match item {
            Item::Table(t) => last_position(t),
            Item::ArrayOfTables(a) => a.iter().filter_map(last_position).max(),
            _ => None,
        };
        last = last.max(inner);
    }
    last
}

fn insert_entry(
    doc: &mut DocumentMut,
    key: &str,
    fields: Vec<(&str, Value)>,
) -> Result<(), EditError> {
    match doc.get_mut(key) {
        None => {
            let mut array = ArrayOfTables::new();
            array.push(table_of(fields));
            doc.insert(key, Item::ArrayOfTables(array));
        }
        Some(Item::ArrayOfTables(array)) => array.push(table_of(fields)),
        Some(Item::Value(Value::Array(array))) => {
            let mut inline = InlineTable::new();
            for (k, v) in fields {
                inline.insert(k, v);
            }
            inline.fmt();
            array.push(inline);
        }
        Some(_) => return Err(EditError::NotAnArray(key.into())),
    }
    Ok(())
}

fn table_of(fields: Vec<(&str, Value)>) -> Table {
    let mut table = Table::new();
    for (k, v) in fields {
        table.insert(k, Item::Value(v));
    }
    table
}

pub fn toml_date(date: Date) -> Value {
    let parsed: toml_edit::Datetime = date
        .to_string()
        .parse()
        .expect("a formatted date is a valid TOML date");
    Value::from(parsed)
}

/// The table of the entry with `id` in `key` (array of tables or inline).
pub fn entry_mut<'d>(
    doc: &'d mut DocumentMut,
    key: &str,
    id: &str,
) -> Result<&'d mut dyn TableLike, EditError> {
    let missing = || EditError::NoSuchItem {
        table: key.into(),
        id: id.into(),
    };
    let has_id = |t: &dyn TableLike| t.get("id").and_then(|v| v.as_str()) == Some(id);
    match doc.get_mut(key) {
        Some(Item::ArrayOfTables(array)) => array
            .iter_mut()
            .find(|t| has_id(*t))
            .map(|t| t as &mut dyn TableLike)
            .ok_or_else(missing),
        Some(Item::Value(Value::Array(array))) => array
            .iter_mut()
            .filter_map(|v| v.as_inline_table_mut())
            .find(|t| has_id(*t))
            .map(|t| t as &mut dyn TableLike)
            .ok_or_else(missing),
        _ => Err(missing()),
    }
}

/// Set `field` of the entry with `id` in `key`, keeping the decor of an
/// existing value.
pub fn set_field(
    text: &str,
    key: &str,
    id: &str,
    field: &str,
    new: Value,
) -> Result<String, EditError> {
    let mut doc: DocumentMut = text.parse()?;
    let entry = entry_mut(&mut doc, key, id)?;
    match entry.get_mut(field) {
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = new;
            *old.decor_mut() = decor;
        }
        _ => {
            entry.insert(field, Item::Value(new));
        }
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safeguard(id: &str) -> NewSafeguard {
        NewSafeguard {
            id: id.into(),
            title: "Fail deploy when a \"required\" env var is missing".into(),
            kind: Some("automation".into()),
            owner: Some("dana".into()),
            due: "2026-12-15".parse().ok(),
        }
    }

    #[test]
    fn appends_after_the_last_safeguard_keeping_everything_else() {
        let text = "schema = 1 # the version\n\n[[safeguards]]\nid = \"S1\"   # first\ntitle = \"x\"\n\n# notes at the end\n[[actions]]\nid = \"A1\"\ntitle = \"y\"\n";
        let out = append_safeguard(text, &safeguard("S2")).expect("edit");
        let expected_new = "\n[[safeguards]]\nid = \"S2\"\ntitle = 'Fail deploy when a \"required\" env var is missing'\nkind = \"automation\"\nowner = \"dana\"\ndue = 2026-12-15\n";
        assert!(out.contains(expected_new), "{out}");
        let without_new = out.replacen(expected_new, "", 1);
        assert_eq!(without_new, text);
        let s2 = out.find("\"S2\"").expect("S2");
        assert!(out.find("\"S1\"").expect("S1") < s2);
        assert!(s2 < out.find("[[actions]]").expect("actions"));
    }

    #[test]
    fn appends_at_the_very_end_when_safeguards_come_last() {
        let text = "schema = 1\n[[safeguards]]\nid = \"S1\"\ntitle = \"x\"\n# a guide\n# that ends the file";
        let out = append_safeguard(text, &safeguard("S2")).expect("edit");
        assert!(
            out.starts_with(&format!("{text}\n\n[[safeguards]]\nid = \"S2\"")),
            "{out}"
        );
        let empty = append_safeguard("schema = 1\n# guide\n", &safeguard("S1")).expect("edit");
        assert!(
            empty.starts_with("schema = 1\n# guide\n\n[[safeguards]]\nid = \"S1\""),
            "{empty}"
        );
    }

    #[test]
    fn appends_to_an_inline_array() {
        let text = "safeguards = [{ id = \"S1\", title = \"x\" }]\n";
        let out = append_safeguard(text, &safeguard("S2")).expect("edit");
        let parsed: toml::Table = toml::from_str(&out).expect("valid toml");
        assert_eq!(parsed["safeguards"].as_array().map(|a| a.len()), Some(2));
        assert!(out.starts_with("safeguards = [{ id = \"S1\", title = \"x\" }, {"));
    }

    #[test]
    fn sets_a_field_keeping_its_comment() {
        let text = "[[safeguards]]\nid = \"S1\"\nissue = 1 # written by sync\n";
        let out = set_field(text, "safeguards", "S1", "issue", 42.into()).expect("edit");
        assert_eq!(
            out,
            "[[safeguards]]\nid = \"S1\"\nissue = 42 # written by sync\n"
        );
    }
}
