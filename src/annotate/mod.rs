//! GitHub Actions annotations: each diagnostic also written as a workflow command
//! (`::error file=PATH,line=L,col=C,title=CODE::MESSAGE`), which GitHub shows on the line of
//! the pull request's diff. `app` writes these to stdout when `GITHUB_ACTIONS=true`, beside
//! the usual report on stderr.
//!
//! Works from any [`miette::Diagnostic`], so that it needs nothing of the config layer beyond
//! what the report renderer already sees: the code, message, help, labels and source.

mod command;

use std::io::{self, Write};
use std::path::Path;

use miette::{Diagnostic, Severity, SourceSpan};

pub use command::{Level, Position, WorkflowCommand, escape_data, escape_property};

/// Whether annotations are wanted: GitHub sets `GITHUB_ACTIONS=true` in every workflow step.
#[must_use]
pub fn enabled(github_actions: Option<&str>) -> bool {
    github_actions == Some("true")
}

/// Writes one workflow command per diagnostic, and one notice per related site (the other
/// file of a duplicate), each on its own line.
///
/// `workspace` is the checkout's root (`GITHUB_WORKSPACE`): absolute paths under it are made
/// relative, as GitHub matches annotations to files by their path in the repository.
///
/// # Errors
/// When `out` cannot be written.
pub fn write<'a>(
    diagnostics: impl IntoIterator<Item = &'a (dyn Diagnostic + 'a)>,
    workspace: Option<&Path>,
    out: &mut dyn Write,
) -> io::Result<()> {
    for diagnostic in diagnostics {
        for command in commands(diagnostic, workspace) {
            writeln!(out, "{command}")?;
        }
    }
    Ok(())
}

/// The commands for one diagnostic: itself, then its related sites.
#[must_use]
pub fn commands(diagnostic: &dyn Diagnostic, workspace: Option<&Path>) -> Vec<WorkflowCommand> {
    let mut all = vec![command(diagnostic, workspace)];
    if let Some(related) = diagnostic.related() {
        all.extend(related.flat_map(|related| commands(related, workspace)));
    }
    all
}

fn command(diagnostic: &dyn Diagnostic, workspace: Option<&Path>) -> WorkflowCommand {
    let level = match diagnostic.severity().unwrap_or(Severity::Error) {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Advice => Level::Notice,
    };
    let title = diagnostic
        .code()
        .map_or_else(|| "territoryctl".to_owned(), |code| code.to_string());
    let mut message = diagnostic.to_string();
    if let Some(help) = diagnostic.help() {
        message.push_str(&format!("\nhelp: {help}"));
    }
    WorkflowCommand {
        level,
        position: position(diagnostic, workspace),
        title,
        message,
    }
}

/// The file and 1-based line and column (in characters) of the diagnostic's primary label,
/// or of its first label when none is primary.
fn position(diagnostic: &dyn Diagnostic, workspace: Option<&Path>) -> Option<Position> {
    let source = diagnostic.source_code()?;
    let label = {
        let labels: Vec<_> = diagnostic.labels()?.collect();
        labels
            .iter()
            .find(|label| label.primary())
            .or_else(|| labels.first())
            .cloned()?
    };
    let at = source
        .read_span(&SourceSpan::new(label.offset().into(), 0), 0, 0)
        .ok()?;
    let file = relative(at.name()?, workspace);
    // miette counts the column in bytes; editors and GitHub count characters.
    let byte_column = at.column();
    let column = if byte_column == 0 {
        0
    } else {
        let line_start = label.offset() - byte_column;
        let start = source
            .read_span(&SourceSpan::new(line_start.into(), byte_column), 0, 0)
            .ok()?;
        let before = start.data().get(..byte_column)?;
        String::from_utf8_lossy(before).chars().count()
    };
    Some(Position {
        file,
        line: at.line() + 1,
        column: column + 1,
    })
}

fn relative(file: &str, workspace: Option<&Path>) -> String {
    workspace
        .and_then(|workspace| Path::new(file).strip_prefix(workspace).ok())
        .map_or_else(|| file.to_owned(), |path| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use miette::NamedSource;

    use super::*;

    #[derive(Debug, Diagnostic, thiserror::Error)]
    #[error("unknown parent `Sout`")]
    #[diagnostic(
        code(territory::unknown_parent),
        severity(Warning),
        help("did you mean `South`?")
    )]
    struct Example {
        #[source_code]
        text: NamedSource<&'static str>,
        #[label("no territory has this name")]
        at: SourceSpan,
    }

    fn example(file: &str, text: &'static str, needle: &str) -> Example {
        let offset = text.find(needle).expect("needle in text");
        Example {
            text: NamedSource::new(file, text),
            at: SourceSpan::new(offset.into(), needle.len()),
        }
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let diagnostic = example(
            "t.yaml",
            "root: Zürich\nterritories:\n  - { name: Genève, parent: Sout }\n",
            "Sout",
        );
        let position = position(&diagnostic, None).expect("a position");
        assert_eq!(
            position,
            Position {
                file: "t.yaml".to_owned(),
                line: 3,
                // 28 characters precede `Sout` (30 bytes: `è` takes two).
                column: 29,
            }
        );
    }

    #[test]
    fn a_label_at_the_start_of_the_file_is_line_1_column_1() {
        let diagnostic = example("t.yaml", "versio: 1\n", "versio");
        let position = position(&diagnostic, None).expect("a position");
        assert_eq!((position.line, position.column), (1, 1));
    }

    #[test]
    fn paths_under_the_workspace_become_relative() {
        let diagnostic = example("/home/runner/work/org/territories/a.yaml", "x: 1\n", "1");
        let commands = commands(&diagnostic, Some(Path::new("/home/runner/work/org")));
        assert_eq!(
            commands[0].to_string(),
            "::warning file=territories/a.yaml,line=1,col=4,title=territory%3A%3Aunknown_parent\
             ::unknown parent `Sout`%0Ahelp: did you mean `South`?"
        );
    }

    #[test]
    fn only_true_enables_annotations() {
        assert!(enabled(Some("true")));
        assert!(!enabled(Some("false")));
        assert!(!enabled(Some("")));
        assert!(!enabled(None));
    }
}
