//! Territory rule criteria: grammar, comparators against the field's data type, value types,
//! and the 25-rule limit. Answers with the error objects of zoho-api.md section 3.

use serde_json::{Map, Value, json};

use crate::state::{Field, State};
use crate::wire::Outcome;

/// Comparators Zoho knows at all.
const ALL_COMPARATORS: &[&str] = &[
    "equal",
    "not_equal",
    "like",
    "not_like",
    "starts_with",
    "ends_with",
    "contains",
    "not_contains",
    "less_than",
    "less_equal",
    "greater_than",
    "greater_equal",
    "between",
    "not_between",
    "in",
    "not_in",
    "include_all",
    "include_any",
    "exclude_all",
    "exclude_any",
];

const TEXT: &[&str] = &[
    "equal",
    "not_equal",
    "contains",
    "not_contains",
    "starts_with",
    "ends_with",
    "in",
    "not_in",
];
const NUMBER: &[&str] = &[
    "equal",
    "not_equal",
    "less_than",
    "less_equal",
    "greater_than",
    "greater_equal",
    "between",
    "not_between",
    "in",
    "not_in",
];
const DATE: &[&str] = &[
    "equal",
    "not_equal",
    "less_than",
    "less_equal",
    "greater_than",
    "greater_equal",
    "between",
    "not_between",
];
const BOOLEAN: &[&str] = &["equal", "not_equal"];
// The seed page lists the six text comparators for lookups too.
const LOOKUP: &[&str] = &[
    "equal",
    "not_equal",
    "contains",
    "not_contains",
    "starts_with",
    "ends_with",
];
const MULTI_LOOKUP: &[&str] = &["include_all", "include_any", "exclude_all", "exclude_any"];
const MULTI_PICKLIST: &[&str] = &["equal", "not_equal", "contains", "not_contains", "in"];

/// Most values in one array value (OAS).
const MAX_VALUES: usize = 500;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Picklist,
    MultiPicklist,
    Number { integer: bool },
    Date,
    DateTime,
    Boolean,
    Lookup { user: bool },
    MultiLookup,
    Unsupported,
}

fn kind(data_type: &str) -> Kind {
    match data_type {
        "picklist" => Kind::Picklist,
        "multiselectpicklist" => Kind::MultiPicklist,
        "integer" | "bigint" => Kind::Number { integer: true },
        "double" | "currency" | "decimal" | "percent" => Kind::Number { integer: false },
        "date" => Kind::Date,
        "datetime" => Kind::DateTime,
        "boolean" => Kind::Boolean,
        "lookup" => Kind::Lookup { user: false },
        "ownerlookup" | "userlookup" => Kind::Lookup { user: true },
        "multiselectlookup" | "multiuserlookup" => Kind::MultiLookup,
        "fileupload" | "imageupload" => Kind::Unsupported,
        _ => Kind::Text,
    }
}

fn comparators(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Text | Kind::Picklist => TEXT,
        Kind::MultiPicklist => MULTI_PICKLIST,
        Kind::Number { .. } => NUMBER,
        Kind::Date | Kind::DateTime => DATE,
        Kind::Boolean => BOOLEAN,
        Kind::Lookup { .. } => LOOKUP,
        Kind::MultiLookup => MULTI_LOOKUP,
        Kind::Unsupported => &[],
    }
}

/// Validates one criteria value for `module`, at `json_path` (e.g.
/// `$.territories[0].account_rule_criteria`), and returns it as Zoho stores and echoes it.
pub(crate) fn validate(
    state: &State,
    module: &str,
    criteria: &Value,
    json_path: &str,
    key: &str,
) -> Result<Value, Outcome> {
    let fields = state
        .fields
        .get(module)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut rules = 0;
    let checked = node(state, fields, criteria, json_path, key, &mut rules)?;
    let limit = state.limits.criteria_rules;
    if rules > limit {
        // `limit_due_to` names the outermost group: GUESS (zoho-api.md section 3).
        return Err(Outcome::error(
            "LIMIT_EXCEEDED",
            json!({"limit": limit, "limit_due_to": [{"api_name": "group", "json_path": format!("{json_path}.group")}]}),
            "Maximum Territory Criteria Limit reached",
        ));
    }
    Ok(checked)
}

fn invalid(api_name: &str, json_path: &str, extra: Value, message: &str) -> Outcome {
    let mut details = json!({"api_name": api_name, "json_path": json_path});
    if let (Some(details), Value::Object(extra)) = (details.as_object_mut(), extra) {
        details.extend(extra);
    }
    Outcome::error("INVALID_DATA", details, message)
}

fn node(
    state: &State,
    fields: &[Field],
    criteria: &Value,
    path: &str,
    key: &str,
    rules: &mut usize,
) -> Result<Value, Outcome> {
    let Value::Object(object) = criteria else {
        return Err(invalid(
            key,
            path,
            json!({"expected_data_type": "jsonobject"}),
            "invalid data",
        ));
    };
    if object.contains_key("group") || object.contains_key("group_operator") {
        group(state, fields, object, path, rules)
    } else {
        *rules += 1;
        simple(state, fields, object, path)
    }
}

fn group(
    state: &State,
    fields: &[Field],
    object: &Map<String, Value>,
    path: &str,
    rules: &mut usize,
) -> Result<Value, Outcome> {
    for key in object.keys() {
        if !matches!(key.as_str(), "group" | "group_operator" | "$disrupted") {
            return Err(invalid(
                key,
                &format!("{path}.{key}"),
                json!({}),
                "invalid data",
            ));
        }
    }
    let operator_path = format!("{path}.group_operator");
    let operator = match object.get("group_operator") {
        None | Some(Value::Null) => {
            return Err(Outcome::error(
                "MANDATORY_NOT_FOUND",
                json!({"api_name": "group_operator", "json_path": operator_path}),
                "required field not found",
            ));
        }
        Some(Value::String(op)) if op.eq_ignore_ascii_case("and") => "AND",
        Some(Value::String(op)) if op.eq_ignore_ascii_case("or") => "OR",
        Some(_) => {
            return Err(invalid(
                "group_operator",
                &operator_path,
                json!({"supported_values": ["AND", "OR"]}),
                "invalid data",
            ));
        }
    };
    let group_path = format!("{path}.group");
    let items = match object.get("group") {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => {
            return Err(Outcome::error(
                "MANDATORY_NOT_FOUND",
                json!({"api_name": "group", "json_path": group_path}),
                "required field not found",
            ));
        }
        Some(_) => {
            return Err(invalid(
                "group",
                &group_path,
                json!({"expected_data_type": "jsonarray"}),
                "invalid data",
            ));
        }
    };
    // A group holds 2..=25 criteria (OAS minItems 2).
    if items.len() < 2 {
        return Err(invalid("group", &group_path, json!({}), "invalid data"));
    }
    let mut checked = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let item_path = format!("{group_path}[{index}]");
        checked.push(node(state, fields, item, &item_path, "group", rules)?);
    }
    // GUESS: Zoho echoes the operator in capitals whatever case was sent.
    Ok(json!({"group_operator": operator, "group": checked}))
}

fn simple(
    state: &State,
    fields: &[Field],
    object: &Map<String, Value>,
    path: &str,
) -> Result<Value, Outcome> {
    for key in object.keys() {
        if !matches!(
            key.as_str(),
            "field" | "comparator" | "value" | "type" | "$disrupted"
        ) {
            return Err(invalid(
                key,
                &format!("{path}.{key}"),
                json!({}),
                "invalid data",
            ));
        }
    }
    let field_path = format!("{path}.field");
    let field = match object.get("field") {
        None | Some(Value::Null) => {
            return Err(Outcome::error(
                "MANDATORY_NOT_FOUND",
                json!({"api_name": "field", "json_path": field_path}),
                "required field not found",
            ));
        }
        Some(Value::Object(field)) => field,
        Some(_) => {
            return Err(invalid(
                "field",
                &field_path,
                json!({"expected_data_type": "jsonobject"}),
                "invalid data",
            ));
        }
    };
    let api_name_path = format!("{field_path}.api_name");
    let Some(api_name) = field.get("api_name").and_then(Value::as_str) else {
        return Err(Outcome::error(
            "MANDATORY_NOT_FOUND",
            json!({"api_name": "api_name", "json_path": api_name_path}),
            "required field not found",
        ));
    };
    let Some(meta) = fields
        .iter()
        .find(|f| f.api_name.eq_ignore_ascii_case(api_name))
    else {
        return Err(invalid(
            "api_name",
            &api_name_path,
            json!({}),
            "The given api_name seems to be invalid",
        ));
    };
    if let Some(id) = field.get("id").filter(|id| !id.is_null()) {
        if id.as_str() != Some(meta.id.as_str()) {
            return Err(invalid(
                "id",
                &format!("{field_path}.id"),
                json!({}),
                "invalid data",
            ));
        }
    }
    let kind = kind(&meta.data_type);
    if kind == Kind::Unsupported {
        return Err(Outcome::error(
            "NOT_SUPPORTED",
            json!({"api_name": meta.api_name, "json_path": api_name_path}),
            "The given field api_name is not supported in criteria",
        ));
    }
    if let Some(kind_of_value) = object.get("type").filter(|t| !t.is_null()) {
        if kind_of_value.as_str() != Some("value") {
            // Only plain values are simulated; field/merge_field/pre_defined are refused.
            return Err(invalid(
                "type",
                &format!("{path}.type"),
                json!({"supported_values": ["value"]}),
                "invalid data",
            ));
        }
    }
    let dependee = json!({"api_name": "field", "json_path": field_path});
    let comparator_path = format!("{path}.comparator");
    let supported = comparators(kind);
    let comparator = match object.get("comparator") {
        None | Some(Value::Null) => {
            return Err(Outcome::error(
                "DEPENDENT_FIELD_MISSING",
                json!({"dependee": dependee, "api_name": "comparator", "json_path": comparator_path}),
                "required field not found",
            ));
        }
        Some(Value::String(comparator)) if ALL_COMPARATORS.contains(&comparator.as_str()) => {
            comparator.as_str()
        }
        Some(_) => {
            return Err(invalid(
                "comparator",
                &comparator_path,
                json!({"supported_values": supported}),
                "The given comparator seems to be invalid",
            ));
        }
    };
    if !supported.contains(&comparator) {
        return Err(Outcome::error(
            "DEPENDENT_MISMATCH",
            json!({"dependee": dependee, "api_name": "comparator", "json_path": comparator_path, "supported_values": supported}),
            "The comparator is not compatible with the given field",
        ));
    }
    let value_path = format!("{path}.value");
    let Some(value) = object.get("value").filter(|v| !v.is_null()) else {
        return Err(Outcome::error(
            "DEPENDENT_FIELD_MISSING",
            json!({"dependee": dependee, "api_name": "value", "json_path": value_path}),
            "required field not found",
        ));
    };
    let mismatch = |expected: &str| {
        Outcome::error(
            "DEPENDENT_MISMATCH",
            json!({"dependee": dependee, "api_name": "value", "json_path": value_path, "expected_data_type": expected}),
            "The value is not compatible with the given field",
        )
    };
    let value = check_value(state, meta, kind, comparator, value).map_err(|e| match e {
        ValueError::Type(expected) => mismatch(expected),
        ValueError::Picklist => invalid(
            "value",
            &value_path,
            json!({"supported_values": meta.pick_list_values}),
            "invalid data",
        ),
    })?;
    Ok(json!({
        "comparator": comparator,
        "field": {"api_name": meta.api_name, "id": meta.id},
        "value": value,
    }))
}

enum ValueError {
    /// The expected data type, as Zoho names it.
    Type(&'static str),
    Picklist,
}

fn expected_type(kind: Kind) -> &'static str {
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
fn check_value(
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
                let Some(id) = object.get("id").and_then(Value::as_str) else {
                    return Err(ValueError::Type(expected));
                };
                // Responses carry `{"id","name"}` for lookups (zoho-api.md section 3).
                let name = object.get("name").cloned().unwrap_or_else(|| {
                    if user {
                        state
                            .user(id)
                            .map_or(Value::Null, |u| Value::String(u.full_name()))
                    } else {
                        Value::Null
                    }
                });
                Ok(json!({"id": id, "name": name}))
            }
            Value::String(_) if comparator != "equal" && comparator != "not_equal" => {
                Ok(value.clone())
            }
            _ => Err(ValueError::Type(expected)),
        },
        Kind::MultiLookup => match value {
            Value::Object(object) if object.get("id").and_then(Value::as_str).is_some() => {
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
