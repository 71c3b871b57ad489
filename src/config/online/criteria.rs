//! Each rule of a territory's criteria against the module's field metadata: the field
//! exists, takes the comparator, and the values fit its data type (and its picklist).

use crate::model::{FieldMeta, Live, Rule, RuleValue, Scalar};

use super::super::code::Code;
use super::super::problem::Problem;
use super::Place;
use crate::suggest;

/// What is wrong with one rule, with the data to say so.
#[derive(Clone, Debug, PartialEq, Eq)]
enum RuleProblem {
    UnknownField,
    UnsupportedComparator {
        data_type: String,
    },
    /// The value at this index of the rule's values.
    WrongValueType {
        data_type: String,
        at: usize,
        value: String,
    },
    UnknownPicklistValue {
        at: usize,
        value: String,
    },
}

/// Checks every rule of `at`'s territory whose module `live` has field metadata for.
pub(super) fn check(at: &Place<'_>, live: &Live, problems: &mut Vec<Problem>) {
    let territory = at.territory;
    for (module, criteria) in territory.rules.iter() {
        let Some(fields) = live.fields.get(&module).filter(|fields| !fields.is_empty()) else {
            continue;
        };
        let origins = territory.origins.rules.get(&module);
        for (index, rule) in criteria.rules().into_iter().enumerate() {
            let Some((problem, help)) = check_rule(rule, fields) else {
                continue;
            };
            let rule_origin = origins.and_then(|origins| origins.rules.get(index));
            let entry = origins.map(|origins| &origins.entry);
            let name = module.module();
            let field = &rule.field;
            let (code, origin, message, label) = match problem {
                RuleProblem::UnknownField => (
                    Code::UnknownField,
                    rule_origin.map(|origin| &origin.field),
                    format!("{name} has no field `{field}`"),
                    "unknown field".to_owned(),
                ),
                RuleProblem::UnsupportedComparator { data_type } => (
                    Code::UnsupportedComparator,
                    rule_origin.map(|origin| &origin.comparator),
                    format!(
                        "`{}` does not apply to {name}.{field}, a {data_type} field",
                        rule.comparator
                    ),
                    format!("not for {data_type} fields"),
                ),
                RuleProblem::WrongValueType {
                    data_type,
                    at: value_at,
                    value,
                } => (
                    Code::WrongValueType,
                    rule_origin.and_then(|origin| origin.values.get(value_at)),
                    format!("{value} is not a valid value for {name}.{field}, a {data_type} field"),
                    format!("not a {data_type} value"),
                ),
                RuleProblem::UnknownPicklistValue {
                    at: value_at,
                    value,
                } => (
                    Code::UnknownPicklistValue,
                    rule_origin.and_then(|origin| origin.values.get(value_at)),
                    format!("{value:?} is not one of the picklist values of {name}.{field}"),
                    "not a picklist value".to_owned(),
                ),
            };
            let origin = origin.or(rule_origin.map(|origin| &origin.field)).or(entry);
            problems.push(at.error(code, origin, message, label).maybe_help(help));
        }
    }
}

fn check_rule(rule: &Rule, fields: &[FieldMeta]) -> Option<(RuleProblem, Option<String>)> {
    let Some(field) = fields.iter().find(|field| field.api_name == rule.field) else {
        let help = suggest::closest(
            &rule.field,
            fields.iter().map(|field| field.api_name.as_str()),
        )
        .map(|close| format!("did you mean `{close}`? Fields are named by their API name"));
        return Some((
            RuleProblem::UnknownField,
            help.or_else(|| {
                Some(
                    "fields are named by their API name (Setup > Developer Hub > APIs > API names)"
                        .into(),
                )
            }),
        ));
    };
    let data_type = &field.data_type;
    if !data_type.takes(rule.comparator) {
        return Some((
            RuleProblem::UnsupportedComparator {
                data_type: data_type.to_string(),
            },
            data_type.comparators_help(),
        ));
    }
    let values: Vec<&Scalar> = match &rule.value {
        RuleValue::One(scalar) => vec![scalar],
        RuleValue::Many(scalars) => scalars.iter().collect(),
    };
    for (at, value) in values.into_iter().enumerate() {
        if is_placeholder(value) {
            continue;
        }
        if !data_type.accepts(rule.comparator, value) {
            let expected = data_type.expected_value(rule.comparator);
            return Some((
                RuleProblem::WrongValueType {
                    data_type: data_type.to_string(),
                    at,
                    value: value.to_string(),
                },
                Some(format!("{data_type} fields take {expected}")),
            ));
        }
        if data_type.names_a_picklist_value(rule.comparator) && !field.picklist.is_empty() {
            if let Scalar::Text(text) = value {
                let known = field
                    .picklist
                    .iter()
                    .any(|option| &option.actual_value == text || &option.display_value == text);
                if !known {
                    let options = field
                        .picklist
                        .iter()
                        .map(|option| option.actual_value.as_str());
                    let help = suggest::closest(text, options.clone()).map_or_else(
                        || format!("the values are: {}", options.collect::<Vec<_>>().join(", ")),
                        |close| format!("did you mean `{close}`?"),
                    );
                    return Some((
                        RuleProblem::UnknownPicklistValue {
                            at,
                            value: text.clone(),
                        },
                        Some(help),
                    ));
                }
            }
        }
    }
    None
}

/// `${EMPTY}`, `${TODAY}`, ...: Zoho's predefined values fit any field.
fn is_placeholder(value: &Scalar) -> bool {
    matches!(value, Scalar::Text(text) if text.starts_with("${"))
}
