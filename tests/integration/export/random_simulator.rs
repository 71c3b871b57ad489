//! The fifty random orgs again, this time served by the simulator: `export --sandbox` reads
//! each over HTTP, and the YAML loads back to what the client reads from the same org, and
//! plans to no changes.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};
use territoryctl::model::{Criteria, Live, RuleValue, Scalar};
use territoryctl::zoho::{ConnectOptions, Connection, load_live};
use zoho_crm_sim::State;

use super::equivalence::{assert_plan_has_no_changes, differences};
use super::random::random_live;
use super::support::export_sandbox;

/// A criteria in Zoho's wire shape, as the simulator stores it.
fn wire(criteria: &Criteria) -> Value {
    match criteria {
        Criteria::Rule(rule) => json!({
            "comparator": rule.comparator.as_str(),
            "field": { "api_name": rule.field },
            "value": match &rule.value {
                RuleValue::One(scalar) => wire_scalar(scalar),
                RuleValue::Many(values) => Value::Array(values.iter().map(wire_scalar).collect()),
            },
        }),
        Criteria::Group { operator, items } => json!({
            "group_operator": operator.wire(),
            "group": items.iter().map(wire).collect::<Vec<_>>(),
        }),
    }
}

fn wire_scalar(scalar: &Scalar) -> Value {
    match scalar {
        Scalar::Text(text) => Value::String(text.clone()),
        // Zoho sends numbers as JSON numbers; a spelling JSON has no number for stays text.
        Scalar::Number(number) => serde_json::from_str::<Value>(number)
            .ok()
            .filter(Value::is_number)
            .unwrap_or_else(|| Value::String(number.clone())),
        Scalar::Bool(value) => Value::Bool(*value),
        Scalar::Lookup { id, name } => json!({ "id": id, "name": name }),
    }
}

/// `live` as a simulator state: same names, hierarchy, managers, permissions, descriptions,
/// criteria and users; every rule field known to the field metadata.
fn state_of(live: &Live) -> State {
    let root = live.root().expect("a root");
    let mut state = State::new_org(&root.name);
    let template_user = state.users[0].clone();
    state.users.clear();
    for user in &live.users {
        let mut simulated = template_user.clone();
        simulated.id.clone_from(&user.id);
        simulated.email.clone_from(&user.email);
        simulated.last_name.clone_from(&user.full_name);
        state.users.push(simulated);
    }
    // The managers the generator makes inactive are users Zoho still knows.
    let mut former = template_user.clone();
    former.id = "7000000000099".to_owned();
    former.email = "former@globex.example".to_owned();
    former.status = "inactive".to_owned();
    state.users.push(former);
    state.org.current_user.clone_from(&live.users[0].id);

    for (module, fields) in &live.fields {
        let fields: Vec<Value> = fields
            .iter()
            .map(|field| {
                json!({
                    "id": field.id, "api_name": field.api_name,
                    "field_label": field.api_name, "data_type": field.data_type,
                })
            })
            .collect();
        state.fields.insert(
            module.module().api_name().to_owned(),
            serde_json::from_value(Value::Array(fields)).expect("field metadata"),
        );
    }

    let template = state.root().expect("a root").clone();
    let ids: BTreeMap<&str, String> = live
        .territories
        .iter()
        .enumerate()
        .map(|(index, territory)| {
            let id = if territory.parent.is_none() {
                template.id.clone()
            } else {
                format!("57257670000007{index:05}")
            };
            (territory.id.as_str(), id)
        })
        .collect();
    for territory in live.territories.iter().filter(|t| t.parent.is_some()) {
        let mut simulated = template.clone();
        simulated.id.clone_from(&ids[territory.id.as_str()]);
        simulated.name.clone_from(&territory.name);
        simulated.api_name = format!("T_{}", simulated.id);
        simulated.reporting_to = territory
            .parent
            .as_deref()
            .map(|parent| ids[parent].clone());
        simulated.manager = territory.manager.as_ref().map(|manager| manager.id.clone());
        simulated.permission_type = territory.permission.as_str().to_owned();
        simulated.description.clone_from(&territory.description);
        simulated.account_rule_criteria = territory.rules.accounts.as_ref().map(wire);
        simulated.lead_rule_criteria = territory.rules.leads.as_ref().map(wire);
        simulated.deal_rule_criteria = territory.rules.deals.as_ref().map(wire);
        state.add_territory(simulated);
    }
    state
}

fn export_and_load(state_file: &Path, out: &Path) -> (territoryctl::model::Desired, Live, String) {
    export_sandbox(state_file, out, "export succeeds");
    let text = std::fs::read_to_string(out).expect("written");
    let desired = match territoryctl::config::load(&[out.to_path_buf()]) {
        Ok(loaded) => loaded.desired,
        Err(report) => panic!("the export does not load: {report:?}\n{text}"),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let live = runtime.block_on(async {
        let options = ConnectOptions {
            sandbox: Some(state_file.to_path_buf()),
            ..ConnectOptions::default()
        };
        let connection = Connection::open(options, |_| None)
            .await
            .expect("the simulator starts");
        let client = connection.read_client().expect("a read client");
        load_live(&client, &desired).await.expect("the org loads")
    });
    (desired, live, text)
}

#[test]
fn fifty_random_orgs_exported_from_the_simulator_read_back_and_plan_to_no_changes() {
    let mut planned = 0;
    let mut rules = 0;
    // Orgs whose export warned (an inactive manager, a rule on a deleted field) plan the
    // change the warning names, by design: enough seeds that 50 orgs plan to nothing.
    for seed in 1..=120 {
        if planned == 50 {
            break;
        }
        let generated = random_live(seed);
        let directory = tempfile::tempdir().expect("temporary directory");
        let state_file = directory.path().join("org.json");
        std::fs::write(
            &state_file,
            serde_json::to_string(&state_of(&generated)).expect("state serialises"),
        )
        .expect("write state");
        let (desired, live, text) =
            export_and_load(&state_file, &directory.path().join("territories.yaml"));
        assert_eq!(
            live.territories.len(),
            generated.territories.len(),
            "seed {seed}"
        );
        // The simulator serves every criteria it was given (none lost in the wire shape).
        let rule_count = |live: &Live| -> usize {
            live.territories
                .iter()
                .flat_map(|territory| territory.rules.iter())
                .map(|(_, criteria)| criteria.rule_count())
                .sum()
        };
        assert_eq!(rule_count(&live), rule_count(&generated), "seed {seed}");
        rules += rule_count(&live);
        // A rule on a deleted field is written as a comment, by design: such an org reads back
        // without that rule.
        if !text.contains("no longer exists") {
            let differences = differences(&desired, &live);
            assert!(
                differences.is_empty(),
                "seed {seed}: {differences:#?}\n{text}"
            );
        }
        let warned = text.contains("is not an active user") || text.contains("no longer exists");
        if !warned {
            assert_plan_has_no_changes(&desired, &live, &format!("seed {seed}"));
            planned += 1;
        }
    }
    assert_eq!(
        planned, 50,
        "only {planned} orgs exported without a warning"
    );
    assert!(rules > 500, "only {rules} rules");
}
