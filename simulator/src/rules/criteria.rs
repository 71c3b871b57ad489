//! Territory rule criteria: grammar, comparators against the field's data type, value types,
//! and the 25-rule limit. Answers with the error objects of zoho-api.md section 3.

use serde_json::{Map, Value, json};

use super::criteria_value::{ValueError, check_value, id_text};
use super::field_kind::{ALL_COMPARATORS, Kind, comparators, kind};
use crate::state::{Field, State};
use crate::wire::Outcome;

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
        // Ids as JSON strings or numbers alike: the official Python SDK sends its Long ids as
        // numbers, and ids elsewhere (territories, parents, managers, records) take both.
        if id_text(id).as_deref() != Some(meta.id.as_str()) {
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
