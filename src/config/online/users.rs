//! The online check of a territory's `users:`: each email an active user of the org, with
//! "did you mean" for a near miss; an inactive or deleted user is said to be one. The org's
//! users that are not active are read by the caller only when some email is not an active
//! user's ([`any_unknown`]).

use crate::model::{Desired, InactiveUser, Live};

use super::super::code::Code;
use super::super::problem::Problem;
use super::Place;
use crate::suggest;

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

/// The problems of one territory's listed users. `not_active`: the org's users that are not
/// active (empty when every email is an active user's).
pub(super) fn check(
    at: &Place<'_>,
    live: &Live,
    not_active: &[InactiveUser],
    problems: &mut Vec<Problem>,
) {
    let territory = at.territory;
    let Some(users) = &territory.users else {
        return;
    };
    for (index, email) in users.iter().enumerate() {
        if live.user_by_email(email).is_some() {
            continue;
        }
        let origin = territory.origins.users.get(index);
        let problem = match not_active
            .iter()
            .find(|user| user.email.eq_ignore_ascii_case(email))
        {
            Some(user) => at
                .error(
                    Code::InactiveUser,
                    origin,
                    format!(
                        "user `{email}` of `{}` is {} in Zoho, not active",
                        territory.name, user.status
                    ),
                    format!("a user who is {}", user.status),
                )
                .help(format!(
                    "only active users can be a territory's users: activate the user in Zoho CRM (Setup > Users), or remove `{email}` from `users`"
                )),
            None => {
                let emails = live.users.iter().map(|user| user.email.as_str());
                let help = suggest::closest(email, emails).map_or_else(
                    || "users must be active users of the org; check the email in Zoho CRM under Setup > Users".to_owned(),
                    |close| format!("did you mean `{close}`?"),
                );
                at.error(
                    Code::UnknownUser,
                    origin,
                    format!(
                        "user `{email}` of `{}` is not a user of the org",
                        territory.name
                    ),
                    "no user has this email".to_owned(),
                )
                .help(help)
            }
        };
        problems.push(problem);
    }
}
