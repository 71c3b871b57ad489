//! Normalisation against the real echo: territories created from a plan through the client in
//! the simulator, loaded back through the client, plan to `No changes.`.

use std::collections::BTreeMap;

use territoryctl::model::{Comparator, Criteria, GroupOperator, Permission, RuleValue, Scalar};
use territoryctl::plan::{Action, Policy, TerritoryRef};
use territoryctl::zoho::{ConnectOptions, Connection, ItemOutcome, NewTerritory, load_live};
use zoho_crm_sim::State;
use zoho_crm_sim::state::Field;

use super::scenario::{rule, territory, text};

fn field(id: &str, api_name: &str, data_type: &str) -> Field {
    Field {
        id: id.into(),
        api_name: api_name.into(),
        field_label: api_name.replace('_', " "),
        data_type: data_type.into(),
        pick_list_values: Vec::new(),
        custom_field: false,
        length: None,
    }
}

#[tokio::test]
async fn what_a_plan_creates_plans_to_no_changes() {
    let dir = std::env::temp_dir().join(format!("territoryctl-roundtrip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let state_path = dir.join("org.json");
    let mut state = State::new_org("Acme Corp");
    state.fields.insert(
        "Accounts".into(),
        vec![
            field("9000001", "Billing_Country", "text"),
            field("9000002", "Annual_Revenue", "currency"),
        ],
    );
    std::fs::write(&state_path, serde_json::to_string(&state).expect("state")).expect("write");

    let mut north_america = territory("North America", "Acme Corp");
    north_america.manager = Some("patricia.boyle@example.com".into());
    north_america.description = Some("North of the Rio Grande".into());
    north_america.rules.accounts = Some(Criteria::Group {
        operator: GroupOperator::Or,
        items: vec![
            rule(
                "Billing_Country",
                Comparator::In,
                RuleValue::Many(vec![text("United States"), text("Canada")]),
            ),
            rule(
                "Annual_Revenue",
                Comparator::GreaterThan,
                RuleValue::One(Scalar::Number("1000000".into())),
            ),
        ],
    });
    let mut texas = territory("Texas", "North America");
    texas.permission = Permission::ReadOnly;
    texas.rules.accounts = Some(rule(
        "Billing_Country",
        Comparator::Equal,
        RuleValue::Many(vec![text("United States")]),
    ));
    let desired = territoryctl::model::Desired {
        root: "Acme Corp".into(),
        root_origin: None,
        unmanaged: territoryctl::model::Unmanaged::Report,
        territories: vec![north_america, texas],
        assignments: BTreeMap::new(),
    };

    let options = ConnectOptions {
        sandbox: Some(state_path),
        ..ConnectOptions::default()
    };
    let connection = Connection::open(options, |_| None).await.expect("sandbox");
    let reader = connection.read_client().expect("reader");
    let writer = connection.write_client().expect("writer");
    let live = load_live(&reader, &desired).await.expect("load");
    let plan = territoryctl::plan::plan(&desired, &live, &Policy::default()).expect("plan");
    assert_eq!(plan.summary.add, 2);

    let mut created: BTreeMap<String, String> = BTreeMap::new();
    for wave in &plan.schedule {
        for batch in &wave.batches {
            let items: Vec<NewTerritory> = batch
                .changes
                .iter()
                .map(|key| {
                    let Some(Action::Create(create)) = plan.change(key).map(|c| &c.action) else {
                        panic!("only creates in this plan");
                    };
                    NewTerritory {
                        manager: create.manager.as_ref().map(|manager| manager.id.clone()),
                        description: create.description.clone(),
                        rules: create.rules.clone(),
                        ..NewTerritory::new(
                            create.name.clone(),
                            match &create.parent {
                                TerritoryRef::Existing { id, .. } => id.clone(),
                                TerritoryRef::AfterApply { change, .. } => created[change].clone(),
                            },
                            create.permission,
                        )
                    }
                })
                .collect();
            let outcomes = writer.create_territories(&items).await.expect("create");
            for (key, outcome) in batch.changes.iter().zip(outcomes) {
                let ItemOutcome::Done { id, .. } = outcome else {
                    panic!("{key}: {outcome:?}");
                };
                created.insert(key.clone(), id);
            }
        }
    }

    let live = load_live(&reader, &desired).await.expect("load again");
    let echoed = live
        .territories
        .iter()
        .find(|territory| territory.name == "North America")
        .expect("created");
    assert!(
        echoed.rules.accounts.is_some(),
        "the criteria came back: {echoed:?}"
    );
    let again = territoryctl::plan::plan(&desired, &live, &Policy::default()).expect("plan");
    assert_eq!(territoryctl::render::text(&again, false), "No changes.\n");

    // And a real difference still shows.
    let mut changed = desired.clone();
    if let Some(Criteria::Group { items, .. }) = &mut changed.territories[0].rules.accounts {
        items[1] = rule(
            "Annual_Revenue",
            Comparator::GreaterThan,
            RuleValue::One(Scalar::Number("2000000".into())),
        );
    }
    let diff = territoryctl::plan::plan(&changed, &live, &Policy::default()).expect("plan");
    assert_eq!(diff.summary.change, 1);
    drop(connection);
    let _ = std::fs::remove_dir_all(&dir);
}
