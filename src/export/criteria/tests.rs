use serde_json::{Value, json};

use super::*;
use crate::model::{Comparator, GroupOperator};

fn rule(field: &str, comparator: Comparator, value: RuleValue) -> Criteria {
    Criteria::Rule(Rule {
        field: field.to_owned(),
        comparator,
        value,
    })
}

fn text(value: &str) -> Scalar {
    Scalar::Text(value.to_owned())
}

fn number(value: &str) -> Scalar {
    Scalar::Number(value.to_owned())
}

fn written(criteria: &Criteria) -> String {
    let mut lines = Lines::default();
    write_criteria(&mut lines, 0, "accounts", criteria);
    lines.into_text()
}

fn parsed(criteria: &Criteria) -> Value {
    let document = written(criteria);
    serde_saphyr::from_str::<Value>(&document)
        .unwrap_or_else(|error| panic!("cannot parse {document:?}: {error}"))["accounts"]
        .clone()
}

#[test]
fn a_single_rule_is_one_flow_mapping_on_the_key_line() {
    let criteria = rule(
        "Billing_Country",
        Comparator::Equal,
        RuleValue::One(text("United States")),
    );
    assert_eq!(
        written(&criteria),
        "accounts: { field: Billing_Country, comparator: equal, value: United States }\n"
    );
}

#[test]
fn value_kinds_keep_their_type() {
    let criteria = Criteria::Group {
        operator: GroupOperator::And,
        items: vec![
            rule(
                "Amount",
                Comparator::Between,
                RuleValue::Many(vec![number("10000"), number("250000.5")]),
            ),
            rule(
                "Code",
                Comparator::In,
                RuleValue::Many(vec![text("1"), text("yes"), text("a, b")]),
            ),
            rule(
                "Active",
                Comparator::Equal,
                RuleValue::One(Scalar::Bool(false)),
            ),
            rule("Odd", Comparator::Equal, RuleValue::One(number("007"))),
            rule(
                "Owner",
                Comparator::IncludeAny,
                RuleValue::Many(vec![Scalar::Lookup {
                    id: "4150868000000225013".to_owned(),
                    name: Some("Patricia Boyle".to_owned()),
                }]),
            ),
        ],
    };
    assert_eq!(
        parsed(&criteria),
        json!({ "all": [
            { "field": "Amount", "comparator": "between", "value": [10000, 250000.5] },
            { "field": "Code", "comparator": "in", "value": ["1", "yes", "a, b"] },
            { "field": "Active", "comparator": "equal", "value": false },
            { "field": "Odd", "comparator": "equal", "value": "007" },
            { "field": "Owner", "comparator": "include_any",
              "value": [{ "id": "4150868000000225013", "name": "Patricia Boyle" }] },
        ]})
    );
}

#[test]
fn groups_nest_as_all_and_any_lists() {
    let criteria = Criteria::Group {
        operator: GroupOperator::Or,
        items: vec![
            rule("A", Comparator::Equal, RuleValue::One(text("x"))),
            Criteria::Group {
                operator: GroupOperator::And,
                items: vec![
                    rule("B", Comparator::GreaterThan, RuleValue::One(number("1"))),
                    Criteria::Group {
                        operator: GroupOperator::Or,
                        items: vec![
                            rule("C", Comparator::StartsWith, RuleValue::One(text("w"))),
                            rule("D", Comparator::NotContains, RuleValue::One(text("z"))),
                        ],
                    },
                ],
            },
        ],
    };
    assert_eq!(
        written(&criteria),
        "\
accounts:
  any:
    - { field: A, comparator: equal, value: x }
    - all:
        - { field: B, comparator: greater_than, value: 1 }
        - any:
            - { field: C, comparator: starts_with, value: w }
            - { field: D, comparator: not_contains, value: z }
"
    );
    assert_eq!(
        parsed(&criteria),
        json!({ "any": [
            { "field": "A", "comparator": "equal", "value": "x" },
            { "all": [
                { "field": "B", "comparator": "greater_than", "value": 1 },
                { "any": [
                    { "field": "C", "comparator": "starts_with", "value": "w" },
                    { "field": "D", "comparator": "not_contains", "value": "z" },
                ]},
            ]},
        ]})
    );
}

#[test]
fn a_group_of_one_is_written_as_its_item() {
    let inner = rule("A", Comparator::Like, RuleValue::One(text("x")));
    let criteria = Criteria::Group {
        operator: GroupOperator::And,
        items: vec![Criteria::Group {
            operator: GroupOperator::Or,
            items: vec![inner.clone()],
        }],
    };
    assert_eq!(written(&criteria), written(&inner));
}

#[test]
fn every_comparator_is_written_by_its_wire_name() {
    for comparator in Comparator::ALL {
        let criteria = rule("F", *comparator, RuleValue::One(text("v")));
        assert_eq!(parsed(&criteria)["comparator"], json!(comparator.as_str()));
    }
}

#[test]
fn empty_groups_are_found_at_any_depth() {
    let empty = Criteria::Group {
        operator: GroupOperator::Or,
        items: vec![],
    };
    assert!(has_empty_group(&empty));
    let nested = Criteria::Group {
        operator: GroupOperator::And,
        items: vec![
            rule("A", Comparator::Equal, RuleValue::One(text("x"))),
            empty,
        ],
    };
    assert!(has_empty_group(&nested));
    assert!(!has_empty_group(&rule(
        "A",
        Comparator::Equal,
        RuleValue::One(text("x"))
    )));
}
