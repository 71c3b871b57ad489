//! Rule criteria: grammar, comparators and values against field types, and the rule limit.

use serde_json::{Value, json};

use crate::harness::{ADMIN, ROOT, Sim, territory};

const PATH: &str = "/crm/v8/settings/territories";

async fn create_with(sim: &Sim, key: &str, criteria: Value) -> crate::harness::Answer {
    sim.post(
        PATH,
        json!({"territories": [territory("T", ROOT, json!({ key: criteria }))]}),
    )
    .await
}

fn rule(field: &str, comparator: &str, value: Value) -> Value {
    json!({"field": {"api_name": field}, "comparator": comparator, "value": value})
}

#[tokio::test]
async fn valid_group_is_stored_and_echoed_with_field_ids() {
    let sim = Sim::start().await;
    let criteria = json!({"group_operator": "and", "group": [
        rule("Billing_Country", "in", json!(["Germany", "France"])),
        {"group_operator": "OR", "group": [
            rule("Annual_Revenue", "between", json!([1000, 5000])),
            rule("Owner", "equal", json!({"id": ADMIN})),
        ]},
    ]});
    let answer = create_with(&sim, "account_rule_criteria", criteria).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let id = answer.items("territories")[0]["details"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let got = sim
        .get(&format!(
            "{PATH}/{id}?include=account_rule_criteria,lead_rule_criteria"
        ))
        .await;
    let stored = &got.body["territories"][0];
    assert_eq!(stored["lead_rule_criteria"], Value::Null);
    assert!(
        stored.get("deal_rule_criteria").is_none(),
        "not included, not shown"
    );
    let echoed = &stored["account_rule_criteria"];
    assert_eq!(echoed["group_operator"], "AND");
    assert_eq!(
        echoed["group"][0]["field"],
        json!({"api_name": "Billing_Country", "id": "5725767000000000002"})
    );
    assert_eq!(
        echoed["group"][1]["group"][0]["value"],
        json!(["1000", "5000"])
    );
    assert_eq!(
        echoed["group"][1]["group"][1]["value"],
        json!({"id": ADMIN, "name": "Patricia Boyle"})
    );
}

#[tokio::test]
async fn comparator_must_suit_the_field_type() {
    let sim = Sim::start().await;
    let answer = create_with(
        &sim,
        "account_rule_criteria",
        rule("Annual_Revenue", "starts_with", json!("1")),
    )
    .await;
    assert_eq!(
        (answer.status, answer.codes("territories")),
        (400, vec!["DEPENDENT_MISMATCH"])
    );
    let details = &answer.items("territories")[0]["details"];
    assert_eq!(details["api_name"], "comparator");
    assert_eq!(
        details["json_path"],
        "$.territories[0].account_rule_criteria.comparator"
    );
    assert_eq!(details["dependee"]["api_name"], "field");
    assert!(
        details["supported_values"]
            .as_array()
            .unwrap()
            .contains(&json!("greater_than"))
    );
}

#[tokio::test]
async fn value_must_suit_the_field_type() {
    let sim = Sim::start().await;
    let answer = create_with(
        &sim,
        "account_rule_criteria",
        rule("Employees", "greater_than", json!("many")),
    )
    .await;
    assert_eq!(answer.codes("territories"), ["DEPENDENT_MISMATCH"]);
    let details = &answer.items("territories")[0]["details"];
    assert_eq!(details["api_name"], "value");
    assert_eq!(details["expected_data_type"], "integer");
    let boolean = create_with(
        &sim,
        "account_rule_criteria",
        rule("Is_Partner", "equal", json!("yes")),
    )
    .await;
    assert_eq!(
        boolean.items("territories")[0]["details"]["expected_data_type"],
        "boolean"
    );
    let pair = create_with(
        &sim,
        "account_rule_criteria",
        rule("Annual_Revenue", "between", json!([1])),
    )
    .await;
    assert_eq!(pair.codes("territories"), ["DEPENDENT_MISMATCH"]);
}

#[tokio::test]
async fn picklist_values_must_exist() {
    let sim = Sim::start().await;
    let answer = create_with(
        &sim,
        "account_rule_criteria",
        rule("Industry", "equal", json!("Mining")),
    )
    .await;
    assert_eq!(answer.codes("territories"), ["INVALID_DATA"]);
    assert_eq!(
        answer.items("territories")[0]["details"]["api_name"],
        "value"
    );
}

#[tokio::test]
async fn missing_comparator_and_value_are_dependent_field_missing() {
    let sim = Sim::start().await;
    let no_comparator = create_with(
        &sim,
        "account_rule_criteria",
        json!({"field": {"api_name": "Billing_City"}, "value": "x"}),
    )
    .await;
    assert_eq!(
        no_comparator.codes("territories"),
        ["DEPENDENT_FIELD_MISSING"]
    );
    assert_eq!(
        no_comparator.items("territories")[0]["details"]["api_name"],
        "comparator"
    );
    let no_value = create_with(
        &sim,
        "account_rule_criteria",
        json!({"field": {"api_name": "Billing_City"}, "comparator": "equal"}),
    )
    .await;
    assert_eq!(
        no_value.items("territories")[0]["details"]["api_name"],
        "value"
    );
}

#[tokio::test]
async fn grammar_errors() {
    let sim = Sim::start().await;
    let not_object = create_with(
        &sim,
        "account_rule_criteria",
        json!({"field": "Billing_City", "comparator": "equal", "value": "x"}),
    )
    .await;
    assert_eq!(not_object.codes("territories"), ["INVALID_DATA"]);
    assert_eq!(
        not_object.items("territories")[0]["details"]["expected_data_type"],
        "jsonobject"
    );
    let bad_operator = create_with(&sim, "account_rule_criteria", json!({"group_operator": "XOR", "group": [rule("Billing_City", "equal", json!("a")), rule("Billing_City", "equal", json!("b"))]})).await;
    assert_eq!(
        bad_operator.items("territories")[0]["details"]["api_name"],
        "group_operator"
    );
    let bad_comparator = create_with(
        &sim,
        "account_rule_criteria",
        rule("Billing_City", "sounds_like", json!("a")),
    )
    .await;
    assert_eq!(
        bad_comparator.items("territories")[0]["message"],
        "The given comparator seems to be invalid"
    );
    let unknown_field = create_with(
        &sim,
        "account_rule_criteria",
        rule("Nope", "equal", json!("a")),
    )
    .await;
    assert_eq!(
        unknown_field.items("territories")[0]["message"],
        "The given api_name seems to be invalid"
    );
    let upload = create_with(
        &sim,
        "account_rule_criteria",
        rule("Logo", "equal", json!("a")),
    )
    .await;
    assert_eq!(upload.codes("territories"), ["NOT_SUPPORTED"]);
}

#[tokio::test]
async fn fields_are_checked_against_the_criteria_module() {
    let sim = Sim::start().await;
    // Amount is a Deals field, not an Accounts one.
    let answer = create_with(
        &sim,
        "account_rule_criteria",
        rule("Amount", "greater_than", json!(5)),
    )
    .await;
    assert_eq!(answer.codes("territories"), ["INVALID_DATA"]);
    let deals = create_with(
        &sim,
        "deal_rule_criteria",
        rule("Amount", "greater_than", json!(5)),
    )
    .await;
    assert_eq!(deals.codes("territories"), ["SUCCESS"]);
}

#[tokio::test]
async fn more_than_25_rules_is_limit_exceeded() {
    let sim = Sim::start().await;
    let rules: Vec<Value> = (0..26)
        .map(|i| rule("Billing_City", "equal", json!(format!("C{i}"))))
        .collect();
    let answer = create_with(
        &sim,
        "account_rule_criteria",
        json!({"group_operator": "OR", "group": rules}),
    )
    .await;
    assert_eq!(answer.codes("territories"), ["LIMIT_EXCEEDED"]);
    assert_eq!(answer.items("territories")[0]["details"]["limit"], 25);
    assert_eq!(
        answer.items("territories")[0]["message"],
        "Maximum Territory Criteria Limit reached"
    );
}

#[tokio::test]
async fn disabled_lead_rules_are_not_allowed() {
    let sim = Sim::with(|s| s.flags.lead_rules_enabled = false, Default::default()).await;
    let answer = create_with(
        &sim,
        "lead_rule_criteria",
        rule("Country", "equal", json!("India")),
    )
    .await;
    assert_eq!(answer.codes("territories"), ["NOT_ALLOWED"]);
    assert_eq!(
        answer.items("territories")[0]["message"],
        "Lead Rule Disabled"
    );
}
