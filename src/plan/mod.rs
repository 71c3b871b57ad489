//! The plan: what `apply` would change, computed from [`Desired`] and [`Live`] without any I/O.
//!
//! `plan()` matches desired territories to live ones ([`matching`]), diffs them field by field
//! after normalising what Zoho echoes differently ([`normalize`], [`diff`]), checks the safety
//! rails ([`safety`]), orders the changes into waves of batches ([`order`], [`batch`]) and binds
//! the result to its inputs ([`fingerprint`]). The [`Plan`] is pure data: `render` shows it,
//! its JSON form is the saved plan file, and `apply` executes it.

mod batch;
mod change;
mod depends;
mod diff;
mod error;
mod fingerprint;
#[cfg(test)]
mod fixtures;
pub(crate) mod matching;
mod normalize;
mod order;
#[cfg(test)]
mod properties;
mod records;
mod safety;
mod unmanaged;
mod verify;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use batch::{BATCH_SIZE, Batch, Operation, Phase, Wave, batch_count};
pub use change::{
    Action, ByPlan, Change, Create, Delete, FieldChange, Manager, RecordTerritories, TerritoryRef,
    Update,
};
pub use depends::{Prerequisite, prerequisites};
pub use error::{PlanError, Problem};
pub use fingerprint::{
    Binding, Fingerprint, Stale, StaleItem, check_fresh, desired_hash, same_desired,
};
pub use normalize::{holds, same_criteria, same_description, same_value};
pub use safety::{
    DEFAULT_MAX_CHANGE_PERCENT, Policy, Refusal, SMALL_LIVE_MIN_DESIRED, SMALL_LIVE_RATIO,
    THRESHOLD_MIN_TERRITORIES, check_deletions, check_members,
};
pub use unmanaged::UnmanagedTerritory;
pub use verify::{Rejected, Verified, verify};

use crate::model::{Desired, Live, Unmanaged};

/// The version of the plan file format; bumped on any incompatible change.
pub const FORMAT_VERSION: u32 = 1;

/// Everything `plan` found, and everything `apply` needs to carry it out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Plan {
    /// The plan file format's version: 1.
    pub format_version: u32,
    /// The org the plan was made for (from `GET /org`): `apply` of the saved plan refuses
    /// another org.
    pub org: Option<PlannedOrg>,
    /// The desired-state paths `plan` was given, as given: `apply PLAN.json` without paths
    /// plans again from these (relative to the working directory).
    #[serde(default)]
    pub desired_paths: Vec<String>,
    /// The root territory's (desired) name.
    pub root: String,
    /// The changes, sorted by (wave, depth, name).
    pub changes: Vec<Change>,
    /// The waves `apply` runs, in order.
    pub schedule: Vec<Wave>,
    /// The desired state's `unmanaged` policy.
    pub unmanaged_policy: Unmanaged,
    /// Live territories the desired state does not mention, listed under `unmanaged: report`
    /// (sorted by name). Under `ignore` they are left out; under `delete` they are changes.
    pub unmanaged: Vec<UnmanagedTerritory>,
    /// Whether the plan deletes territories: `apply` then requires `--allow-delete`. For
    /// readers of the file only: `apply` decides from the changes themselves.
    pub contains_deletions: bool,
    pub summary: Summary,
    pub binding: Binding,
    /// Users who leave one territory and join another in this plan, by user: shown as "moves
    /// from A to B" in every rendering.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub member_moves: Vec<MemberMove>,
    /// Desired territories without `users` (their membership is not managed) when others have
    /// them; 0 when no territory lists users.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub members_not_managed: usize,
    /// The territories whose rules `apply --run-rules` would run after the territory waves,
    /// per module, by territory name (`plan --run-rules`, or `run_rules: true` in the files); empty
    /// otherwise. For readers: `apply` decides from its own flag and the files.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub rule_runs: std::collections::BTreeMap<crate::model::RuleModule, Vec<String>>,
}

/// A user leaving one territory and joining another in the same plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MemberMove {
    /// The user as the plan shows them (the email of an active user).
    pub user: String,
    pub from: String,
    pub to: String,
}

/// The users a change adds to and removes from its territory: a new territory's users are all
/// added; an update's come from its users change.
#[must_use]
pub fn member_change(change: &Change) -> (Vec<&Manager>, Vec<&Manager>) {
    match &change.action {
        Action::Create(create) => (create.users.iter().flatten().collect(), Vec::new()),
        Action::Update(update) => update.members().unwrap_or_default(),
        _ => (Vec::new(), Vec::new()),
    }
}

/// The membership moves among `changes` (see [`crate::membership::moves`]).
fn member_moves(changes: &[Change]) -> Vec<MemberMove> {
    let lists: Vec<(String, Vec<String>, Vec<String>)> = changes
        .iter()
        .map(|change| {
            let (added, removed) = member_change(change);
            let labels = |users: Vec<&Manager>| users.iter().map(|user| user.label()).collect();
            (change.title(), labels(added), labels(removed))
        })
        .collect();
    let members: Vec<crate::membership::MemberChange<'_>> = lists
        .iter()
        .map(
            |(territory, added, removed)| crate::membership::MemberChange {
                territory,
                before: 0,
                added,
                removed,
            },
        )
        .collect();
    crate::membership::moves(&members)
        .into_values()
        .map(|found| MemberMove {
            user: found.user,
            from: found.from,
            to: found.to,
        })
        .collect()
}

/// The org a plan was made for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlannedOrg {
    /// Zoho's org id.
    pub id: String,
    pub name: String,
}

impl std::fmt::Display for PlannedOrg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` (id {})", self.name, self.id)
    }
}

/// The counts of the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Territories created.
    pub add: usize,
    /// Territories updated without a move (renames included).
    pub change: usize,
    /// Territories moved to another parent (other field changes included).
    pub moves: usize,
    /// Territories deleted.
    pub delete: usize,
    /// (record, territory) pairs assigned.
    pub record_assignments: usize,
    /// (record, territory) pairs removed.
    pub record_removals: usize,
    /// (territory, user) memberships added, new territories' users included.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub member_additions: usize,
    /// (territory, user) memberships removed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub member_removals: usize,
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_zero(count: &usize) -> bool {
    *count == 0
}

impl Summary {
    fn of(changes: &[Change]) -> Self {
        let mut summary = Self::default();
        for change in changes {
            let (added, removed) = member_change(change);
            summary.member_additions += added.len();
            summary.member_removals += removed.len();
            match &change.action {
                Action::Create(_) => summary.add += 1,
                Action::Update(update) if update.parent_change().is_some() => summary.moves += 1,
                Action::Update(_) => summary.change += 1,
                Action::Delete(_) => summary.delete += 1,
                Action::Assign(records) => summary.record_assignments += records.territories.len(),
                Action::Remove(records) => summary.record_removals += records.territories.len(),
            }
        }
        summary
    }

    /// Whether the plan changes nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl Plan {
    /// Whether the plan changes anything (for `--detailed-exitcode`).
    #[must_use]
    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty()
    }

    /// The names of the territories the plan deletes, sorted: decided from the changes, never
    /// from `contains_deletions` (a plan file can be edited).
    #[must_use]
    pub fn deletions(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .changes
            .iter()
            .filter_map(|change| match &change.action {
                Action::Delete(delete) => Some(delete.name.clone()),
                _ => None,
            })
            .collect();
        names.sort();
        names
    }

    /// A change by key.
    #[must_use]
    pub fn change(&self, key: &str) -> Option<&Change> {
        self.changes.iter().find(|change| change.key == key)
    }
}

/// Computes the plan that makes `live` match `desired`. Pure: no I/O, no clock.
///
/// # Errors
/// [`PlanError::Refused`] when a safety rail refuses (see [`Refusal`]);
/// [`PlanError::Mismatch`] when the desired state names managers or records the org does not
/// have, or a record would exceed its territory limit.
pub fn plan(desired: &Desired, live: &Live, policy: &Policy) -> Result<Plan, PlanError> {
    safety::check_inputs(desired, live, policy)?;
    let Some(root) = live.root() else {
        return Err(Refusal::EmptyLive.into());
    };
    let matching = matching::match_territories(desired, live, root);
    let diff::Diff {
        mut changes,
        unmanaged,
    } = diff::diff(desired, live, &matching)?;
    safety::check_changes(&changes, live, policy)?;
    let schedule = order::schedule(&mut changes, live)?;
    let binding = fingerprint::bind(desired, live, &changes);
    Ok(Plan {
        format_version: FORMAT_VERSION,
        org: live.org.as_ref().map(|org| PlannedOrg {
            id: org.id.clone(),
            name: org.name.clone(),
        }),
        desired_paths: Vec::new(),
        root: desired.root.clone(),
        contains_deletions: changes
            .iter()
            .any(|change| matches!(change.action, Action::Delete(_))),
        summary: Summary::of(&changes),
        member_moves: member_moves(&changes),
        members_not_managed: if desired.territories.iter().any(|t| t.users.is_some()) {
            desired
                .territories
                .iter()
                .filter(|t| t.users.is_none())
                .count()
        } else {
            0
        },
        changes,
        schedule,
        unmanaged_policy: desired.unmanaged,
        unmanaged,
        binding,
        rule_runs: std::collections::BTreeMap::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Fields, Module, Permission};

    fn user(id: &str) -> Manager {
        Manager {
            id: id.to_owned(),
            email: Some(format!("{id}@x.com")),
            name: None,
        }
    }

    fn root() -> TerritoryRef {
        TerritoryRef::Existing {
            id: "1".to_owned(),
            name: "Org".to_owned(),
        }
    }

    fn change(key: &str, action: Action) -> Change {
        Change {
            key: key.to_owned(),
            wave: 1,
            depth: 1,
            path: Vec::new(),
            action,
        }
    }

    fn update(id: &str, name: &str, fields: Vec<FieldChange>) -> Change {
        change(
            &format!("update:{id}"),
            Action::Update(Update {
                id: id.to_owned(),
                name: name.to_owned(),
                fields,
                permission: Some(Permission::ReadOnly),
            }),
        )
    }

    fn records(module: Module, territories: &[&str]) -> RecordTerritories {
        RecordTerritories {
            module,
            record_id: "900".to_owned(),
            territories: territories
                .iter()
                .map(|name| TerritoryRef::Existing {
                    id: format!("id-{name}"),
                    name: (*name).to_owned(),
                })
                .collect(),
            automatic: Vec::new(),
        }
    }

    /// One change of every kind: a create with two users, a move, a rename that moves a user
    /// away (to the create), two deletions, records assigned to two territories and removed
    /// from one.
    fn every_kind() -> Vec<Change> {
        let mut create = Fields::new("New", root(), Permission::ReadOnly);
        create.users = Some(vec![user("a"), user("b")]);
        let delete = |id: &str, name: &str| {
            change(
                &format!("delete:{id}"),
                Action::Delete(Delete {
                    id: id.to_owned(),
                    name: name.to_owned(),
                    parent: root(),
                    transfer_to: None,
                    transferred_children: Vec::new(),
                }),
            )
        };
        vec![
            change(
                "create:New",
                Action::Create(Box::new(Create { fields: create })),
            ),
            update(
                "10",
                "Moved",
                vec![FieldChange::Parent {
                    old: root(),
                    new: TerritoryRef::AfterApply {
                        change: "create:New".to_owned(),
                        name: "New".to_owned(),
                    },
                    by_transfer_of: None,
                }],
            ),
            update(
                "11",
                "Old",
                vec![
                    FieldChange::Name {
                        old: "Old".to_owned(),
                        new: "Renamed".to_owned(),
                    },
                    FieldChange::Users {
                        old: vec![user("b"), user("c")],
                        new: vec![user("c"), user("d")],
                    },
                ],
            ),
            delete("12", "Zeta"),
            delete("13", "Alpha"),
            change(
                "assign:Accounts:900",
                Action::Assign(records(Module::Accounts, &["East", "West"])),
            ),
            change(
                "remove:Deals:900",
                Action::Remove(records(Module::Deals, &["North"])),
            ),
        ]
    }

    #[test]
    fn the_summary_counts_each_kind_of_change_and_every_membership() {
        assert_eq!(
            Summary::of(&every_kind()),
            Summary {
                add: 1,
                change: 1,
                moves: 1,
                delete: 2,
                record_assignments: 2,
                record_removals: 1,
                member_additions: 3,
                member_removals: 1,
            }
        );
        assert!(Summary::of(&[]).is_empty());
        assert!(!Summary::of(&every_kind()[3..4]).is_empty(), "one deletion");
    }

    #[test]
    fn membership_counts_are_left_out_of_the_json_only_when_zero() {
        let json = |summary: Summary| serde_json::to_value(summary).expect("a summary");
        let none = json(Summary::of(&every_kind()[3..]));
        assert!(none.get("member_additions").is_none());
        assert!(none.get("member_removals").is_none());
        let some = json(Summary::of(&every_kind()));
        assert_eq!(some["member_additions"], 3);
        assert_eq!(some["member_removals"], 1);
    }

    #[test]
    fn a_user_leaving_one_territory_for_another_is_a_move() {
        // `b` leaves Renamed and is among the new territory's users.
        assert_eq!(
            member_moves(&every_kind()),
            [MemberMove {
                user: "b@x.com".to_owned(),
                from: "Renamed".to_owned(),
                to: "New".to_owned(),
            }]
        );
        let changes = every_kind();
        let (added, removed) = member_change(&changes[0]);
        assert_eq!((added.len(), removed.len()), (2, 0), "a create adds all");
        let (added, removed) = member_change(&changes[2]);
        assert_eq!((added, removed), (vec![&user("d")], vec![&user("b")]));
        assert_eq!(member_change(&changes[3]), (Vec::new(), Vec::new()));
    }

    #[test]
    fn deletions_are_named_sorted_from_the_changes() {
        let mut plan = Plan {
            format_version: FORMAT_VERSION,
            org: Some(PlannedOrg {
                id: "42".to_owned(),
                name: "Acme".to_owned(),
            }),
            desired_paths: Vec::new(),
            root: "Org".to_owned(),
            // A plan file can say anything here: what counts is the changes.
            contains_deletions: false,
            summary: Summary::default(),
            member_moves: Vec::new(),
            members_not_managed: 0,
            changes: every_kind(),
            schedule: Vec::new(),
            unmanaged_policy: Unmanaged::Report,
            unmanaged: Vec::new(),
            binding: Binding::default(),
            rule_runs: std::collections::BTreeMap::new(),
        };
        assert!(plan.has_changes());
        assert_eq!(plan.deletions(), ["Alpha", "Zeta"]);
        assert_eq!(
            plan.org.as_ref().map(ToString::to_string).as_deref(),
            Some("`Acme` (id 42)")
        );
        plan.changes
            .retain(|change| !matches!(change.action, Action::Delete(_)));
        assert!(plan.deletions().is_empty());
        plan.changes.clear();
        assert!(!plan.has_changes());
    }
}
