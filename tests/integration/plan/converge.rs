//! A plan carried out on the live model, wave by wave, as Zoho would: every step must be
//! possible at its moment (parents exist, no territory with children is deleted without a
//! transfer, no record over its limit), and planning again must find nothing left to do.

use std::collections::BTreeMap;

use territoryctl::model::{
    AssignedHow, Live, LiveTerritory, Module, Permission, RecordTerritory, Unmanaged, UserRef,
};
use territoryctl::plan::{Action, FieldChange, Plan, TerritoryRef};

use super::assert_renderings;
use super::scenario::{ACCOUNT, DEAL, Scenario, echo, territory};

fn resolve(reference: &TerritoryRef, created: &BTreeMap<String, String>) -> String {
    match reference {
        TerritoryRef::Existing { id, .. } => id.clone(),
        TerritoryRef::AfterApply { change, .. } => created
            .get(change)
            .cloned()
            .unwrap_or_else(|| panic!("{change} is not created yet")),
    }
}

fn territory_mut<'a>(live: &'a mut Live, id: &str) -> &'a mut LiveTerritory {
    live.territories
        .iter_mut()
        .find(|territory| territory.id == id)
        .unwrap_or_else(|| panic!("territory {id} does not exist"))
}

/// Carries `plan` out on `live`, checking that each request would be accepted when it is sent.
fn apply(plan: &Plan, live: &mut Live) {
    let mut created: BTreeMap<String, String> = BTreeMap::new();
    let mut next_id = 431_581_000_000_900_000_u64;
    for wave in &plan.schedule {
        for key in wave.batches.iter().flat_map(|batch| &batch.changes) {
            let change = plan.change(key).expect("batched changes exist");
            match &change.action {
                Action::Create(create) => {
                    let parent = resolve(&create.parent, &created);
                    assert!(live.territory(&parent).is_some(), "{key}: parent exists");
                    next_id += 1;
                    let mut rules = create.rules.clone();
                    for module in territoryctl::model::RuleModule::ALL {
                        if let Some(criteria) = rules.get_mut(module) {
                            echo(criteria, &live.users);
                        }
                    }
                    live.territories.push(LiveTerritory {
                        id: next_id.to_string(),
                        fields: territoryctl::model::Fields {
                            manager: create.manager.as_ref().map(|manager| UserRef {
                                id: manager.id.clone(),
                                name: manager.name.clone(),
                            }),
                            description: create.description.clone(),
                            rules,
                            ..territoryctl::model::Fields::new(
                                create.name.clone(),
                                Some(parent),
                                create.permission,
                            )
                        },
                        modified_time: None,
                    });
                    created.insert(key.clone(), next_id.to_string());
                }
                Action::Update(update) => {
                    for field in &update.fields {
                        let target = territory_mut(live, &update.id);
                        match field {
                            FieldChange::Name { new, .. } => target.name.clone_from(new),
                            FieldChange::Parent {
                                new,
                                by_transfer_of: None,
                                ..
                            } => {
                                let parent = resolve(new, &created);
                                target.parent = Some(parent);
                            }
                            FieldChange::Parent { .. } => {}
                            FieldChange::Manager { new, .. } => {
                                target.manager = new.as_ref().map(|manager| UserRef {
                                    id: manager.id.clone(),
                                    name: None,
                                });
                            }
                            FieldChange::Permission { new, .. } => target.permission = *new,
                            FieldChange::Description { new, .. } => {
                                target.description = Some(new.clone().unwrap_or_default());
                            }
                            FieldChange::Rules { module, new, .. } => {
                                *target.rules.get_mut(*module) = new.clone();
                            }
                            FieldChange::Users { new, .. } => {
                                target.users = Some(
                                    new.iter()
                                        .map(|user| UserRef {
                                            id: user.id.clone(),
                                            name: None,
                                        })
                                        .collect(),
                                );
                            }
                        }
                    }
                }
                Action::Delete(delete) => {
                    let children: Vec<String> = live
                        .territories
                        .iter()
                        .filter(|territory| territory.parent.as_deref() == Some(&delete.id))
                        .map(|territory| territory.id.clone())
                        .collect();
                    match &delete.transfer_to {
                        Some(target) => {
                            let target = resolve(target, &created);
                            for child in children {
                                territory_mut(live, &child).parent = Some(target.clone());
                            }
                        }
                        None => assert!(children.is_empty(), "{key}: deleting a parent"),
                    }
                    live.territories
                        .retain(|territory| territory.id != delete.id);
                    for record in live
                        .records
                        .values_mut()
                        .flat_map(|records| records.values_mut())
                    {
                        record
                            .territories
                            .retain(|territory| territory.id != delete.id);
                    }
                }
                Action::Remove(records) | Action::Assign(records) => {
                    let ids: Vec<(String, String)> = records
                        .territories
                        .iter()
                        .map(|reference| {
                            (resolve(reference, &created), reference.name().to_owned())
                        })
                        .collect();
                    let record = live
                        .records
                        .get_mut(&records.module)
                        .and_then(|all| all.get_mut(&records.record_id))
                        .expect("the record exists");
                    if matches!(change.action, Action::Remove(_)) {
                        for (id, _) in &ids {
                            assert!(
                                record
                                    .territories
                                    .iter()
                                    .any(|t| &t.id == id && t.how == AssignedHow::Manually),
                                "{key}: removing a territory the record has by hand"
                            );
                        }
                        record
                            .territories
                            .retain(|territory| !ids.iter().any(|(id, _)| *id == territory.id));
                    } else {
                        for (id, name) in ids {
                            record.territories.push(RecordTerritory {
                                id,
                                name,
                                how: AssignedHow::Manually,
                                assigned_by: None,
                                assigned_time: None,
                            });
                        }
                        assert!(
                            record.territories.len() <= records.module.max_territories_per_record(),
                            "{key}: over the record limit"
                        );
                    }
                }
            }
        }
    }
}

fn assert_converges(mut scenario: Scenario) {
    let plan = scenario.planned();
    assert!(plan.has_changes());
    apply(&plan, &mut scenario.live);
    let again = scenario.planned();
    assert!(!again.has_changes(), "left to do: {:#?}", again.changes);
}

/// Acme with a create, a subtree, a swap, a rename, field updates, deletions (one handing a
/// child over) and record changes.
fn every_kind() -> Scenario {
    let mut scenario = Scenario::acme();
    scenario.desired.unmanaged = Unmanaged::Delete;
    scenario.add_live("431581000000799002", "EMEA", "Acme Corp");
    scenario.live_territory("Europe").parent = Some("431581000000799002".into());
    scenario.add_live("431581000000799003", "Legacy", "Canada");
    scenario.desired_territory("United States").parent = "Acme Corp".into();
    scenario.desired_territory("North America").parent = "United States".into();
    scenario.desired_territory("France").permission = Permission::ReadOnly;
    scenario.desired_territory("France").description = Some("Paris and beyond".into());
    scenario.desired_territory("Canada").manager = Some("amy.chen@acme.example".into());
    let germany = scenario.desired_territory("Germany");
    germany.name = "DACH".into();
    germany.previously = vec!["Germany".into()];
    scenario
        .desired
        .territories
        .push(territory("Asia Pacific", "Acme Corp"));
    scenario
        .desired
        .territories
        .push(territory("Japan", "Asia Pacific"));
    scenario
        .desired
        .territories
        .push(territory("Canada West", "Canada"));
    scenario.desired_territory("Canada").parent = "Japan".into();
    let assignments = &mut scenario.desired.assignments;
    assignments
        .get_mut(&Module::Deals)
        .expect("deals")
        .insert(DEAL.into(), vec!["France".into()]);
    assignments
        .get_mut(&Module::Accounts)
        .expect("accounts")
        .insert(ACCOUNT.into(), vec!["Japan".into(), "Canada West".into()]);
    scenario.policy.max_change_percent = 100;
    scenario
}

#[test]
fn a_plan_with_every_kind_of_change_converges() {
    let scenario = every_kind();
    assert_renderings!("every_kind", scenario.planned());
    assert_converges(scenario);
}

#[test]
fn deleting_a_whole_branch_with_survivors_converges() {
    let mut scenario = Scenario::acme();
    scenario.desired.unmanaged = Unmanaged::Delete;
    scenario.add_live("431581000000799010", "Old", "Acme Corp");
    scenario.add_live("431581000000799011", "Older", "Old");
    scenario.live_territory("North America").parent = Some("431581000000799011".into());
    scenario.add_live("431581000000799012", "Oldest", "Older");
    scenario.policy.max_change_percent = 100;
    let plan = scenario.planned();
    // Oldest first, then Older (handing North America to the root), then Old.
    let waves: Vec<usize> = [
        "431581000000799012",
        "431581000000799011",
        "431581000000799010",
    ]
    .iter()
    .map(|id| plan.change(&format!("delete:{id}")).expect("deleted").wave)
    .collect();
    assert!(waves[0] < waves[1] && waves[1] < waves[2], "{waves:?}");
    assert_converges(scenario);
}

#[test]
fn each_change_names_the_changes_it_needs_first() {
    let scenario = every_kind();
    let plan = scenario.planned();
    let update = |name: &str| format!("update:{}", scenario.live_id(name));
    assert_eq!(plan.depends_on("create:japan"), ["create:asia pacific"]);
    assert_eq!(plan.depends_on(&update("Canada")), ["create:japan"]);
    // EMEA's parent survives: Europe moves by PUT first, then EMEA goes by a plain DELETE.
    assert!(plan.depends_on(&update("Europe")).is_empty());
    assert_eq!(
        plan.depends_on("delete:431581000000799002"),
        [update("Europe")]
    );
    // The removal from the same record comes in an earlier phase, but is not a prerequisite:
    // apply sends the assignment whether or not the removal succeeded (one rule, apply's).
    assert_eq!(
        plan.depends_on(&format!("assign:Accounts:{ACCOUNT}")),
        ["create:canada west", "create:japan"]
    );
    assert!(plan.depends_on("create:asia pacific").is_empty());
    assert!(plan.depends_on("no such change").is_empty());
}
