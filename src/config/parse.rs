//! YAML text -> [`raw::Document`], with serde-saphyr's limits set and its errors turned into
//! [`Problem`]s. The only place that calls serde-saphyr.

use serde_saphyr::{
    Budget, Error, MessageFormatter as _, UserMessageFormatter, budget::BudgetBreach,
};

use super::code::Code;
use super::problem::Problem;
use super::raw;
use super::source::SourceFile;
use super::span::Span;
use crate::suggest;

/// Deepest nesting accepted. The language itself needs about ten levels plus criteria groups;
/// the bound keeps a hostile file from exhausting the stack in the parser or in validation.
pub(crate) const MAX_DEPTH: usize = 40;

/// Most YAML nodes (values, lists, mappings) in one file, and most parser events: ample for
/// thousands of territories, and a bound on the time a hostile file can take.
const MAX_NODES: usize = 250_000;
const MAX_EVENTS: usize = 1_000_000;

/// Most parser events that alias expansion (`*name`) may replay in one file.
const MAX_REPLAYED_EVENTS: usize = 10_000;

/// At most this many unknown keys and wrong types are reported per file (each costs a parse).
const MAX_STRUCTURAL_PROBLEMS: usize = 50;

/// Parses one file, reporting every unknown key and wrong type it can get past.
///
/// Deserialisation stops at the first structural problem (an unknown key, a wrong type), so
/// each one found is reported, then the key's entry (the key and its value, a block-style
/// entry's deeper lines included) is blanked out with spaces, which keeps every byte offset
/// of the rest, and the file is read again. The document returned is the file without those
/// entries: validation then reports every other problem beside them (issue #21, point 7).
///
/// # Errors
/// The problems found, the last one the file cannot be read past: a YAML syntax error, a
/// limit of the reader, or an unknown key or wrong type in a list item written as a flow
/// mapping (`- { ... }`).
pub(crate) fn parse_recovering(
    file: &SourceFile,
) -> Result<(raw::Document, Vec<Problem>), Vec<Problem>> {
    let mut text = file.text().to_owned();
    let mut problems = Vec::new();
    loop {
        let error = match parse_text(&text) {
            Ok(document) => return Ok((document, problems)),
            Err(error) => error,
        };
        let found = problem(file, &error);
        let structural = matches!(found.code(), Code::YamlUnknownKey | Code::YamlWrongType);
        let entry = innermost(&error)
            .location()
            .and_then(|location| Span::locate(location, &text))
            .and_then(|span| {
                entry_around(&text, span.offset, found.code() == Code::YamlUnknownKey)
            });
        match entry {
            Some(range) if structural && problems.len() < MAX_STRUCTURAL_PROBLEMS => {
                problems.push(found);
                blank(&mut text, range);
            }
            // No further to read: the problems found so far, and this one.
            _ => {
                problems.push(found);
                return Err(problems);
            }
        }
    }
}

/// The byte range of the block-style `key: value` entry at `offset`: the key itself (`at_key`,
/// an unknown key) or the start of its value (a wrong type). The range runs from the key to
/// the end of its line, and over every following line indented deeper than the key (or
/// blank). `None` when the entry is not block style (a flow mapping that is a whole list
/// item, `- { ... }`), which cannot be cut out without losing the item.
fn entry_around(text: &str, offset: usize, at_key: bool) -> Option<std::ops::Range<usize>> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let mut start = line_start;
    let mut line = &text[line_start..];
    // The line holding the key: this one when the key is on it (`key:` before the offset, or
    // the offset is the key itself), else the nearest line above indented less.
    // A value starting at the line's first content is a block below its key, on a line above.
    let on_line = |line: &str, at: usize| match key_start(line) {
        Some(content) if at_key => content <= at,
        Some(content) => content < at && line[content..at].contains(':'),
        None => false,
    };
    if !on_line(line, offset - line_start) {
        let indent = indentation(line);
        let mut cursor = line_start;
        loop {
            if cursor == 0 {
                return None;
            }
            let previous = text[..cursor - 1].rfind('\n').map_or(0, |at| at + 1);
            let candidate = &text[previous..cursor - 1];
            cursor = previous;
            if candidate.trim().is_empty() || candidate.trim_start().starts_with('#') {
                continue;
            }
            if indentation(candidate) < indent && key_start(candidate).is_some() {
                start = previous;
                line = &text[previous..];
                break;
            }
            if indentation(candidate) < indent {
                return None;
            }
        }
    }
    let key = start + key_start(line)?;
    let key_column = key - start;
    let mut end = start + line.find('\n').unwrap_or(line.len());
    // The value's deeper lines.
    while end < text.len() {
        let next_start = end + 1;
        let next = &text[next_start..];
        let next_line = &next[..next.find('\n').unwrap_or(next.len())];
        if !next_line.trim().is_empty() && indentation(next_line) <= key_column {
            break;
        }
        end = next_start + next_line.len();
    }
    Some(key..end)
}

/// Where a line's key starts: after the indentation and any `- ` of a list item, when what
/// follows is a plain key (`name:`), not a flow collection or a scalar.
fn key_start(line: &str) -> Option<usize> {
    let line = line.split('\n').next().unwrap_or_default();
    let mut at = indentation(line);
    while line[at..].starts_with("- ") {
        at += 2;
        at += indentation(&line[at..]);
    }
    let rest = &line[at..];
    let first = rest.chars().next()?;
    if matches!(first, '{' | '[' | '#' | '-' | '&' | '*' | '!' | '|' | '>') {
        return None;
    }
    rest.contains(':').then_some(at)
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Replaces `range` of `text` with spaces, keeping line breaks: every other offset stays.
fn blank(text: &mut String, range: std::ops::Range<usize>) {
    let blanked: String = text[range.clone()]
        .chars()
        .map(|c| {
            if c == '\n' {
                "\n".to_owned()
            } else {
                // One space per byte.
                " ".repeat(c.len_utf8())
            }
        })
        .collect();
    text.replace_range(range, &blanked);
}

/// Parses one file. Deserialisation stops at the first structural problem of a file (unknown
/// key, wrong type), so this returns one problem; see [`parse_recovering`] for all of them.
#[cfg(test)]
pub(crate) fn parse(file: &SourceFile) -> Result<raw::Document, Problem> {
    parse_text(file.text()).map_err(|error| problem(file, &error))
}

fn parse_text(text: &str) -> Result<raw::Document, Error> {
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.flow_nesting_limit = MAX_DEPTH;
    budget.max_documents = 1;
    budget.max_nodes = MAX_NODES;
    budget.max_events = MAX_EVENTS;
    let mut alias_limits = serde_saphyr::options::AliasLimits::default();
    // A desired state has no need for alias expansion beyond a few shared criteria; a low
    // bound stops an alias bomb in milliseconds instead of seconds.
    alias_limits.max_total_replayed_events = MAX_REPLAYED_EVENTS;
    let options = serde_saphyr::options! {
        budget: Some(budget),
        alias_limits: alias_limits,
        with_snippet: false,
    };
    serde_saphyr::from_str_with_options(text, options)
}

fn problem(file: &SourceFile, error: &Error) -> Problem {
    let error = innermost(error);
    let span = error
        .location()
        .and_then(|location| Span::locate(location, file.text()));
    let (code, message, label, help) = if span
        .is_some_and(|span| span.offset == first_content(file.text()))
        && is_collection_mismatch(error)
    {
        (
            Code::YamlNotMapping,
            "a desired-state file must be a mapping of keys, not a list or a value".to_owned(),
            "the document starts here".to_owned(),
            Some("start the file with `version: 1` and `root: <root territory>`".to_owned()),
        )
    } else {
        describe(error)
    };
    match span {
        Some(span) => Problem::error(code, file, message)
            .primary(span, label)
            .maybe_help(help),
        None => {
            Problem::about_path(code, format!("`{}`: {message}", file.display())).maybe_help(help)
        }
    }
}

/// Where the document's content starts: after comments, blank lines and a `---` marker.
fn first_content(text: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if !(trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---") {
            return offset + (line.len() - line.trim_start().len());
        }
        offset += line.len();
    }
    offset
}

/// Whether the error says a mapping (a struct) was expected and something else was found.
fn is_collection_mismatch(error: &Error) -> bool {
    match error {
        Error::Unexpected { expected, .. } => *expected == "mapping start",
        Error::SerdeInvalidType { expected, .. } => expected.starts_with("struct "),
        _ => false,
    }
}

fn innermost(error: &Error) -> &Error {
    match error.without_snippet() {
        Error::AliasError { error, .. } => innermost(error),
        other => other,
    }
}

/// Code, message, label and help for one serde-saphyr error.
fn describe(error: &Error) -> (Code, String, String, Option<String>) {
    match error {
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let help = match suggest::closest(field, expected.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("the keys allowed here are {}", list(expected)),
            };
            (
                Code::YamlUnknownKey,
                format!("unknown key `{field}`"),
                "not allowed here".to_owned(),
                Some(help),
            )
        }
        Error::Unexpected { expected, .. } => {
            let expected = match *expected {
                "sequence start" => "a list",
                "mapping start" => "a mapping",
                "string scalar" => "a text",
                other => other,
            };
            let help = match expected {
                "a list" => Some("write a list: `[first, second]`, or one `- item` per line"),
                "a mapping" => Some("write `key: value` pairs here"),
                _ => None,
            };
            (
                Code::YamlWrongType,
                format!("expected {expected} here"),
                format!("expected {expected}"),
                help.map(str::to_owned),
            )
        }
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | Error::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => (
            Code::YamlWrongType,
            format!("expected {}, found {unexpected}", friendly(expected)),
            format!("expected {}", friendly(expected)),
            None,
        ),
        Error::InvalidScalar { ty, .. } => (
            Code::YamlWrongType,
            format!("expected {}", friendly(ty)),
            format!("not {}", friendly(ty)),
            None,
        ),
        Error::SerdeMissingField { field, .. } => (
            Code::YamlMissingKey,
            format!("missing key `{field}`"),
            format!("`{field}` is required here"),
            None,
        ),
        Error::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("this key");
            (
                Code::YamlDuplicateKey,
                format!("the key `{key}` appears twice in one mapping"),
                "written again here".to_owned(),
                Some("merge the two entries into one".to_owned()),
            )
        }
        Error::MultipleDocuments { .. } => (
            Code::YamlSyntax,
            "the file holds more than one YAML document".to_owned(),
            "a second document starts here".to_owned(),
            Some("put each document in a file of its own, in one directory".to_owned()),
        ),
        Error::Budget {
            breach: BudgetBreach::Documents { .. },
            ..
        } => (
            Code::YamlSyntax,
            "the file holds more than one YAML document".to_owned(),
            "a second document starts here".to_owned(),
            Some("put each document in a file of its own, in one directory".to_owned()),
        ),
        Error::AliasExpansionLimitExceeded {
            max_expansions_per_anchor,
            ..
        } => (
            Code::YamlTooComplex,
            format!(
                "one anchor (`&name`) is used by more than {max_expansions_per_anchor} aliases (`*name`), the most territoryctl expands per anchor"
            ),
            format!("alias number {} of the same anchor", max_expansions_per_anchor + 1),
            Some(
                "write the repeated value out where it is needed, or split the uses over several anchors"
                    .to_owned(),
            ),
        ),
        Error::AliasReplayLimitExceeded {
            max_total_replayed_events,
            ..
        } => (
            Code::YamlTooComplex,
            format!(
                "aliases (`*name`) copy more than {max_total_replayed_events} YAML values and keys in all, the most territoryctl expands in one file (a bound against alias bombs)"
            ),
            "the limit is reached at this alias".to_owned(),
            Some(
                "each alias copies everything under its anchor: write large repeated parts out, or alias smaller ones"
                    .to_owned(),
            ),
        ),
        Error::AliasReplayStackDepthExceeded { max_depth, .. } => (
            Code::YamlTooComplex,
            format!("aliases (`*name`) inside anchors nest more than {max_depth} levels deep"),
            "too deep from this alias".to_owned(),
            Some("write the nested anchors out instead of aliasing aliases".to_owned()),
        ),
        Error::Budget {
            breach: BudgetBreach::Aliases { .. },
            ..
        } => (
            Code::YamlTooComplex,
            format!(
                "the file has more than {} aliases (`*name`)",
                Budget::default().max_aliases
            ),
            "the limit is reached here".to_owned(),
            Some("write repeated parts out, or split the file over several files".to_owned()),
        ),
        Error::Budget {
            breach: BudgetBreach::AliasAnchorRatio { aliases, anchors },
            ..
        } => (
            Code::YamlTooComplex,
            format!(
                "the file uses {aliases} aliases (`*name`) of {anchors} anchor{} (`&name`): more than {} uses per anchor, the YAML reader's bound against alias bombs",
                if *anchors == 1 { "" } else { "s" },
                Budget::default().alias_anchor_ratio_multiplier
            ),
            "the limit is reached by the end of the file".to_owned(),
            Some(
                "write the repeated value out where it is needed, or split the uses over more anchors"
                    .to_owned(),
            ),
        ),
        Error::Budget {
            breach: BudgetBreach::Anchors { .. },
            ..
        } => (
            Code::YamlTooComplex,
            format!(
                "the file defines more than {} anchors (`&name`)",
                Budget::default().max_anchors
            ),
            "the limit is reached here".to_owned(),
            Some("split the file over several files in one directory".to_owned()),
        ),
        Error::Budget { breach, .. } => (
            Code::YamlTooComplex,
            too_complex(breach),
            "the limit is reached here".to_owned(),
            None,
        ),
        other => {
            let message = UserMessageFormatter.format_message(other).into_owned();
            // The parser's own nesting guard: the same limit as the budget's depth.
            if message.contains("recursion limit") || message.contains("nesting limit") {
                return (
                    Code::YamlTooComplex,
                    format!("the YAML is nested more than {MAX_DEPTH} levels deep"),
                    "too deep from here".to_owned(),
                    None,
                );
            }
            (
                Code::YamlSyntax,
                message,
                "here".to_owned(),
                Some(
                    "fix the YAML here: nothing is read from a file that does not parse".to_owned(),
                ),
            )
        }
    }
}

fn too_complex(breach: &BudgetBreach) -> String {
    match breach {
        BudgetBreach::Depth { .. } => {
            format!("the YAML is nested more than {MAX_DEPTH} levels deep")
        }
        BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } => format!(
            "the file has more than {MAX_NODES} YAML values; split it over several files in one directory"
        ),
        BudgetBreach::ScalarBytes { .. } => {
            "the file's texts add up to more than the YAML reader's limit; split it over several files in one directory".to_owned()
        }
        other => format!(
            "the YAML exceeds a limit of the reader ({other:?}); split it over several files in one directory"
        ),
    }
}

/// Serde's names for the raw types, in the words the documentation uses.
fn friendly(expected: &str) -> String {
    let described = match expected {
        "struct Document" => "a mapping",
        "struct Territory" => "a territory (a mapping with `name`, `parent`, ...)",
        "struct Defaults" => "a mapping with `permission`",
        "struct Rules" => "a mapping with `accounts`, `leads` or `deals`",
        "struct Criteria" => "a rule (`field`, `comparator`, `value`) or a group (`all`/`any`)",
        "u32" | "u64" | "i64" => "a whole number",
        "a sequence" => "a list",
        "a string" => "a text",
        other => return other.to_owned(),
    };
    described.to_owned()
}

fn list(expected: &[&str]) -> String {
    expected
        .iter()
        .map(|key| format!("`{key}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn problem_of(text: &str) -> Problem {
        parse(&SourceFile::new(Path::new("t.yaml"), text)).expect_err("must not parse")
    }

    #[test]
    fn content_starts_after_comments_and_the_document_marker() {
        assert_eq!(first_content("# a\n\n---\n  - x\n"), 11);
        assert_eq!(first_content("version: 1\n"), 0);
    }

    #[test]
    fn a_list_at_the_top_is_not_a_mapping() {
        assert_eq!(problem_of("# c\n- a\n- b\n").code(), Code::YamlNotMapping);
        assert_eq!(problem_of("just text\n").code(), Code::YamlNotMapping);
        // The same mismatch deeper down is a wrong type, not a wrong file.
        assert_eq!(
            problem_of("version: 1\nterritories:\n  - [a]\n").code(),
            Code::YamlWrongType
        );
    }

    #[test]
    fn an_unknown_key_suggests_the_closest_one() {
        let problem = problem_of("version: 1\nroots: R\n");
        assert_eq!(problem.code(), Code::YamlUnknownKey);
        let rendered = format!("{:?}", miette::Report::new(problem));
        assert!(rendered.contains("did you mean `root`?"), "{rendered}");
    }

    #[test]
    fn syntax_errors_without_byte_offsets_still_point_at_their_line() {
        let text = "version: 1\nroot: R\nterritories:\n  - { name: A, parent: R, rules: { accounts: { field: F, comparator: in, value: [a, b } } }\n";
        let problem = problem_of(text);
        assert_eq!(problem.code(), Code::YamlSyntax);
        let (_, offset) = problem.position();
        // "mismatched bracket": the parser points at the opening bracket.
        assert_eq!(Some(offset), text.find("[a, b }"));
    }
}
