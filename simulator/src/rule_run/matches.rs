//! Whether a record meets a criteria: every comparator on every field type the simulator has.
//!
//! The criteria is the form Zoho stores and echoes (validated by `rules::criteria`). Where
//! Zoho's docs are silent the choices are GUESSes, listed in simulator/README.md:
//! - text, picklist and lookup names compare ignoring case; an array value means "any of";
//! - a negated comparator (`not_equal`, `not_contains`, `not_in`, `not_between`, `not_like`)
//!   is the exact complement of its positive one, so it matches an empty field;
//! - an empty field (absent, `null`, `""`, `[]`) meets no positive comparator, and an absent
//!   checkbox is `false`;
//! - `${EMPTY}` with `equal` means empty, with `not_equal` not empty; `${NOTEMPTY}` means not
//!   empty with either (the seed page pairs it with `not_equal`, the OAS with `equal`);
//! - a multi-select picklist `equal`s a value list when it holds exactly those values; `in`
//!   when it holds any of them; `contains` when one of its values contains the text;
//! - `between` includes both ends; a rule on a field the module no longer has matches nothing.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::dates::{Literal, Now, literal};
use crate::clock::{parse_date, parse_datetime};
use crate::rules::field_kind::{Kind, kind};
use crate::state::{Field, Record, State};

/// What a criteria is evaluated against, besides the record.
pub(crate) struct Env<'a> {
    pub(crate) state: &'a State,
    pub(crate) fields: &'a [Field],
    pub(crate) now: Now,
}

impl<'a> Env<'a> {
    pub(crate) fn new(state: &'a State, module: &str, now: Now) -> Env<'a> {
        let fields = state
            .fields
            .get(module)
            .map(Vec::as_slice)
            .unwrap_or_default();
        Env { state, fields, now }
    }
}

/// Whether `record` meets `criteria` (a group or a single rule).
pub(crate) fn matches(env: &Env<'_>, criteria: &Value, record: &Record) -> bool {
    let Value::Object(object) = criteria else {
        return false;
    };
    if let Some(Value::Array(items)) = object.get("group") {
        let any = object
            .get("group_operator")
            .and_then(Value::as_str)
            .is_some_and(|op| op.eq_ignore_ascii_case("or"));
        return if any {
            items.iter().any(|item| matches(env, item, record))
        } else {
            items.iter().all(|item| matches(env, item, record))
        };
    }
    rule(env, object, record)
}

fn rule(env: &Env<'_>, object: &Map<String, Value>, record: &Record) -> bool {
    let Some(api_name) = object
        .get("field")
        .and_then(|f| f.get("api_name"))
        .and_then(Value::as_str)
    else {
        return false;
    };
    let Some(meta) = env
        .fields
        .iter()
        .find(|f| f.api_name.eq_ignore_ascii_case(api_name))
    else {
        return false;
    };
    let comparator = object
        .get("comparator")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let expected = object.get("value").unwrap_or(&Value::Null);
    let actual = record
        .fields
        .get(&meta.api_name)
        .or_else(|| {
            record
                .fields
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(&meta.api_name))
                .map(|(_, value)| value)
        })
        .filter(|value| !is_empty(value));
    let kind = kind(&meta.data_type);
    match expected.as_str() {
        Some("${EMPTY}") => return (comparator == "not_equal") != actual.is_none(),
        Some("${NOTEMPTY}") => return actual.is_some(),
        _ => {}
    }
    let (positive, negated) = match comparator {
        "not_equal" => ("equal", true),
        "not_contains" => ("contains", true),
        "not_like" => ("like", true),
        "not_in" => ("in", true),
        "not_between" => ("between", true),
        other => (other, false),
    };
    // An absent checkbox reads as unticked; an absent multi-lookup holds nothing.
    let unticked = Value::Bool(false);
    let nothing = Value::Array(Vec::new());
    let actual = match (actual, kind) {
        (None, Kind::Boolean) => Some(&unticked),
        (None, Kind::MultiLookup) => Some(&nothing),
        (actual, _) => actual,
    };
    let met = actual.is_some_and(|actual| meets(env, kind, positive, expected, actual));
    met != negated
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.trim().is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// The criteria value's items: an array's elements, or the one scalar.
fn items(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn number_of(value: &Value) -> Option<f64> {
    match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

fn meets(env: &Env<'_>, kind: Kind, comparator: &str, expected: &Value, actual: &Value) -> bool {
    match kind {
        Kind::Text | Kind::Picklist => {
            text_of(actual).is_some_and(|actual| text(comparator, expected, &actual))
        }
        Kind::MultiPicklist => multi_picklist(comparator, expected, actual),
        Kind::Number { .. } => {
            number_of(actual).is_some_and(|actual| number(comparator, expected, actual))
        }
        Kind::Boolean => {
            let actual = match actual {
                Value::Bool(flag) => Some(*flag),
                Value::String(text) => text.parse().ok(),
                _ => None,
            };
            comparator == "equal"
                && actual.is_some_and(|actual| {
                    items(expected)
                        .iter()
                        .any(|item| item.as_bool() == Some(actual))
                })
        }
        Kind::Date | Kind::DateTime => date(env, kind, comparator, expected, actual),
        Kind::Lookup { .. } => lookup(env, comparator, expected, actual),
        Kind::MultiLookup => multi_lookup(comparator, expected, actual),
        Kind::Unsupported => false,
    }
}

fn text(comparator: &str, expected: &Value, actual: &str) -> bool {
    let actual = actual.to_lowercase();
    let wanted: Vec<String> = items(expected)
        .iter()
        .filter_map(|item| text_of(item))
        .map(|item| item.to_lowercase())
        .collect();
    wanted.iter().any(|wanted| match comparator {
        "equal" | "in" => actual == *wanted,
        "contains" | "like" => actual.contains(wanted.as_str()),
        "starts_with" => actual.starts_with(wanted.as_str()),
        "ends_with" => actual.ends_with(wanted.as_str()),
        _ => false,
    })
}

fn multi_picklist(comparator: &str, expected: &Value, actual: &Value) -> bool {
    // Zoho's record API gives an array; a `;`-joined string is read the same way.
    let selected: BTreeSet<String> = match actual {
        Value::Array(values) => values
            .iter()
            .filter_map(text_of)
            .map(|v| v.to_lowercase())
            .collect(),
        Value::String(joined) => joined
            .split(';')
            .map(|v| v.trim().to_lowercase())
            .filter(|v| !v.is_empty())
            .collect(),
        _ => return false,
    };
    let wanted: BTreeSet<String> = items(expected)
        .iter()
        .filter_map(|item| text_of(item))
        .map(|item| item.to_lowercase())
        .collect();
    match comparator {
        "equal" => selected == wanted,
        "in" => selected.iter().any(|value| wanted.contains(value)),
        "contains" | "like" => selected
            .iter()
            .any(|value| wanted.iter().any(|part| value.contains(part.as_str()))),
        _ => false,
    }
}

fn number(comparator: &str, expected: &Value, actual: f64) -> bool {
    let wanted: Vec<f64> = items(expected)
        .iter()
        .filter_map(|item| number_of(item))
        .collect();
    match comparator {
        "equal" | "in" => wanted.contains(&actual),
        "between" => match wanted.as_slice() {
            [low, high] => *low <= actual && actual <= *high,
            _ => false,
        },
        ordering => wanted
            .first()
            .is_some_and(|bound| order(ordering, actual.partial_cmp(bound))),
    }
}

/// Whether `ordering` (`less_than`, ...) holds for the comparison of actual to bound.
fn order(ordering: &str, compared: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    matches!(
        (ordering, compared),
        ("less_than", Some(Less))
            | ("less_equal", Some(Less | Equal))
            | ("greater_than", Some(Greater))
            | ("greater_equal", Some(Greater | Equal))
    )
}

/// A date or datetime on a record: its org-local day, and its instant when it has one.
#[derive(Clone, Copy)]
struct Moment {
    day: i64,
    instant: Option<i64>,
}

/// One bound of a date comparison, from a criteria value item.
#[derive(Clone, Copy)]
enum Bound {
    Days(super::dates::Days),
    Instant(i64),
    Age(i64),
    Due(i64),
}

fn moment(env: &Env<'_>, value: &Value) -> Option<Moment> {
    let text = value.as_str()?;
    if let Some(day) = parse_date(text) {
        return Some(Moment { day, instant: None });
    }
    let instant = parse_datetime(text)?;
    Some(Moment {
        day: env.now.local_day(instant),
        instant: Some(instant),
    })
}

fn bound(env: &Env<'_>, kind: Kind, value: &Value) -> Option<Bound> {
    let text = value.as_str()?;
    if let Some(literal) = literal(text, env.now) {
        return Some(match literal {
            Literal::Days(days) => Bound::Days(days),
            Literal::Age(days) => Bound::Age(days),
            Literal::Due(days) => Bound::Due(days),
        });
    }
    if let Some(day) = parse_date(text) {
        return Some(Bound::Days(super::dates::Days {
            start: Some(day),
            end: Some(day),
        }));
    }
    let instant = parse_datetime(text)?;
    // A datetime against a date field compares the day it falls on.
    Some(if kind == Kind::Date {
        let day = env.now.local_day(instant);
        Bound::Days(super::dates::Days {
            start: Some(day),
            end: Some(day),
        })
    } else {
        Bound::Instant(instant)
    })
}

/// Where the moment stands against a bound: before it, in it, or after it.
fn place(env: &Env<'_>, at: Moment, bound: Bound) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let today = env.now.today();
    Some(match bound {
        Bound::Days(days) => {
            if days.start.is_some_and(|start| at.day < start) {
                Less
            } else if days.end.is_some_and(|end| at.day > end) {
                Greater
            } else {
                Equal
            }
        }
        Bound::Instant(instant) => match at.instant {
            Some(at) => at.cmp(&instant),
            None => at.day.cmp(&env.now.local_day(instant)),
        },
        // An age or a number of days left compares as that number, not as the date.
        Bound::Age(days) => (today - at.day).cmp(&days),
        Bound::Due(days) => (at.day - today).cmp(&days),
    })
}

fn date(env: &Env<'_>, kind: Kind, comparator: &str, expected: &Value, actual: &Value) -> bool {
    let Some(at) = moment(env, actual) else {
        return false;
    };
    let bounds: Option<Vec<Bound>> = items(expected)
        .iter()
        .map(|item| bound(env, kind, item))
        .collect();
    let Some(bounds) = bounds else {
        return false;
    };
    use std::cmp::Ordering::{Equal, Greater, Less};
    match (comparator, bounds.as_slice()) {
        ("equal" | "in", bounds) => bounds
            .iter()
            .any(|bound| place(env, at, *bound) == Some(Equal)),
        // `between ${THISMONTH}`: in the literal's range.
        ("between", [range]) => place(env, at, *range) == Some(Equal),
        ("between", [low, high]) => {
            matches!(place(env, at, *low), Some(Equal | Greater))
                && matches!(place(env, at, *high), Some(Equal | Less))
        }
        (ordering, [bound]) => order(ordering, place(env, at, *bound)),
        _ => false,
    }
}

fn lookup_id(value: &Value) -> Option<&str> {
    match value {
        Value::Object(object) => object.get("id").and_then(Value::as_str),
        Value::String(id) => Some(id),
        _ => None,
    }
}

fn lookup(env: &Env<'_>, comparator: &str, expected: &Value, actual: &Value) -> bool {
    let Some(actual_id) = lookup_id(actual) else {
        return false;
    };
    let state = env.state;
    let current = state.org.current_user.as_str();
    let role_of = |user: &str| {
        state
            .user(user)
            .and_then(|u| u.role.as_ref())
            .map(|r| r.id.clone())
    };
    if comparator == "equal" || comparator == "in" {
        return items(expected).iter().any(|item| {
            let name = item.get("name").and_then(Value::as_str);
            match lookup_id(item) {
                Some("${CURRENTUSERROLE}") => {
                    role_of(actual_id).is_some() && role_of(actual_id) == role_of(current)
                }
                None if name == Some("${CURRENTUSER}") => actual_id == current,
                Some(id) => id == actual_id,
                None => false,
            }
        });
    }
    // Text comparators read the looked-up record's name.
    let name = actual
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| state.user(actual_id).map(crate::state::User::full_name));
    name.is_some_and(|name| text(comparator, expected, &name))
}

fn multi_lookup(comparator: &str, expected: &Value, actual: &Value) -> bool {
    let held: BTreeSet<&str> = items(actual)
        .into_iter()
        .filter_map(|item| {
            item.get("id")
                .and_then(Value::as_str)
                .or_else(|| lookup_id(item))
        })
        .collect();
    let wanted: Vec<&str> = items(expected).into_iter().filter_map(lookup_id).collect();
    let held_count = wanted.iter().filter(|id| held.contains(*id)).count();
    match comparator {
        // GUESS: `equal` on several values means holding exactly those, as for a
        // multi-select picklist (section 3 allows `equal` on all types without saying).
        "equal" => held.len() == wanted.len() && held_count == wanted.len(),
        "include_all" => held_count == wanted.len(),
        "include_any" => held_count > 0,
        "exclude_all" => held_count == 0,
        "exclude_any" => held_count < wanted.len(),
        _ => false,
    }
}
