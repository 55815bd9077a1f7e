//! Lints on the postmortem workflow: cool-off before review, sign-off
//! before final, completeness, safeguards and their owners, each as the
//! policy of the postmortem's severity asks (`[policy.<severity>]` in
//! `.postmortem.toml`, else the top-level settings).

use chrono::Duration;

use crate::clock::Clock;
use crate::config::{Config, Policy, Section};
use crate::diagnostic::{Finding, LintId};
use crate::key_path;
use crate::model::{Postmortem, SafeguardStatus, Status};

pub(crate) fn check(postmortem: &Postmortem, config: &Config, clock: &Clock) -> Vec<Finding> {
    let mut findings = Vec::new();
    let status = postmortem.status;
    let policy = config.policy_for(&postmortem.severity);
    if status != Status::Draft {
        if let Some(left) = cool_off_left(postmortem, config, clock) {
            findings.push(Finding::error(
                LintId::CoolOff,
                key_path!["status"],
                format!(
                    "status `{}` is not allowed yet: the cool-off period of {} after the incident ends in {}; keep it `draft` until then",
                    status.as_str(),
                    human_duration(policy.cool_off),
                    format_left(left)
                ),
            ));
        }
        let sections = match status {
            Status::Final => &policy.sections_for_final,
            _ => &policy.sections_for_review,
        };
        let no_safeguard_reported = status == Status::Final
            && policy.require_safeguards
            && postmortem.safeguards.is_empty();
        findings.extend(
            incomplete(postmortem, sections)
                .into_iter()
                .filter(|(section, _)| !(no_safeguard_reported && *section == Section::Safeguards))
                .map(|(_, finding)| finding),
        );
    }
    if status == Status::Final {
        let missing = missing_sign_off(postmortem);
        let wanted = usize::try_from(policy.reviewers).unwrap_or(usize::MAX);
        if postmortem.reviewers.is_empty() && wanted > 0 {
            findings.push(Finding::error(
                LintId::SignOff,
                key_path!["status"],
                format!(
                    "a `final` postmortem needs {} who approved it; list them and add them to `approved_by` as they sign off",
                    reviewers_wanted(policy, &postmortem.severity)
                ),
            ));
        } else if postmortem.reviewers.len() < wanted {
            findings.push(Finding::error(
                LintId::SignOff,
                key_path!["reviewers"],
                format!(
                    "a `final` postmortem needs {}; it lists {}",
                    reviewers_wanted(policy, &postmortem.severity),
                    postmortem.reviewers.len()
                ),
            ));
        }
        if !missing.is_empty() {
            findings.push(Finding::error(
                LintId::SignOff,
                key_path!["approved_by"],
                format!(
                    "`final` needs every reviewer's sign-off; not yet in `approved_by`: {}",
                    missing.join(", ")
                ),
            ));
        }
        if policy.require_safeguards && postmortem.safeguards.is_empty() {
            findings.push(Finding::error(
                LintId::NoSafeguard,
                key_path!["status"],
                "a `final` postmortem commits to at least one safeguard; add one with `git postmortem safeguard add`",
            ));
        }
    }
    for (i, s) in postmortem.safeguards.iter().enumerate() {
        if s.status == SafeguardStatus::Dropped {
            continue;
        }
        let no_owner = s.owner.as_deref().is_none_or(|o| o.trim().is_empty());
        let what = match (no_owner, s.due.is_none()) {
            (true, true) => "no owner and no due date",
            (true, false) => "no owner",
            (false, true) => "no due date",
            (false, false) => continue,
        };
        findings.push(Finding::error(
            LintId::SafeguardOwner,
            key_path!["safeguards", i],
            format!(
                "safeguard {} has {what}: a promise nobody owns by a date does not ship",
                s.id
            ),
        ));
    }
    findings
}

/// "`reviewers`", or "at least 2 `reviewers` (the policy for sev1)".
fn reviewers_wanted(policy: &Policy, severity: &str) -> String {
    match policy.reviewers {
        0 | 1 => "`reviewers`".into(),
        n => format!("at least {n} `reviewers` (the policy for {severity})"),
    }
}

/// Reviewers not yet in `approved_by`, in the order they are listed.
pub(crate) fn missing_sign_off(postmortem: &Postmortem) -> Vec<String> {
    postmortem
        .reviewers
        .iter()
        .filter(|r| !postmortem.approved_by.contains(r))
        .cloned()
        .collect()
}

/// Time left before the cool-off period ends, if it has not.
pub(crate) fn cool_off_left(
    postmortem: &Postmortem,
    config: &Config,
    clock: &Clock,
) -> Option<Duration> {
    let policy = config.policy_for(&postmortem.severity);
    let cool_off = Duration::from_std(policy.cool_off).unwrap_or(Duration::MAX);
    let ends = postmortem.occurred_at.0.checked_add_signed(cool_off)?;
    let left = ends.signed_duration_since(clock.now());
    (left > Duration::zero()).then_some(left)
}

/// "24h", "3d", "90m": a configured duration in its largest whole unit.
pub(crate) fn human_duration(d: std::time::Duration) -> String {
    let secs = d.as_secs();
    match secs {
        0 => "0m".into(),
        s if s % 86_400 == 0 && s >= 2 * 86_400 => format!("{}d", s / 86_400),
        s if s % 3600 == 0 => format!("{}h", s / 3600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// "5h 12m": hours and minutes, rounded up to the minute.
pub(crate) fn format_left(left: Duration) -> String {
    let minutes = (left.num_seconds() + 59) / 60;
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{minutes}m"),
        (0, _) => format!("{hours}h {minutes}m"),
        _ => format!("{days}d {hours}h {minutes}m"),
    }
}

/// A finding for each of `sections` the postmortem lacks.
fn incomplete(postmortem: &Postmortem, sections: &[Section]) -> Vec<(Section, Finding)> {
    let blank = |s: Option<&str>| s.is_none_or(|s| s.trim().is_empty());
    let status = postmortem.status.as_str();
    sections
        .iter()
        .filter_map(|section| {
            let (missing, what) = match section {
                Section::Summary => (blank(postmortem.summary.as_deref()), "a `summary`"),
                Section::Impact => (
                    blank(
                        postmortem
                            .impact
                            .as_ref()
                            .and_then(|i| i.description.as_deref()),
                    ),
                    "an `[impact]` description",
                ),
                Section::Trigger => (
                    postmortem
                        .trigger
                        .as_ref()
                        .is_none_or(|t| t.commits.is_empty() && t.ranges.is_empty()),
                    "a `[trigger]` commit or range",
                ),
                Section::Timeline => (postmortem.timeline.is_empty(), "a `[[timeline]]` entry"),
                Section::Factors => (postmortem.factors.is_empty(), "a `[[factors]]` entry"),
                Section::Accountability => (
                    blank(
                        postmortem
                            .accountability
                            .as_ref()
                            .map(|a| a.statement.as_str()),
                    ),
                    "an `[accountability]` statement",
                ),
                Section::Requirements => (
                    postmortem.requirements.is_empty(),
                    "a `[[requirements]]` entry",
                ),
                Section::Actions => (postmortem.actions.is_empty(), "an `[[actions]]` entry"),
                Section::Safeguards => {
                    (postmortem.safeguards.is_empty(), "a `[[safeguards]]` entry")
                }
            };
            missing.then(|| {
                (
                    *section,
                    Finding::error(
                        LintId::Incomplete,
                        key_path!["status"],
                        format!("a postmortem in `{status}` needs {what}"),
                    ),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::format_left;
    use chrono::Duration;

    #[test]
    fn time_left_reads_like_a_person_wrote_it() {
        assert_eq!(format_left(Duration::minutes(312)), "5h 12m");
        assert_eq!(format_left(Duration::seconds(30)), "1m");
        assert_eq!(format_left(Duration::hours(49)), "2d 1h 0m");
    }
}
