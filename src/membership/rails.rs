//! Safety rails on membership removals, in the style of deletions: `apply` refuses a plan that
//! empties a territory of its members, or removes more than `--max-change-percent` of the
//! memberships read, unless `--allow-member-removal` is given.

use miette::Diagnostic;
use thiserror::Error;

/// The share rail applies only from this many memberships on: in a small org one removal is a
/// large share.
pub const THRESHOLD_MIN_MEMBERSHIPS: usize = 10;

/// One territory's membership change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberChange<'a> {
    pub territory: &'a str,
    /// Members in the live org before the change.
    pub before: usize,
    pub added: &'a [String],
    pub removed: &'a [String],
}

/// A plan's membership removals that need `--allow-member-removal`. Exit code 3.
#[derive(Clone, Debug, Diagnostic, Error, PartialEq, Eq)]
pub enum MembershipRefusal {
    #[error(
        "refusing to apply: the plan removes every member of {}",
        quoted(territories)
    )]
    #[diagnostic(
        code("apply::removes-all-members"),
        help(
            "nothing was sent; a territory's users see its records, so emptying one is \
             reviewed on purpose: check `users:`, then run again with `--allow-member-removal`"
        )
    )]
    EmptiesTerritories { territories: Vec<String> },

    #[error(
        "refusing to apply: the plan removes {removed} of the {existing} memberships read ({percent}%), more than the {max}% allowed"
    )]
    #[diagnostic(
        code("apply::too-many-member-removals"),
        help(
            "nothing was sent; review the `users:` lists; if the removals are intended, run \
             again with `--allow-member-removal` (or `--max-change-percent {percent}`)"
        )
    )]
    TooManyRemovals {
        removed: usize,
        existing: usize,
        percent: usize,
        max: u32,
    },
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("`{}`", crate::escape::terminal(name)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks the removals of a plan: `existing` is the number of memberships read from the org
/// (of the territories whose membership is managed).
///
/// # Errors
/// [`MembershipRefusal::EmptiesTerritories`] when a territory with members ends with none;
/// [`MembershipRefusal::TooManyRemovals`] when more than `max_change_percent` of `existing`
/// memberships are removed and `existing` is at least [`THRESHOLD_MIN_MEMBERSHIPS`].
pub fn check_removals(
    changes: &[MemberChange<'_>],
    existing: usize,
    max_change_percent: u32,
) -> Result<(), MembershipRefusal> {
    let emptied: Vec<String> = changes
        .iter()
        .filter(|change| {
            change.before > 0 && change.added.is_empty() && change.removed.len() >= change.before
        })
        .map(|change| change.territory.to_owned())
        .collect();
    if !emptied.is_empty() {
        return Err(MembershipRefusal::EmptiesTerritories {
            territories: emptied,
        });
    }
    let removed: usize = changes.iter().map(|change| change.removed.len()).sum();
    if existing >= THRESHOLD_MIN_MEMBERSHIPS
        && removed * 100 > existing * max_change_percent as usize
    {
        return Err(MembershipRefusal::TooManyRemovals {
            removed,
            existing,
            percent: (removed * 100).div_ceil(existing),
            max: max_change_percent,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users(count: usize) -> Vec<String> {
        (0..count).map(|i| format!("u{i}@acme.example")).collect()
    }

    #[test]
    fn emptying_a_territory_is_refused_and_keeping_one_member_is_not() {
        let removed = users(2);
        let none = Vec::new();
        let emptied = [MemberChange {
            territory: "East",
            before: 2,
            added: &none,
            removed: &removed,
        }];
        assert_eq!(
            check_removals(&emptied, 100, 30),
            Err(MembershipRefusal::EmptiesTerritories {
                territories: vec!["East".into()]
            })
        );
        let kept = [MemberChange {
            before: 3,
            ..emptied[0]
        }];
        assert_eq!(check_removals(&kept, 100, 30), Ok(()));
        // Replacing every member is not emptying.
        let added = users(1);
        let replaced = [MemberChange {
            added: &added,
            ..emptied[0]
        }];
        assert_eq!(check_removals(&replaced, 100, 30), Ok(()));
    }

    #[test]
    fn the_share_is_checked_at_its_threshold() {
        let none = Vec::new();
        let three = users(3);
        let four = users(4);
        let change = |removed| MemberChange {
            territory: "East",
            before: 20,
            added: &none,
            removed,
        };
        // 3 of 10 is 30%: allowed; 4 of 10 is not.
        assert_eq!(check_removals(&[change(&three)], 10, 30), Ok(()));
        assert_eq!(
            check_removals(&[change(&four)], 10, 30),
            Err(MembershipRefusal::TooManyRemovals {
                removed: 4,
                existing: 10,
                percent: 40,
                max: 30
            })
        );
        // Below the threshold of memberships, no share rail.
        assert_eq!(check_removals(&[change(&four)], 9, 30), Ok(()));
    }
}
