//! Writes: per-item results in request order, and no write done twice when a response is lost.

use std::collections::BTreeMap;

use territoryctl::model::{
    Comparator, Criteria, Module, Permission, Rule, RuleModule, RuleValue, Scalar, Value,
};
use territoryctl::zoho::{
    ItemOutcome, NewTerritory, RecordTerritories, RemoteError, TerritoryChange, Transfer,
};
use zoho_crm_sim::Faults;
use zoho_crm_sim::state::Record;

use super::harness::Sim;

fn new_territory(name: &str, parent_id: &str) -> NewTerritory {
    NewTerritory {
        description: Some(format!("{name} region")),
        ..NewTerritory::new(name, parent_id.into(), Permission::ReadWriteDelete)
    }
}

fn root_id(sim: &Sim) -> String {
    sim.server().state().root().unwrap().id.clone()
}

fn count_named(sim: &Sim, name: &str) -> usize {
    sim.server()
        .state()
        .territories
        .iter()
        .filter(|territory| territory.name.eq_ignore_ascii_case(name))
        .count()
}

#[tokio::test]
async fn batch_results_come_per_item_in_request_order() {
    let mut sim = Sim::with_org().await;
    let client = sim.writer();
    let root = root_id(&sim);
    let first = sim.capture(
        client
            .create_territories(&[new_territory("EMEA", &root)])
            .await
            .unwrap(),
    );
    assert!(matches!(&first[0], ItemOutcome::Done { .. }), "{first:?}");

    let outcomes = sim.capture(
        client
            .create_territories(&[
                new_territory("APAC", &root),
                new_territory("emea", &root),
                new_territory("LATAM", &root),
            ])
            .await
            .unwrap(),
    );

    assert!(
        matches!(&outcomes[0], ItemOutcome::Done { .. }),
        "{outcomes:?}"
    );
    assert!(
        matches!(&outcomes[1], ItemOutcome::Failed(error) if error.code == "DUPLICATE_DATA"),
        "{outcomes:?}"
    );
    assert!(
        matches!(&outcomes[2], ItemOutcome::Done { .. }),
        "{outcomes:?}"
    );
    let ItemOutcome::Done { id, .. } = &outcomes[2] else {
        unreachable!()
    };
    assert_eq!(sim.server().state().territory(id).unwrap().name, "LATAM");
}

#[tokio::test]
async fn more_than_ten_items_are_refused_before_sending() {
    let mut sim = Sim::with_org().await;
    let client = sim.writer();
    let root = root_id(&sim);
    let items: Vec<_> = (0..11)
        .map(|i| new_territory(&format!("T{i}"), &root))
        .collect();
    let error = client.create_territories(&items).await.unwrap_err();
    sim.capture_error(&error);
    assert!(matches!(
        error,
        RemoteError::BatchTooLarge { items: 11, max: 10 }
    ));
    assert_eq!(client.requests(), 0);
}

#[tokio::test]
async fn a_lost_create_response_does_not_create_twice() {
    let mut sim = Sim::with_org().await;
    let client = sim.writer();
    let root = root_id(&sim);
    sim.faults(Faults {
        lost_response_rate: 1.0,
        ..Faults::default()
    });
    let outcomes = client
        .create_territories(&[new_territory("EMEA", &root), new_territory("APAC", &root)])
        .await;
    // With every response lost, the reads that check are lost too: the outcome is unknown,
    // and the create is not sent again.
    let outcomes = sim.capture(outcomes.unwrap());
    assert!(
        outcomes
            .iter()
            .all(|outcome| matches!(outcome, ItemOutcome::Unknown { .. })),
        "{outcomes:?}"
    );
    assert_eq!(count_named(&sim, "EMEA"), 1, "applied once");
    assert_eq!(sim.counters().writes, 1, "the create was not sent again");
}

#[tokio::test]
async fn a_lost_create_response_is_found_by_reading_back() {
    let mut sim = Sim::with_org().await;
    let client = sim.writer();
    let root = root_id(&sim);
    // Seed 3 loses the first response (the create) and answers the reads after it.
    sim.faults(Faults {
        seed: 3,
        lost_response_rate: 0.5,
        ..Faults::default()
    });
    let outcomes = sim.capture(
        client
            .create_territories(&[new_territory("EMEA", &root), new_territory("APAC", &root)])
            .await
            .unwrap(),
    );
    let state = sim.server().state();
    for (outcome, name) in outcomes.iter().zip(["EMEA", "APAC"]) {
        let ItemOutcome::Done { id, .. } = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(state.territory(id).unwrap().name, name);
        assert_eq!(count_named(&sim, name), 1, "created exactly once");
    }
    assert_eq!(sim.counters().writes, 1, "the create was sent once");
    assert!(
        sim.captured()
            .iter()
            .any(|line| line.starts_with("POST /crm/v8/settings/territories ---")),
        "the create's response was lost: {:#?}",
        sim.captured()
    );
}

#[tokio::test]
async fn a_create_answered_with_500_is_not_repeated_and_found_not_applied() {
    let mut sim = Sim::with_org().await;
    let client = sim.writer();
    let root = root_id(&sim);
    // Seed 5: the first request (the create) gets 500, the check reads mostly succeed.
    sim.faults(Faults {
        seed: 5,
        error_rate: 0.5,
        ..Faults::default()
    });
    let outcomes = sim.capture(
        client
            .create_territories(&[new_territory("EMEA", &root)])
            .await
            .unwrap(),
    );
    assert!(
        matches!(&outcomes[0], ItemOutcome::Failed(error) if error.code == "NOT_APPLIED"),
        "{outcomes:?}"
    );
    assert_eq!(sim.counters().writes, 1);
    assert_eq!(count_named(&sim, "EMEA"), 0);
    assert!(
        sim.captured()
            .iter()
            .any(|line| line.starts_with("POST /crm/v8/settings/territories 500"))
    );
}

#[tokio::test]
async fn update_delete_and_transfer_round_trip() {
    let mut sim = Sim::with_org().await;
    let client = sim.writer();
    let root = root_id(&sim);
    let created = sim.capture(
        client
            .create_territories(&[new_territory("EMEA", &root), new_territory("APAC", &root)])
            .await
            .unwrap(),
    );
    let ids: Vec<String> = created
        .iter()
        .map(|outcome| match outcome {
            ItemOutcome::Done { id, .. } => id.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    let child = sim.capture(
        client
            .create_territories(&[new_territory("DACH", &ids[0])])
            .await
            .unwrap(),
    );
    let ItemOutcome::Done { id: child_id, .. } = &child[0] else {
        panic!("{child:?}")
    };

    let rule = Criteria::Rule(Rule {
        field: "Billing_Country".into(),
        comparator: Comparator::Equal,
        value: RuleValue::One(Scalar::Text("Germany".into())),
    });
    sim.server().update_state(|state| {
        state.fields.insert(
            "Accounts".into(),
            vec![zoho_crm_sim::state::Field {
                id: "9000001".into(),
                api_name: "Billing_Country".into(),
                field_label: "Billing Country".into(),
                data_type: "text".into(),
                pick_list_values: Vec::new(),
                custom_field: false,
                length: None,
            }],
        );
    });
    let updated = sim.capture(
        client
            .update_territories(&[TerritoryChange {
                id: child_id.clone(),
                set: vec![
                    Value::Permission(Permission::ReadOnly),
                    Value::Description(None),
                    Value::Rules(RuleModule::Accounts, Some(rule.clone())),
                ],
                ..TerritoryChange::default()
            }])
            .await
            .unwrap(),
    );
    assert!(
        matches!(&updated[0], ItemOutcome::Done { .. }),
        "{updated:?}"
    );
    let live = sim.capture(client.territory(child_id).await.unwrap().unwrap());
    assert_eq!(live.permission, Permission::ReadOnly);
    assert_eq!(live.description, None);
    assert_eq!(live.rules.accounts, Some(rule));

    // DACH has a child: plain delete is refused per item; transfer_and_delete moves Berlin to
    // the root, which is above DACH's parent as Zoho's Transfer and Delete page asks.
    let grandchild = sim.capture(
        client
            .create_territories(&[new_territory("Berlin", child_id)])
            .await
            .unwrap(),
    );
    let ItemOutcome::Done { id: berlin, .. } = &grandchild[0] else {
        panic!("{grandchild:?}")
    };
    let refused = sim.capture(
        client
            .delete_territories(std::slice::from_ref(child_id), false)
            .await
            .unwrap(),
    );
    assert!(
        matches!(&refused[0], ItemOutcome::Failed(error) if error.code == "NOT_ALLOWED"),
        "{refused:?}"
    );
    let transferred = sim.capture(
        client
            .transfer_and_delete(
                &[Transfer {
                    id: child_id.clone(),
                    transfer_to_id: root.clone(),
                }],
                false,
            )
            .await
            .unwrap(),
    );
    assert!(
        matches!(&transferred[0], ItemOutcome::Done { .. }),
        "{transferred:?}"
    );
    let state = sim.server().state();
    assert!(state.territory(child_id).is_none());
    assert_eq!(
        state.territory(berlin).unwrap().reporting_to.as_deref(),
        Some(root.as_str())
    );

    let deleted = sim.capture(
        client
            .delete_territories(&[ids[1].clone()], true)
            .await
            .unwrap(),
    );
    assert!(
        matches!(&deleted[0], ItemOutcome::Done { .. }),
        "{deleted:?}"
    );
    assert!(sim.server().state().territory(&ids[1]).is_none());
}

#[tokio::test]
async fn records_get_and_lose_territories() {
    let mut sim = Sim::with_org().await;
    let client = sim.writer();
    let root = root_id(&sim);
    sim.server().update_state(|state| {
        state.records.insert(
            "Accounts".into(),
            vec![Record {
                id: "7000001".into(),
                fields: BTreeMap::new(),
                territories: Vec::new(),
                locked: false,
            }],
        );
    });
    let created = sim.capture(
        client
            .create_territories(&[new_territory("EMEA", &root)])
            .await
            .unwrap(),
    );
    let ItemOutcome::Done { id, .. } = &created[0] else {
        panic!("{created:?}")
    };
    let item = RecordTerritories {
        record_id: "7000001".into(),
        territory_ids: vec![id.clone()],
    };

    let assigned = sim.capture(
        client
            .assign_territories(Module::Accounts, std::slice::from_ref(&item))
            .await
            .unwrap(),
    );
    assert!(
        matches!(&assigned[0], ItemOutcome::Done { .. }),
        "{assigned:?}"
    );
    let records = sim.capture(
        client
            .records(Module::Accounts, &["7000001".into()])
            .await
            .unwrap(),
    );
    assert_eq!(records[0].territories.len(), 1);
    assert_eq!(&records[0].territories[0].id, id);

    let removed = sim.capture(
        client
            .remove_territories(Module::Accounts, &[item])
            .await
            .unwrap(),
    );
    assert!(
        matches!(&removed[0], ItemOutcome::Done { .. }),
        "{removed:?}"
    );
    let records = sim.capture(
        client
            .records(Module::Accounts, &["7000001".into()])
            .await
            .unwrap(),
    );
    assert!(records[0].territories.is_empty());
}

#[tokio::test]
async fn a_rate_limited_write_is_sent_again_and_applied_once() {
    let mut sim = Sim::with_org().await;
    let client = sim.writer();
    let root = root_id(&sim);
    sim.faults(Faults {
        credits: Some(0),
        ..Faults::default()
    });
    let creating = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .create_territories(&[new_territory("EMEA", &root)])
                .await
        }
    });
    while !sim.captured().iter().any(|line| line.contains(" 429 ")) {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    sim.faults(Faults::default());
    let outcomes = sim.capture(creating.await.unwrap().unwrap());
    assert!(
        matches!(&outcomes[0], ItemOutcome::Done { .. }),
        "{outcomes:?}"
    );
    assert_eq!(count_named(&sim, "EMEA"), 1);
    assert!(
        sim.counters().writes >= 2,
        "a 429 never reached Zoho's logic, so it was sent again"
    );
}

#[tokio::test]
async fn a_write_whose_connection_dropped_is_checked_not_repeated() {
    let mut sim = Sim::with_org().await;
    let client = sim.writer();
    let root = root_id(&sim);
    // Every connection is dropped before the request is applied; the check reads fail too.
    sim.faults(Faults {
        drop_rate: 1.0,
        ..Faults::default()
    });
    let outcomes = sim.capture(
        client
            .create_territories(&[new_territory("EMEA", &root)])
            .await
            .unwrap(),
    );
    assert!(
        matches!(&outcomes[0], ItemOutcome::Unknown { .. }),
        "{outcomes:?}"
    );
    assert_eq!(sim.counters().writes, 1, "not sent again");
    assert_eq!(count_named(&sim, "EMEA"), 0);
}
