//! Findings as diagnostics: a warning with its code, the territory's rules in the YAML
//! (file:line:col, read again from the file) and a hint.

use std::path::Path;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, Severity, SourceSpan};

use super::findings::Finding;

/// One finding, placed in its file when the file can be read.
#[derive(Debug)]
pub struct Located {
    finding: Finding,
    source: Option<NamedSource<Arc<str>>>,
    span: Option<SourceSpan>,
}

impl std::fmt::Display for Located {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::escape::terminal(&self.finding.message))
    }
}

impl std::error::Error for Located {}

impl Diagnostic for Located {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.finding.kind.code()))
    }

    fn severity(&self) -> Option<Severity> {
        Some(Severity::Warning)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(
            crate::escape::terminal(&self.finding.help).into_owned(),
        ))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source
            .as_ref()
            .map(|source| source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("these rules".to_owned()),
            span,
        ))))
    }
}

/// Places every finding in its file (each file read once).
#[must_use]
pub fn locate(findings: Vec<Finding>) -> Vec<Located> {
    let mut files: std::collections::BTreeMap<Arc<Path>, Option<Arc<str>>> =
        std::collections::BTreeMap::new();
    findings
        .into_iter()
        .map(|finding| {
            let placed = finding.origin.as_ref().and_then(|origin| {
                let text = files
                    .entry(origin.file.clone())
                    .or_insert_with(|| std::fs::read_to_string(&origin.file).ok().map(Arc::from))
                    .clone()?;
                (origin.offset + origin.len <= text.len()).then(|| {
                    (
                        NamedSource::new(origin.file.display().to_string(), text),
                        SourceSpan::from((origin.offset, origin.len)),
                    )
                })
            });
            let (source, span) = match placed {
                Some((source, span)) => (Some(source), Some(span)),
                None => (None, None),
            };
            Located {
                finding,
                source,
                span,
            }
        })
        .collect()
}

impl Located {
    #[must_use]
    pub fn finding(&self) -> &Finding {
        &self.finding
    }
}

/// A warning as the plan shows it (rule analysis, policy): code, message, hint and where.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    pub code: String,
    pub message: String,
    pub help: String,
    /// `file:line:col`, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// `file:line:col` (1-based, columns in characters) of an origin, reading the file.
#[must_use]
pub fn location(origin: &crate::model::Origin) -> Option<String> {
    let text = std::fs::read_to_string(&origin.file).ok()?;
    let before = text.get(..origin.offset)?;
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    Some(format!("{}:{line}:{column}", origin.file.display()))
}

impl From<&Finding> for Warning {
    fn from(finding: &Finding) -> Self {
        Self {
            code: finding.kind.code().to_owned(),
            message: finding.message.clone(),
            help: finding.help.clone(),
            location: finding.origin.as_ref().and_then(location),
        }
    }
}

/// The warnings for a terminal, after the plan.
#[must_use]
pub fn text(warnings: &[Warning]) -> String {
    use std::fmt::Write as _;
    if warnings.is_empty() {
        return String::new();
    }
    let mut out = format!("\nWarnings ({}):\n", warnings.len());
    for warning in warnings {
        let at = warning
            .location
            .as_deref()
            .map(|at| format!(" {}:", crate::escape::terminal(at)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  warning[{}]{at} {}\n    hint: {}",
            warning.code,
            crate::escape::terminal(&warning.message),
            crate::escape::terminal(&warning.help)
        );
    }
    out
}

/// The warnings as Markdown list items. Messages name territories and fields in backticks,
/// which become code spans ([`crate::escape::markdown_message`]), so no markup in a name gets
/// through.
#[must_use]
pub fn markdown(warnings: &[Warning]) -> String {
    use std::fmt::Write as _;
    if warnings.is_empty() {
        return String::new();
    }
    let mut out = String::from("**Warnings**\n\n");
    for warning in warnings {
        let at = warning
            .location
            .as_deref()
            .map(|at| format!(" at {}", crate::escape::code_span(at)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "- `{}`{at}: {}",
            warning.code,
            crate::escape::markdown_message(&warning.message)
        );
    }
    out.push('\n');
    out
}
