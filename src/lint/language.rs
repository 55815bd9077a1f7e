//! Writing lints: `hollow-apology` (apologies that own nothing) and `blame`
//! (language that points at people instead of the system). Matching is
//! case-insensitive and word-boundary aware; each finding quotes the phrase
//! and suggests a blameless rewrite.

use std::sync::LazyLock;

use regex::Regex;

use crate::config::LintConfig;
use crate::diagnostic::Level;
use crate::diagnostic::{Finding, LintId};
use crate::key_path;
use crate::model::Postmortem;

struct Rule {
    lint: LintId,
    level: Level,
    pattern: Regex,
    advice: &'static str,
}

#[allow(clippy::expect_used, reason = "constant patterns, tested")]
fn rule(lint: LintId, level: Level, pattern: &str, advice: &'static str) -> Rule {
    // `'` in patterns also matches the typographic apostrophe.
    let pattern = pattern.replace('\'', "['’]");
    Rule {
        lint,
        level,
        pattern: Regex::new(&format!(r"(?i)\b(?:{pattern})\b")).expect("lint patterns are valid"),
        advice,
    }
}

#[allow(clippy::expect_used, reason = "a constant pattern, tested")]
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    use Level::{Error, Warning};
    vec![
        rule(LintId::HollowApology, Error,
            r"sorry for any (?:inconvenience|trouble|issues?)|sorry if (?:anyone|you) (?:was|were) (?:affected|inconvenienced)",
            "say what broke, for whom and for how long, and what the team owns: \"We broke checkout for every customer for 42 minutes.\""),
        rule(LintId::HollowApology, Error,
            r"apologi[sz]e (?:for|to) any(?:one)?|regret any (?:inconvenience|trouble)|(?:any|the) inconvenience (?:this|that) (?:may|might) have caused",
            "an apology for \"any\" harm owns none; name the harm: \"We apologise to the 1,900 customers whose orders failed.\""),
        rule(LintId::HollowApology, Error,
            r"mistakes were made|errors were made|it was unfortunate that",
            "the passive voice hides who acted; say what the team did: \"We shipped a config change without a staging soak.\""),
        rule(LintId::Blame, Warning,
            r"human errors?|operator errors?|user errors?",
            "\"human error\" ends the inquiry where it should start; ask what made the mistake easy: \"The deploy tool accepted an unset variable.\""),
        rule(LintId::Blame, Warning,
            r"careless(?:ly|ness)?|sloppy|sloppiness|negligen(?:t|tly|ce)|lazy|laziness",
            "describe the conditions, not a person's character: \"The review checklist did not cover config changes.\""),
        rule(LintId::Blame, Warning,
            r"should(?: have|'ve) known|should(?: have|'ve) caught|ought to have known",
            "hindsight is not a safeguard; say what information was missing at the time: \"The alert did not say which variable was unset.\""),
        rule(LintId::Blame, Warning,
            r"(?:[a-z][a-z0-9_.-]*)'s fault|fault of (?:[a-z][a-z0-9_.-]*)|(?:his|her|their) fault|to blame|blamed? (?:on )?(?:him|her|them)",
            "a postmortem owns outcomes as a team; describe the decision and its context, not the person"),
        rule(LintId::Blame, Warning,
            r"incompeten(?:t|ce|tly)|stupid(?:ity)?|idiot(?:ic)?|dropped the ball|screwed up",
            "judgements of people make the next person hide their mistakes; describe what happened instead"),
    ]
});

/// Possessives that blame nobody: "it was nobody's fault".
#[allow(clippy::expect_used, reason = "a constant pattern, tested")]
static NOBODY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:no ?one|one|nobody|anyone|anybody|everyone|everybody)['’]s fault$")
        .expect("valid pattern")
});

/// Words that show an accountability statement names its impact: who was
/// affected, what broke, how long, how much.
#[allow(clippy::expect_used, reason = "a constant pattern, tested")]
static IMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:\d|customers?|users?|clients?|orders?|requests?|payments?|checkouts?|minutes?|hours?|days?|seconds?|outage|down(?:time)?|unavailable|broke|broken|failed|failing|failures?|errors?|lost|loss|data|revenue|latency|slow|degraded|could not|couldn['’]t|unable|impact(?:ed)?|affected)\b",
    )
    .expect("valid pattern")
});

/// A phrase from `[lints]` as a case-insensitive, word-bounded pattern;
/// `'` also matches the typographic apostrophe.
fn phrase_pattern(phrase: &str) -> Option<Regex> {
    let escaped = regex::escape(phrase.trim()).replace('\'', "['’]");
    // A phrase that starts or ends with a non-word character gets no
    // boundary on that side (`\b` would need a word character there).
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let start = if word(phrase.trim().chars().next()) {
        r"\b"
    } else {
        ""
    };
    let end = if word(phrase.trim().chars().last()) {
        r"\b"
    } else {
        ""
    };
    Regex::new(&format!("(?i){start}(?:{escaped}){end}")).ok()
}

/// The configured `extra` phrases as rules of their lint.
fn extra_rules(config: &LintConfig) -> Vec<Rule> {
    let mut rules = Vec::new();
    for (lint, phrases) in &config.extra {
        let (level, advice) = match lint {
            LintId::HollowApology => (
                Level::Error,
                "a phrase .postmortem.toml lists as a hollow apology; say what broke, for whom and for how long, and what the team owns",
            ),
            _ => (
                Level::Warning,
                "a phrase .postmortem.toml lists as blame; describe the decision and its context, not the person",
            ),
        };
        for phrase in phrases {
            if let Some(pattern) = phrase_pattern(phrase) {
                rules.push(Rule {
                    lint: *lint,
                    level,
                    pattern,
                    advice,
                });
            }
        }
    }
    rules
}

/// The findings of the language lints, and separately those inside a
/// phrase `[lints]` allows (to be counted, not reported).
pub(crate) fn check(postmortem: &Postmortem, config: &LintConfig) -> (Vec<Finding>, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut allowed = Vec::new();
    let extra = extra_rules(config);
    let allow: Vec<(LintId, Regex)> = config
        .allow
        .iter()
        .flat_map(|(lint, phrases)| {
            phrases
                .iter()
                .filter_map(|p| phrase_pattern(p).map(|re| (*lint, re)))
        })
        .collect();
    for (path, text) in postmortem.prose() {
        let allowed_spans: Vec<(LintId, std::ops::Range<usize>)> = allow
            .iter()
            .flat_map(|(lint, re)| re.find_iter(text).map(|m| (*lint, m.range())))
            .collect();
        for rule in RULES.iter().chain(&extra) {
            for (occurrence, m) in rule.pattern.find_iter(text).enumerate() {
                if rule.lint == LintId::Blame && NOBODY.is_match(m.as_str()) {
                    continue;
                }
                let finding = Finding {
                    lint: rule.lint,
                    level: rule.level,
                    path: path.clone(),
                    needle: Some(rule.pattern.clone()),
                    occurrence,
                    message: format!("\"{}\": {}", m.as_str(), rule.advice),
                };
                let inside_allowed = allowed_spans.iter().any(|(lint, span)| {
                    *lint == rule.lint && span.start <= m.start() && m.end() <= span.end
                });
                if inside_allowed {
                    allowed.push(finding);
                } else {
                    findings.push(finding);
                }
            }
        }
    }
    if let Some(a) = &postmortem.accountability {
        let statement = a.statement.trim();
        if !statement.is_empty() && !IMPACT.is_match(statement) {
            findings.push(Finding::error(
                LintId::HollowApology,
                key_path!["accountability", "statement"],
                "the accountability statement does not name the impact: say who was affected, how and for how long, e.g. \"it broke checkout for every customer for 42 minutes\"",
            ));
        }
    }
    (findings, allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases(text: &str) -> Vec<(LintId, String)> {
        RULES
            .iter()
            .flat_map(|r| {
                r.pattern
                    .find_iter(text)
                    .filter(|m| !(r.lint == LintId::Blame && NOBODY.is_match(m.as_str())))
                    .map(|m| (r.lint, m.as_str().to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn catches_hollow_apologies_in_any_case() {
        assert_eq!(
            phrases("We are SORRY FOR ANY INCONVENIENCE."),
            [(LintId::HollowApology, "SORRY FOR ANY INCONVENIENCE".into())]
        );
        assert_eq!(phrases("Mistakes were made.")[0].0, LintId::HollowApology);
        assert_eq!(
            phrases("We apologize for any trouble")[0].0,
            LintId::HollowApology
        );
        assert_eq!(
            phrases("We apologise for any trouble")[0].0,
            LintId::HollowApology
        );
    }

    #[test]
    fn catches_blame_with_word_boundaries() {
        assert_eq!(
            phrases("It was Bob's fault."),
            [(LintId::Blame, "Bob's fault".into())]
        );
        assert_eq!(
            phrases("It was Bob’s fault."),
            [(LintId::Blame, "Bob’s fault".into())]
        );
        assert_eq!(phrases("a careless change").len(), 1);
        assert_eq!(phrases("carelessness").len(), 1);
        assert_eq!(phrases("Human error").len(), 1);
        assert_eq!(phrases("they should have known").len(), 1);
        assert_eq!(phrases("an incompetent deploy").len(), 1);
    }

    #[test]
    fn leaves_innocent_text_alone() {
        assert!(phrases("It was nobody's fault; the system allowed it.").is_empty());
        assert!(phrases("the fault tolerance layer").is_empty());
        assert!(phrases("careful review").is_empty());
        assert!(phrases("humane errorless").is_empty());
        assert!(phrases("we apologize to the 1,900 customers").is_empty());
        assert!(phrases("a fault-injection test").is_empty());
    }

    #[test]
    fn accountability_must_name_impact() {
        let statement = |s: &str| IMPACT.is_match(s);
        assert!(statement("It broke checkout for 42 minutes."));
        assert!(statement("Customers could not pay."));
        assert!(!statement(
            "We take this very seriously and will do better."
        ));
    }
}
