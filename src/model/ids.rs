//! Identifiers: postmortem ids (`YYYY-MM-DD-slug`), the per-file ids of
//! actions (`A<n>`) and safeguards (`S<n>`), GitHub repository slugs, and
//! how text is written inside a TOML basic string.

/// `YYYY-MM-DD-slug` with a real date (no `2026-13-45`) and slug
/// `[a-z0-9-]+`.
pub(crate) fn is_postmortem_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    if bytes.len() < 12 {
        return false;
    }
    let date_ok = bytes[..10].iter().enumerate().all(|(i, b)| match i {
        4 | 7 => *b == b'-',
        _ => b.is_ascii_digit(),
    });
    date_ok
        && chrono::NaiveDate::parse_from_str(&id[..10], "%Y-%m-%d").is_ok()
        && bytes[10] == b'-'
        && bytes[11..]
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

/// Lower-case ASCII slug of a title: letters and digits kept, everything
/// else folded into single dashes, at most 60 characters, cut at a dash.
pub(crate) fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let mut slug = slug.trim_end_matches('-').to_string();
    if slug.len() > 60 {
        let cut = slug[..60].rfind('-').unwrap_or(60);
        slug.truncate(cut);
    }
    if slug.is_empty() {
        slug.push_str("incident");
    }
    slug
}

/// The common Latin accents, so "Café outage" becomes `cafe-outage`
/// rather than `caf-outage`.
fn fold_accent(c: char) -> impl Iterator<Item = char> {
    let folded: &str = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ß' => "ss",
        _ => "",
    };
    let mut buf = [0u8; 4];
    let own = if folded.is_empty() {
        c.encode_utf8(&mut buf).to_string()
    } else {
        folded.to_string()
    };
    own.chars().collect::<Vec<_>>().into_iter()
}

/// An action or safeguard id: a prefix letter and a positive number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ItemId {
    pub(crate) prefix: char,
    pub(crate) number: u32,
}

impl ItemId {
    pub(crate) fn parse(id: &str, prefix: char) -> Option<ItemId> {
        let rest = id.strip_prefix(prefix)?;
        if rest.is_empty() || rest.starts_with('0') || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        rest.parse().ok().map(|number| ItemId { prefix, number })
    }
}

/// The next free id: one more than the highest number in use.
pub(crate) fn next_item_id<'a>(
    existing: impl IntoIterator<Item = &'a str>,
    prefix: char,
) -> String {
    let max = existing
        .into_iter()
        .filter_map(|id| ItemId::parse(id, prefix))
        .map(|id| id.number)
        .max()
        .unwrap_or(0);
    format!("{prefix}{}", max + 1)
}

/// Escape for the inside of a TOML basic string (`"..."`).
pub(crate) fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// `owner/name` as GitHub allows them (see [`repo_slug_problem`]).
pub(crate) fn is_repo_slug(s: &str) -> bool {
    repo_slug_problem(s).is_none()
}

/// What keeps `s` from being a GitHub `owner/name`, by GitHub's rules: the
/// owner is a login, 1 to 39 ASCII letters, digits and hyphens, not
/// starting with a hyphen (underscores too, as in Enterprise Managed
/// Users' `name_shortcode`); the name is 1 to 100 ASCII letters, digits,
/// `.`, `-` and `_`, and neither `.` nor `..`. None when it is one.
pub(crate) fn repo_slug_problem(s: &str) -> Option<&'static str> {
    let Some((owner, name)) = s.split_once('/') else {
        return Some("it is not `owner/name`");
    };
    if name.contains('/') {
        return Some("it has more than one `/`");
    }
    let owner_ok = owner.len() <= 39
        && owner
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && owner
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
    if !owner_ok {
        return Some(
            "the owner must be 1 to 39 letters, digits or hyphens, starting with a letter or digit",
        );
    }
    let name_ok = !name.is_empty()
        && name.len() <= 100
        && name != "."
        && name != ".."
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if !name_ok {
        return Some(
            "the name must be 1 to 100 letters, digits, `.`, `-` or `_`, and not `.` or `..`",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postmortem_ids() {
        assert!(is_postmortem_id("2026-11-24-checkout-500s"));
        assert!(!is_postmortem_id("2026-11-24-"));
        assert!(!is_postmortem_id("2026-11-24-Checkout"));
        assert!(!is_postmortem_id("26-11-24-checkout"));
        assert!(!is_postmortem_id("2026-13-45-checkout"));
        assert!(!is_postmortem_id("2026-02-29-checkout"));
        assert!(is_postmortem_id("2028-02-29-checkout"));
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Checkout returned HTTP 500 for 42 minutes"),
            "checkout-returned-http-500-for-42-minutes"
        );
        assert_eq!(slugify("  Café: DNS -- outage!! "), "cafe-dns-outage");
        assert_eq!(slugify("!!!"), "incident");
        assert!(slugify(&"word ".repeat(40)).len() <= 60);
    }

    #[test]
    fn repo_slugs_follow_githubs_rules() {
        for good in [
            "acme/shop",
            "Acme-Corp/shop.v2",
            "octocat_acme/.github",
            "a/b",
            &format!("{}/{}", "o".repeat(39), "n".repeat(100)),
        ] {
            assert!(is_repo_slug(good), "{good}");
        }
        for bad in [
            "../..",
            "acme/..",
            "acme/.",
            "./shop",
            "-acme/shop",
            "acme",
            "acme/shop/x",
            "acme/ shop",
            "/shop",
            "acme/",
            "ac.me/shop",
            "acme/sh%2fop",
            "acme/caf\u{e9}",
            &format!("{}/shop", "o".repeat(40)),
            &format!("acme/{}", "n".repeat(101)),
        ] {
            assert!(!is_repo_slug(bad), "{bad}");
        }
    }

    #[test]
    fn item_ids() {
        assert_eq!(next_item_id(["S1", "S3", "A9", "S02"], 'S'), "S4");
        assert_eq!(next_item_id([], 'A'), "A1");
        assert_eq!(ItemId::parse("S0", 'S'), None);
        assert_eq!(ItemId::parse("S12", 'S').map(|i| i.number), Some(12));
    }
}
