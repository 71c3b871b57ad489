//! Record assignments: the manual territories of each record listed in `assignments`.

use std::collections::{BTreeMap, BTreeSet};

use super::change::{Action, Change, RecordTerritories, TerritoryRef};
use super::error::Problem;
use crate::model::{AssignedHow, Desired, Live, Module, NameKey};

/// Record changes from `assignments`: for each listed record, its manual territories become
/// exactly the listed ones. Automatic territories are never removed; a listed territory the
/// record already has automatically needs no assignment. Removing a territory the plan
/// deletes is left to the deletion, which takes it off every record.
///
/// `reference` says how changes refer to a desired territory by name, `deleted` whether the
/// plan deletes a live territory (by id): the diff knows both.
pub(crate) fn record_changes(
    desired: &Desired,
    live: &Live,
    reference: impl Fn(&str) -> TerritoryRef,
    deleted: impl Fn(&str) -> bool,
) -> Result<Vec<Change>, Vec<Problem>> {
    let mut changes = Vec::new();
    let mut problems = Vec::new();
    for (module, records) in &desired.assignments {
        for (record_id, names) in records {
            let Some(record) = live
                .records
                .get(module)
                .and_then(|records| records.get(record_id))
            else {
                problems.push(Problem::UnknownRecord {
                    module: *module,
                    record_id: record_id.clone(),
                });
                continue;
            };
            let wanted: BTreeMap<NameKey, TerritoryRef> = names
                .iter()
                .map(|name| (NameKey::new(name), reference(name)))
                .collect();
            let wanted_ids: BTreeSet<&str> = wanted.values().filter_map(TerritoryRef::id).collect();
            let mut automatic: Vec<String> = Vec::new();
            let mut present: BTreeSet<&str> = BTreeSet::new();
            let mut remove = Vec::new();
            for territory in &record.territories {
                present.insert(&territory.id);
                match territory.how {
                    AssignedHow::Automatically => automatic.push(territory.name.clone()),
                    AssignedHow::Manually => {
                        let gone = deleted(&territory.id);
                        if !wanted_ids.contains(territory.id.as_str()) && !gone {
                            remove.push(TerritoryRef::Existing {
                                id: territory.id.clone(),
                                name: territory.name.clone(),
                            });
                        }
                    }
                }
            }
            automatic.sort_by_key(|name| NameKey::new(name));
            let mut assign: Vec<TerritoryRef> = wanted
                .values()
                .filter(|reference| reference.id().is_none_or(|id| !present.contains(id)))
                .cloned()
                .collect();
            let kept_automatic = record
                .territories
                .iter()
                .filter(|territory| {
                    territory.how == AssignedHow::Automatically
                        && !wanted_ids.contains(territory.id.as_str())
                })
                .count();
            let total = wanted.len() + kept_automatic;
            if total > module.max_territories_per_record() {
                problems.push(Problem::RecordLimit {
                    module: *module,
                    record_id: record_id.clone(),
                    count: total,
                    automatic: kept_automatic,
                });
                continue;
            }
            let by_name = |left: &TerritoryRef, right: &TerritoryRef| {
                NameKey::new(left.name()).cmp(&NameKey::new(right.name()))
            };
            remove.sort_by(by_name);
            assign.sort_by(by_name);
            if !remove.is_empty() {
                changes.push(record_change(
                    "remove", *module, record_id, remove, &automatic,
                ));
            }
            if !assign.is_empty() {
                changes.push(record_change(
                    "assign", *module, record_id, assign, &automatic,
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(changes)
    } else {
        Err(problems)
    }
}

fn record_change(
    verb: &str,
    module: Module,
    record_id: &str,
    territories: Vec<TerritoryRef>,
    automatic: &[String],
) -> Change {
    let records = RecordTerritories {
        module,
        record_id: record_id.to_owned(),
        territories,
        automatic: automatic.to_vec(),
    };
    Change {
        key: format!("{verb}:{module}:{record_id}"),
        wave: 0,
        depth: 0,
        path: Vec::new(),
        action: if verb == "remove" {
            Action::Remove(records)
        } else {
            Action::Assign(records)
        },
    }
}
