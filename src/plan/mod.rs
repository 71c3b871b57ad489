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
