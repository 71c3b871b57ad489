//! Assignment-rule criteria: each node one rule or one group, comparators known, values of
//! the shape their comparator takes, groups of two or more, at most 25 rules per criteria.

use crate::model::{self, Comparator, Criteria, GroupOperator, RuleModule, RuleValue, ValueShape};

use super::super::code::Code;
use super::super::problem::Problem;
use super::super::raw;
use super::super::source::SourceFile;
use super::super::span::{Span, Spanned};
use super::Problems;
use crate::suggest;

/// Zoho's limit on the rules of one criteria (seeds/update-territories.txt).
pub(super) const MAX_RULES: usize = 25;
/// Zoho's limit on the values of an `in`-like list.
const MAX_LIST: usize = 500;
/// Zoho's limit on the lookups of an `include_*`/`exclude_*` rule.
const MAX_LOOKUPS: usize = 5;

/// Checks one module's criteria and converts it; `None` when it has an error (reported).
pub(super) fn check(
    file: &SourceFile,
    module: RuleModule,
    criteria: &Spanned<raw::Criteria>,
    spans: &mut Vec<RuleSpans>,
    problems: &mut Problems,
) -> Option<Criteria> {
    let converted = node(file, criteria, spans, problems);
    let rules = count_rules(&criteria.value);
    if rules > MAX_RULES {
        problems.push(
            Problem::error(
                Code::TooManyRules,
                file,
                format!("the {module} criteria has {rules} rules"),
            )
            .primary(
                criteria.span,
                format!("Zoho allows at most {MAX_RULES} rules here"),
            )
            .help("combine rules, e.g. one `in` rule instead of several `equal` rules"),
        );
        return None;
    }
    converted
}

/// Where one rule's parts are written, collected in the order of
/// [`Criteria::rules`](crate::model::Criteria::rules) for the checks against the live org.
pub(in super::super) struct RuleSpans {
    pub(in super::super) field: Span,
    pub(in super::super) comparator: Span,
    /// One per value: the value itself, or each item of a list.
    pub(in super::super) values: Vec<Span>,
}

/// Rules (leaves) under a raw node, counted even where the node has other problems.
fn count_rules(criteria: &raw::Criteria) -> usize {
    let groups = [&criteria.all, &criteria.any];
    let in_groups: usize = groups
        .into_iter()
        .flatten()
        .flat_map(|items| &items.value)
        .map(|item| count_rules(&item.value))
        .sum();
    let is_rule =
        criteria.field.is_some() || criteria.comparator.is_some() || criteria.value.is_some();
    in_groups + usize::from(is_rule)
}

fn node(
    file: &SourceFile,
    criteria: &Spanned<raw::Criteria>,
    spans: &mut Vec<RuleSpans>,
    problems: &mut Problems,
) -> Option<Criteria> {
    let raw = &criteria.value;
    let rule_keys = [
        raw.field.as_ref().map(|field| ("field", field.span)),
        raw.comparator
            .as_ref()
            .map(|comparator| ("comparator", comparator.span)),
        raw.value.as_ref().map(|value| ("value", value.span)),
    ];
    let rule_keys: Vec<_> = rule_keys.into_iter().flatten().collect();
    match (&raw.all, &raw.any) {
        (Some(all), Some(any)) => {
            problems.push(
                Problem::error(
                    Code::MixedNode,
                    file,
                    "a criteria node has both `all` and `any`",
                )
                .primary(any.span, "`any` group")
                .secondary(all.span, "`all` group")
                .help("nest one group inside the other, e.g. `all: [ ..., { any: [...] } ]`"),
            );
            None
        }
        (Some(group), None) | (None, Some(group)) => {
            let operator = if raw.all.is_some() {
                GroupOperator::And
            } else {
                GroupOperator::Or
            };
            if let Some((key, span)) = rule_keys.first() {
                problems.push(
                    Problem::error(
                        Code::MixedNode,
                        file,
                        format!(
                            "a criteria node has both `{}` and `{key}`",
                            operator.yaml_key()
                        ),
                    )
                    .primary(*span, "a rule key")
                    .secondary(group.span, "a group")
                    .help(format!(
                        "a node is one rule or one group: move the rule into the `{}` list",
                        operator.yaml_key()
                    )),
                );
                return None;
            }
            self::group(file, operator, group, spans, problems)
        }
        (None, None) => rule(file, criteria, spans, problems),
    }
}

fn group(
    file: &SourceFile,
    operator: GroupOperator,
    items: &Spanned<Vec<Spanned<raw::Criteria>>>,
    spans: &mut Vec<RuleSpans>,
    problems: &mut Problems,
) -> Option<Criteria> {
    let key = operator.yaml_key();
    match items.value.len() {
        0 => {
            problems.push(
                Problem::error(
                    Code::EmptyGroup,
                    file,
                    format!("the `{key}` group is empty"),
                )
                .primary(items.span, "no criteria")
                .help("give the group two or more criteria, or remove it"),
            );
            return None;
        }
        1 => {
            problems.push(
                Problem::error(
                    Code::SingleItemGroup,
                    file,
                    format!("the `{key}` group has only one item"),
                )
                .primary(items.span, "one criteria")
                .help(format!(
                    "write the item without the `{key}` group around it"
                )),
            );
            // Check the item too: its own problems are worth reporting now.
            let _ = node(file, &items.value[0], &mut Vec::new(), problems);
            return None;
        }
        _ => {}
    }
    let converted: Vec<Option<Criteria>> = items
        .value
        .iter()
        .map(|item| node(file, item, spans, problems))
        .collect();
    let items = converted.into_iter().collect::<Option<Vec<_>>>()?;
    Some(Criteria::Group { operator, items })
}

fn rule(
    file: &SourceFile,
    criteria: &Spanned<raw::Criteria>,
    spans: &mut Vec<RuleSpans>,
    problems: &mut Problems,
) -> Option<Criteria> {
    let raw = &criteria.value;
    let missing: Vec<&str> = [
        ("field", raw.field.is_none()),
        ("comparator", raw.comparator.is_none()),
        ("value", raw.value.is_none()),
    ]
    .into_iter()
    .filter_map(|(key, missing)| missing.then_some(key))
    .collect();
    if !missing.is_empty() {
        let message = match missing.as_slice() {
            [one] => format!("a rule has no `{one}`"),
            [first, second] => format!("a rule has no `{first}` and no `{second}`"),
            _ => "an empty criteria: neither a rule nor a group".to_owned(),
        };
        problems.push(
            Problem::error(Code::IncompleteRule, file, message)
                .primary(criteria.span, "incomplete rule")
                .help(
                    "a rule needs `field`, `comparator` and `value`; a group needs `all` or `any`",
                ),
        );
    }
    let comparator = raw
        .comparator
        .as_ref()
        .and_then(|comparator| parse_comparator(file, comparator, problems));
    if let Some(field) = &raw.field
        && field.value.trim().is_empty()
    {
        problems.push(
            Problem::error(Code::IncompleteRule, file, "a rule's `field` is empty")
                .primary(field.span, "empty")
                .help("name the field by its API name, e.g. `Billing_Country`"),
        );
        return None;
    }
    let (Some(field), Some(comparator), Some(value)) = (&raw.field, comparator, &raw.value) else {
        return None;
    };
    let value_spans = match &value.value {
        raw::Value::One(_) => vec![value.span],
        raw::Value::Many(items) => items.iter().map(|item| item.span).collect(),
    };
    let value = self::value(file, comparator, value, problems)?;
    spans.push(RuleSpans {
        field: field.span,
        comparator: comparator.span,
        values: value_spans,
    });
    Some(Criteria::Rule(model::Rule {
        field: field.value.clone(),
        comparator: comparator.value,
        value,
    }))
}

fn parse_comparator(
    file: &SourceFile,
    comparator: &Spanned<String>,
    problems: &mut Problems,
) -> Option<Spanned<Comparator>> {
    if let Some(parsed) = Comparator::parse(&comparator.value) {
        return Some(Spanned::new(parsed, comparator.span));
    }
    let names = Comparator::ALL.iter().map(|known| known.as_str());
    problems.push(
        Problem::error(
            Code::UnknownComparator,
            file,
            format!("unknown comparator `{}`", comparator.value),
        )
        .primary(comparator.span, "not a comparator")
        .help(suggest::closest(&comparator.value, names).map_or_else(
            || "see docs/configuration.md for the comparators".to_owned(),
            |close| format!("did you mean `{close}`?"),
        )),
    );
    None
}

fn value(
    file: &SourceFile,
    comparator: Spanned<Comparator>,
    value: &Spanned<raw::Value>,
    problems: &mut Problems,
) -> Option<RuleValue> {
    let name = comparator.value;
    // A list's own span is its opening; reach to its last item so the label covers it.
    let span = match &value.value {
        raw::Value::Many(items) => items
            .last()
            .map_or(value.span, |last| value.span.through(last.span)),
        raw::Value::One(_) => value.span,
    };
    let shape_problem = |message: String, help: &str| {
        Problem::error(Code::ValueShape, file, message)
            .primary(span, "this value")
            .secondary(comparator.span, "comparator")
            .help(help)
    };
    // A list too long is labelled at its first value over the limit, a list too short as a
    // whole: either way the label points at what to change.
    let count_problem =
        |count: usize, wanted: &str, limit: usize, items: &[Spanned<raw::Scalar>]| {
            let over = items.get(limit).map(|item| item.span);
            Problem::error(
                Code::ValueShape,
                file,
                format!("`{name}` takes {wanted}, but the list has {count}"),
            )
            .primary(
                over.unwrap_or(span),
                if over.is_some() {
                    "one value too many"
                } else {
                    "this value"
                },
            )
            .secondary(comparator.span, "comparator")
            .help("see the comparators in docs/configuration.md")
        };
    match (name.value_shape(), &value.value) {
        (ValueShape::One | ValueShape::OneOrList, raw::Value::One(scalar)) => {
            let scalar = self::scalar(file, &Spanned::new(scalar, value.span), problems)?;
            Some(RuleValue::One(scalar))
        }
        (ValueShape::One, raw::Value::Many(_)) => {
            problems.push(shape_problem(
                format!("`{name}` takes one value, not a list"),
                "write a single value",
            ));
            None
        }
        (ValueShape::Pair, raw::Value::One(_)) => {
            problems.push(shape_problem(
                format!("`{name}` takes two values, the low and the high end"),
                "write `[low, high]`",
            ));
            None
        }
        (ValueShape::List | ValueShape::LookupList, raw::Value::One(_)) => {
            problems.push(shape_problem(
                format!("`{name}` takes a list of values"),
                "write the value in a list: `[value]`",
            ));
            None
        }
        (shape, raw::Value::Many(items)) => {
            let count = items.len();
            let fits = match shape {
                ValueShape::Pair => count == 2,
                ValueShape::LookupList => (1..=MAX_LOOKUPS).contains(&count),
                _ => (1..=MAX_LIST).contains(&count),
            };
            if !fits {
                let (wanted, limit) = match shape {
                    ValueShape::Pair => ("exactly two values".to_owned(), 2),
                    ValueShape::LookupList => (format!("1 to {MAX_LOOKUPS} lookups"), MAX_LOOKUPS),
                    _ => (format!("1 to {MAX_LIST} values"), MAX_LIST),
                };
                problems.push(count_problem(count, &wanted, limit, items));
                return None;
            }
            let mut converted = Vec::with_capacity(count);
            for item in items {
                if shape == ValueShape::LookupList
                    && !matches!(item.value, raw::Scalar::Lookup { .. })
                {
                    problems.push(
                        Problem::error(Code::ValueShape, file, format!("`{name}` takes lookups"))
                            .primary(item.span, "not a lookup")
                            .secondary(comparator.span, "comparator")
                            .help("write each value as `{ id: \"<record id>\" }`"),
                    );
                    return None;
                }
                converted.push(self::scalar(
                    file,
                    &Spanned::new(&item.value, item.span),
                    problems,
                ));
            }
            converted
                .into_iter()
                .collect::<Option<Vec<_>>>()
                .map(RuleValue::Many)
        }
    }
}

fn scalar(
    file: &SourceFile,
    scalar: &Spanned<&raw::Scalar>,
    problems: &mut Problems,
) -> Option<model::Scalar> {
    match scalar.value {
        raw::Scalar::Text(text) => Some(model::Scalar::Text(text.clone())),
        raw::Scalar::Number(number) => Some(model::Scalar::Number(number.clone())),
        raw::Scalar::Bool(value) => Some(model::Scalar::Bool(*value)),
        raw::Scalar::Lookup { id, name } => {
            if !model::is_record_id(id) {
                problems.push(
                    Problem::error(
                        Code::ValueShape,
                        file,
                        format!("lookup id `{id}` is not a record id"),
                    )
                    .primary(scalar.span, "not numeric")
                    .help("Zoho ids are numbers, e.g. `{ id: \"4150868000000225013\" }`"),
                );
                return None;
            }
            Some(model::Scalar::Lookup {
                id: id.clone(),
                name: name.clone(),
            })
        }
        raw::Scalar::Null => {
            problems.push(
                Problem::error(Code::ValueShape, file, "a rule value is empty (null)")
                    .primary(scalar.span, "null")
                    .help("write a value, or remove the rule"),
            );
            None
        }
    }
}
