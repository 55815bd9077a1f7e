//! How the domain names things across files and systems: a safeguard by
//! `<postmortem-id>/<safeguard-id>`, and a commit by its object id. Both
//! are typed end to end, so nothing splits a string back apart.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// A safeguard's global reference, `<postmortem-id>/<safeguard-id>`: what
/// a `Postmortem-Safeguard` trailer names and an issue marker carries.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SafeguardRef {
    pub(crate) postmortem: String,
    pub(crate) id: String,
}

impl SafeguardRef {
    pub(crate) fn new(postmortem: impl Into<String>, id: impl Into<String>) -> Self {
        SafeguardRef {
            postmortem: postmortem.into(),
            id: id.into(),
        }
    }
}

impl fmt::Display for SafeguardRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.postmortem, self.id)
    }
}

impl FromStr for SafeguardRef {
    type Err = String;

    /// `pm/S1`: both parts non-empty, no white space.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.rsplit_once('/') {
            Some((pm, id))
                if !pm.is_empty() && !id.is_empty() && !s.contains(char::is_whitespace) =>
            {
                Ok(SafeguardRef::new(pm, id))
            }
            _ => Err(format!(
                "`{s}` is not a safeguard reference like 2026-11-24-x/S1"
            )),
        }
    }
}

impl Serialize for SafeguardRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The reference among `known` nearest to `value` (compared
/// case-insensitively), when it is near enough to be what was meant: within
/// a third of its length in edits (at least two), as "did you mean" for a
/// misspelt key. A typo in a `Postmortem-Safeguard` trailer is told this
/// way, by the commit hook and by `status`.
pub(crate) fn closest_reference<'a>(
    value: &str,
    known: &'a [SafeguardRef],
) -> Option<&'a SafeguardRef> {
    let value = value.to_ascii_lowercase();
    known
        .iter()
        .map(|r| {
            let r_text = r.to_string().to_ascii_lowercase();
            (
                strsim::damerau_levenshtein(&value, &r_text),
                r_text.len(),
                r,
            )
        })
        .filter(|(distance, len, _)| *distance <= 2.max(len / 3))
        .min_by(|a, b| (a.0, a.2).cmp(&(b.0, b.2)))
        .map(|(_, _, r)| r)
}

/// A commit's full object id, as lower-case hex. Kept as text so the model
/// needs no git library and works for any hash length.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct CommitId(String);

impl CommitId {
    /// An id from its hex text; `None` unless it is 40 or 64 hex digits.
    pub(crate) fn from_hex(hex: &str) -> Option<CommitId> {
        let ok = matches!(hex.len(), 40 | 64) && hex.bytes().all(|b| b.is_ascii_hexdigit());
        ok.then(|| CommitId(hex.to_ascii_lowercase()))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for CommitId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A commit as shown to people.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CommitInfo {
    pub(crate) oid: String,
    pub(crate) short: String,
    pub(crate) subject: String,
    pub(crate) author: String,
    /// RFC 3339 in the committer's offset.
    pub(crate) date: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safeguard_refs_round_trip() {
        let r: SafeguardRef = "2026-11-24-x/S1".parse().expect("parses");
        assert_eq!(r, SafeguardRef::new("2026-11-24-x", "S1"));
        assert_eq!(r.to_string(), "2026-11-24-x/S1");
        for bad in ["", "x", "/S1", "x/", "a b/S1"] {
            assert!(bad.parse::<SafeguardRef>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_closest_reference_is_the_one_with_fewest_edits() {
        let references: Vec<SafeguardRef> = [
            "2026-11-24-checkout/S1",
            "2026-11-24-checkout/S2",
            "2026-10-02-dns/S1",
        ]
        .iter()
        .map(|r| r.parse().expect("reference"))
        .collect();
        assert_eq!(
            closest_reference("2026-11-24-chekout/S2", &references).map(ToString::to_string),
            Some("2026-11-24-checkout/S2".to_string())
        );
        assert_eq!(closest_reference("something-else/S7", &references), None);
    }

    #[test]
    fn commit_ids_are_hex_of_a_known_length() {
        assert!(CommitId::from_hex(&"A".repeat(40)).is_some());
        assert!(CommitId::from_hex(&"a".repeat(64)).is_some());
        assert!(CommitId::from_hex("abc").is_none());
        assert!(CommitId::from_hex(&"g".repeat(40)).is_none());
    }
}
