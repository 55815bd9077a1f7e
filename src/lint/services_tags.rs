//! The `services-tags` lint: `services` and `tags` are what `--service`
//! and `--tag` select by, so an entry that is empty, has spaces around it,
//! or repeats another (case-insensitively, as the filters compare) is a
//! mistake that makes a postmortem harder to find.

use std::collections::HashMap;

use crate::diagnostic::{Finding, LintId};
use crate::key_path;
use crate::model::Postmortem;

pub(crate) fn check(postmortem: &Postmortem) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (key, values) in [
        ("services", &postmortem.services),
        ("tags", &postmortem.tags),
    ] {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, value) in values.iter().enumerate() {
            let problem = if value.trim().is_empty() {
                Some(format!("an empty entry in `{key}`; remove it"))
            } else if value.trim() != value {
                Some(format!(
                    "`{}` in `{key}` has spaces around it; write {:?}",
                    value,
                    value.trim()
                ))
            } else {
                seen.get(&value.to_lowercase()).map(|first| {
                    format!(
                        "`{value}` is in `{key}` twice (entries {} and {}, compared case-insensitively); remove one",
                        first + 1,
                        i + 1
                    )
                })
            };
            match problem {
                Some(message) => {
                    findings.push(Finding::warning(
                        LintId::ServicesTags,
                        key_path![key, i],
                        message,
                    ));
                }
                None => {
                    seen.insert(value.to_lowercase(), i);
                }
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(services: &[&str], tags: &[&str]) -> Vec<String> {
        let text = format!(
            "schema = 1\ntitle = \"t\"\nstatus = \"draft\"\nseverity = \"sev3\"\noccurred_at = 2026-11-20T10:00:00Z\nservices = {services:?}\ntags = {tags:?}\n"
        );
        let pm = crate::model::parse(&text).expect("parses");
        check(&pm).into_iter().map(|f| f.message).collect()
    }

    #[test]
    fn clean_lists_pass() {
        assert!(findings(&["checkout", "payments"], &["deploy"]).is_empty());
        assert!(findings(&[], &[]).is_empty());
    }

    #[test]
    fn empty_padded_and_repeated_entries_are_found() {
        let found = findings(&["checkout", "", "Checkout"], &[" deploy", "deploy"]);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].contains("empty entry in `services`"), "{found:?}");
        assert!(found[1].contains("`Checkout` is in `services` twice (entries 1 and 3"));
        assert!(found[2].contains("has spaces around it"), "{found:?}");
    }
}
