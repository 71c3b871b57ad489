//! Property test: a "can never match" of the analysis is never contradicted by the evaluator.
//! Random parent and child criteria over every kind of field (text, number, checkbox,
//! multi-select, date), from small pools of values so that contradictions and matches are
//! both frequent; whenever the analysis says no record meets both, no generated record may.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{Value, json};

use super::solve::{Kinds, never_matches};
use crate::impact::calendar::Clock;
use crate::impact::evaluate::{Context, Sample, meets};
use crate::model::{Comparator, Criteria, FieldMeta, GroupOperator, Rule, RuleValue, Scalar};

const COUNTRIES: &[&str] = &["Japan", "Korea", "Canada", "japan"];
const TAGS: &[&str] = &["Gold", "Silver", "Bronze"];
const DAYS: &[&str] = &["2026-01-01", "2026-02-11", "2026-03-31"];

fn field(name: &str, data_type: &str) -> FieldMeta {
    FieldMeta {
        api_name: name.to_owned(),
        id: String::new(),
        data_type: data_type.into(),
        picklist: Vec::new(),
    }
}

fn fields() -> Vec<FieldMeta> {
    vec![
        field("Country", "text"),
        field("Revenue", "currency"),
        field("Partner", "boolean"),
        field("Tags", "multiselectpicklist"),
        field("Close", "date"),
    ]
}

fn text(items: &[&str]) -> Vec<Scalar> {
    items
        .iter()
        .map(|t| Scalar::Text((*t).to_owned()))
        .collect()
}

fn rule_strategy() -> impl Strategy<Value = Rule> {
    let pick = |pool: &'static [&'static str]| proptest::sample::subsequence(pool, 1..=2);
    let country = (
        prop_oneof![
            Just(Comparator::Equal),
            Just(Comparator::NotEqual),
            Just(Comparator::In),
            Just(Comparator::NotIn),
            Just(Comparator::Contains),
            Just(Comparator::NotContains),
            Just(Comparator::StartsWith),
            Just(Comparator::EndsWith),
        ],
        pick(COUNTRIES),
        0..6u8,
    )
        .prop_map(|(comparator, values, marker)| {
            let value = match (marker, comparator) {
                (0, Comparator::Equal | Comparator::NotEqual) => {
                    RuleValue::One(Scalar::Text("${EMPTY}".into()))
                }
                (1, _) => RuleValue::One(Scalar::Text("${NOTEMPTY}".into())),
                (_, Comparator::In | Comparator::NotIn) => RuleValue::Many(text(&values)),
                _ => RuleValue::One(Scalar::Text(values[0].to_owned())),
            };
            Rule {
                field: "Country".into(),
                comparator,
                value,
            }
        });
    let revenue = (
        prop_oneof![
            Just(Comparator::Equal),
            Just(Comparator::NotEqual),
            Just(Comparator::LessThan),
            Just(Comparator::LessEqual),
            Just(Comparator::GreaterThan),
            Just(Comparator::GreaterEqual),
            Just(Comparator::Between),
            Just(Comparator::NotBetween),
            Just(Comparator::In),
        ],
        0..6u32,
        0..6u32,
    )
        .prop_map(|(comparator, low, span)| {
            let number = |n: u32| Scalar::Number((n * 10).to_string());
            let value = match comparator {
                Comparator::Between | Comparator::NotBetween => {
                    RuleValue::Many(vec![number(low), number(low + span)])
                }
                Comparator::In => RuleValue::Many(vec![number(low), number(low + span)]),
                _ => RuleValue::One(number(low)),
            };
            Rule {
                field: "Revenue".into(),
                comparator,
                value,
            }
        });
    let partner = (
        prop_oneof![Just(Comparator::Equal), Just(Comparator::NotEqual)],
        any::<bool>(),
    )
        .prop_map(|(comparator, flag)| Rule {
            field: "Partner".into(),
            comparator,
            value: RuleValue::One(Scalar::Bool(flag)),
        });
    let tags = (
        prop_oneof![
            Just(Comparator::Equal),
            Just(Comparator::NotEqual),
            Just(Comparator::In),
            Just(Comparator::Contains),
            Just(Comparator::NotContains),
        ],
        pick(TAGS),
    )
        .prop_map(|(comparator, values)| Rule {
            field: "Tags".into(),
            comparator,
            value: if values.len() == 1 {
                RuleValue::One(Scalar::Text(values[0].to_owned()))
            } else {
                RuleValue::Many(text(&values))
            },
        });
    let close = (
        prop_oneof![
            Just(Comparator::Equal),
            Just(Comparator::NotEqual),
            Just(Comparator::LessThan),
            Just(Comparator::GreaterEqual),
            Just(Comparator::Between),
        ],
        pick(DAYS),
        any::<bool>(),
    )
        .prop_map(|(comparator, days, literal)| {
            let value = match comparator {
                Comparator::Between => RuleValue::Many(text(&[days[0], "2026-12-31"])),
                _ if literal => RuleValue::One(Scalar::Text("${THISMONTH}".into())),
                _ => RuleValue::One(Scalar::Text(days[0].to_owned())),
            };
            Rule {
                field: "Close".into(),
                comparator,
                value,
            }
        });
    prop_oneof![country, revenue, partner, tags, close]
}

fn criteria_strategy() -> impl Strategy<Value = Criteria> {
    let leaf = rule_strategy().prop_map(Criteria::Rule);
    leaf.prop_recursive(2, 8, 3, |inner| {
        (
            prop_oneof![Just(GroupOperator::And), Just(GroupOperator::Or)],
            proptest::collection::vec(inner, 2..=3),
        )
            .prop_map(|(operator, items)| Criteria::Group { operator, items })
    })
}

fn record_strategy() -> impl Strategy<Value = BTreeMap<String, Value>> {
    (
        proptest::option::of(proptest::sample::select(vec![
            "Japan",
            "Korea",
            "Canada",
            "South Korea",
            "",
            "japanese",
        ])),
        proptest::option::of(0..70u32),
        proptest::option::of(any::<bool>()),
        proptest::option::of(proptest::sample::subsequence(TAGS, 0..=3)),
        proptest::option::of(proptest::sample::select(vec![
            "2025-12-31",
            "2026-01-01",
            "2026-02-11",
            "2026-03-31",
            "2026-07-01",
        ])),
    )
        .prop_map(|(country, revenue, partner, tags, close)| {
            let mut fields = BTreeMap::new();
            if let Some(country) = country {
                fields.insert("Country".to_owned(), json!(country));
            }
            if let Some(revenue) = revenue {
                fields.insert("Revenue".to_owned(), json!(revenue));
            }
            if let Some(partner) = partner {
                fields.insert("Partner".to_owned(), json!(partner));
            }
            if let Some(tags) = tags {
                fields.insert("Tags".to_owned(), json!(tags));
            }
            if let Some(close) = close {
                fields.insert("Close".to_owned(), json!(close));
            }
            fields
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn a_never_matches_claim_is_never_contradicted_by_the_evaluator(
        parent in criteria_strategy(),
        child in criteria_strategy(),
        records in proptest::collection::vec(record_strategy(), 64),
    ) {
        let fields = fields();
        let names = BTreeMap::new();
        let context = Context {
            fields: &fields,
            // Wednesday 2026-02-11.
            clock: Clock { unix: 1_770_811_200, offset_secs: 0, fiscal_start_month: 1 },
            user_names: &names,
        };
        let offline = Kinds::default();
        let online = Kinds { multi_valued: Some(["tags".to_owned()].into()) };
        for kinds in [&offline, &online] {
            if never_matches(&[&parent, &child], kinds) {
                for fields in &records {
                    let sample = Sample { id: String::new(), fields: fields.clone() };
                    prop_assert!(
                        !(meets(&context, &parent, &sample) && meets(&context, &child, &sample)),
                        "claimed never to match, but {fields:?} meets\n{parent:?}\nand\n{child:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_analysis_claims_something_on_these_pools() {
    // Not vacuous: plain contradictions of each kind are found.
    let rule = |field: &str, comparator, value| {
        Criteria::Rule(Rule {
            field: field.into(),
            comparator,
            value,
        })
    };
    let one = |text: &str| RuleValue::One(Scalar::Text(text.into()));
    let japan = rule("Country", Comparator::Equal, one("Japan"));
    let korea = rule("Country", Comparator::Equal, one("Korea"));
    assert!(never_matches(&[&japan, &korea], &Kinds::default()));
    let rich = rule(
        "Revenue",
        Comparator::GreaterThan,
        RuleValue::One(Scalar::Number("50".into())),
    );
    let poor = rule(
        "Revenue",
        Comparator::Between,
        RuleValue::Many(vec![
            Scalar::Number("0".into()),
            Scalar::Number("50".into()),
        ]),
    );
    assert!(never_matches(&[&rich, &poor], &Kinds::default()));
    let gold = rule("Tags", Comparator::In, RuleValue::Many(text(&["Gold"])));
    let silver = rule("Tags", Comparator::In, RuleValue::Many(text(&["Silver"])));
    assert!(
        !never_matches(&[&gold, &silver], &Kinds::default()),
        "a multi-select may hold both"
    );
}
