//! [`WorkflowCommand`]: one GitHub Actions workflow command (`::error file=...::message`), with
//! the escaping the runner requires.
//!
//! The runner splits a command at `::` and its properties at `,` and `=`, and ends it at a line
//! break; the escapes below are the ones it undoes (the runner's `ActionCommand` escape
//! mappings, used by `@actions/core`'s `toCommandValue`/`escapeProperty`).

use std::fmt;

/// The kind of a workflow command that annotates a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Notice,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Notice => "notice",
        }
    }
}

/// Where in the repository an annotation points: a path and a 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// One annotation command, written as a single line by its [`fmt::Display`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkflowCommand {
    pub level: Level,
    /// `None` for a problem about a whole path, which GitHub shows on the run, not on a line.
    pub position: Option<Position>,
    pub title: String,
    pub message: String,
}

impl fmt::Display for WorkflowCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "::{} ", self.level.as_str())?;
        if let Some(position) = &self.position {
            write!(
                f,
                "file={},line={},col={},",
                escape_property(&position.file),
                position.line,
                position.column
            )?;
        }
        write!(
            f,
            "title={}::{}",
            escape_property(&self.title),
            escape_data(&self.message)
        )
    }
}

/// Escapes a command's message: `%`, carriage return and line feed.
#[must_use]
pub fn escape_data(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Escapes a property value: as [`escape_data`], and also `:` and `,`, which would otherwise
/// end the property list or the property.
#[must_use]
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_first_and_line_breaks() {
        assert_eq!(escape_data("100%"), "100%25");
        // `%0A` typed by a user must not come back as a line break.
        assert_eq!(escape_data("a%0Ab"), "a%250Ab");
        assert_eq!(escape_data("one\r\ntwo\nthree"), "one%0D%0Atwo%0Athree");
        assert_eq!(escape_data("a: b, c"), "a: b, c");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(
            escape_property("territory::unknown-parent"),
            "territory%3A%3Aunknown-parent"
        );
        assert_eq!(escape_property("a,b%\n"), "a%2Cb%25%0A");
    }

    #[test]
    fn an_annotation_is_one_line() {
        let command = WorkflowCommand {
            level: Level::Error,
            position: Some(Position {
                file: "territories/eu,west.yaml".to_owned(),
                line: 8,
                column: 13,
            }),
            title: "territory::unknown-parent".to_owned(),
            message: "unknown parent `Sout`\nhelp: did you mean `South`?".to_owned(),
        };
        assert_eq!(
            command.to_string(),
            "::error file=territories/eu%2Cwest.yaml,line=8,col=13,title=territory%3A%3Aunknown-parent\
             ::unknown parent `Sout`%0Ahelp: did you mean `South`?"
        );
    }

    #[test]
    fn an_annotation_without_a_position_has_only_a_title() {
        let command = WorkflowCommand {
            level: Level::Warning,
            position: None,
            title: "file::empty".to_owned(),
            message: "`a.yaml` is empty".to_owned(),
        };
        assert_eq!(
            command.to_string(),
            "::warning title=file%3A%3Aempty::`a.yaml` is empty"
        );
    }
}
