//! GitHub Actions workflow commands: `::error file=…,line=…,col=…::message`
//! annotations, escaped as the runner requires so that a message cannot end
//! early or inject a second command.

use crate::diagnostic::{Diagnostic, Level};

/// One annotation for a finding: `::error` or `::warning`, pointing at its
/// file, line and column, the lint id in brackets before the message.
pub fn annotation(finding: &Diagnostic) -> String {
    let command = match finding.level {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    format!(
        "::{command} file={},line={},col={}::{}",
        property(&finding.path),
        finding.line,
        finding.column,
        data(&format!("[{}] {}", finding.lint, finding.message))
    )
}

/// The message part: `%`, `\r` and `\n` escaped.
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as [`data`], and `:` and `,` too.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_properties_are_escaped() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a,b:c%"), "a%2Cb%3Ac%25");
    }

    #[test]
    fn annotations_name_file_line_and_column() {
        let finding = Diagnostic {
            level: Level::Warning,
            lint: "blame",
            path: "postmortems/x,y.toml".into(),
            line: 3,
            column: 9,
            message: "careless\n::error::injected".into(),
        };
        assert_eq!(
            annotation(&finding),
            "::warning file=postmortems/x%2Cy.toml,line=3,col=9::[blame] careless%0A::error::injected"
        );
    }
}
