//! Each rule of a territory's criteria against the module's field metadata: the field
//! exists, takes the comparator, and the values fit its data type (and its picklist).

use crate::model::{Comparator, FieldMeta, Live, Rule, RuleValue, Scalar};

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
    let data_type = field.data_type.as_str();
    if let Some(supported) = comparators_for(data_type) {
        if !supported.contains(&rule.comparator) {
            let names: Vec<&str> = supported
                .iter()
                .map(|comparator| comparator.as_str())
                .collect();
            return Some((
                RuleProblem::UnsupportedComparator {
                    data_type: data_type.to_owned(),
                },
                Some(format!("{data_type} fields take: {}", names.join(", "))),
            ));
        }
    }
    let values: Vec<&Scalar> = match &rule.value {
        RuleValue::One(scalar) => vec![scalar],
        RuleValue::Many(scalars) => scalars.iter().collect(),
    };
    for (at, value) in values.into_iter().enumerate() {
        if is_placeholder(value) {
            continue;
        }
        if let Some(expected) = wrong_type(data_type, value) {
            return Some((
                RuleProblem::WrongValueType {
                    data_type: data_type.to_owned(),
                    at,
                    value: value.to_string(),
                },
                Some(format!("{data_type} fields take {expected}")),
            ));
        }
        if matches!(data_type, "picklist" | "multiselectpicklist") && !field.picklist.is_empty() {
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

/// The comparators a data type takes (zoho-api.md section 3); `None` for types this table does
/// not know, which are left to Zoho.
fn comparators_for(data_type: &str) -> Option<&'static [Comparator]> {
    use Comparator::*;
    const TEXT: &[Comparator] = &[
        Equal,
        NotEqual,
        Like,
        NotLike,
        StartsWith,
        EndsWith,
        Contains,
        NotContains,
        In,
        NotIn,
    ];
    const NUMBER: &[Comparator] = &[
        Equal,
        NotEqual,
        LessThan,
        LessEqual,
        GreaterThan,
        GreaterEqual,
        Between,
        NotBetween,
        In,
        NotIn,
    ];
    const DATE: &[Comparator] = &[
        Equal,
        NotEqual,
        LessThan,
        LessEqual,
        GreaterThan,
        GreaterEqual,
        Between,
        NotBetween,
    ];
    const BOOLEAN: &[Comparator] = &[Equal, NotEqual];
    const LOOKUP: &[Comparator] = &[Equal, NotEqual, In, NotIn];
    const MULTI_LOOKUP: &[Comparator] = &[
        Equal, NotEqual, IncludeAll, IncludeAny, ExcludeAll, ExcludeAny,
    ];
    Some(match data_type {
        "text"
        | "textarea"
        | "email"
        | "phone"
        | "website"
        | "autonumber"
        | "picklist"
        | "multiselectpicklist" => TEXT,
        "integer" | "bigint" | "long" | "double" | "currency" | "decimal" | "percent" => NUMBER,
        "date" | "datetime" => DATE,
        "boolean" => BOOLEAN,
        "lookup" | "ownerlookup" | "userlookup" => LOOKUP,
        "multiselectlookup" | "multiuserlookup" => MULTI_LOOKUP,
        _ => return None,
    })
}

/// What the value should have been, when it is of the wrong type for the data type.
fn wrong_type(data_type: &str, value: &Scalar) -> Option<&'static str> {
    let ok = match data_type {
        "integer" | "bigint" | "long" | "double" | "currency" | "decimal" | "percent" => {
            match value {
                Scalar::Number(_) => true,
                Scalar::Text(text) => text.trim().parse::<f64>().is_ok(),
                _ => false,
            }
        }
        "boolean" => matches!(value, Scalar::Bool(_)),
        "date" => matches!(value, Scalar::Text(text) if is_date(text)),
        "datetime" => {
            matches!(value, Scalar::Text(text) if text.len() >= 19 && is_date(&text[..10]))
        }
        "lookup" | "ownerlookup" | "userlookup" | "multiselectlookup" | "multiuserlookup" => {
            matches!(value, Scalar::Lookup { .. })
        }
        "text"
        | "textarea"
        | "email"
        | "phone"
        | "website"
        | "autonumber"
        | "picklist"
        | "multiselectpicklist" => {
            matches!(value, Scalar::Text(_) | Scalar::Number(_))
        }
        _ => true,
    };
    if ok {
        return None;
    }
    Some(match data_type {
        "boolean" => "`true` or `false`",
        "date" => "a date as `yyyy-mm-dd`",
        "datetime" => "a date and time as `yyyy-mm-ddThh:mm:ss+hh:mm`",
        "lookup" | "ownerlookup" | "userlookup" | "multiselectlookup" | "multiuserlookup" => {
            "a lookup `{ id: \"...\" }`"
        }
        "text"
        | "textarea"
        | "email"
        | "phone"
        | "website"
        | "autonumber"
        | "picklist"
        | "multiselectpicklist" => "text",
        _ => "a number",
    })
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(index, byte)| index == 4 || index == 7 || byte.is_ascii_digit())
}
