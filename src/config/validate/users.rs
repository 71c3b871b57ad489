//! A territory's `users:` on their own (#17): each an email address shown as itself, none
//! listed twice (emails compare case-insensitively, as Zoho's do), and no more than Zoho's
//! per-territory limit, the manager counted (Zoho makes a territory's manager one of its users).
//! Whether each is an active user of the org is `validate --online`'s question.

use std::collections::BTreeMap;

use super::super::code::Code;
use super::super::problem::Problem;
use super::super::source::SourceFile;
use super::super::span::Spanned;
use super::Problems;
use super::text::{check_visible, is_email};

/// Users per territory (zoho-api.md 2.14: Zoho's example `limit: 100`).
pub(crate) const MAX_USERS_PER_TERRITORY: usize = 100;

/// Checks the `users` of the territory `territory` written in `file`, its `manager` counted
/// as one of them. Returns the emails that passed, in the order written, first spellings kept.
pub(super) fn check(
    file: &SourceFile,
    territory: &str,
    users: &[Spanned<String>],
    manager: Option<&Spanned<String>>,
    problems: &mut Problems,
) -> Vec<Spanned<String>> {
    let mut first: BTreeMap<String, &Spanned<String>> = BTreeMap::new();
    let mut kept = Vec::new();
    for user in users {
        if !check_visible(file, user, "user", false, problems) {
            continue;
        }
        if !is_email(&user.value) {
            problems.push(
                Problem::error(
                    Code::InvalidUser,
                    file,
                    format!("user `{}` is not an email address", user.value),
                )
                .primary(user.span, "not an email address")
                .help("name each user by the email address of their CRM user"),
            );
            continue;
        }
        let key = user.value.to_lowercase();
        if let Some(earlier) = first.get(&key) {
            problems.push(
                Problem::error(
                    Code::DuplicateUser,
                    file,
                    format!(
                        "user `{}` is listed twice in territory `{territory}`",
                        user.value
                    ),
                )
                .primary(user.span, "listed again here")
                .secondary(earlier.span, "first listed here")
                .help("remove one of them (emails are compared case-insensitively)"),
            );
            continue;
        }
        first.insert(key, user);
        kept.push(user.clone());
    }

    let manager_unlisted = manager.is_some_and(|manager| {
        is_email(&manager.value) && !first.contains_key(&manager.value.to_lowercase())
    });
    let count = kept.len() + usize::from(manager_unlisted);
    if count > MAX_USERS_PER_TERRITORY {
        let (Some(first_user), Some(last_user)) = (users.first(), users.last()) else {
            return kept;
        };
        let counted = if manager_unlisted {
            format!("{} users and the manager", kept.len())
        } else {
            format!("{count} users")
        };
        problems.push(
            Problem::error(
                Code::TooManyUsers,
                file,
                format!("territory `{territory}` has {counted}"),
            )
            .primary(
                first_user.span.through(last_user.span),
                format!("Zoho allows at most {MAX_USERS_PER_TERRITORY} users a territory"),
            )
            .help(format!(
                "list {} fewer (the manager is one of a territory's users, listed or not), or split the territory",
                count - MAX_USERS_PER_TERRITORY
            )),
        );
    }
    kept
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::super::span::Span;
    use super::*;

    /// The emails written one per line, with their spans in that text.
    fn written(emails: &[&str]) -> (SourceFile, Vec<Spanned<String>>) {
        let mut text = String::new();
        let mut spans = Vec::new();
        for email in emails {
            spans.push(Spanned::new(
                (*email).to_owned(),
                Span::new(text.len(), email.len()),
            ));
            text.push_str(email);
            text.push('\n');
        }
        (SourceFile::new(Path::new("t.yaml"), &text), spans)
    }

    fn values(kept: &[Spanned<String>]) -> Vec<&str> {
        kept.iter().map(|user| user.value.as_str()).collect()
    }

    fn codes(problems: &Problems) -> Vec<Code> {
        problems.iter().map(Problem::code).collect()
    }

    #[test]
    fn a_clean_list_passes_in_order() {
        let (file, users) = written(&["b@acme.example", "a@acme.example"]);
        let mut problems = Problems::new();
        let kept = check(&file, "East", &users, None, &mut problems);
        assert!(problems.is_empty());
        assert_eq!(values(&kept), ["b@acme.example", "a@acme.example"]);
    }

    #[test]
    fn a_duplicate_is_found_case_insensitively_with_both_places() {
        let (file, users) = written(&["Pat@Acme.example", "x@acme.example", "pat@acme.EXAMPLE"]);
        let mut problems = Problems::new();
        let kept = check(&file, "East", &users, None, &mut problems);
        assert_eq!(codes(&problems), [Code::DuplicateUser]);
        assert_eq!(values(&kept), ["Pat@Acme.example", "x@acme.example"]);
        assert_eq!(problems[0].position().1, users[2].span.offset);
    }

    #[test]
    fn not_an_email_and_hidden_characters_are_refused() {
        let (file, users) = written(&["pat", "pa\u{202e}t@acme.example", "ok@acme.example"]);
        let mut problems = Problems::new();
        let kept = check(&file, "East", &users, None, &mut problems);
        assert_eq!(codes(&problems), [Code::InvalidUser, Code::HiddenCharacter]);
        assert_eq!(values(&kept), ["ok@acme.example"]);
    }

    #[test]
    fn the_limit_counts_the_manager_once() {
        let emails: Vec<String> = (0..100).map(|i| format!("u{i}@acme.example")).collect();
        let refs: Vec<&str> = emails.iter().map(String::as_str).collect();
        let (file, users) = written(&refs);
        let mut problems = Problems::new();
        check(&file, "East", &users, None, &mut problems);
        assert!(problems.is_empty(), "100 users are allowed");

        // The manager, listed: still 100.
        let listed = Spanned::new("U7@acme.example".to_owned(), Span::new(0, 1));
        check(&file, "East", &users, Some(&listed), &mut problems);
        assert!(problems.is_empty());

        // The manager, not listed: 101.
        let other = Spanned::new("boss@acme.example".to_owned(), Span::new(0, 1));
        check(&file, "East", &users, Some(&other), &mut problems);
        assert_eq!(codes(&problems), [Code::TooManyUsers]);
        assert!(
            problems[0]
                .to_string()
                .contains("100 users and the manager")
        );
    }
}
