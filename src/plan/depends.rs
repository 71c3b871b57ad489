//! Which changes a change needs first: the one dependency rule. `apply` skips a change whose
//! prerequisite did not succeed (`apply::blocked_by`), the plan's schedule puts every
//! prerequisite in an earlier wave (checked by the property tests), and [`Plan::depends_on`]
//! shows it.

use std::collections::BTreeMap;

use super::Plan;
use super::change::{Action, Change, FieldChange, TerritoryRef};

/// A change that must have succeeded before another is sent, and how the skip is explained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prerequisite {
    pub key: String,
    /// Completes "skipped because ...", e.g. "parent `Texas` was not created".
    pub because: String,
}

/// The prerequisites of every change that has any, by the dependant's key.
///
/// - A territory the plan creates must exist before anything refers to it: its children, a
///   territory moving under it, a transfer to it, a record assigned to it.
/// - A territory deleted without a transfer must have lost its children first: the deletion of
///   each child, and each move away from it (Zoho refuses to delete a parent).
///
/// Prerequisites are always in earlier waves (the plan orders them so); transitivity follows
/// because a skipped change has not succeeded either.
#[must_use]
pub fn prerequisites(changes: &[Change]) -> BTreeMap<String, Vec<Prerequisite>> {
    let mut needs: BTreeMap<String, Vec<Prerequisite>> = BTreeMap::new();
    for change in changes {
        let mut add = |key: &str, because: String| {
            needs
                .entry(change.key.clone())
                .or_default()
                .push(Prerequisite {
                    key: key.to_owned(),
                    because,
                });
        };
        match &change.action {
            Action::Create(create) => {
                if let Some(key) = created_by(&create.parent) {
                    add(
                        key,
                        format!("parent `{}` was not created", create.parent.name()),
                    );
                }
            }
            Action::Update(update) => {
                if let Some((_, new)) = update.parent_change()
                    && let Some(key) = created_by(new)
                {
                    add(key, format!("new parent `{}` was not created", new.name()));
                }
            }
            Action::Delete(delete) => {
                if let Some(target) = &delete.transfer_to
                    && let Some(key) = created_by(target)
                {
                    add(
                        key,
                        format!(
                            "`{}`, which takes over its children, was not created",
                            target.name()
                        ),
                    );
                }
                if delete.transfer_to.is_none() {
                    for other in changes {
                        if let Some(because) = empties(other, &delete.id) {
                            add(&other.key, because);
                        }
                    }
                }
            }
            Action::Remove(records) | Action::Assign(records) => {
                for territory in &records.territories {
                    if let Some(key) = created_by(territory) {
                        add(
                            key,
                            format!("territory `{}` was not created", territory.name()),
                        );
                    }
                }
            }
        }
    }
    needs
}

fn created_by(territory: &TerritoryRef) -> Option<&str> {
    match territory {
        TerritoryRef::AfterApply { change, .. } => Some(change),
        TerritoryRef::Existing { .. } => None,
    }
}

/// Whether `change` takes a child away from territory `id` (deletes it, or moves it
/// elsewhere by a `PUT`), and how to say it did not.
fn empties(change: &Change, id: &str) -> Option<String> {
    match &change.action {
        Action::Delete(child) if child.parent.id() == Some(id) => {
            Some(format!("its child `{}` was not deleted", child.name))
        }
        Action::Update(update) => update.fields.iter().find_map(|field| match field {
            FieldChange::Parent {
                old,
                by_transfer_of: None,
                ..
            } if old.id() == Some(id) => {
                Some(format!("its child `{}` was not moved away", update.name))
            }
            _ => None,
        }),
        _ => None,
    }
}

impl Plan {
    /// The keys of the changes that must succeed before the change `key` is sent, sorted: its
    /// [`prerequisites`]. Empty for an unknown key.
    #[must_use]
    pub fn depends_on(&self, key: &str) -> Vec<&str> {
        let mut needs: Vec<&str> = prerequisites(&self.changes)
            .remove(key)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|need| self.change(&need.key).map(|change| change.key.as_str()))
            .collect();
        needs.sort_unstable();
        needs.dedup();
        needs
    }
}
