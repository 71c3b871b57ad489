use serde_json::json;

use super::*;
use crate::impact::calendar::Clock;

fn meets_tags(comparator: Comparator, ids: &[&str], held: Value) -> bool {
    let fields = [FieldMeta {
        api_name: "Tags".into(),
        id: "1".into(),
        data_type: "multiselectlookup".into(),
        picklist: Vec::new(),
    }];
    let context = Context {
        fields: &fields,
        clock: Clock {
            unix: 0,
            offset_secs: 0,
            fiscal_start_month: 1,
        },
        user_names: &BTreeMap::new(),
    };
    let rule = Criteria::Rule(Rule {
        field: "Tags".into(),
        comparator,
        value: RuleValue::Many(
            ids.iter()
                .map(|id| Scalar::Lookup {
                    id: (*id).into(),
                    name: None,
                })
                .collect(),
        ),
    });
    let sample = Sample {
        id: "7".into(),
        fields: BTreeMap::from([("Tags".to_owned(), held)]),
    };
    meets(&context, &rule, &sample)
}

/// `equal` on a multi lookup (zoho-api.md section 3 allows it on every type): holding exactly
/// those, as the simulator's rule runs read it.
#[test]
fn a_multi_lookup_equals_exactly_what_it_holds() {
    let held = json!([{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]);
    assert!(meets_tags(Comparator::Equal, &["b", "a"], held.clone()));
    assert!(!meets_tags(Comparator::Equal, &["a"], held.clone()));
    assert!(!meets_tags(
        Comparator::Equal,
        &["a", "b", "c"],
        held.clone()
    ));
    assert!(meets_tags(Comparator::NotEqual, &["a"], held.clone()));
    assert!(!meets_tags(Comparator::NotEqual, &["a", "b"], held));
}
