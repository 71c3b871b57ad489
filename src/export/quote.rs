//! Writing one string as a YAML scalar that reads back as exactly that string.
//!
//! The rule is "plain when provably safe, double-quoted otherwise": a plain scalar is only
//! written when no YAML 1.1 or 1.2 reader could take it for anything but that string (not a
//! bool like `yes`, a null like `~`, a number, an indicator, a comment, a key). Double quotes
//! (never single) are used for the rest because they can escape every character.

/// Where a scalar is written: flow collections (`{ ... }`, `[ ... ]`) forbid more characters
/// in plain scalars than block context does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Context {
    Block,
    Flow,
}

/// The YAML text of `text` as a single-line scalar (plain or double-quoted).
pub(crate) fn yaml_string(text: &str, context: Context) -> String {
    if is_safe_plain(text, context) {
        text.to_owned()
    } else {
        double_quoted(text)
    }
}

/// `text` as a double-quoted YAML scalar, escaping what must be escaped.
pub(crate) fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if needs_escape(c) => {
                let code = u32::from(c);
                if code <= 0xFF {
                    out.push_str(&format!("\\x{code:02X}"));
                } else {
                    out.push_str(&format!("\\u{code:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters that must not appear raw in a YAML stream (outside `c-printable`), or that some
/// readers treat as line breaks or byte-order marks.
pub(crate) fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
        )
}

/// Words that YAML 1.1 or 1.2 resolve to a null or a bool when plain.
const RESERVED: &[&str] = &[
    "", "~", "null", "true", "false", "yes", "no", "y", "n", "on", "off", "=", "<<",
];

/// Whether `text` can be written plain and read back as the same string by any YAML reader.
///
/// Conservative on purpose: a string that is merely unusual gets quotes; the cost of a quote
/// too many is nil, the cost of one too few is a changed value.
fn is_safe_plain(text: &str, context: Context) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let last = text.chars().next_back().unwrap_or(first);
    if RESERVED.iter().any(|word| word.eq_ignore_ascii_case(text)) {
        return false;
    }
    if first.is_whitespace() || last.is_whitespace() {
        return false;
    }
    // Indicators that start something else when they begin a plain scalar.
    if matches!(
        first,
        '-' | '?'
            | ':'
            | ','
            | '['
            | ']'
            | '{'
            | '}'
            | '#'
            | '&'
            | '*'
            | '!'
            | '|'
            | '>'
            | '\''
            | '"'
            | '%'
            | '@'
            | '`'
    ) {
        return false;
    }
    if looks_numeric(text) {
        return false;
    }
    if last == ':' || text.contains(": ") || text.contains(" #") || text.contains(":\t") {
        return false;
    }
    if text
        .chars()
        .any(|c| c == '\t' || c == '\n' || needs_escape(c))
    {
        return false;
    }
    if context == Context::Flow
        && text
            .chars()
            .any(|c| matches!(c, ',' | '[' | ']' | '{' | '}'))
    {
        return false;
    }
    true
}

/// Whether a reader might resolve `text` to a number, a timestamp or a special float:
/// anything starting with a digit, or with a sign or a dot followed by a digit, a dot or a
/// letter (`.inf`, `-.nan`, `+1`, `.5`).
fn looks_numeric(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('+' | '-' | '.') => {
            matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric() || c == '.')
        }
        _ => false,
    }
}

/// Whether `number` is a decimal that every YAML reader resolves to the number it spells,
/// and that a reader holding numbers in 64 bits gives back digit for digit, so it can be
/// written bare: `-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?`, at most 18 digits as an integer or 15
/// with a fraction. Anything else (`007`, `1e3`, `1_000`, `.5`, `1.50`, `-0`) is written as a
/// quoted string, which the plan compares equal to the number.
pub(crate) fn is_plain_decimal(number: &str) -> bool {
    let unsigned = number.strip_prefix('-').unwrap_or(number);
    let (integer, fraction) = match unsigned.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (unsigned, None),
    };
    let all_digits = |digits: &str| digits.chars().all(|c| c.is_ascii_digit());
    let integer_ok = integer == "0"
        || (integer.starts_with(|c: char| matches!(c, '1'..='9')) && all_digits(integer));
    let fraction_ok = fraction
        .is_none_or(|digits| !digits.is_empty() && all_digits(digits) && !digits.ends_with('0'));
    let digits = integer.len() + fraction.map_or(0, str::len);
    let precise = if fraction.is_some() {
        digits <= 15
    } else {
        digits <= 18
    };
    // `-0` reads back as `0`: the sign would be lost.
    let negative_zero = number.starts_with('-') && integer == "0" && fraction.is_none();
    integer_ok && fraction_ok && precise && !negative_zero
}

#[cfg(test)]
mod tests;
