//! Postmortem texts used across tests. `{TRIGGER}` is replaced by a real
//! commit oid where a test needs one.

pub const CHECKOUT_ID: &str = "2026-11-20-checkout-500s";

/// A complete, final postmortem that passes every lint, with comments and
/// layout a user would have written by hand.
pub const CHECKOUT: &str = r#"# Written the day after; reviewed in PR #41.
schema = 1
title = "Checkout returned HTTP 500 for 42 minutes"
status = "final"          # reviewed and approved
severity = "sev2"
occurred_at = 2026-11-20T14:02:00Z
detected_at = 2026-11-20T14:09:00Z
resolved_at = 2026-11-20T14:44:00Z
authors = ["dana"]
reviewers = ["sre-lead", "support-lead"]
approved_by = ["sre-lead", "support-lead"]
summary = """
A config change moved the pool size to a new variable; checkout used the
default pool of 1 and returned HTTP 500 under load."""

[impact]
description = "Customers could not pay; about 1,900 orders failed."
users_affected = 1900
revenue_lost = "≈ €38k"

[trigger]
commits = ["{TRIGGER}"]
note = "Connection pool size read from the wrong env var."

[[timeline]]
at = 2026-11-20T14:02:00Z
event = "Deploy of v1.4.2 starts"

[[timeline]]
at = 2026-11-20T14:09:00Z
event = "Error-rate alert fires | paged on-call"

[[factors]]
kind = "ill-informed"
note = "Nobody knew the pool size had moved to a new variable."

[accountability]
statement = "We shipped a config change without a staging soak; it broke checkout for every customer for 42 minutes."

[[requirements]]
from = "support"
text = "Status page updated within 10 minutes of detection."

[[actions]]
id = "A1"
title = "Refund failed orders"
owner = "dana"
due = 2026-11-28
status = "open"
updates = [{ at = 2026-11-25, note = "Refunds 60% done" }]

[[safeguards]]
id = "S1"
title = "Fail deploy when a required env var is missing"
kind = "automation"
owner = "dana"
due = 2026-12-15
issue = 123

# Second line of defence.
[[safeguards]]
id = "S2"
title = "Alert on checkout 5xx above 1%"
kind = "alert"
owner = "sre-lead"
due = 2026-12-01
"#;

/// The smallest file that parses: the required keys only.
pub fn minimal(title: &str, status: &str, occurred_at: &str) -> String {
    format!(
        "schema = 1\ntitle = \"{title}\"\nstatus = \"{status}\"\nseverity = \"sev3\"\noccurred_at = {occurred_at}\n"
    )
}

/// A `[[safeguards]]` table due 2026-12-01, to append to [`minimal`].
pub fn safeguard(id: &str, title: &str, owner: &str) -> String {
    format!("\n[[safeguards]]\nid = \"{id}\"\ntitle = \"{title}\"\nowner = \"{owner}\"\ndue = 2026-12-01\n")
}
