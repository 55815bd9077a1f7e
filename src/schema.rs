//! The schema of a postmortem file, the `schema` finding: TOML syntax,
//! unknown keys, wrong types (all found by serde while parsing), then what
//! serde cannot see: the schema version, the configured severities, id
//! formats and duplicates. Loading a file and linting it both go through
//! [`parse_checked`]; nothing here reads a file.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Finding, Level, LintId};
use crate::key_path;
use crate::model::{
    self, is_postmortem_id, ActionStatus, ItemId, Postmortem, SafeguardStatus, SCHEMA_VERSION,
};
use crate::source::Source;

/// Parse and check a postmortem; every schema error on failure.
pub(crate) fn parse_checked(
    id: &str,
    source: &Source,
    severities: &[String],
) -> Result<Postmortem, Vec<Diagnostic>> {
    let postmortem = model::parse(&source.text).map_err(|e| vec![from_toml_error(source, &e)])?;
    let findings = check(id, &postmortem, severities);
    if findings.is_empty() {
        Ok(postmortem)
    } else {
        Err(findings.into_iter().map(|f| f.locate(source)).collect())
    }
}

/// A toml/serde error as a located diagnostic, with "did you mean" for
/// misspelt keys.
pub(crate) fn from_toml_error(source: &Source, error: &toml::de::Error) -> Diagnostic {
    let (line, column) = source.line_col(error.span().map_or(0, |s| s.start));
    Diagnostic {
        level: Level::Error,
        lint: LintId::Schema,
        path: source.path.clone(),
        line,
        column,
        message: explain(error.message()),
    }
}

/// Turn serde's "unknown field `x`, expected one of `a`, `b`" into
/// "unknown key `x` (did you mean `a`?)", and tidy the other messages.
fn explain(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((key, expected)) = rest.split_once('`') {
            let candidates: Vec<&str> = expected
                .split('`')
                .skip(1)
                .step_by(2)
                .filter(|c| !c.is_empty())
                .collect();
            let best = candidates
                .iter()
                .map(|c| (strsim::damerau_levenshtein(key, c), *c))
                .filter(|(d, c)| *d <= 2.max(c.len() / 3))
                .min();
            return match best {
                Some((_, c)) => format!("unknown key `{key}` (did you mean `{c}`?)"),
                None if candidates.is_empty() => format!("unknown key `{key}`"),
                None => format!(
                    "unknown key `{key}`; expected one of {}",
                    candidates
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        if let Some((key, _)) = rest.split_once('`') {
            return format!("missing required key `{key}`");
        }
    }
    message.replace("unknown variant", "unknown value")
}

/// Schema rules serde cannot express.
pub(crate) fn check(id: &str, postmortem: &Postmortem, severities: &[String]) -> Vec<Finding> {
    let mut findings = Vec::new();
    if !is_postmortem_id(id) {
        findings.push(Finding::error(
            LintId::Schema,
            key_path![],
            format!("file name `{id}.toml` is not a postmortem id: use YYYY-MM-DD-slug.toml with a real date and a slug of a-z, 0-9 and -"),
        ));
    }
    if postmortem.schema != SCHEMA_VERSION {
        findings.push(Finding::error(
            LintId::Schema,
            key_path!["schema"],
            format!(
                "schema {} is not supported; this version of git-postmortem reads schema {SCHEMA_VERSION}",
                postmortem.schema
            ),
        ));
    }
    if postmortem.title.trim().is_empty() {
        findings.push(Finding::error(
            LintId::Schema,
            key_path!["title"],
            "`title` is empty",
        ));
    }
    if !severities.contains(&postmortem.severity) {
        findings.push(Finding::error(
            LintId::Schema,
            key_path!["severity"],
            format!(
                "unknown severity `{}`; .postmortem.toml allows {}",
                postmortem.severity,
                severities.join(", ")
            ),
        ));
    }
    if let Some(trigger) = &postmortem.trigger {
        for (i, range) in trigger.ranges.iter().enumerate() {
            if !range.contains("..") {
                findings.push(Finding::error(
                    LintId::Schema,
                    key_path!["trigger", "ranges", i],
                    format!("`{range}` is not a range; write A..B"),
                ));
            }
        }
    }
    check_ids(
        &mut findings,
        "actions",
        'A',
        postmortem.actions.iter().map(|a| a.id.as_str()),
    );
    check_ids(
        &mut findings,
        "safeguards",
        'S',
        postmortem.safeguards.iter().map(|s| s.id.as_str()),
    );
    for (i, a) in postmortem.actions.iter().enumerate() {
        if a.status == ActionStatus::Dropped && blank(&a.reason) {
            findings.push(Finding::error(
                LintId::Schema,
                key_path!["actions", i, "status"],
                format!("action {} is dropped without a `reason`", a.id),
            ));
        }
    }
    for (i, s) in postmortem.safeguards.iter().enumerate() {
        if s.status == SafeguardStatus::Dropped && blank(&s.reason) {
            findings.push(Finding::error(
                LintId::Schema,
                key_path!["safeguards", i, "status"],
                format!("safeguard {} is dropped without a `reason`", s.id),
            ));
        }
    }
    findings
}

fn blank(text: &Option<String>) -> bool {
    text.as_deref().is_none_or(|t| t.trim().is_empty())
}

fn check_ids<'a>(
    findings: &mut Vec<Finding>,
    table: &'static str,
    prefix: char,
    ids: impl Iterator<Item = &'a str>,
) {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if ItemId::parse(id, prefix).is_none() {
            findings.push(Finding::error(
                LintId::Schema,
                key_path![table, i, "id"],
                format!("`{id}` is not a valid id in {table}; use {prefix}1, {prefix}2, …"),
            ));
        } else if !seen.insert(id) {
            findings.push(Finding::error(
                LintId::Schema,
                key_path![table, i, "id"],
                format!("duplicate id `{id}` in {table}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::explain;

    #[test]
    fn misspelt_key_gets_a_suggestion() {
        assert_eq!(
            explain("unknown field `safegaurds`, expected one of `schema`, `title`, `safeguards`"),
            "unknown key `safegaurds` (did you mean `safeguards`?)"
        );
        assert_eq!(
            explain("unknown field `zzz`, expected `id` or `title`"),
            "unknown key `zzz`; expected one of `id`, `title`"
        );
    }
}
