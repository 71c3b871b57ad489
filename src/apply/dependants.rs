//! Skipping what depends on a failure: a change whose prerequisite (by the one rule,
//! [`crate::plan::prerequisites`]) did not succeed is skipped with the reason, and everything
//! independent goes on.

use std::collections::BTreeMap;

use super::outcome::Outcome;
pub use crate::plan::{Prerequisite, prerequisites};

/// The first prerequisite that did not succeed, as the reason to skip; `None` when the change
/// can go. A prerequisite without an outcome yet is not judged (the plan put it in the same
/// wave, so it cannot be a real dependency).
#[must_use]
pub fn blocked_by(needs: &[Prerequisite], outcomes: &BTreeMap<String, Outcome>) -> Option<String> {
    needs.iter().find_map(|need| {
        outcomes
            .get(&need.key)
            .filter(|outcome| !outcome.succeeded())
            .map(|outcome| match outcome {
                // Sending it could be refused, or act on a state no one planned: it waits.
                Outcome::Unknown { .. } => format!(
                    "{} as far as can be told (its outcome is unknown, so this waits for the next run)",
                    need.because
                ),
                _ => need.because.clone(),
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Permission;
    use crate::plan::{Action, Change, Create, Delete, FieldChange, TerritoryRef, Update};

    fn existing(id: &str, name: &str) -> TerritoryRef {
        TerritoryRef::Existing {
            id: id.into(),
            name: name.into(),
        }
    }

    fn create(name: &str, parent: TerritoryRef) -> Change {
        Change {
            key: format!("create:{name}"),
            wave: 1,
            depth: 1,
            path: Vec::new(),
            action: Action::Create(Box::new(Create {
                fields: crate::model::Fields::new(name, parent, Permission::ReadOnly),
            })),
        }
    }

    fn delete(id: &str, name: &str, parent: TerritoryRef) -> Change {
        Change {
            key: format!("delete:{id}"),
            wave: 3,
            depth: 1,
            path: Vec::new(),
            action: Action::Delete(Delete {
                id: id.into(),
                name: name.into(),
                parent,
                transfer_to: None,
                transferred_children: Vec::new(),
            }),
        }
    }

    fn moved(id: &str, name: &str, old: TerritoryRef, by_transfer_of: Option<&str>) -> Change {
        Change {
            key: format!("update:{id}"),
            wave: 2,
            depth: 2,
            path: Vec::new(),
            action: Action::Update(Update {
                id: id.into(),
                name: name.into(),
                fields: vec![FieldChange::Parent {
                    old,
                    new: existing("1", "Root"),
                    by_transfer_of: by_transfer_of.map(str::to_owned),
                }],
                permission: Some(Permission::ReadOnly),
            }),
        }
    }

    /// Where `Plan::depends_on` once had a rule of its own, the one rule is apply's: a move a
    /// transfer carries out does not wait for the transfer (its outcome follows it); a transfer
    /// waits for a new target, not for its children (Zoho moves them all); an assignment does
    /// not wait for the removal from the same record.
    #[test]
    fn the_rule_apply_skips_by_in_the_three_cases_the_plan_counted_apart() {
        let records = |key: &str, territories: Vec<TerritoryRef>| Change {
            key: key.into(),
            wave: 4,
            depth: 0,
            path: Vec::new(),
            action: {
                let records = crate::plan::RecordTerritories {
                    module: crate::model::Module::Accounts,
                    record_id: "9".into(),
                    territories,
                    automatic: Vec::new(),
                };
                if key.starts_with("assign") {
                    Action::Assign(records)
                } else {
                    Action::Remove(records)
                }
            },
        };
        let new = TerritoryRef::AfterApply {
            change: "create:new".into(),
            name: "New".into(),
        };
        let mut transfer = delete("5", "Old", existing("1", "Root"));
        if let Action::Delete(delete) = &mut transfer.action {
            delete.transfer_to = Some(new.clone());
        }
        let changes = vec![
            create("new", existing("1", "Root")),
            moved("6", "Child", existing("5", "Old"), Some("delete:5")),
            delete("7", "Gone", existing("5", "Old")),
            transfer,
            records("remove:Accounts:9", vec![existing("5", "Old")]),
            records("assign:Accounts:9", vec![existing("1", "Root")]),
        ];
        let needs = prerequisites(&changes);
        let keys = |key: &str| -> Vec<&str> {
            needs
                .get(key)
                .map(|needs| needs.iter().map(|need| need.key.as_str()).collect())
                .unwrap_or_default()
        };
        assert!(keys("update:6").is_empty());
        assert_eq!(keys("delete:5"), ["create:new"]);
        assert!(keys("assign:Accounts:9").is_empty());
    }

    #[test]
    fn a_deletion_waits_only_for_what_empties_it() {
        let mut handing_over = delete("8", "Old Asia", existing("1", "Root"));
        if let Action::Delete(delete) = &mut handing_over.action {
            delete.transfer_to = Some(existing("1", "Root"));
        }
        let changes = vec![
            // Moves away from 5 by `PUT`: 5 waits for it.
            moved("7", "Spain", existing("5", "Old Europe"), None),
            // A move from elsewhere: nothing to do with 5.
            moved("9", "Japan", existing("4", "Asia"), None),
            // A move carried out by the transfer of 8: not sent, so not waited for.
            moved("10", "China", existing("8", "Old Asia"), Some("delete:8")),
            delete("6", "Old Italy", existing("8", "Old Asia")),
            delete("5", "Old Europe", existing("1", "Root")),
            handing_over,
        ];
        let needs = prerequisites(&changes);
        let keys = |key: &str| -> Vec<&str> {
            needs
                .get(key)
                .map(|needs| needs.iter().map(|need| need.key.as_str()).collect())
                .unwrap_or_default()
        };
        assert_eq!(keys("delete:5"), ["update:7"]);
        // A deletion that hands children over needs nothing emptied (its transfer target
        // exists already).
        assert!(keys("delete:8").is_empty(), "{:?}", keys("delete:8"));
        assert!(keys("update:9").is_empty());
        assert!(keys("update:10").is_empty());
    }

    #[test]
    fn children_moves_and_deletions_wait_for_what_they_need() {
        let changes = vec![
            create("emea", existing("1", "Root")),
            create(
                "france",
                TerritoryRef::AfterApply {
                    change: "create:emea".into(),
                    name: "EMEA".into(),
                },
            ),
            Change {
                key: "update:7".into(),
                wave: 2,
                depth: 2,
                path: Vec::new(),
                action: Action::Update(Update {
                    id: "7".into(),
                    name: "Spain".into(),
                    fields: vec![FieldChange::Parent {
                        old: existing("5", "Old Europe"),
                        new: TerritoryRef::AfterApply {
                            change: "create:emea".into(),
                            name: "EMEA".into(),
                        },
                        by_transfer_of: None,
                    }],
                    permission: Some(Permission::ReadOnly),
                }),
            },
            delete("6", "Old Italy", existing("5", "Old Europe")),
            delete("5", "Old Europe", existing("1", "Root")),
        ];
        let needs = prerequisites(&changes);
        let keys = |key: &str| -> Vec<(&str, &str)> {
            needs[key]
                .iter()
                .map(|need| (need.key.as_str(), need.because.as_str()))
                .collect()
        };
        assert!(!needs.contains_key("create:emea"));
        assert_eq!(
            keys("create:france"),
            [("create:emea", "parent `EMEA` was not created")]
        );
        assert_eq!(
            keys("update:7"),
            [("create:emea", "new parent `EMEA` was not created")]
        );
        assert_eq!(
            keys("delete:5"),
            [
                ("update:7", "its child `Spain` was not moved away"),
                ("delete:6", "its child `Old Italy` was not deleted"),
            ]
        );

        let mut outcomes = BTreeMap::new();
        outcomes.insert("update:7".to_owned(), Outcome::Done { id: None });
        assert_eq!(blocked_by(&needs["delete:5"], &outcomes), None);
        outcomes.insert(
            "delete:6".to_owned(),
            Outcome::Unknown {
                reason: "lost".into(),
            },
        );
        assert_eq!(
            blocked_by(&needs["delete:5"], &outcomes).as_deref(),
            Some(
                "its child `Old Italy` was not deleted as far as can be told (its outcome is unknown, so this waits for the next run)"
            )
        );
    }
}
