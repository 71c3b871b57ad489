//! Criteria values against the field's type and the comparator, and how Zoho echoes them.

use serde_json::{Value, json};

use super::field_kind::{Kind, MAX_VALUES};
use crate::state::{Field, State};

/// Why a value does not suit its field.
pub(crate) enum ValueError {
    /// The expected data type, as Zoho names it.
    Type(&'static str),
    Picklist,
}

pub(crate) fn expected_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Number { integer: true } => "integer",
        Kind::Number { integer: false } => "double",
        Kind::Date => "date",
        Kind::DateTime => "datetime",
        Kind::Boolean => "boolean",
        Kind::Lookup { .. } | Kind::MultiLookup => "jsonobject",
        _ => "string",
    }
}

fn is_placeholder(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| text.starts_with("${") && text.ends_with('}'))
}

/// Checks a value against the field and comparator; returns it as Zoho echoes it.
pub(crate) fn check_value(
    state: &State,
    meta: &Field,
    kind: Kind,
    comparator: &str,
    value: &Value,
) -> Result<Value, ValueError> {
    let expected = expected_type(kind);
    // `${EMPTY}`, `${NOTEMPTY}` and the date literals go with any type.
    if is_placeholder(value) {
        return Ok(value.clone());
    }
    let needs_pair = matches!(comparator, "between" | "not_between");
    let takes_list = matches!(
        comparator,
        "equal"
            | "not_equal"
            | "in"
            | "not_in"
            | "contains"
            | "not_contains"
            | "starts_with"
            | "ends_with"
    ) || kind == Kind::MultiLookup;
    match value {
        Value::Array(items) => {
            let size_ok = if needs_pair {
                items.len() == 2
            } else {
                takes_list && !items.is_empty() && items.len() <= MAX_VALUES
            };
            if !size_ok {
                return Err(ValueError::Type(if needs_pair {
                    "jsonarray"
                } else {
                    expected
                }));
            }
            let items = items
                .iter()
                .map(|item| scalar(state, meta, kind, comparator, item))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::Array(items))
        }
        _ if needs_pair || matches!(comparator, "in" | "not_in") || kind == Kind::MultiLookup => {
            Err(ValueError::Type("jsonarray"))
        }
        scalar_value => scalar(state, meta, kind, comparator, scalar_value),
    }
}

fn scalar(
    state: &State,
    meta: &Field,
    kind: Kind,
    comparator: &str,
    value: &Value,
) -> Result<Value, ValueError> {
    let expected = expected_type(kind);
    if is_placeholder(value) {
        return Ok(value.clone());
    }
    match kind {
        Kind::Text | Kind::MultiPicklist => match value {
            Value::String(_) => Ok(value.clone()),
            _ => Err(ValueError::Type(expected)),
        },
        Kind::Picklist => match value {
            Value::String(text) => {
                // Partial-match comparators take any text; exact ones must name a value.
                let exact = matches!(comparator, "equal" | "not_equal" | "in" | "not_in");
                if exact
                    && !meta.pick_list_values.is_empty()
                    && !meta.pick_list_values.iter().any(|v| v == text)
                {
                    return Err(ValueError::Picklist);
                }
                Ok(value.clone())
            }
            _ => Err(ValueError::Type(expected)),
        },
        Kind::Number { integer } => {
            let text = match value {
                Value::Number(number) => number.to_string(),
                Value::String(text) => text.trim().to_owned(),
                _ => return Err(ValueError::Type(expected)),
            };
            let ok = if integer {
                text.parse::<i64>().is_ok()
            } else {
                text.parse::<f64>().is_ok()
            };
            // GUESS: Zoho stores numbers as strings and echoes them so (the OAS examples do).
            if ok {
                Ok(Value::String(text))
            } else {
                Err(ValueError::Type(expected))
            }
        }
        Kind::Date => match value {
            Value::String(text) if is_date(text) => Ok(value.clone()),
            _ => Err(ValueError::Type(expected)),
        },
        Kind::DateTime => match value {
            Value::String(text) if text.len() >= 19 && is_date(&text[..10]) => Ok(value.clone()),
            _ => Err(ValueError::Type(expected)),
        },
        Kind::Boolean => match value {
            Value::Bool(_) => Ok(value.clone()),
            _ => Err(ValueError::Type(expected)),
        },
        Kind::Lookup { user } => match value {
            Value::Object(object) => {
                let Some(id) = object.get("id").and_then(id_text) else {
                    return Err(ValueError::Type(expected));
                };
                // Responses carry `{"id","name"}` for lookups, user and record lookups alike
                // (zoho-api.md section 3): the name is the user's, or the record's.
                let name = object.get("name").cloned().unwrap_or_else(|| {
                    let name = if user {
                        state.user(&id).map(crate::state::User::full_name)
                    } else {
                        record_name(state, &id)
                    };
                    name.map_or(Value::Null, Value::String)
                });
                Ok(json!({"id": id, "name": name}))
            }
            Value::String(_) if comparator != "equal" && comparator != "not_equal" => {
                Ok(value.clone())
            }
            _ => Err(ValueError::Type(expected)),
        },
        Kind::MultiLookup => match value {
            Value::Object(object) if object.get("id").and_then(id_text).is_some() => {
                Ok(value.clone())
            }
            _ => Err(ValueError::Type(expected)),
        },
        Kind::Unsupported => Err(ValueError::Type(expected)),
    }
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
}

/// The name of the record `id` in any module, as a lookup to it echoes: the module's name
/// field (`Account_Name`, `Deal_Name`; `Full_Name`, else `Last_Name`, for people). GUESS: Zoho
/// echoes the looked-up record's display name; an id that names no record echoes `null`
/// (Zoho's answer to it is not documented).
fn record_name(state: &State, id: &str) -> Option<String> {
    let (module, record) = state
        .records
        .iter()
        .find_map(|(module, records)| Some((module, records.iter().find(|r| r.id == id)?)))?;
    let keys: &[&str] = match module.as_str() {
        "Accounts" => &["Account_Name"],
        "Deals" => &["Deal_Name"],
        _ => &["Full_Name", "Last_Name", "Name"],
    };
    keys.iter()
        .find_map(|key| record.fields.get(*key).and_then(Value::as_str))
        .map(str::to_owned)
}

/// An id sent as a JSON string or number, as text.
pub(crate) fn id_text(id: &Value) -> Option<String> {
    match id {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}
