//! Whether a record meets a territory's criteria: Zoho's comparators on each field type, with
//! the date literals, empty values and negations read the way the simulator's documentation
//! (simulator/README.md, "Rule evaluation") describes Zoho's behaviour. Written apart from the
//! simulator's evaluator on purpose: the two are checked against each other.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::calendar::{Clock, parse_day, parse_instant};
use super::literal::{DateLiteral, DayRange, date_literal};
use crate::model::{
    Comparator, Criteria, FieldKind, FieldMeta, GroupOperator, Rule, RuleValue, Scalar,
};

/// A record as rules see it: its id and the field values Zoho gave (only the fields the rules
/// use need be there).
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub id: String,
    pub fields: BTreeMap<String, Value>,
}

impl Sample {
    /// A field's value by api name: exactly, else ignoring case.
    fn field(&self, api_name: &str) -> Option<&Value> {
        self.fields.get(api_name).or_else(|| {
            self.fields
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(api_name))
                .map(|(_, value)| value)
        })
    }
}

/// What criteria are evaluated against besides the record: the module's fields, the clock and
/// the users (for a lookup's name when the record does not carry it).
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub fields: &'a [FieldMeta],
    pub clock: Clock,
    pub user_names: &'a BTreeMap<String, String>,
}

/// Whether `sample` meets `criteria`.
#[must_use]
pub fn meets(context: &Context<'_>, criteria: &Criteria, sample: &Sample) -> bool {
    match criteria {
        Criteria::Rule(rule) => meets_rule(context, rule, sample),
        Criteria::Group {
            operator: GroupOperator::And,
            items,
        } => items.iter().all(|item| meets(context, item, sample)),
        Criteria::Group {
            operator: GroupOperator::Or,
            items,
        } => items.iter().any(|item| meets(context, item, sample)),
    }
}

fn values(value: &RuleValue) -> &[Scalar] {
    match value {
        RuleValue::One(one) => std::slice::from_ref(one),
        RuleValue::Many(many) => many,
    }
}

fn blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Bool(_) | Value::Number(_) | Value::Object(_) => false,
    }
}

/// The positive comparator of a negated one, and whether it was negated.
fn positive(comparator: Comparator) -> (Comparator, bool) {
    match comparator {
        Comparator::NotEqual => (Comparator::Equal, true),
        Comparator::NotContains => (Comparator::Contains, true),
        Comparator::NotLike => (Comparator::Like, true),
        Comparator::NotIn => (Comparator::In, true),
        Comparator::NotBetween => (Comparator::Between, true),
        other => (other, false),
    }
}

fn meets_rule(context: &Context<'_>, rule: &Rule, sample: &Sample) -> bool {
    let Some(meta) = context
        .fields
        .iter()
        .find(|field| field.api_name.eq_ignore_ascii_case(&rule.field))
    else {
        // A rule on a field the module does not have catches nothing.
        return false;
    };
    let kind = meta.data_type.kind();
    let present = sample.field(&meta.api_name).filter(|value| !blank(value));
    if let RuleValue::One(Scalar::Text(marker)) = &rule.value {
        match marker.as_str() {
            "${EMPTY}" => return present.is_none() != (rule.comparator == Comparator::NotEqual),
            "${NOTEMPTY}" => return present.is_some(),
            _ => {}
        }
    }
    let (comparator, negated) = positive(rule.comparator);
    let unticked = Value::Bool(false);
    let none_held = Value::Array(Vec::new());
    let actual = present.or(match kind {
        FieldKind::Checkbox => Some(&unticked),
        FieldKind::MultiLookup => Some(&none_held),
        _ => None,
    });
    let holds = actual
        .is_some_and(|actual| compare(context, kind, comparator, values(&rule.value), actual));
    holds != negated
}

fn compare(
    context: &Context<'_>,
    kind: FieldKind,
    comparator: Comparator,
    wanted: &[Scalar],
    actual: &Value,
) -> bool {
    match kind {
        FieldKind::Text => {
            value_text(actual).is_some_and(|text| text_matches(comparator, wanted, &text))
        }
        FieldKind::MultiPicklist => multi_picklist(comparator, wanted, actual),
        FieldKind::Number => {
            value_number(actual).is_some_and(|n| number_matches(comparator, wanted, n))
        }
        FieldKind::Checkbox => {
            let ticked = match actual {
                Value::Bool(flag) => Some(*flag),
                Value::String(text) => match text.as_str() {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                },
                _ => None,
            };
            comparator == Comparator::Equal
                && ticked.is_some_and(|ticked| {
                    wanted
                        .iter()
                        .any(|w| matches!(w, Scalar::Bool(b) if *b == ticked))
                })
        }
        FieldKind::Date | FieldKind::DateTime => {
            date_matches(context, kind, comparator, wanted, actual)
        }
        FieldKind::Lookup => lookup_matches(context, comparator, wanted, actual),
        FieldKind::MultiLookup => multi_lookup(comparator, wanted, actual),
        FieldKind::Never => false,
    }
}

fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn scalar_text(scalar: &Scalar) -> Option<String> {
    match scalar {
        Scalar::Text(text) | Scalar::Number(text) => Some(text.clone()),
        Scalar::Bool(flag) => Some(flag.to_string()),
        Scalar::Lookup { .. } => None,
    }
}

fn value_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

fn scalar_number(scalar: &Scalar) -> Option<f64> {
    match scalar {
        Scalar::Text(text) | Scalar::Number(text) => text.trim().parse().ok(),
        Scalar::Bool(_) | Scalar::Lookup { .. } => None,
    }
}

fn lowered(wanted: &[Scalar]) -> Vec<String> {
    wanted
        .iter()
        .filter_map(scalar_text)
        .map(|text| text.to_lowercase())
        .collect()
}

fn text_matches(comparator: Comparator, wanted: &[Scalar], actual: &str) -> bool {
    let actual = actual.to_lowercase();
    lowered(wanted).iter().any(|want| match comparator {
        Comparator::Equal | Comparator::In => actual == *want,
        Comparator::Contains | Comparator::Like => actual.contains(want.as_str()),
        Comparator::StartsWith => actual.starts_with(want.as_str()),
        Comparator::EndsWith => actual.ends_with(want.as_str()),
        _ => false,
    })
}

fn multi_picklist(comparator: Comparator, wanted: &[Scalar], actual: &Value) -> bool {
    let chosen: BTreeSet<String> = match actual {
        Value::Array(items) => items
            .iter()
            .filter_map(value_text)
            .map(|text| text.to_lowercase())
            .collect(),
        // Some exports join the choices with `;`.
        Value::String(joined) => joined
            .split(';')
            .map(|part| part.trim().to_lowercase())
            .filter(|part| !part.is_empty())
            .collect(),
        _ => return false,
    };
    let wanted: BTreeSet<String> = lowered(wanted).into_iter().collect();
    match comparator {
        Comparator::Equal => chosen == wanted,
        Comparator::In => chosen.iter().any(|choice| wanted.contains(choice)),
        Comparator::Contains | Comparator::Like => chosen
            .iter()
            .any(|choice| wanted.iter().any(|part| choice.contains(part.as_str()))),
        _ => false,
    }
}

/// Whether an ordering comparator holds for `actual` compared with its bound.
fn ordered(comparator: Comparator, compared: Option<Ordering>) -> bool {
    matches!(
        (comparator, compared),
        (Comparator::LessThan, Some(Ordering::Less))
            | (
                Comparator::LessEqual,
                Some(Ordering::Less | Ordering::Equal)
            )
            | (Comparator::GreaterThan, Some(Ordering::Greater))
            | (
                Comparator::GreaterEqual,
                Some(Ordering::Greater | Ordering::Equal)
            )
    )
}

fn number_matches(comparator: Comparator, wanted: &[Scalar], actual: f64) -> bool {
    let wanted: Vec<f64> = wanted.iter().filter_map(scalar_number).collect();
    match comparator {
        Comparator::Equal | Comparator::In => wanted.contains(&actual),
        Comparator::Between => match wanted.as_slice() {
            [low, high] => *low <= actual && actual <= *high,
            _ => false,
        },
        ordering => wanted
            .first()
            .is_some_and(|bound| ordered(ordering, actual.partial_cmp(bound))),
    }
}

/// A record's date or datetime: the org-local day, and the instant for a datetime.
#[derive(Clone, Copy)]
struct When {
    day: i64,
    instant: Option<i64>,
}

/// What a date is compared with.
#[derive(Clone, Copy)]
enum Mark {
    Days(DayRange),
    Instant(i64),
    AgeInDays(i64),
    DueInDays(i64),
}

fn when(clock: &Clock, value: &Value) -> Option<When> {
    let text = value.as_str()?;
    if let Some(day) = parse_day(text) {
        return Some(When { day, instant: None });
    }
    let instant = parse_instant(text)?;
    Some(When {
        day: clock.day_of(instant),
        instant: Some(instant),
    })
}

fn mark(clock: &Clock, kind: FieldKind, scalar: &Scalar) -> Option<Mark> {
    let Scalar::Text(text) = scalar else {
        return None;
    };
    if let Some(literal) = date_literal(text, clock) {
        return Some(match literal {
            DateLiteral::Range(range) => Mark::Days(range),
            DateLiteral::AgeInDays(n) => Mark::AgeInDays(n),
            DateLiteral::DueInDays(n) => Mark::DueInDays(n),
        });
    }
    if let Some(day) = parse_day(text) {
        return Some(Mark::Days(DayRange::single(day)));
    }
    let instant = parse_instant(text)?;
    Some(match kind {
        // On a date field a datetime value stands for its (org-local) day.
        FieldKind::Date => Mark::Days(DayRange::single(clock.day_of(instant))),
        _ => Mark::Instant(instant),
    })
}

/// Before (`Less`), within (`Equal`) or after (`Greater`) the mark.
fn against(clock: &Clock, at: When, mark: Mark) -> Ordering {
    match mark {
        Mark::Days(range) => {
            if range.first.is_some_and(|first| at.day < first) {
                Ordering::Less
            } else if range.last.is_some_and(|last| at.day > last) {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        }
        Mark::Instant(instant) => match at.instant {
            Some(at) => at.cmp(&instant),
            None => at.day.cmp(&clock.day_of(instant)),
        },
        Mark::AgeInDays(n) => (clock.today() - at.day).cmp(&n),
        Mark::DueInDays(n) => (at.day - clock.today()).cmp(&n),
    }
}

fn date_matches(
    context: &Context<'_>,
    kind: FieldKind,
    comparator: Comparator,
    wanted: &[Scalar],
    actual: &Value,
) -> bool {
    let clock = &context.clock;
    let Some(at) = when(clock, actual) else {
        return false;
    };
    let Some(marks) = wanted
        .iter()
        .map(|scalar| mark(clock, kind, scalar))
        .collect::<Option<Vec<Mark>>>()
    else {
        return false;
    };
    match (comparator, marks.as_slice()) {
        (Comparator::Equal | Comparator::In, marks) => marks
            .iter()
            .any(|mark| against(clock, at, *mark) == Ordering::Equal),
        (Comparator::Between, [range]) => against(clock, at, *range) == Ordering::Equal,
        (Comparator::Between, [low, high]) => {
            against(clock, at, *low) != Ordering::Less
                && against(clock, at, *high) != Ordering::Greater
        }
        (ordering, [bound]) => ordered(ordering, Some(against(clock, at, *bound))),
        _ => false,
    }
}

/// The id a lookup value carries: `{"id": ...}` on a record, or the id itself.
fn value_id(value: &Value) -> Option<&str> {
    match value {
        Value::Object(object) => object.get("id").and_then(Value::as_str),
        Value::String(id) => Some(id),
        _ => None,
    }
}

fn scalar_id(scalar: &Scalar) -> Option<&str> {
    match scalar {
        Scalar::Lookup { id, .. } | Scalar::Text(id) => Some(id),
        Scalar::Number(_) | Scalar::Bool(_) => None,
    }
}

/// `${CURRENTUSER}` and `${CURRENTUSERROLE}` depend on who runs the rules: the preview cannot
/// know, and counts them as not met (see [`needs_the_running_user`]).
fn is_user_literal(id: &str) -> bool {
    id == "${CURRENTUSER}" || id == "${CURRENTUSERROLE}"
}

fn lookup_matches(
    context: &Context<'_>,
    comparator: Comparator,
    wanted: &[Scalar],
    actual: &Value,
) -> bool {
    let Some(id) = value_id(actual) else {
        return false;
    };
    match comparator {
        Comparator::Equal | Comparator::In => wanted
            .iter()
            .filter_map(scalar_id)
            .any(|want| !is_user_literal(want) && want == id),
        _ => {
            let name = actual
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| context.user_names.get(id).cloned());
            name.is_some_and(|name| text_matches(comparator, wanted, &name))
        }
    }
}

fn multi_lookup(comparator: Comparator, wanted: &[Scalar], actual: &Value) -> bool {
    let held: BTreeSet<&str> = match actual {
        Value::Array(items) => items.iter().filter_map(value_id).collect(),
        other => value_id(other).into_iter().collect(),
    };
    let wanted: Vec<&str> = wanted.iter().filter_map(scalar_id).collect();
    let found = wanted.iter().filter(|id| held.contains(*id)).count();
    match comparator {
        // GUESS: `equal` on several values means holding exactly those, as for a multi-select
        // picklist (zoho-api.md section 3 allows `equal` on every type without saying more).
        Comparator::Equal => held.len() == wanted.len() && found == wanted.len(),
        Comparator::IncludeAll => found == wanted.len(),
        Comparator::IncludeAny => found > 0,
        Comparator::ExcludeAll => found == 0,
        Comparator::ExcludeAny => found < wanted.len(),
        _ => false,
    }
}

/// Whether a criteria names `${CURRENTUSER}` or `${CURRENTUSERROLE}`, which the preview
/// cannot evaluate.
#[must_use]
pub fn needs_the_running_user(criteria: &Criteria) -> bool {
    criteria.rules().iter().any(|rule| {
        values(&rule.value)
            .iter()
            .filter_map(scalar_id)
            .any(is_user_literal)
    })
}

/// Whether a criteria uses a date literal (evaluated on the preview's clock).
#[must_use]
pub fn uses_date_literal(criteria: &Criteria) -> bool {
    criteria.rules().iter().any(|rule| {
        values(&rule.value).iter().any(|scalar| {
            matches!(scalar, Scalar::Text(text) if super::literal::looks_like_literal(text)
                && text != "${EMPTY}" && text != "${NOTEMPTY}")
        })
    })
}

#[cfg(test)]
mod tests;
