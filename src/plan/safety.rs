//! Safety rails: plans too destructive or too surprising to hand to `apply` unnoticed.

use miette::Diagnostic;
use thiserror::Error;

use super::Plan;
use super::change::{Action, Change};
use crate::membership::MembershipRefusal;
use crate::model::{Desired, Live};

/// The default for [`Policy::max_change_percent`].
pub const DEFAULT_MAX_CHANGE_PERCENT: u32 = 30;

/// The change threshold applies only to orgs with at least this many territories (root
/// included): in a small org a single change is a large share.
pub const THRESHOLD_MIN_TERRITORIES: usize = 10;

/// A live read counts as suspiciously small when the desired state has at least this many
/// territories...
pub const SMALL_LIVE_MIN_DESIRED: usize = 10;

/// ...and fewer than one live territory (below the root) for every this many desired ones.
pub const SMALL_LIVE_RATIO: usize = 10;

/// What the safety rails allow, from the command line (`--max-change-percent`,
/// `--allow-empty`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Refuse when more than this percentage of the org's territories would be updated, moved,
    /// renamed or deleted (only in orgs with at least [`THRESHOLD_MIN_TERRITORIES`]).
    pub max_change_percent: u32,
    /// Allow an empty desired state and a live org that looks unread (see [`Refusal`]).
    pub allow_empty: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            max_change_percent: DEFAULT_MAX_CHANGE_PERCENT,
            allow_empty: false,
        }
    }
}

/// A safety rail refused the plan. Each rail has its own message; all exit with code 3.
#[derive(Clone, Debug, Diagnostic, Error, PartialEq, Eq)]
pub enum Refusal {
    #[error("refusing to plan: the desired state has no territories")]
    #[diagnostic(
        code("plan::empty-desired"),
        help(
            "an empty desired state would make every territory unmanaged; if that is really meant, pass `--allow-empty`"
        )
    )]
    EmptyDesired,

    #[error("refusing to plan: the live org returned no territories, not even the root")]
    #[diagnostic(
        code("plan::empty-live"),
        help(
            "every Zoho org with territory management has a root territory; check that territory management is enabled and that the token's user can read territories"
        )
    )]
    EmptyLive,

    #[error(
        "refusing to plan: the live org has only {live} territories below the root, but the desired state has {desired}; the read may be incomplete"
    )]
    #[diagnostic(
        code("plan::small-live"),
        help(
            "check the org and the token's permissions; when the org really is new (a first apply), pass `--allow-empty`"
        )
    )]
    SmallLive { live: usize, desired: usize },

    #[error(
        "refusing to plan: {touched} of the org's {existing} territories would be updated or deleted ({percent}%), more than the {max}% allowed"
    )]
    #[diagnostic(
        code("plan::too-many-changes"),
        help(
            "review the desired state; if the change is intended, pass `--max-change-percent {percent}` or more"
        )
    )]
    TooManyChanges {
        touched: usize,
        existing: usize,
        percent: usize,
        max: u32,
    },

    /// `apply`'s rail: deletions only with `--allow-delete`.
    #[error(
        "the plan deletes {} territor{}: {}",
        names.len(),
        if names.len() == 1 { "y" } else { "ies" },
        names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
    )]
    #[diagnostic(
        code("apply::deletions-not-allowed"),
        help(
            "deleting a territory also deletes its forecasts and takes it off its records: \
             review the plan, then run again with `--allow-delete`"
        )
    )]
    DeletionsNotAllowed { names: Vec<String> },
}

/// Checks the inputs before anything is planned.
///
/// # Errors
/// [`Refusal::EmptyDesired`] and [`Refusal::SmallLive`] unless `allow_empty`;
/// [`Refusal::EmptyLive`] always (without a root there is nothing to plan against).
pub(crate) fn check_inputs(desired: &Desired, live: &Live, policy: &Policy) -> Result<(), Refusal> {
    if live.root().is_none() {
        return Err(Refusal::EmptyLive);
    }
    if policy.allow_empty {
        return Ok(());
    }
    if desired.territories.is_empty() {
        return Err(Refusal::EmptyDesired);
    }
    // Below the root. A desired state much larger than the live org is what a truncated or
    // failed read looks like (and the same as a first apply into a fresh org, which is why
    // `--allow-empty` lets it through).
    let below_root = live.territories.len() - 1;
    let desired_count = desired.territories.len();
    if desired_count >= SMALL_LIVE_MIN_DESIRED && below_root * SMALL_LIVE_RATIO < desired_count {
        return Err(Refusal::SmallLive {
            live: below_root,
            desired: desired_count,
        });
    }
    Ok(())
}

/// Checks the planned changes against the change threshold.
///
/// # Errors
/// [`Refusal::TooManyChanges`] when more than `max_change_percent` of the org's territories
/// (root included) are updated (any field but the users, moves and renames included) or
/// deleted, and the org
/// has at least [`THRESHOLD_MIN_TERRITORIES`].
pub(crate) fn check_changes(
    changes: &[Change],
    live: &Live,
    policy: &Policy,
) -> Result<(), Refusal> {
    let existing = live.territories.len();
    if existing < THRESHOLD_MIN_TERRITORIES {
        return Ok(());
    }
    // A change of users only is weighed by the membership rails (`crate::membership`), as a
    // share of memberships, not of territories.
    let touched = changes
        .iter()
        .filter(|change| match &change.action {
            Action::Update(update) => {
                update.fields.is_empty()
                    || update
                        .fields
                        .iter()
                        .any(|field| !matches!(field, super::FieldChange::Users { .. }))
            }
            Action::Delete(_) => true,
            _ => false,
        })
        .count();
    if touched * 100 > existing * policy.max_change_percent as usize {
        return Err(Refusal::TooManyChanges {
            touched,
            existing,
            percent: (touched * 100).div_ceil(existing),
            max: policy.max_change_percent,
        });
    }
    Ok(())
}

/// The deletion rail of `apply`: a plan that deletes territories goes on only when
/// `allow_delete` (`--allow-delete`) says deletions were reviewed.
///
/// # Errors
/// [`Refusal::DeletionsNotAllowed`], naming the deleted territories, unless `allow_delete`.
pub fn check_deletions(plan: &Plan, allow_delete: bool) -> Result<(), Refusal> {
    let names = plan.deletions();
    if names.is_empty() || allow_delete {
        return Ok(());
    }
    Err(Refusal::DeletionsNotAllowed { names })
}

/// The membership rails of `apply` (see [`crate::membership::check_removals`]), decided from
/// the plan's changes and the memberships read from the org.
///
/// # Errors
/// The rail's [`MembershipRefusal`] when the plan empties a territory that has members or
/// removes more than `max_change_percent` of the memberships read.
pub fn check_members(
    plan: &Plan,
    live: &Live,
    max_change_percent: u32,
) -> Result<(), MembershipRefusal> {
    let lists: Vec<(String, usize, Vec<String>, Vec<String>)> = plan
        .changes
        .iter()
        .map(|change| {
            let before = match &change.action {
                Action::Update(update) => live
                    .territory(&update.id)
                    .and_then(|territory| territory.users.as_ref())
                    .map_or(0, Vec::len),
                _ => 0,
            };
            let (added, removed) = super::member_change(change);
            let labels = |users: Vec<&super::Manager>| {
                users.iter().map(|user| user.label()).collect::<Vec<_>>()
            };
            (change.title(), before, labels(added), labels(removed))
        })
        .collect();
    let changes: Vec<crate::membership::MemberChange<'_>> = lists
        .iter()
        .map(
            |(territory, before, added, removed)| crate::membership::MemberChange {
                territory,
                before: *before,
                added,
                removed,
            },
        )
        .collect();
    let existing = live
        .territories
        .iter()
        .filter_map(|territory| territory.users.as_ref())
        .map(Vec::len)
        .sum();
    crate::membership::check_removals(&changes, existing, max_change_percent)
}

#[cfg(test)]
mod tests {
    //! Every rail at its threshold, one below and one above.

    use std::collections::BTreeMap;

    use super::*;
    use crate::model::{DesiredTerritory, LiveTerritory, Permission, Unmanaged};
    use crate::plan::{Delete, FieldChange, Manager, TerritoryRef, Update};

    fn desired(count: usize) -> Desired {
        Desired {
            root: "Root".into(),
            root_origin: None,
            unmanaged: Unmanaged::Report,
            territories: (0..count)
                .map(|index| DesiredTerritory {
                    fields: crate::model::Fields::new(
                        format!("D{index}"),
                        "Root".into(),
                        Permission::ReadWriteDelete,
                    ),
                    previously: Vec::new(),
                    origins: Default::default(),
                })
                .collect(),
            assignments: BTreeMap::new(),
        }
    }

    /// The root and `below` territories under it.
    fn live(below: usize) -> Live {
        let territory = |index: usize| LiveTerritory {
            id: (100 + index).to_string(),
            fields: crate::model::Fields::new(
                format!("L{index}"),
                (index > 0).then(|| "100".to_owned()),
                Permission::ReadWriteDelete,
            ),
            modified_time: None,
        };
        Live {
            territories: (0..=below).map(territory).collect(),
            ..Live::default()
        }
    }

    fn inputs(desired_count: usize, below: usize) -> Result<(), Refusal> {
        check_inputs(&desired(desired_count), &live(below), &Policy::default())
    }

    #[test]
    fn an_empty_desired_state_is_refused_from_zero_territories() {
        assert_eq!(inputs(0, 3), Err(Refusal::EmptyDesired));
        assert_eq!(inputs(1, 3), Ok(()));
        let allowed = Policy {
            allow_empty: true,
            ..Policy::default()
        };
        assert_eq!(check_inputs(&desired(0), &live(3), &allowed), Ok(()));
        // Without a root nothing is planned, allowed or not.
        let no_root = Live::default();
        assert_eq!(
            check_inputs(&desired(1), &no_root, &allowed),
            Err(Refusal::EmptyLive)
        );
    }

    #[test]
    fn a_small_live_read_is_refused_from_ten_desired_territories() {
        assert_eq!(SMALL_LIVE_MIN_DESIRED, 10);
        // An empty org (the root only): 9 desired pass, 10 and 11 are refused.
        assert_eq!(inputs(9, 0), Ok(()));
        let small = |live, desired| Err(Refusal::SmallLive { live, desired });
        assert_eq!(inputs(10, 0), small(0, 10));
        assert_eq!(inputs(11, 0), small(0, 11));
        let allowed = Policy {
            allow_empty: true,
            ..Policy::default()
        };
        assert_eq!(check_inputs(&desired(11), &live(0), &allowed), Ok(()));
    }

    #[test]
    fn a_small_live_read_is_refused_below_one_live_territory_per_ten_desired() {
        assert_eq!(SMALL_LIVE_RATIO, 10);
        // One live territory below the root covers up to 10 desired ones, two up to 20.
        assert_eq!(inputs(10, 1), Ok(()));
        assert_eq!(
            inputs(11, 1),
            Err(Refusal::SmallLive {
                live: 1,
                desired: 11
            })
        );
        assert_eq!(inputs(19, 2), Ok(()));
        assert_eq!(inputs(20, 2), Ok(()));
        assert_eq!(
            inputs(21, 2),
            Err(Refusal::SmallLive {
                live: 2,
                desired: 21
            })
        );
        assert_eq!(inputs(31, 4), Ok(()));
    }

    /// `updates` updates and `deletes` deletions, plus a create (which never counts).
    fn changes(updates: usize, deletes: usize) -> Vec<Change> {
        let change = |key: String, action| Change {
            key,
            wave: 0,
            depth: 1,
            path: Vec::new(),
            action,
        };
        let mut changes: Vec<Change> = (0..updates)
            .map(|index| {
                change(
                    format!("update:{index}"),
                    Action::Update(Update {
                        id: index.to_string(),
                        name: format!("L{index}"),
                        fields: Vec::new(),
                        permission: None,
                    }),
                )
            })
            .collect();
        changes.extend((0..deletes).map(|index| {
            change(
                format!("delete:{index}"),
                Action::Delete(Delete {
                    id: index.to_string(),
                    name: format!("L{index}"),
                    parent: TerritoryRef::Existing {
                        id: "100".into(),
                        name: "Root".into(),
                    },
                    transfer_to: None,
                    transferred_children: Vec::new(),
                }),
            )
        }));
        changes.push(change(
            "create:new".into(),
            Action::Create(Box::new(crate::plan::Create {
                fields: crate::model::Fields::new(
                    "New",
                    TerritoryRef::Existing {
                        id: "100".into(),
                        name: "Root".into(),
                    },
                    Permission::ReadWriteDelete,
                ),
            })),
        ));
        changes
    }

    fn too_many(touched: usize, existing: usize, percent: usize, max: u32) -> Result<(), Refusal> {
        Err(Refusal::TooManyChanges {
            touched,
            existing,
            percent,
            max,
        })
    }

    #[test]
    fn the_change_threshold_refuses_only_beyond_its_percentage() {
        let policy = Policy::default();
        // 10 territories (the root and 9), 30%: 3 changes are exactly the threshold.
        let org = live(9);
        assert_eq!(check_changes(&changes(2, 0), &org, &policy), Ok(()));
        assert_eq!(check_changes(&changes(2, 1), &org, &policy), Ok(()));
        assert_eq!(
            check_changes(&changes(3, 1), &org, &policy),
            too_many(4, 10, 40, 30)
        );
        assert_eq!(
            check_changes(&changes(0, 4), &org, &policy),
            too_many(4, 10, 40, 30)
        );
        // The percentage at the threshold, one below and one above: 4 of 10 is 40%.
        let at = |max| Policy {
            max_change_percent: max,
            ..policy
        };
        assert_eq!(check_changes(&changes(4, 0), &org, &at(40)), Ok(()));
        assert_eq!(check_changes(&changes(4, 0), &org, &at(41)), Ok(()));
        assert_eq!(
            check_changes(&changes(4, 0), &org, &at(39)),
            too_many(4, 10, 40, 39)
        );
        // 13 territories: 30% is 3.9, so 3 pass and 4 (30.8%, shown rounded up) do not.
        let org = live(12);
        assert_eq!(check_changes(&changes(3, 0), &org, &policy), Ok(()));
        assert_eq!(
            check_changes(&changes(4, 0), &org, &policy),
            too_many(4, 13, 31, 30)
        );
        // 0% allows nothing, 100% everything.
        assert_eq!(
            check_changes(&changes(1, 0), &org, &at(0)),
            too_many(1, 13, 8, 0)
        );
        assert_eq!(check_changes(&changes(7, 6), &org, &at(100)), Ok(()));
    }

    #[test]
    fn the_change_threshold_applies_from_ten_territories() {
        assert_eq!(THRESHOLD_MIN_TERRITORIES, 10);
        let policy = Policy::default();
        // 9 territories (the root and 8): every one changed passes.
        assert_eq!(check_changes(&changes(8, 1), &live(8), &policy), Ok(()));
        assert_eq!(
            check_changes(&changes(8, 1), &live(9), &policy),
            too_many(9, 10, 90, 30)
        );
        assert_eq!(
            check_changes(&changes(8, 1), &live(10), &policy),
            too_many(9, 11, 82, 30)
        );
    }

    #[test]
    fn an_update_of_users_only_is_left_out_of_the_change_threshold() {
        // 10 territories, 30%: three counted changes pass, four do not. An update of users only
        // is weighed by the membership rails; one that renames too counts here.
        let org = live(9);
        let policy = Policy::default();
        let users = FieldChange::Users {
            old: Vec::new(),
            new: vec![Manager {
                id: "900001".into(),
                email: None,
                name: None,
            }],
        };
        let rename = |index: usize| FieldChange::Name {
            old: format!("L{index}"),
            new: format!("M{index}"),
        };
        let planned = |fields: &[Vec<FieldChange>]| {
            let mut planned = changes(fields.len(), 0);
            for (change, fields) in planned.iter_mut().zip(fields) {
                if let Action::Update(update) = &mut change.action {
                    update.fields.clone_from(fields);
                }
            }
            planned
        };
        // Five updates of users only, and three that rename (one of them its users as well).
        let mut fields = vec![vec![users.clone()]; 5];
        fields.extend([vec![rename(5)], vec![rename(6)], vec![users, rename(7)]]);
        assert_eq!(check_changes(&planned(&fields), &org, &policy), Ok(()));
        fields.push(vec![rename(8)]);
        assert_eq!(
            check_changes(&planned(&fields), &org, &policy),
            too_many(4, 10, 40, 30)
        );
    }

    #[test]
    fn deletions_go_on_only_when_allowed_naming_each_deleted_territory() {
        let policy = Policy {
            allow_empty: true,
            ..Policy::default()
        };
        // Three live territories below the root; the desired state keeps none of them.
        let mut deleting = desired(1);
        deleting.unmanaged = Unmanaged::Delete;
        let plan = crate::plan::plan(&deleting, &live(3), &policy).expect("a plan");
        assert_eq!(
            check_deletions(&plan, false),
            Err(Refusal::DeletionsNotAllowed {
                names: vec!["L1".into(), "L2".into(), "L3".into()]
            })
        );
        assert_eq!(check_deletions(&plan, true), Ok(()));
        // Reported, not deleted: nothing to refuse.
        let plan = crate::plan::plan(&desired(1), &live(3), &policy).expect("a plan");
        assert!(plan.has_changes(), "the plan still creates D0");
        assert_eq!(check_deletions(&plan, false), Ok(()));
    }

    /// L1 with two members; the desired state keeps `keep` of them.
    fn members_after(keep: &[&str]) -> Result<(), MembershipRefusal> {
        let mut live = live(1);
        live.users = ["u1", "u2"]
            .into_iter()
            .map(|id| crate::model::User {
                id: id.to_owned(),
                email: format!("{id}@x.com"),
                full_name: id.to_owned(),
            })
            .collect();
        live.territories[1].users = Some(
            ["u1", "u2"]
                .into_iter()
                .map(|id| crate::model::UserRef {
                    id: id.to_owned(),
                    name: None,
                })
                .collect(),
        );
        let mut desired = desired(0);
        desired.root = "L0".to_owned();
        let mut l1 = DesiredTerritory {
            fields: crate::model::Fields::new("L1", "L0".to_owned(), Permission::ReadWriteDelete),
            previously: Vec::new(),
            origins: Default::default(),
        };
        l1.users = Some(keep.iter().map(|id| format!("{id}@x.com")).collect());
        desired.territories.push(l1);
        let plan = crate::plan::plan(&desired, &live, &Policy::default()).expect("plans");
        check_members(&plan, &live, 100)
    }

    #[test]
    fn emptying_a_territory_of_its_members_is_refused_and_removing_one_is_not() {
        assert_eq!(
            members_after(&[]),
            Err(MembershipRefusal::EmptiesTerritories {
                territories: vec!["L1".to_owned()]
            })
        );
        assert_eq!(members_after(&["u2"]), Ok(()));
    }
}
