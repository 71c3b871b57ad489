//! [`Problem`]: one diagnostic about the desired-state files, rendered by miette.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, Severity};

use super::code::Code;
use super::file::SourceFile;
use super::span::Span;

/// One error or warning found in the desired-state files: a stable [`Code`], a message, the
/// file with labelled spans, and a help line.
#[derive(Clone, Debug)]
pub struct Problem {
    code: Code,
    severity: Severity,
    message: String,
    file: Option<SourceFile>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
    /// The same problem's other sites in other files (a duplicate across files).
    related: Vec<Problem>,
}

impl Problem {
    /// An error in `file`, without labels yet.
    pub(crate) fn error(code: Code, file: &SourceFile, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: Severity::Error,
            message: visible(message.into()),
            file: Some(file.clone()),
            labels: Vec::new(),
            help: None,
            related: Vec::new(),
        }
    }

    /// A warning in `file`: reported, but it does not fail validation.
    pub(crate) fn warning(code: Code, file: &SourceFile, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, file, message)
        }
    }

    /// An error about a path that is not (or not yet) readable source: one line, no snippet.
    pub(crate) fn about_path(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: Severity::Error,
            message: visible(message.into()),
            file: None,
            labels: Vec::new(),
            help: None,
            related: Vec::new(),
        }
    }

    /// Adds the primary label.
    #[must_use]
    pub(crate) fn primary(mut self, span: Span, label: impl Into<String>) -> Self {
        self.labels.push(LabeledSpan::new_primary_with_span(
            Some(visible(label.into())),
            span,
        ));
        self
    }

    /// Adds a secondary label in the same file.
    #[must_use]
    pub(crate) fn secondary(mut self, span: Span, label: impl Into<String>) -> Self {
        self.labels.push(LabeledSpan::new_with_span(
            Some(visible(label.into())),
            span,
        ));
        self
    }

    /// Adds a label at the same file position as `span` when in `file`, or a related note in
    /// the other file otherwise, so that a problem spanning two files names both places.
    #[must_use]
    pub(crate) fn also_at(
        mut self,
        file: &SourceFile,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        let label = visible(label.into());
        if self.file.as_ref().is_some_and(|own| own.same_file(file)) {
            return self.secondary(span, label);
        }
        let note = Self {
            code: self.code,
            severity: Severity::Advice,
            message: format!("{label} in `{}`", file.display()),
            file: Some(file.clone()),
            labels: vec![LabeledSpan::new_with_span(Some(label), span)],
            help: None,
            related: Vec::new(),
        };
        self.related.push(note);
        self
    }

    #[must_use]
    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(visible(help.into()));
        self
    }

    #[must_use]
    pub(crate) fn maybe_help(self, help: Option<String>) -> Self {
        match help {
            Some(help) => self.help(help),
            None => self,
        }
    }

    /// Where the problem is, for listing problems in file order: problems about a whole path
    /// first, then by file and position.
    pub(crate) fn position(&self) -> (Option<&std::path::Path>, usize) {
        let offset = self
            .labels
            .iter()
            .find(|label| label.primary())
            .or_else(|| self.labels.first())
            .map_or(0, LabeledSpan::offset);
        (self.file.as_ref().map(|file| &**file.path()), offset)
    }

    /// The stable code.
    #[must_use]
    pub fn code(&self) -> Code {
        self.code
    }

    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Messages, labels and help quote names from the files: hidden characters (a line break, ESC,
/// a bidi override) are shown escaped, never raw.
fn visible(text: String) -> String {
    match crate::escape::terminal(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(escaped) => escaped,
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        if self.labels.is_empty() {
            return None;
        }
        self.file.as_ref().map(SourceFile::source_code)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() || self.file.is_none() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related
                .iter()
                .map(|problem| problem as &dyn Diagnostic),
        ))
    }
}
