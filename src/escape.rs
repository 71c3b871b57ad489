//! Strings from YAML or from Zoho, made safe to show: no raw control byte reaches a terminal,
//! no bidi override reorders a line, no invisible character hides in a name, and no name adds
//! Markdown, HTML, a mention, a link or a line break to a pull-request comment.
//!
//! Validation refuses such characters in the files ([`is_hidden`]), but live names come from
//! Zoho unchecked, so every rendering escapes as well (issue #14, point 3).

use std::borrow::Cow;

/// Whether `c` does not show as itself: a control character (C0, DEL, C1), a bidi embedding,
/// override, isolate or mark, a line or paragraph separator, or an invisible format character
/// (zero-width space, joiners, word joiner, soft hyphen, BOM, tag characters, variation
/// selectors, Hangul fillers and the rest of Unicode's `Cf` category).
#[must_use]
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{0600}'..='\u{0605}'
                | '\u{061C}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{0890}'..='\u{0891}'
                | '\u{08E2}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// A short description of a hidden character for a diagnostic: `U+202E (a bidi override)`.
#[must_use]
pub fn describe_hidden(c: char) -> String {
    let kind = match c {
        '\n' | '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}' | '\u{000B}' | '\u{000C}' => {
            "a line break"
        }
        '\u{1b}' => "an escape character, which starts terminal control sequences",
        c if c.is_control() => "a control character",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            "a bidi override, which reorders the text around it"
        }
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "an invisible bidi mark",
        _ => "an invisible character",
    };
    format!("U+{:04X} ({kind})", u32::from(c))
}

/// `text` for a terminal: every hidden character as a visible escape (`\n`, `\u{1b}`,
/// `\u{202e}`); everything else as it is.
#[must_use]
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hidden(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` as a Markdown inline code span: nothing inside is markup, HTML, a mention or a
/// link, and hidden characters are escaped as for a terminal (so no line break either).
#[must_use]
pub fn code_span(text: &str) -> String {
    fenced(&terminal(text))
}

/// As [`code_span`], for a table cell: `|` is escaped too, which GitHub's tables need even
/// inside code.
#[must_use]
pub fn code_cell(text: &str) -> String {
    fenced(&terminal(text).replace('|', "\\|"))
}

fn fenced(text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`') + 1);
    // A space inside the fence keeps a leading or trailing backtick from joining it; Markdown
    // strips one space on each side.
    let pad = if text.starts_with('`') || text.ends_with('`') || text.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A message of the tool's own, which names things from YAML or Zoho in backticks ("`US West` has
/// 3 users"), as Markdown: each backticked name becomes a [`code_span`] and the words between
/// stay prose. The prose must be the tool's own words: where it holds anything that could be
/// markup, a mention or a link (which happens only when a name itself holds backticks, so that
/// the split went wrong), or the backticks do not pair up, the whole message is one code span,
/// as safe as before and only less pleasant to read.
#[must_use]
pub fn markdown_message(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    let plain = |prose: &str| {
        !prose.contains("www.")
            && !prose.contains("://")
            && prose
                .chars()
                .all(|c| c.is_alphanumeric() && !is_hidden(c) || " ,.;:'()-/".contains(c))
    };
    if parts.len() % 2 == 0 || !parts.iter().step_by(2).all(|prose| plain(prose)) {
        return code_span(text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(at, part)| {
            if at % 2 == 0 {
                (*part).to_owned()
            } else {
                code_span(part)
            }
        })
        .collect()
}

/// A code fence (at least three backticks) that no line of `body` can close.
#[must_use]
pub fn fence_for(body: &str) -> String {
    "`".repeat(longest_run(body, '`').max(2) + 1)
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for found in text.chars() {
        if found == c {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

/// A copy of `value` with [`terminal`] applied to every string in it (map keys included), for
/// renderings built from data that came from YAML or Zoho.
///
/// # Panics
/// Never for the plan types: they serialize to JSON and back unchanged.
#[must_use]
pub fn every_string<T>(value: &T) -> Cow<'_, T>
where
    T: serde::Serialize + serde::de::DeserializeOwned + Clone,
{
    let mut json = serde_json::to_value(value).expect("plan types serialize to JSON");
    if !escape_value(&mut json) {
        return Cow::Borrowed(value);
    }
    Cow::Owned(serde_json::from_value(json).expect("escaped JSON has the same shape"))
}

/// Escapes every string in `value`; whether anything changed.
fn escape_value(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::String(text) => match terminal(text) {
            Cow::Borrowed(_) => false,
            Cow::Owned(escaped) => {
                *text = escaped;
                true
            }
        },
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, item| escape_value(item) | changed),
        Value::Object(object) => {
            let mut changed = false;
            let keys: Vec<String> = object
                .keys()
                .filter(|key| key.chars().any(is_hidden))
                .cloned()
                .collect();
            for key in keys {
                if let Some(item) = object.remove(&key) {
                    object.insert(terminal(&key).into_owned(), item);
                    changed = true;
                }
            }
            for item in object.values_mut() {
                changed |= escape_value(item);
            }
            changed
        }
        _ => false,
    }
}

/// A copy of `text` for showing source snippets: every hidden character but tab, line feed and
/// carriage return replaced by visible characters of the same UTF-8 length, so byte offsets
/// into the original still point at the same places.
#[must_use]
pub fn same_length_visible(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| is_hidden(c) && !matches!(c, '\t' | '\n' | '\r');
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if hidden(c) {
            match c.len_utf8() {
                1 => out.push('?'),
                2 => out.push('\u{00BF}'),
                3 => out.push('\u{FFFD}'),
                _ => out.push_str("\u{FFFD}?"),
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_keeps_its_words_as_prose_and_its_names_in_code() {
        assert_eq!(
            markdown_message("`US West` has 3 users, more than the policy's 2"),
            "`US West` has 3 users, more than the policy's 2"
        );
        assert_eq!(
            markdown_message("the rules of `a*b` repeat `x equal \"<b>\"` from `[c](d)`"),
            "the rules of `a*b` repeat `x equal \"<b>\"` from `[c](d)`"
        );
        // A name with backticks of its own: the split goes wrong, so the whole is one span.
        assert_eq!(
            markdown_message("`a`b` is deep"),
            code_span("`a`b` is deep")
        );
        assert_eq!(markdown_message("`a` *b* `c`"), code_span("`a` *b* `c`"));
        assert_eq!(
            markdown_message("`a` @team `c`"),
            code_span("`a` @team `c`")
        );
        assert_eq!(
            markdown_message("`a` see www.example.com `c`"),
            code_span("`a` see www.example.com `c`")
        );
        assert_eq!(
            markdown_message("`a` <script> `c`"),
            code_span("`a` <script> `c`")
        );
    }

    #[test]
    fn hidden_characters_are_escaped_for_terminals() {
        assert_eq!(terminal("North America"), "North America");
        assert_eq!(terminal("São Paulo"), "São Paulo");
        assert_eq!(
            terminal("Sales\n  - delete X\u{1b}[2J\u{7}\0"),
            "Sales\\n  - delete X\\u{1b}[2J\\u{7}\\0"
        );
        assert_eq!(terminal("a\u{202E}b\u{200B}c"), "a\\u{202e}b\\u{200b}c");
    }

    #[test]
    fn code_spans_hold_backticks_and_pipes() {
        assert_eq!(code_span("East"), "`East`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x"), "`` `x ``");
        assert_eq!(code_span("a|b"), "`a|b`");
        assert_eq!(code_cell("a|b"), "`a\\|b`");
        assert_eq!(code_span("a\nb"), "`a\\nb`");
    }

    #[test]
    fn fences_outgrow_the_body() {
        assert_eq!(fence_for("plain"), "```");
        assert_eq!(fence_for("x ```` y"), "`````");
    }

    #[test]
    fn snippets_keep_their_byte_offsets() {
        let text = "a\u{202E}b\u{1b}c\u{85}d\u{E0041}e\n";
        let visible = same_length_visible(text);
        assert_eq!(visible.len(), text.len());
        assert!(!visible.chars().any(|c| is_hidden(c) && c != '\n'));
        assert_eq!(visible.find('e'), text.find('e'));
    }
}
