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

#[cfg(test)]
mod tests {
    use crate::model::{LiveRecord, RecordTerritory, Unmanaged};

    use super::*;

    fn on_record(id: &str, how: AssignedHow) -> RecordTerritory {
        RecordTerritory {
            id: id.to_owned(),
            name: format!("T{id}"),
            how,
            assigned_by: None,
            assigned_time: None,
        }
    }

    /// The changes and problems for one Accounts record that has `has` and should have `wants`
    /// (names `T<id>` exist; others are created by the plan); territory `T99` is deleted.
    fn changes(has: Vec<RecordTerritory>, wants: &[&str]) -> Result<Vec<Change>, Vec<Problem>> {
        let desired = Desired {
            root: "Org".to_owned(),
            root_origin: None,
            unmanaged: Unmanaged::Delete,
            territories: Vec::new(),
            assignments: BTreeMap::from([(
                Module::Accounts,
                BTreeMap::from([(
                    "500".to_owned(),
                    wants.iter().map(|name| (*name).to_owned()).collect(),
                )]),
            )]),
        };
        let live = Live {
            records: BTreeMap::from([(
                Module::Accounts,
                BTreeMap::from([(
                    "500".to_owned(),
                    LiveRecord {
                        id: "500".to_owned(),
                        territories: has,
                    },
                )]),
            )]),
            ..Live::default()
        };
        record_changes(
            &desired,
            &live,
            |name| match name.strip_prefix('T') {
                Some(id) => TerritoryRef::Existing {
                    id: id.to_owned(),
                    name: name.to_owned(),
                },
                None => TerritoryRef::AfterApply {
                    change: format!("create:{}", name.to_lowercase()),
                    name: name.to_owned(),
                },
            },
            |id| id == "99",
        )
    }

    fn shown(change: &Change) -> (String, Vec<String>, Vec<String>) {
        let (Action::Assign(records) | Action::Remove(records)) = &change.action else {
            panic!("not a record change");
        };
        let names = records
            .territories
            .iter()
            .map(|territory| territory.name().to_owned())
            .collect();
        (change.key.clone(), names, records.automatic.clone())
    }

    #[test]
    fn manual_territories_become_the_listed_ones_and_automatic_ones_stay() {
        let has = vec![
            on_record("1", AssignedHow::Manually),
            on_record("2", AssignedHow::Manually),
            on_record("99", AssignedHow::Manually),
            on_record("3", AssignedHow::Automatically),
            on_record("4", AssignedHow::Automatically),
        ];
        // T1 kept, T2 removed, T99 left to its deletion, T4 already there automatically.
        let changes = changes(has, &["T1", "New", "T4"]).expect("no problem");
        let shown: Vec<_> = changes.iter().map(shown).collect();
        let names = |names: &[&str]| -> Vec<String> {
            names.iter().map(|name| (*name).to_owned()).collect()
        };
        assert_eq!(
            shown,
            [
                (
                    "remove:Accounts:500".to_owned(),
                    names(&["T2"]),
                    names(&["T3", "T4"])
                ),
                (
                    "assign:Accounts:500".to_owned(),
                    names(&["New"]),
                    names(&["T3", "T4"])
                ),
            ]
        );
    }

    #[test]
    fn the_limit_counts_the_listed_territories_and_the_automatic_ones_not_listed() {
        // Three automatic territories not listed, one listed (it counts once), one manual to
        // be removed (it does not count), and seven more listed: 8 + 3 = 11 > 10.
        let mut has: Vec<RecordTerritory> = ["1", "2", "3", "4"]
            .into_iter()
            .map(|id| on_record(id, AssignedHow::Automatically))
            .collect();
        has.push(on_record("5", AssignedHow::Manually));
        let wants = ["T4", "A", "B", "C", "D", "E", "F", "G"];
        assert_eq!(
            changes(has.clone(), &wants).expect_err("over the limit"),
            [Problem::RecordLimit {
                module: Module::Accounts,
                record_id: "500".to_owned(),
                count: 11,
                automatic: 3,
            }]
        );
        // One fewer listed: at the limit, allowed.
        assert!(changes(has, &wants[..7]).is_ok());
    }
}
