//! Format-preserving edits with `toml_edit`: everything outside the table
//! being changed stays byte for byte as the user wrote it, comments
//! included. Each function takes the file's text and returns the new text;
//! the caller re-validates it and writes it atomically.

use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, TableLike, Value};

use crate::model::{Date, FactorKind, SafeguardKind, Timestamp};

#[derive(Debug, thiserror::Error)]
pub(crate) enum EditError {
    #[error("{0}")]
    Parse(#[from] toml_edit::TomlError),
    #[error("`{0}` is neither an array of tables nor an inline array")]
    NotAnArray(String),
    #[error("no entry with id `{id}` in `{table}`")]
    NoSuchItem { table: String, id: String },
    #[error("`updates` of `{id}` in `{table}` is neither an array nor an array of tables")]
    UpdatesNotAnArray { table: String, id: String },
}

/// The fields of a safeguard being added.
#[derive(Debug, Clone)]
pub(crate) struct NewSafeguard {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) kind: Option<SafeguardKind>,
    pub(crate) owner: Option<String>,
    pub(crate) due: Option<Date>,
}

/// Append a `[[safeguards]]` entry after the last existing one. When the
/// safeguards are the last tables in the file, or there are none yet, the
/// entry goes at the very end, after any trailing comments (the template
/// ends with a commented guide to safeguards). An inline
/// `safeguards = [...]` array gets an inline table instead.
pub(crate) fn append_safeguard(text: &str, safeguard: &NewSafeguard) -> Result<String, EditError> {
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

/// The fields of an action being added.
#[derive(Debug, Clone)]
pub(crate) struct NewAction {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) owner: Option<String>,
    pub(crate) due: Option<Date>,
}

/// Append an `[[actions]]` entry (`status = "open"`), placed as
/// [`append_safeguard`] places a safeguard.
pub(crate) fn append_action(text: &str, action: &NewAction) -> Result<String, EditError> {
    let mut doc: DocumentMut = text.parse()?;
    let mut fields: Vec<(&str, Value)> = vec![
        ("id", action.id.as_str().into()),
        ("title", basic_string(&action.title)),
    ];
    if let Some(owner) = &action.owner {
        fields.push(("owner", basic_string(owner)));
    }
    if let Some(due) = action.due {
        fields.push(("due", toml_date(due)));
    }
    fields.push(("status", "open".into()));
    append_entry(text, &mut doc, "actions", fields)
}

/// Append a `[[requirements]]` entry: who asked (`from`) and what.
pub(crate) fn append_requirement(text: &str, from: &str, asked: &str) -> Result<String, EditError> {
    let mut doc: DocumentMut = text.parse()?;
    let fields = vec![("from", basic_string(from)), ("text", basic_string(asked))];
    append_entry(text, &mut doc, "requirements", fields)
}

/// Append a `[[factors]]` entry of `kind`, with its note when there is one.
pub(crate) fn append_factor(
    text: &str,
    kind: FactorKind,
    note: Option<&str>,
) -> Result<String, EditError> {
    let mut doc: DocumentMut = text.parse()?;
    let mut fields = vec![("kind", Value::from(kind.as_str()))];
    if let Some(note) = note {
        fields.push(("note", basic_string(note)));
    }
    append_entry(text, &mut doc, "factors", fields)
}

/// Put a `[[timeline]]` entry at `index` of the timeline (the caller finds
/// the place that keeps it in time order): right after the entry before
/// it, or above the first entry (and any comment written above that one,
/// so comments stay with the entry they are about). The first entry of a
/// file goes after its last table, above any comments that end the file.
/// An inline `timeline = [...]` gets an inline table at that index.
pub(crate) fn insert_timeline(
    text: &str,
    index: usize,
    at: Timestamp,
    event: &str,
) -> Result<String, EditError> {
    let mut doc: DocumentMut = text.parse()?;
    let fields = vec![("at", toml_datetime(at)), ("event", basic_string(event))];
    match doc.get_mut("timeline") {
        None => {
            let mut array = ArrayOfTables::new();
            array.push(table_of(fields));
            doc.insert("timeline", Item::ArrayOfTables(array));
        }
        Some(Item::ArrayOfTables(array)) => {
            let index = index.min(array.len());
            let mut table = table_of(fields);
            // Tables are written in the order of their positions, and one
            // without a position takes that of the table before it: the
            // first entry's position puts the new one above it (the lower
            // index wins a tie); none puts it right after its predecessor.
            if index == 0 {
                table.set_position(array.get(0).and_then(Table::position));
            }
            array.insert(index, table);
        }
        Some(Item::Value(Value::Array(array))) => {
            let mut inline = InlineTable::new();
            for (k, v) in fields {
                inline.insert(k, v);
            }
            inline.fmt();
            let value = Value::InlineTable(inline);
            if index >= array.len() {
                push_in_style(array, value);
            } else {
                let (prefix, suffix) = array.get(index).map_or_else(Default::default, |next| {
                    let decor = |d: Option<&toml_edit::RawString>| {
                        d.and_then(|d| d.as_str()).unwrap_or("").to_string()
                    };
                    (decor(next.decor().prefix()), decor(next.decor().suffix()))
                });
                let indent = match prefix.rsplit_once('\n') {
                    Some((_, indent)) => format!("\n{indent}"),
                    None => " ".to_string(),
                };
                if let Some(next) = array.get_mut(index) {
                    next.decor_mut().set_prefix(indent);
                }
                let suffix = if suffix.contains('#') {
                    String::new()
                } else {
                    suffix
                };
                array.insert_formatted(index, value.decorated(prefix, suffix));
            }
        }
        Some(_) => return Err(EditError::NotAnArray("timeline".into())),
    }
    Ok(doc.to_string())
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

#[allow(clippy::expect_used, reason = "`YYYY-MM-DD` is always a TOML date")]
pub(crate) fn toml_date(date: Date) -> Value {
    let parsed: toml_edit::Datetime = date
        .to_string()
        .parse()
        .expect("a formatted date is a valid TOML date");
    Value::from(parsed)
}

#[allow(
    clippy::expect_used,
    reason = "RFC 3339 with an offset is always a TOML datetime"
)]
pub(crate) fn toml_datetime(at: Timestamp) -> Value {
    let parsed: toml_edit::Datetime = at
        .to_toml_string()
        .parse()
        .expect("a formatted timestamp is a valid TOML datetime");
    Value::from(parsed)
}

/// The table of the entry with `id` in `key` (array of tables or inline).
pub(crate) fn entry_mut<'d>(
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
pub(crate) fn set_field(
    text: &str,
    key: &str,
    id: &str,
    field: &str,
    new: Value,
) -> Result<String, EditError> {
    set_fields(text, key, id, vec![(field, Some(new))])
}

/// Set or remove (`None`) several fields of the entry with `id` in `key` in
/// one edit. A replaced value keeps its decor (the comment after it stays);
/// a new field goes after the entry's last one.
pub(crate) fn set_fields(
    text: &str,
    key: &str,
    id: &str,
    fields: Vec<(&str, Option<Value>)>,
) -> Result<String, EditError> {
    let mut doc: DocumentMut = text.parse()?;
    let inline = is_inline_array(&doc, key);
    let entry = entry_mut(&mut doc, key, id)?;
    for (field, new) in fields {
        match (entry.get_mut(field), new) {
            (Some(Item::Value(old)), Some(new)) => {
                let decor = old.decor().clone();
                *old = new;
                *old.decor_mut() = decor;
            }
            (_, Some(new)) => insert_field(entry, inline, field, new),
            (_, None) => {
                entry.remove(field);
            }
        }
    }
    Ok(doc.to_string())
}

/// Append a dated progress note `{ at = DATE, note = "…" }` to the
/// `updates` of the entry with `id` in `key`.
///
/// An existing inline array keeps its style: one-per-line arrays get a new
/// line with the same indentation, single-line arrays grow on their line.
/// `[[….updates]]` tables get one more table. Without `updates`, the entry
/// gets `updates = [{ at = …, note = "…" }]` after its last field, as the
/// file format's own example writes it.
pub(crate) fn append_update(
    text: &str,
    key: &str,
    id: &str,
    at: Date,
    note: &str,
) -> Result<String, EditError> {
    let mut doc: DocumentMut = text.parse()?;
    let inline = is_inline_array(&doc, key);
    let entry = entry_mut(&mut doc, key, id)?;
    let mut update = InlineTable::new();
    update.insert("at", toml_date(at));
    update.insert("note", basic_string(note));
    update.fmt();
    match entry.get_mut("updates") {
        None | Some(Item::None) => {
            let mut array = Array::new();
            array.push(update);
            insert_field(entry, inline, "updates", Value::Array(array));
        }
        Some(Item::Value(Value::Array(array))) => push_in_style(array, Value::InlineTable(update)),
        Some(Item::ArrayOfTables(tables)) => {
            let mut table = Table::new();
            table.insert("at", Item::Value(toml_date(at)));
            table.insert("note", Item::Value(basic_string(note)));
            tables.push(table);
        }
        Some(_) => {
            return Err(EditError::UpdatesNotAnArray {
                table: key.into(),
                id: id.into(),
            })
        }
    }
    Ok(doc.to_string())
}

/// Whether the entries of `key` are inline tables in an array.
fn is_inline_array(doc: &DocumentMut, key: &str) -> bool {
    matches!(doc.get(key), Some(Item::Value(Value::Array(_))))
}

/// Add a new field after the entry's last one. In an inline table the space
/// before `}` moves from the old last value to the new one, so the result
/// reads `{ a = 1, b = 2 }` rather than `{ a = 1 , b = 2 }`.
fn insert_field(entry: &mut dyn TableLike, inline: bool, field: &str, value: Value) {
    if !inline {
        entry.insert(field, Item::Value(value));
        return;
    }
    let mut suffix = String::from(" ");
    if let Some((_, Item::Value(last))) = entry.iter_mut().last() {
        if let Some(s) = last.decor().suffix().and_then(|s| s.as_str()) {
            suffix = s.to_string();
        }
        last.decor_mut().set_suffix("");
    }
    entry.insert(field, Item::Value(value.decorated(" ", suffix)));
}

/// A TOML basic string (`"…"` with escapes), whatever quotes `s` holds:
/// `toml_edit` would pick a literal or multi-line form instead.
pub(crate) fn basic_string(s: &str) -> Value {
    format!("\"{}\"", crate::model::toml_string(s))
        .parse()
        .unwrap_or_else(|_| Value::from(s))
}

/// Push `value` onto `array` formatted like its last element: on a line of
/// its own with the same indentation when the array is written one value
/// per line, else after a space. Whatever followed the last element (the
/// space before `]`, a newline) moves to the new last element, except a
/// comment on the last element's line (`{ … },   # vendor run`): that stays
/// where it was, on the line of the element it is about.
fn push_in_style(array: &mut Array, value: Value) {
    let trailing_comma = array.trailing_comma();
    let trailing = array.trailing().as_str().unwrap_or("").to_string();
    let Some(last) = array.iter_mut().last() else {
        array.push(value);
        return;
    };
    let prefix = last
        .decor()
        .prefix()
        .and_then(|p| p.as_str())
        .unwrap_or(" ")
        .to_string();
    let mut prefix = match prefix.rsplit_once('\n') {
        // Keep the indentation, not any comment lines above the last value.
        Some((_, indent)) => format!("\n{indent}"),
        None => " ".to_string(),
    };
    let mut suffix = last
        .decor()
        .suffix()
        .and_then(|s| s.as_str())
        .unwrap_or("")
        .to_string();
    last.decor_mut().set_suffix("");
    // The comment after the last element, before the comma or after it.
    let after_last = if trailing_comma { &trailing } else { &suffix };
    if let Some((comment, rest)) = line_comment(after_last) {
        prefix = format!("{comment}{prefix}");
        let rest = format!("\n{rest}");
        if trailing_comma {
            array.set_trailing(rest);
        } else {
            suffix = rest;
        }
    }
    array.push_formatted(value.decorated(prefix, suffix));
}

/// The comment that ends the line `decor` starts on (`"   # vendor run"`),
/// and what follows that line, when that line has a comment.
fn line_comment(decor: &str) -> Option<(&str, &str)> {
    let (line, rest) = decor.split_once('\n')?;
    line.trim_start().starts_with('#').then_some((line, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safeguard(id: &str) -> NewSafeguard {
        NewSafeguard {
            id: id.into(),
            title: "Fail deploy when a \"required\" env var is missing".into(),
            kind: Some(SafeguardKind::Automation),
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

    fn day(s: &str) -> Date {
        s.parse().expect("date")
    }

    /// `text` with `insert` added at the one place `marker` ends.
    fn inserted(text: &str, after: &str, insert: &str) -> String {
        let at = text.find(after).expect("marker") + after.len();
        format!("{}{insert}{}", &text[..at], &text[at..])
    }

    #[test]
    fn update_goes_on_the_line_of_a_single_line_array() {
        let text = "[[actions]]\nid = \"A1\"\nupdates = [{ at = 2026-11-25, note = \"a\" }] # kept\n\n# next\n[[actions]]\nid = \"A2\"\n";
        let out = append_update(text, "actions", "A1", day("2026-11-26"), "b").expect("edit");
        let expected = inserted(
            text,
            "note = \"a\" }",
            ", { at = 2026-11-26, note = \"b\" }",
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn update_keeps_one_per_line_arrays_one_per_line() {
        let text = "[[actions]]\nid = \"A1\"\nupdates = [\n  { at = 2026-11-25, note = \"a\" },\n  # second\n  { at = 2026-11-25, note = \"b\" },\n]\n";
        let out = append_update(text, "actions", "A1", day("2026-11-26"), "c").expect("edit");
        let expected = inserted(
            text,
            "note = \"b\" },",
            "\n  { at = 2026-11-26, note = \"c\" },",
        );
        assert_eq!(out, expected);
        let no_comma =
            "[[actions]]\nid = \"A1\"\nupdates = [\n    { at = 2026-11-25, note = \"a\" }\n]\n";
        let out = append_update(no_comma, "actions", "A1", day("2026-11-26"), "c").expect("edit");
        assert_eq!(
            out,
            inserted(
                no_comma,
                "note = \"a\" }",
                ",\n    { at = 2026-11-26, note = \"c\" }"
            )
        );
    }

    #[test]
    fn update_leaves_the_comment_on_the_last_entrys_line() {
        let text = "[[actions]]\nid = \"A1\"\nupdates = [\n  { at = 2026-11-25, note = \"a\" },   # vendor run\n]\n";
        let out = append_update(text, "actions", "A1", day("2026-11-26"), "b").expect("edit");
        assert_eq!(
            out,
            inserted(
                text,
                "# vendor run\n",
                "  { at = 2026-11-26, note = \"b\" },\n"
            )
        );
        let no_comma = "[[actions]]\nid = \"A1\"\nupdates = [\n  { at = 2026-11-25, note = \"a\" }  # vendor run\n  # later\n]\n";
        let out = append_update(no_comma, "actions", "A1", day("2026-11-26"), "b").expect("edit");
        assert_eq!(
            out,
            "[[actions]]\nid = \"A1\"\nupdates = [\n  { at = 2026-11-25, note = \"a\" },  # vendor run\n  { at = 2026-11-26, note = \"b\" }\n  # later\n]\n"
        );
        let comment_below = "[[actions]]\nid = \"A1\"\nupdates = [\n  { at = 2026-11-25, note = \"a\" },\n  # more to come\n]\n";
        let out =
            append_update(comment_below, "actions", "A1", day("2026-11-26"), "b").expect("edit");
        assert_eq!(
            out,
            inserted(
                comment_below,
                "note = \"a\" },",
                "\n  { at = 2026-11-26, note = \"b\" },"
            )
        );
    }

    #[test]
    fn update_creates_the_array_after_the_last_field() {
        let text = "[[safeguards]]\nid = \"S1\"\ntitle = \"x\" # the title\n\n# S2 next\n[[safeguards]]\nid = \"S2\"\ntitle = \"y\"\n";
        let out = append_update(text, "safeguards", "S2", day("2026-11-26"), "it's \"done\"")
            .expect("edit");
        assert_eq!(
            out,
            format!("{text}updates = [{{ at = 2026-11-26, note = \"it's \\\"done\\\"\" }}]\n")
        );
        let out = append_update(text, "safeguards", "S1", day("2026-11-26"), "n").expect("edit");
        assert_eq!(
            out,
            inserted(
                text,
                "# the title\n",
                "updates = [{ at = 2026-11-26, note = \"n\" }]\n"
            )
        );
    }

    #[test]
    fn update_into_inline_table_entries() {
        let text = "actions = [{ id = \"A1\", title = \"x\" }, { id = \"A2\", title = \"y\", updates = [ { at = 2026-11-25, note = \"a\" } ] }]\n";
        let out = append_update(text, "actions", "A1", day("2026-11-26"), "n").expect("edit");
        assert_eq!(
            out,
            inserted(
                text,
                "title = \"x\"",
                ", updates = [{ at = 2026-11-26, note = \"n\" }]"
            )
        );
        let out = append_update(text, "actions", "A2", day("2026-11-26"), "n").expect("edit");
        assert_eq!(
            out,
            inserted(
                text,
                "note = \"a\" }",
                ", { at = 2026-11-26, note = \"n\" }"
            )
        );
    }

    #[test]
    fn update_into_an_array_of_update_tables() {
        let text = "[[actions]]\nid = \"A1\"\n\n[[actions.updates]]\nat = 2026-11-25\nnote = \"a\"\n\n[[actions]]\nid = \"A2\"\n";
        let out = append_update(text, "actions", "A1", day("2026-11-26"), "b").expect("edit");
        assert_eq!(
            out,
            inserted(
                text,
                "note = \"a\"\n",
                "\n[[actions.updates]]\nat = 2026-11-26\nnote = \"b\"\n"
            )
        );
    }

    #[test]
    fn update_of_a_missing_entry_is_an_error() {
        let err = append_update(
            "[[actions]]\nid = \"A1\"\n",
            "actions",
            "A7",
            day("2026-11-26"),
            "n",
        )
        .expect_err("no A7");
        assert_eq!(err.to_string(), "no entry with id `A7` in `actions`");
    }

    #[test]
    fn set_fields_adds_replaces_and_removes() {
        let text = "[[actions]]\nid = \"A1\"\nstatus = \"dropped\"  # why\nreason = \"x\"\n\n# next\n[[actions]]\nid = \"A2\"\n";
        let out = set_fields(
            text,
            "actions",
            "A1",
            vec![("status", Some("done".into())), ("reason", None)],
        )
        .expect("edit");
        assert_eq!(
            out,
            "[[actions]]\nid = \"A1\"\nstatus = \"done\"  # why\n\n# next\n[[actions]]\nid = \"A2\"\n"
        );
        let inline = "actions = [{ id = \"A1\", title = \"x\" }]\n";
        let out = set_fields(
            inline,
            "actions",
            "A1",
            vec![
                ("status", Some("dropped".into())),
                ("reason", Some(basic_string("not \"needed\""))),
            ],
        )
        .expect("edit");
        assert_eq!(
            out,
            "actions = [{ id = \"A1\", title = \"x\", status = \"dropped\", reason = \"not \\\"needed\\\"\" }]\n"
        );
    }
}
