//! JUnit XML, as CI test reporters read it (GitLab's `artifacts:reports:junit`,
//! Jenkins' JUnit plugin, GitHub test-report actions): one `<testsuites>`
//! holding one `<testsuite>` of [`Case`]s.
//!
//! ```xml
//! <testsuites name="git-postmortem" tests="3" failures="1" errors="0" skipped="1">
//!   <testsuite name="git-postmortem check" tests="3" failures="1" errors="0" skipped="1">
//!     <testcase classname="safeguards" name="2026-11-20-checkout-500s/S2: Alert on 5xx">
//!       <failure message="…" type="overdue">…</failure>
//!     </testcase>
//! ```
//!
//! A case fails at most once: readers keep only the first `<failure>` of a
//! test case, so every error of a case goes into that one's text. Text and
//! attribute values are escaped by `quick-xml`; characters XML 1.0 cannot
//! hold at all (most control characters) become U+FFFD first, so text from a
//! repository cannot break the document.

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::error::{Error, Result};

/// One test case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Case {
    /// The group readers show it under: `postmortems` or `safeguards`.
    pub(crate) classname: &'static str,
    pub(crate) name: String,
    pub(crate) verdict: Verdict,
    /// Shown beside the case (warnings, which do not fail it).
    pub(crate) system_out: Option<String>,
}

/// How a case ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    Passed,
    Failed {
        /// One line, for the reader's list.
        message: String,
        /// What failed: a lint id.
        kind: &'static str,
        /// Everything there is to say, one finding a line.
        text: String,
    },
    Skipped {
        message: String,
    },
}

/// The document for `cases`, in one suite named `suite`, with the XML
/// declaration and a final newline.
pub(crate) fn document(suite: &str, cases: &[Case]) -> Result<String> {
    write(suite, cases).map_err(|e| Error::io("the JUnit report", e))
}

fn write(suite: &str, cases: &[Case]) -> std::io::Result<String> {
    let failures = cases
        .iter()
        .filter(|c| matches!(c.verdict, Verdict::Failed { .. }))
        .count()
        .to_string();
    let skipped = cases
        .iter()
        .filter(|c| matches!(c.verdict, Verdict::Skipped { .. }))
        .count()
        .to_string();
    let tests = cases.len().to_string();
    let counts = [
        ("tests", tests.as_str()),
        ("failures", failures.as_str()),
        ("errors", "0"),
        ("skipped", skipped.as_str()),
    ];
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer
        .create_element("testsuites")
        .with_attribute(("name", env!("CARGO_PKG_NAME")))
        .with_attributes(counts)
        .write_inner_content(|w| {
            w.create_element("testsuite")
                .with_attribute(("name", suite))
                .with_attributes(counts)
                .write_inner_content(|w| cases.iter().try_for_each(|case| write_case(w, case)))?;
            Ok(())
        })?;
    let mut bytes = writer.into_inner();
    bytes.push(b'\n');
    String::from_utf8(bytes).map_err(std::io::Error::other)
}

fn write_case(w: &mut Writer<Vec<u8>>, case: &Case) -> std::io::Result<()> {
    let name = xml_chars(&case.name);
    let element = w
        .create_element("testcase")
        .with_attribute(("classname", case.classname))
        .with_attribute(("name", name.as_str()));
    if case.verdict == Verdict::Passed && case.system_out.is_none() {
        element.write_empty()?;
        return Ok(());
    }
    element.write_inner_content(|w| {
        match &case.verdict {
            Verdict::Passed => {}
            Verdict::Failed {
                message,
                kind,
                text,
            } => {
                w.create_element("failure")
                    .with_attribute(("message", xml_chars(message).as_str()))
                    .with_attribute(("type", *kind))
                    .write_text_content(BytesText::new(&xml_chars(text)))?;
            }
            Verdict::Skipped { message } => {
                w.create_element("skipped")
                    .with_attribute(("message", xml_chars(message).as_str()))
                    .write_empty()?;
            }
        }
        if let Some(out) = &case.system_out {
            w.create_element("system-out")
                .write_text_content(BytesText::new(&xml_chars(out)))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// `s` with every character XML 1.0 cannot hold, escaped or not (control
/// characters but tab, line feed and carriage return; U+FFFE, U+FFFF),
/// replaced by U+FFFD.
pub(crate) fn xml_chars(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(name: &str, verdict: Verdict) -> Case {
        Case {
            classname: "safeguards",
            name: name.into(),
            verdict,
            system_out: None,
        }
    }

    #[test]
    fn counts_and_escapes() {
        let cases = [
            case("a/S1: <b> & \"c\"", Verdict::Passed),
            case(
                "a/S2: late",
                Verdict::Failed {
                    message: "due <then>".into(),
                    kind: "overdue",
                    text: "x & y\u{1}".into(),
                },
            ),
            case(
                "a/S3: dropped",
                Verdict::Skipped {
                    message: "dropped".into(),
                },
            ),
        ];
        let xml = document("suite", &cases).expect("writes");
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"git-postmortem\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\">"), "{xml}");
        assert!(
            xml.contains("name=\"a/S1: &lt;b&gt; &amp; &quot;c&quot;\"/>"),
            "{xml}"
        );
        assert!(xml.contains("<failure message=\"due &lt;then&gt;\" type=\"overdue\">x &amp; y\u{fffd}</failure>"), "{xml}");
        assert!(xml.contains("<skipped message=\"dropped\"/>"), "{xml}");
        assert!(xml.ends_with("</testsuites>\n"), "{xml}");
    }
}
