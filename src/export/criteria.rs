//! Criteria in their shortest faithful YAML form: one rule as a flow mapping on its key's
//! line, groups as `all:` / `any:` block lists, nested.

use crate::model::{Criteria, Rule, RuleValue, Scalar};

use super::lines::Lines;
use super::quote::{Context, double_quoted, is_plain_decimal, yaml_string};

/// Writes `key: <criteria>` at `indent`.
///
/// A group of one item is written as that item: Zoho evaluates both alike, and the language
/// only accepts groups of two or more. Callers must have refused empty groups
/// (see [`has_empty_group`]).
pub(crate) fn write_criteria(lines: &mut Lines, indent: usize, key: &str, criteria: &Criteria) {
    match unwrap_single(criteria) {
        Criteria::Rule(rule) => lines.line(indent, &format!("{key}: {}", flow_rule(rule))),
        Criteria::Group { operator, items } => {
            lines.line(indent, &format!("{key}:"));
            lines.line(indent + 2, &format!("{}:", operator.yaml_key()));
            write_items(lines, indent + 4, items);
        }
    }
}

/// Writes the items of a group as a block sequence whose dashes sit at `indent`.
fn write_items(lines: &mut Lines, indent: usize, items: &[Criteria]) {
    for item in items {
        match unwrap_single(item) {
            Criteria::Rule(rule) => lines.line(indent, &format!("- {}", flow_rule(rule))),
            Criteria::Group { operator, items } => {
                lines.line(indent, &format!("- {}:", operator.yaml_key()));
                write_items(lines, indent + 4, items);
            }
        }
    }
}

fn unwrap_single(criteria: &Criteria) -> &Criteria {
    match criteria {
        Criteria::Group { items, .. } if items.len() == 1 => unwrap_single(&items[0]),
        other => other,
    }
}

/// `criteria` with the values of numeric fields as numbers: Zoho echoes every value as text
/// (`"20000"`), and a number is what the author of the YAML would write. `is_numeric` says
/// whether a field (by `api_name`) holds numbers; text that would not read back as the same
/// digits stays text (the plan compares the two equal).
pub(crate) fn numbers_as_numbers(
    criteria: &Criteria,
    is_numeric: &dyn Fn(&str) -> bool,
) -> Criteria {
    match criteria {
        Criteria::Rule(rule) if is_numeric(&rule.field) => {
            let number = |scalar: &Scalar| match scalar {
                Scalar::Text(text) if is_plain_decimal(text) => Scalar::Number(text.clone()),
                other => other.clone(),
            };
            Criteria::Rule(Rule {
                value: match &rule.value {
                    RuleValue::One(scalar) => RuleValue::One(number(scalar)),
                    RuleValue::Many(values) => RuleValue::Many(values.iter().map(number).collect()),
                },
                ..rule.clone()
            })
        }
        Criteria::Rule(_) => criteria.clone(),
        Criteria::Group { operator, items } => Criteria::Group {
            operator: *operator,
            items: items
                .iter()
                .map(|item| numbers_as_numbers(item, is_numeric))
                .collect(),
        },
    }
}

/// Whether any group in `criteria` has no items, which the YAML cannot express.
pub(crate) fn has_empty_group(criteria: &Criteria) -> bool {
    match criteria {
        Criteria::Rule(_) => false,
        Criteria::Group { items, .. } => items.is_empty() || items.iter().any(has_empty_group),
    }
}

/// One rule as a flow mapping: `{ field: X, comparator: equal, value: Y }`.
pub(crate) fn flow_rule(rule: &Rule) -> String {
    format!(
        "{{ field: {}, comparator: {}, value: {} }}",
        yaml_string(&rule.field, Context::Flow),
        rule.comparator.as_str(),
        flow_value(&rule.value)
    )
}

fn flow_value(value: &RuleValue) -> String {
    match value {
        RuleValue::One(scalar) => flow_scalar(scalar),
        RuleValue::Many(values) => {
            let items: Vec<String> = values.iter().map(flow_scalar).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// A value as written in a rule: numbers bare (when they read back as the same digits), text
/// quoted when it would otherwise read as something else, lookups by id with Zoho's name for
/// the reader (the plan compares ids only).
fn flow_scalar(scalar: &Scalar) -> String {
    match scalar {
        Scalar::Text(text) => yaml_string(text, Context::Flow),
        Scalar::Number(number) if is_plain_decimal(number) => number.clone(),
        Scalar::Number(number) => double_quoted(number),
        Scalar::Bool(value) => value.to_string(),
        Scalar::Lookup { id, name: None } => format!("{{ id: {} }}", double_quoted(id)),
        Scalar::Lookup {
            id,
            name: Some(name),
        } => format!(
            "{{ id: {}, name: {} }}",
            double_quoted(id),
            yaml_string(name, Context::Flow)
        ),
    }
}

#[cfg(test)]
mod tests;
