//! The online checks: the desired state against the live org's users and field metadata.
//! Pure: the client fetches [`Live`]; this module only compares, and reports through the same
//! [`Problem`] and [`Code`] list as the offline checks, placed by the spans the model keeps
//! ([`TerritoryOrigins`](crate::model::TerritoryOrigins)), so no file is read again.
//!
//! Checked: a manager email that is no active user ([`Code::UnknownManager`]); a criteria field
//! that does not exist in the module; a comparator the field's data type does not take; a value
//! of the wrong type; a picklist value the field does not have (in [`criteria`]); a listed user
//! who is not an active user of the org (in [`users`]).
//!
//! [`check`] is the entry point: a check of a new attribute against the org goes in a file of
//! its own beside [`criteria`], called from [`check`] by one line.

mod criteria;
mod users;

pub use users::any_unknown;

use crate::model::{Desired, DesiredTerritory, InactiveUser, Live, Origin};

use super::ConfigReport;
use super::code::Code;
use super::problem::Problem;
use super::source::Sources;
use super::span::Span;
use crate::suggest;

/// Checks `desired` against `live`; `sources` are the files it was loaded from (for the
/// snippets; a problem whose file is not among them is reported without one). Modules whose
/// field metadata `live` lacks are not checked.
///
/// # Errors
/// Every problem found, at once.
pub fn check(desired: &Desired, sources: &Sources, live: &Live) -> Result<(), ConfigReport> {
    check_with(desired, sources, live, &[])
}

/// [`check`], telling an inactive or deleted listed user (one of `not_active`, the org's users
/// that are not active) from an unknown email.
///
/// # Errors
/// Every problem found, at once.
pub fn check_with(
    desired: &Desired,
    sources: &Sources,
    live: &Live,
    not_active: &[InactiveUser],
) -> Result<(), ConfigReport> {
    let mut problems = Vec::new();
    for territory in &desired.territories {
        let at = Place { sources, territory };
        problems.extend(unknown_manager(&at, live));
        criteria::check(&at, live, &mut problems);
        users::check(&at, live, not_active, &mut problems);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ConfigReport { errors: problems })
    }
}

/// One territory and the files, for placing its problems.
struct Place<'a> {
    sources: &'a Sources,
    territory: &'a DesiredTerritory,
}

impl Place<'_> {
    /// An error at `origin` (or, without one, at the territory's name) labelled `label`.
    fn error(
        &self,
        code: Code,
        origin: Option<&Origin>,
        message: String,
        label: String,
    ) -> Problem {
        let origin = origin.or(self.territory.origins.name.as_ref());
        match origin.and_then(|origin| Some((origin, self.sources.get(&origin.file)?))) {
            Some((origin, file)) => Problem::error(code, file, message)
                .primary(Span::new(origin.offset, origin.len), label),
            None => Problem::about_path(code, message),
        }
    }
}

/// The manager's email is no active user of the org: the one check of it (`plan` finds the
/// same when it resolves the email to a user, and reports it with the same code).
fn unknown_manager(at: &Place<'_>, live: &Live) -> Option<Problem> {
    let territory = at.territory;
    let email = territory.manager.as_ref()?;
    if live.user_by_email(email).is_some() {
        return None;
    }
    let emails = live.users.iter().map(|user| user.email.as_str());
    let help = suggest::closest(email, emails).map_or_else(
        || "managers must be active users; check the email in Zoho CRM under Setup > Users, or remove `manager`".to_owned(),
        |close| format!("did you mean `{close}`?"),
    );
    Some(
        at.error(
            Code::UnknownManager,
            territory.origins.manager.as_ref(),
            format!(
                "the manager of `{}`, `{email}`, is not an active user of the org",
                territory.name
            ),
            "no active user has this email".to_owned(),
        )
        .help(help),
    )
}

#[cfg(test)]
mod tests;
