//! A TOML file's text together with a span-keeping parse of it, so that any
//! finding about a value can point at the exact line and column where the
//! user wrote it. The model stays free of spans; this is its source map,
//! and [`Loaded`] a postmortem together with it.

use std::ops::Range;

pub(crate) use crate::model::Seg;
use toml_edit::{Array, ArrayOfTables, Document, InlineTable, Item, Table, Value};

use crate::model::Postmortem;

/// A postmortem that parsed and passed the schema, with its source map:
/// what every command that reads postmortems works on.
pub(crate) struct Loaded {
    pub(crate) id: String,
    pub(crate) source: Source,
    pub(crate) postmortem: Postmortem,
}

/// A TOML file's text and its span map.
pub struct Source {
    /// Path as shown to the user: relative to the repository root.
    pub path: String,
    /// The file's text, as read; where the file is not UTF-8, as decoded
    /// with U+FFFD for each bad sequence (see [`Source::not_utf8`]).
    pub text: String,
    /// Parsed on first use: most runs never point at a value.
    doc: std::sync::OnceLock<Option<Document<String>>>,
    not_utf8: Option<NotUtf8>,
}

/// Where a file stops being UTF-8: the byte offset of its first bad
/// sequence and that sequence's bytes (at most 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotUtf8 {
    pub(crate) offset: usize,
    pub(crate) bytes: Vec<u8>,
}

impl Source {
    /// Keep `text`, to be parsed for its spans when a position is first
    /// asked for; a file that does not parse has none.
    pub fn new(path: impl Into<String>, text: String) -> Self {
        Source {
            path: path.into(),
            text,
            doc: std::sync::OnceLock::new(),
            not_utf8: None,
        }
    }

    /// A file's bytes as read from disk or git. Bytes that are not UTF-8
    /// are not an I/O error: the source keeps a lossy decoding for display
    /// and remembers the first bad sequence, which the schema reports as a
    /// finding like any other, so one bad file does not stop a run.
    pub fn from_bytes(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        match String::from_utf8(bytes) {
            Ok(text) => Source::new(path, text),
            Err(error) => {
                let utf8 = error.utf8_error();
                let offset = utf8.valid_up_to();
                let bytes = error.as_bytes();
                let end = utf8
                    .error_len()
                    .map_or(bytes.len(), |len| offset + len)
                    .min(bytes.len());
                Source {
                    path: path.into(),
                    text: String::from_utf8_lossy(bytes).into_owned(),
                    doc: std::sync::OnceLock::from(None),
                    not_utf8: Some(NotUtf8 {
                        offset,
                        bytes: bytes[offset..end].to_vec(),
                    }),
                }
            }
        }
    }

    /// The first sequence that is not UTF-8, when the file has one.
    pub(crate) fn not_utf8(&self) -> Option<&NotUtf8> {
        self.not_utf8.as_ref()
    }

    /// The span-keeping parse, made on first use.
    fn doc(&self) -> Option<&Document<String>> {
        self.doc
            .get_or_init(|| Document::parse(self.text.clone()).ok())
            .as_ref()
    }

    /// 1-based line and character column of a byte offset.
    pub(crate) fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }

    /// Where the value at `path` starts, or the nearest enclosing value that
    /// exists; (1, 1) when nothing along the path does.
    pub(crate) fn position(&self, path: &[Seg]) -> (usize, usize) {
        let span = self.span(path).unwrap_or(0..0);
        self.line_col(span.start)
    }

    /// Span of the value at `path`, falling back to the deepest existing
    /// ancestor.
    pub(crate) fn span(&self, path: &[Seg]) -> Option<Range<usize>> {
        let doc = self.doc()?;
        let mut node = Node::Table(doc.as_table());
        let mut best = None;
        for seg in path {
            match node.child(seg) {
                Some((span, child)) => {
                    if span.is_some() {
                        best = span;
                    }
                    node = child;
                }
                None => break,
            }
        }
        best
    }

    /// Position of `needle` (matched by `find` on the raw text) inside the
    /// value at `path`, so a lint can point at the phrase it quotes rather
    /// than at the start of a long string.
    pub(crate) fn position_in(
        &self,
        path: &[Seg],
        find: impl Fn(&str) -> Option<usize>,
    ) -> (usize, usize) {
        match self.span(path) {
            Some(span) => {
                let raw = self.text.get(span.clone()).unwrap_or("");
                match find(raw) {
                    Some(offset) => self.line_col(span.start + offset),
                    None => self.line_col(span.start),
                }
            }
            None => (1, 1),
        }
    }
}

/// A string value of the file: its key path, where it is written, and what
/// it says.
pub(crate) struct StringValue {
    /// The key path as people read it: `safeguards[0].owner`.
    pub(crate) key: String,
    /// The value's span in the text, quotes included.
    pub(crate) span: Range<usize>,
    /// The string, escapes decoded.
    pub(crate) value: String,
}

impl Source {
    /// Every string value in the file, keys in the order they are written
    /// (nothing when the file does not parse).
    pub(crate) fn string_values(&self) -> Vec<StringValue> {
        let mut out = Vec::new();
        if let Some(doc) = self.doc() {
            strings_in_table(doc.as_table(), "", &mut out);
        }
        out
    }
}

fn joined(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn strings_in_table(table: &Table, prefix: &str, out: &mut Vec<StringValue>) {
    for (key, item) in table.iter() {
        let key = joined(prefix, key);
        match item {
            Item::None => {}
            Item::Value(value) => strings_in_value(value, &key, out),
            Item::Table(table) => strings_in_table(table, &key, out),
            Item::ArrayOfTables(tables) => {
                for (i, table) in tables.iter().enumerate() {
                    strings_in_table(table, &format!("{key}[{i}]"), out);
                }
            }
        }
    }
}

fn strings_in_value(value: &Value, key: &str, out: &mut Vec<StringValue>) {
    match value {
        Value::String(s) => {
            if let Some(span) = s.span() {
                out.push(StringValue {
                    key: key.to_string(),
                    span,
                    value: s.value().clone(),
                });
            }
        }
        Value::Array(values) => {
            for (i, value) in values.iter().enumerate() {
                strings_in_value(value, &format!("{key}[{i}]"), out);
            }
        }
        Value::InlineTable(table) => {
            for (k, value) in table.iter() {
                strings_in_value(value, &joined(key, k), out);
            }
        }
        _ => {}
    }
}

/// A borrowed view of any TOML node, so the walk down a path has one type.
#[derive(Clone, Copy)]
enum Node<'d> {
    Table(&'d Table),
    InlineTable(&'d InlineTable),
    TableArray(&'d ArrayOfTables),
    Array(&'d Array),
    Scalar,
}

impl<'d> Node<'d> {
    fn of_item(item: &'d Item) -> Option<Node<'d>> {
        match item {
            Item::None => None,
            Item::Table(t) => Some(Node::Table(t)),
            Item::ArrayOfTables(a) => Some(Node::TableArray(a)),
            Item::Value(v) => Some(Node::of_value(v)),
        }
    }

    fn of_value(value: &'d Value) -> Node<'d> {
        match value {
            Value::InlineTable(t) => Node::InlineTable(t),
            Value::Array(a) => Node::Array(a),
            _ => Node::Scalar,
        }
    }

    /// One step down: the child's span (the value's, else its key's) and
    /// the child itself.
    fn child(self, seg: &Seg) -> Option<(Option<Range<usize>>, Node<'d>)> {
        match (seg, self) {
            (Seg::Key(k), Node::Table(t)) => {
                let (key, item) = t.get_key_value(k)?;
                Some((item.span().or_else(|| key.span()), Node::of_item(item)?))
            }
            (Seg::Key(k), Node::InlineTable(t)) => {
                let (key, item) = t.get_key_value(k)?;
                Some((item.span().or_else(|| key.span()), Node::of_item(item)?))
            }
            (Seg::Index(i), Node::TableArray(a)) => {
                let table = a.get(*i)?;
                Some((table.span(), Node::Table(table)))
            }
            (Seg::Index(i), Node::Array(a)) => {
                let value = a.get(*i)?;
                Some((value.span(), Node::of_value(value)))
            }
            _ => None,
        }
    }
}

/// 1-based line and character column of a byte offset in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_that_are_not_utf8_are_kept_with_where_they_start() {
        let source = Source::from_bytes("p.toml", b"a = 1\nb = \"\xC3\xA9\xE2\x82\"\n".to_vec());
        let bad = source.not_utf8().expect("not UTF-8");
        assert_eq!((bad.offset, bad.bytes.as_slice()), (13, &[0xE2, 0x82][..]));
        assert_eq!(source.line_col(bad.offset), (2, 7));
        assert_eq!(source.text, "a = 1\nb = \"é\u{FFFD}\"\n");

        // Cut short at the end of the file.
        let source = Source::from_bytes("p.toml", b"a = \xF0\x9F".to_vec());
        let bad = source.not_utf8().expect("not UTF-8");
        assert_eq!((bad.offset, bad.bytes.as_slice()), (4, &[0xF0, 0x9F][..]));

        let source = Source::from_bytes("p.toml", "a = \"é\"\n".as_bytes().to_vec());
        assert!(source.not_utf8().is_none());
        assert_eq!(source.position(&[Seg::Key("a")]), (1, 5));
    }
}
