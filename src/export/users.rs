//! A territory's `users:` as export writes them: every member by email, sorted, so that a plan
//! of the export shows no membership change (#17); a member without an email to write (not an
//! active user) is kept as a comment and warned about.

use super::lines::Lines;
use super::quote::{Context, yaml_string};
use super::warning::Warning;

/// A member of a territory as the export knows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Member {
    /// An active user, by email.
    Active(String),
    /// Not an active user: their id, and their email when Zoho gave one.
    NotActive { id: String, email: Option<String> },
}

/// Writes `users:` at `indent`, the active members sorted case-insensitively (then as
/// written), the others as comments after them. `users: []` for a territory without members,
/// so that its membership stays managed.
pub(crate) fn write_users(
    lines: &mut Lines,
    indent: usize,
    territory: &str,
    members: &[Member],
    warnings: &mut Vec<Warning>,
) {
    let mut active: Vec<&str> = members
        .iter()
        .filter_map(|member| match member {
            Member::Active(email) => Some(email.as_str()),
            Member::NotActive { .. } => None,
        })
        .collect();
    active.sort_by(|a, b| {
        a.to_lowercase()
            .cmp(&b.to_lowercase())
            .then_with(|| a.cmp(b))
    });
    active.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    if active.is_empty() {
        lines.line(indent, "users: []");
    } else {
        lines.line(indent, "users:");
        for email in active {
            lines.line(
                indent + 2,
                &format!("- {}", yaml_string(email, Context::Block)),
            );
        }
    }
    for member in members {
        let Member::NotActive { id, email } = member else {
            continue;
        };
        let who = email.as_deref().unwrap_or("(no email)");
        lines.comment(
            indent + 2,
            &format!("- {who} (user {id}) is not an active user"),
        );
        warnings.push(Warning::InactiveMember {
            territory: territory.to_owned(),
            user_id: id.clone(),
            email: email.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(members: &[Member]) -> (String, Vec<Warning>) {
        let mut lines = Lines::default();
        let mut warnings = Vec::new();
        write_users(&mut lines, 4, "East", members, &mut warnings);
        (lines.into_text(), warnings)
    }

    #[test]
    fn members_are_sorted_and_the_inactive_commented() {
        let (text, warnings) = written(&[
            Member::Active("zoe@acme.example".into()),
            Member::NotActive {
                id: "7".into(),
                email: Some("old@acme.example".into()),
            },
            Member::Active("Adam@acme.example".into()),
            Member::Active("adam@ACME.example".into()),
        ]);
        assert_eq!(
            text,
            "    users:\n      - Adam@acme.example\n      - zoe@acme.example\n      # - old@acme.example (user 7) is not an active user\n"
        );
        assert_eq!(
            warnings,
            [Warning::InactiveMember {
                territory: "East".into(),
                user_id: "7".into(),
                email: Some("old@acme.example".into())
            }]
        );
    }

    #[test]
    fn no_members_is_an_empty_list() {
        assert_eq!(written(&[]).0, "    users: []\n");
    }
}
