//! Checks of text that more than one key shares: characters that do not show as themselves,
//! and the shape of an email address (a manager's, a territory's users').

use super::super::code::Code;
use super::super::problem::Problem;
use super::super::source::SourceFile;
use super::super::span::Spanned;
use super::Problems;

/// Refuses a character that does not show as itself (a control character, a bidi override,
/// an invisible format character): in a name it can forge a line of the plan, or make two
/// names look alike. `multiline` allows the line feeds and tabs of a description. Whether the
/// text passed.
pub(super) fn check_visible(
    file: &SourceFile,
    text: &Spanned<String>,
    what: &str,
    multiline: bool,
    problems: &mut Problems,
) -> bool {
    let Some(hidden) = text
        .value
        .chars()
        .find(|&c| crate::escape::is_hidden(c) && !(multiline && matches!(c, '\n' | '\t')))
    else {
        return true;
    };
    let allowed = if multiline {
        "line feeds and tabs are the only control characters a description may hold"
    } else {
        "write it with visible characters only"
    };
    problems.push(
        Problem::error(
            Code::HiddenCharacter,
            file,
            format!(
                "the {what} `{}` holds {}",
                text.value,
                crate::escape::describe_hidden(hidden)
            ),
        )
        .primary(text.span, "holds a character that does not show as itself")
        .help(format!(
            "remove it: such characters can forge lines of the plan or make names look alike; {allowed}"
        )),
    );
    false
}

/// A plausible email address: one `@` with a local part before it and a dotted domain after,
/// no white space. Whether a user has it is checked against the org by `plan`.
pub(super) fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(char::is_whitespace)
}
