use std::collections::BTreeMap;
use std::path::Path;

use crate::model::{
    Comparator, Criteria, DesiredTerritory, FieldMeta, GroupOperator, Permission, PicklistValue,
    Rule, RuleModule, RuleValue, Rules, Scalar, Unmanaged, User,
};

use super::super::source::SourceFile;
use super::*;

fn field(api_name: &str, data_type: &str, picklist: &[&str]) -> FieldMeta {
    FieldMeta {
        api_name: api_name.into(),
        id: "1".into(),
        data_type: data_type.into(),
        picklist: picklist
            .iter()
            .map(|value| PicklistValue {
                display_value: (*value).into(),
                actual_value: (*value).into(),
            })
            .collect(),
    }
}

fn rule(field: &str, comparator: Comparator, value: Scalar) -> Criteria {
    Criteria::Rule(Rule {
        field: field.into(),
        comparator,
        value: RuleValue::One(value),
    })
}

fn live() -> Live {
    Live {
        users: vec![User {
            id: "9".into(),
            email: "patricia.boyle@acme.example".into(),
            full_name: "Patricia Boyle".into(),
        }],
        fields: BTreeMap::from([(
            RuleModule::Accounts,
            vec![
                field("Billing_Country", "text", &[]),
                field("Annual_Revenue", "currency", &[]),
                field("Industry", "picklist", &["Banking", "Retail"]),
                field("Is_Partner", "boolean", &[]),
            ],
        )]),
        ..Live::default()
    }
}

/// A desired state built by hand, without files (so without snippets).
fn scenario(manager: &str, rules: Criteria) -> Desired {
    Desired {
        root: "Acme".into(),
        root_origin: None,
        unmanaged: Unmanaged::Report,
        territories: vec![DesiredTerritory {
            fields: crate::model::Fields {
                manager: Some(manager.into()),
                rules: Rules {
                    accounts: Some(rules),
                    ..Rules::default()
                },
                ..crate::model::Fields::new("EMEA", "Acme".into(), Permission::ReadOnly)
            },
            previously: Vec::new(),
            origins: Default::default(),
        }],
        assignments: BTreeMap::new(),
    }
}

fn codes(desired: &Desired, live: &Live) -> Vec<Code> {
    check(desired, &Sources::default(), live).map_or_else(
        |report| report.errors.iter().map(Problem::code).collect(),
        |()| Vec::new(),
    )
}

/// A desired state loaded from `text` as `territories.yaml` (in memory), with its sources.
fn loaded(text: &str) -> (Desired, Sources) {
    let file = SourceFile::new(Path::new("territories.yaml"), text);
    let document = super::super::parse::parse(&file).expect("the test YAML parses");
    let (desired, problems) = super::super::validate::validate(vec![(file.clone(), document)]);
    assert!(problems.is_empty(), "{problems:?}");
    (desired.expect("valid"), Sources::new(vec![file]))
}

fn render(problem: &Problem) -> String {
    let mut rendered = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut rendered, problem)
        .unwrap();
    rendered
}

#[test]
fn a_fitting_state_passes() {
    let rules = Criteria::Group {
        operator: GroupOperator::And,
        items: vec![
            rule(
                "Billing_Country",
                Comparator::Equal,
                Scalar::Text("Germany".into()),
            ),
            rule(
                "Annual_Revenue",
                Comparator::GreaterThan,
                Scalar::Number("1000".into()),
            ),
            rule(
                "Industry",
                Comparator::Equal,
                Scalar::Text("Banking".into()),
            ),
            rule("Is_Partner", Comparator::Equal, Scalar::Bool(true)),
            rule(
                "Industry",
                Comparator::Equal,
                Scalar::Text("${EMPTY}".into()),
            ),
        ],
    };
    let desired = scenario("Patricia.Boyle@acme.example", rules);
    assert_eq!(codes(&desired, &live()), []);
}

#[test]
fn an_unknown_manager_gets_a_suggestion() {
    let desired = scenario(
        "patricia.boyl@acme.example",
        rule(
            "Billing_Country",
            Comparator::Equal,
            Scalar::Text("Germany".into()),
        ),
    );
    let report = check(&desired, &Sources::default(), &live()).unwrap_err();
    assert_eq!(report.errors.len(), 1);
    let problem = &report.errors[0];
    assert_eq!(problem.code(), Code::UnknownManager);
    let rendered = render(problem);
    assert!(
        rendered.contains("did you mean `patricia.boyle@acme.example`?"),
        "{rendered}"
    );
}

#[test]
fn rules_are_checked_against_field_metadata() {
    let rules = Criteria::Group {
        operator: GroupOperator::Or,
        items: vec![
            rule(
                "Billing_Countri",
                Comparator::Equal,
                Scalar::Text("Germany".into()),
            ),
            rule(
                "Billing_Country",
                Comparator::GreaterThan,
                Scalar::Text("G".into()),
            ),
            rule(
                "Annual_Revenue",
                Comparator::Equal,
                Scalar::Text("lots".into()),
            ),
            rule("Industry", Comparator::Equal, Scalar::Text("Bankin".into())),
            rule("Is_Partner", Comparator::Equal, Scalar::Text("yes".into())),
        ],
    };
    let desired = scenario("patricia.boyle@acme.example", rules);
    assert_eq!(
        codes(&desired, &live()),
        [
            Code::UnknownField,
            Code::UnsupportedComparator,
            Code::WrongValueType,
            Code::UnknownPicklistValue,
            Code::WrongValueType,
        ]
    );
}

#[test]
fn problems_point_into_the_file_without_reading_it() {
    let text = "version: 1\nroot: Acme\nterritories:\n  - name: EMEA\n    parent: Acme\n    manager: patricia.boyl@acme.example\n";
    let (desired, sources) = loaded(text);
    // The file does not exist on disk: the snippet comes from the sources kept at load.
    assert!(!Path::new("territories.yaml").exists());
    let report = check(&desired, &sources, &live()).unwrap_err();
    let rendered = render(&report.errors[0]);
    assert!(rendered.contains("resolve::unknown-manager"), "{rendered}");
    assert!(
        rendered.contains("6 │     manager: patricia.boyl@acme.example"),
        "{rendered}"
    );
    assert!(
        rendered.contains("no active user has this email"),
        "{rendered}"
    );
    assert!(
        rendered.contains("did you mean `patricia.boyle@acme.example`?"),
        "{rendered}"
    );
}

#[test]
fn rule_problems_point_at_the_rule_part() {
    let text = "version: 1\nroot: Acme\nterritories:\n  - name: EMEA\n    parent: Acme\n    rules:\n      accounts:\n        all:\n          - { field: Industry, comparator: equal, value: Banking }\n          - { field: Industry, comparator: in, value: [Retail, Bankin] }\n          - { field: Billing_Country, comparator: greater_than, value: G }\n          - { field: Industri, comparator: equal, value: Banking }\n";
    let (desired, sources) = loaded(text);
    let report = check(&desired, &sources, &live()).unwrap_err();
    let places: Vec<(Code, &str)> = report
        .errors
        .iter()
        .map(|problem| {
            let offset = problem.position().1;
            let label = miette::Diagnostic::labels(problem)
                .and_then(|mut labels| labels.next())
                .expect("a label");
            (problem.code(), &text[offset..offset + label.len()])
        })
        .collect();
    assert_eq!(
        places,
        [
            // The second rule's second value, not the first rule's `Banking`.
            (Code::UnknownPicklistValue, "Bankin"),
            (Code::UnsupportedComparator, "greater_than"),
            (Code::UnknownField, "Industri"),
        ]
    );
    let expected = text.rfind("Bankin]").unwrap();
    assert_eq!(report.errors[0].position().1, expected);
}

#[test]
fn plan_reports_an_unknown_manager_with_the_same_code() {
    let problem = crate::plan::Problem::UnknownManager {
        territory: "EMEA".into(),
        email: "nobody@acme.example".into(),
    };
    let code = miette::Diagnostic::code(&problem).map(|code| code.to_string());
    assert_eq!(code.as_deref(), Some(Code::UnknownManager.as_str()));
}

#[test]
fn the_online_check_answers_every_shared_comparator_case() {
    let mut wrong = Vec::new();
    for (data_type, comparator, accepted) in crate::model::shared_comparator_cases() {
        let comparator = Comparator::parse(&comparator).expect("a comparator Zoho knows");
        let live = Live {
            fields: BTreeMap::from([(RuleModule::Accounts, vec![field("F", &data_type, &[])])]),
            ..live()
        };
        // A placeholder fits any type, so only the comparator is judged.
        let rules = rule("F", comparator, Scalar::Text("${EMPTY}".into()));
        let found = codes(&scenario("patricia.boyle@acme.example", rules), &live);
        let expected: &[Code] = if accepted {
            &[]
        } else {
            &[Code::UnsupportedComparator]
        };
        if found != expected {
            wrong.push(format!("{data_type} {}: {found:?}", comparator.as_str()));
        }
    }
    assert!(wrong.is_empty(), "{wrong:?}");
}

#[test]
fn only_the_exact_comparators_must_name_a_picklist_value() {
    let check = |comparator, value: &str| {
        let rules = rule("Industry", comparator, Scalar::Text(value.into()));
        codes(&scenario("patricia.boyle@acme.example", rules), &live())
    };
    assert_eq!(check(Comparator::Contains, "Bank"), []);
    assert_eq!(check(Comparator::StartsWith, "Ret"), []);
    assert_eq!(
        check(Comparator::Equal, "Bank"),
        [Code::UnknownPicklistValue]
    );
    assert_eq!(
        check(Comparator::NotIn, "Bank"),
        [Code::UnknownPicklistValue]
    );
}
