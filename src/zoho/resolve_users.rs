//! The online check of a territory's `users:` (#17): each email an active user of the org,
//! with "did you mean" for a near miss; an inactive or deleted user is said to be one. Pure:
//! the org's users are read by the caller (`ReadClient::users_not_active` only when an email
//! is not an active user's).

use crate::model::{Desired, Live, Origin};

use super::members::InactiveUser;

/// What is wrong with one listed user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserProblem {
    /// No user of the org has this email.
    Unknown { territory: String, email: String },
    /// The user exists but is not active (`inactive`, `deleted`, ...).
    NotActive {
        territory: String,
        email: String,
        status: String,
    },
}

impl std::fmt::Display for UserProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unknown { territory, email } => write!(
                f,
                "user `{email}` of `{territory}` is not a user of the org"
            ),
            Self::NotActive {
                territory,
                email,
                status,
            } => write!(
                f,
                "user `{email}` of `{territory}` is {status} in Zoho, not active"
            ),
        }
    }
}

impl UserProblem {
    /// The diagnostic code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unknown { .. } => "resolve::unknown-user",
            Self::NotActive { .. } => "resolve::inactive-user",
        }
    }

    /// The label at the email.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::Unknown { .. } => "no user has this email".to_owned(),
            Self::NotActive { status, .. } => format!("a user who is {status}"),
        }
    }
}

/// Every listed user that is not an active user of `live`, with where it is written and a
/// help line. `not_active`: the org's users that are not active.
#[must_use]
pub fn problems<'a>(
    desired: &'a Desired,
    live: &Live,
    not_active: &[InactiveUser],
) -> Vec<(UserProblem, Option<&'a Origin>, String)> {
    let mut found = Vec::new();
    for territory in &desired.territories {
        let Some(users) = &territory.users else {
            continue;
        };
        for (index, email) in users.iter().enumerate() {
            if live.user_by_email(email).is_some() {
                continue;
            }
            let origin = territory
                .users_origin
                .get(index)
                .or(territory.origin.as_ref());
            let problem = match not_active
                .iter()
                .find(|user| user.email.eq_ignore_ascii_case(email))
            {
                Some(user) => (
                    UserProblem::NotActive {
                        territory: territory.name.clone(),
                        email: email.clone(),
                        status: user.status.clone(),
                    },
                    format!(
                        "only active users can be a territory's users: activate the user in Zoho CRM (Setup > Users), or remove `{email}` from `users`"
                    ),
                ),
                None => {
                    let emails = live.users.iter().map(|user| user.email.as_str());
                    let help = crate::config::closest(email, emails).map_or_else(
                        || "users must be active users of the org; check the email in Zoho CRM under Setup > Users".to_owned(),
                        |close| format!("did you mean `{close}`?"),
                    );
                    (
                        UserProblem::Unknown {
                            territory: territory.name.clone(),
                            email: email.clone(),
                        },
                        help,
                    )
                }
            };
            found.push((problem.0, origin, problem.1));
        }
    }
    found
}

/// Whether some listed email is not an active user's: then `validate --online` reads the
/// users that are not active, to say which.
#[must_use]
pub fn any_unknown(desired: &Desired, live: &Live) -> bool {
    desired
        .territories
        .iter()
        .flat_map(|territory| territory.users.iter().flatten())
        .any(|email| live.user_by_email(email).is_none())
}
