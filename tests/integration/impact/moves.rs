//! `plan --impact Accounts` against what `apply --run-rules` then does, record by record,
//! through the binary, over random rule changes on a generated org of 2,400 accounts.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use zoho_crm_sim::state::State;

use super::generate::{self, Dice, account_rule, criteria};
use crate::records::Org;

const ACCOUNTS: usize = 2_400;

fn number_field(api_name: &str) -> bool {
    matches!(api_name, "Annual_Revenue" | "Employees" | "Amount")
}

/// A wire criteria as the YAML of the desired state (YAML's flow style is JSON).
fn yaml_criteria(wire: &Value) -> Value {
    if let Some(group) = wire.get("group").and_then(Value::as_array) {
        let key = if wire["group_operator"] == "OR" {
            "any"
        } else {
            "all"
        };
        return json!({ key: group.iter().map(yaml_criteria).collect::<Vec<_>>() });
    }
    let field = wire["field"]["api_name"].as_str().unwrap();
    let number = |value: &Value| match value.as_str() {
        Some(text) if number_field(field) => json!(text.parse::<u64>().unwrap()),
        _ => value.clone(),
    };
    let value = match &wire["value"] {
        Value::Array(items) => Value::Array(items.iter().map(number).collect()),
        one => number(one),
    };
    json!({"field": field, "comparator": wire["comparator"], "value": value})
}

/// The desired state that says exactly what `state` holds.
fn desired_of(state: &State) -> String {
    let root = state.root().unwrap();
    let name_of = |id: &str| {
        state
            .territories
            .iter()
            .find(|t| t.id == id)
            .unwrap()
            .name
            .clone()
    };
    let mut out = format!(
        "version: 1\nroot: {}\nunmanaged: report\nterritories:\n",
        root.name
    );
    for territory in state.territories.iter().filter(|t| t.id != root.id) {
        let mut rules = serde_json::Map::new();
        if let Some(accounts) = territory
            .account_rule_criteria
            .as_ref()
            .filter(|c| !c.is_null())
        {
            rules.insert("accounts".into(), yaml_criteria(accounts));
        }
        if let Some(deals) = territory
            .deal_rule_criteria
            .as_ref()
            .filter(|c| !c.is_null())
        {
            rules.insert("deals".into(), yaml_criteria(deals));
        }
        out.push_str(&format!(
            "  - name: {}\n    parent: {}\n    permission: read_write_delete\n",
            territory.name,
            name_of(territory.reporting_to.as_deref().unwrap())
        ));
        if !rules.is_empty() {
            out.push_str(&format!("    rules: {}\n", Value::Object(rules)));
        }
    }
    out
}

/// One random change to `state`'s Accounts rules: a new criteria, none, or a move.
fn change(state: &mut State, dice: &mut Dice) -> String {
    let root = state.root().unwrap().id.clone();
    let others: Vec<usize> = (0..state.territories.len())
        .filter(|at| state.territories[*at].id != root)
        .collect();
    let at = others[dice.0.usize(..others.len())];
    let name = state.territories[at].name.clone();
    if dice.chance(15) {
        // A move under a territory outside its own subtree.
        let mut below = BTreeSet::from([state.territories[at].id.clone()]);
        loop {
            let more: Vec<String> = state
                .territories
                .iter()
                .filter(|t| t.reporting_to.as_ref().is_some_and(|p| below.contains(p)))
                .map(|t| t.id.clone())
                .filter(|id| !below.contains(id))
                .collect();
            if more.is_empty() {
                break;
            }
            below.extend(more);
        }
        let targets: Vec<String> = state
            .territories
            .iter()
            .map(|t| t.id.clone())
            .filter(|id| !below.contains(id))
            .collect();
        let target = targets[dice.0.usize(..targets.len())].clone();
        state.territories[at].reporting_to = Some(target);
        return format!("move {name}");
    }
    if dice.chance(15) {
        state.territories[at].account_rule_criteria = None;
        return format!("clear the rules of {name}");
    }
    state.territories[at].account_rule_criteria = Some(criteria(dice, account_rule));
    format!("new rules for {name}")
}

/// Every account's territories, by name.
fn holdings(org: &Org) -> BTreeMap<String, BTreeSet<String>> {
    let state = org.server().state();
    let name_of = |id: &str| {
        state
            .territories
            .iter()
            .find(|t| t.id == id)
            .map_or_else(|| id.to_owned(), |t| t.name.clone())
    };
    state.records["Accounts"]
        .iter()
        .map(|r| {
            let names = r.territories.iter().map(|t| name_of(&t.id)).collect();
            (r.id.clone(), names)
        })
        .collect()
}

#[test]
fn plan_impact_predicts_every_move_apply_run_rules_makes_over_twenty_rule_changes() {
    let org = Org::with(|state| generate::org(state, 7, 14, ACCOUNTS, 0));
    let converge = org.run(&["rules", "run", "--module", "Accounts"]);
    assert_eq!(converge.code, 0, "{}", converge.stderr);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("territories.yaml");
    let path_text = path.to_str().unwrap();
    let mut dice = Dice::new(99);
    let mut moves_seen = 0;
    for round in 0..20 {
        let mut wanted = org.server().state().clone();
        let what = change(&mut wanted, &mut dice);
        std::fs::write(&path, desired_of(&wanted)).unwrap();

        let plan = org.run(&[
            "plan", path_text, "--impact", "Accounts", "--format", "json",
        ]);
        assert_eq!(plan.code, 0, "round {round} ({what}): {}", plan.stderr);
        let plan: Value = serde_json::from_str(&plan.stdout).unwrap();
        let accounts = &plan["impact"]["modules"][0];
        assert_eq!(accounts["module"], "Accounts");
        assert_eq!(accounts["records"], ACCOUNTS);
        // Only the pages the records need: ceil(2400 / 200), the last 400 by page token.
        assert_eq!(
            accounts["requests"],
            ACCOUNTS.div_ceil(200),
            "round {round}"
        );

        let mut expected = holdings(&org);
        for territory in accounts["territories"].as_array().unwrap() {
            let name = territory["territory"].as_str().unwrap();
            for record in territory["entering"].as_array().unwrap() {
                let set = expected.get_mut(record["id"].as_str().unwrap()).unwrap();
                assert!(set.insert(name.to_owned()), "round {round}: enters twice");
                moves_seen += 1;
            }
            for record in territory["leaving"].as_array().unwrap() {
                let set = expected.get_mut(record["id"].as_str().unwrap()).unwrap();
                assert!(
                    set.remove(name),
                    "round {round}: leaves what it did not hold"
                );
                moves_seen += 1;
            }
        }

        let apply = org.run(&["apply", path_text, "--yes", "--run-rules"]);
        assert_eq!(
            apply.code, 0,
            "round {round} ({what}): {}\n{}",
            apply.stdout, apply.stderr
        );
        let actual = holdings(&org);
        for (id, territories) in &actual {
            assert_eq!(
                &expected[id], territories,
                "round {round} ({what}): account {id} was predicted otherwise"
            );
        }
    }
    assert!(moves_seen > 200, "the changes moved records: {moves_seen}");
}
