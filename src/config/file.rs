//! [`SourceFile`]: one desired-state file's path and text, as every diagnostic points into it.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use miette::NamedSource;

/// One desired-state file's path and text, shared (cheaply cloned) by every diagnostic that
/// points into it.
#[derive(Clone)]
pub(crate) struct SourceFile(Arc<Contents>);

struct Contents {
    path: Arc<Path>,
    /// The text as read, for parsing.
    text: Arc<str>,
    /// The text for miette's snippets: hidden characters replaced by visible ones of the same
    /// length, so that a bidi override or ESC in the file never reaches the terminal raw.
    source: NamedSource<Arc<str>>,
}

impl fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SourceFile").field(&self.0.path).finish()
    }
}

impl SourceFile {
    pub(crate) fn new(path: &Path, text: &str) -> Self {
        let text: Arc<str> = Arc::from(text);
        let shown = match crate::escape::same_length_visible(&text) {
            std::borrow::Cow::Borrowed(_) => text.clone(),
            std::borrow::Cow::Owned(visible) => Arc::from(visible),
        };
        let name = crate::escape::terminal(&path.display().to_string()).into_owned();
        Self(Arc::new(Contents {
            path: path.into(),
            text,
            source: NamedSource::new(name, shown),
        }))
    }

    pub(crate) fn path(&self) -> &Arc<Path> {
        &self.0.path
    }

    pub(crate) fn display(&self) -> std::path::Display<'_> {
        self.0.path.display()
    }

    pub(crate) fn text(&self) -> &str {
        &self.0.text
    }

    pub(crate) fn same_file(&self, other: &Self) -> bool {
        self.0.path == other.0.path
    }

    pub(crate) fn source_code(&self) -> &dyn miette::SourceCode {
        &self.0.source
    }
}
