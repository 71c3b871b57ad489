//! Multi-line strings as literal block scalars (`|`, `|-`), chosen only when they read back
//! exactly; everything else falls back to a double-quoted scalar.

use super::lines::Lines;
use super::quote::{Context, needs_escape, yaml_string};

/// Writes `key: value` at `indent`, with `value` as a literal block scalar when it has line
/// breaks and one can hold it faithfully, else as a single-line scalar.
pub(crate) fn write_string(lines: &mut Lines, indent: usize, key: &str, value: &str) {
    match literal_block(value) {
        Some(block) => {
            lines.line(indent, &format!("{key}: {}", block.header));
            for line in block.lines {
                if line.is_empty() {
                    lines.line(0, "");
                } else {
                    lines.line(indent + 2, line);
                }
            }
        }
        None => lines.line(
            indent,
            &format!("{key}: {}", yaml_string(value, Context::Block)),
        ),
    }
}

/// A literal block scalar: its header (`|`, `|-`, `|2`, `|2-`) and content lines, unindented.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct LiteralBlock<'a> {
    pub(crate) header: String,
    pub(crate) lines: Vec<&'a str>,
}

/// `text` as a literal block, or `None` when a block would not be the right form: no line
/// break (a single line reads better), a character a block cannot hold raw (tab, carriage
/// return, other controls), or more than one trailing line break (which needs `|+`, whose
/// trailing blank lines are too easily changed by an editor or by the next key).
pub(crate) fn literal_block(text: &str) -> Option<LiteralBlock<'_>> {
    if !text.contains('\n') {
        return None;
    }
    if text
        .chars()
        .any(|c| c != '\n' && (c == '\t' || needs_escape(c)))
    {
        return None;
    }
    let (body, chomping) = match text.strip_suffix('\n') {
        Some(body) if body.ends_with('\n') => return None,
        Some(body) => (body, ""),
        None => (text, "-"),
    };
    if body.is_empty() {
        return None;
    }
    let lines: Vec<&str> = body.split('\n').collect();
    // The reader takes the content's indentation from its first non-empty line; when that
    // line itself starts with a space, the indentation must be stated.
    let first = lines.iter().find(|line| !line.is_empty())?;
    let indicator = if first.starts_with(' ') { "2" } else { "" };
    Some(LiteralBlock {
        header: format!("|{indicator}{chomping}"),
        lines,
    })
}

#[cfg(test)]
mod tests;
