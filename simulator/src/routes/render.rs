//! How the org's objects look on the wire.

use serde_json::{Value, json};

use crate::state::{Field, State, Territory, User};

/// Which optional parts of a territory to show (`include`, `include_inner_details`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Shape {
    pub(crate) criteria: [bool; 3],
    pub(crate) manager_zuid: bool,
    pub(crate) manager_status: bool,
}

pub(crate) const CRITERIA_KEYS: [&str; 3] = [
    "account_rule_criteria",
    "lead_rule_criteria",
    "deal_rule_criteria",
];

fn user_ref(state: &State, id: &str) -> Value {
    match state.user(id) {
        Some(user) => json!({"name": user.full_name(), "id": user.id}),
        None => json!({"name": null, "id": id}),
    }
}

pub(crate) fn territory(state: &State, territory: &Territory, shape: Shape) -> Value {
    let reporting_to = territory
        .reporting_to
        .as_deref()
        .map_or(Value::Null, |parent| {
            let name = state.territory(parent).map(|t| t.name.clone());
            json!({"name": name, "id": parent})
        });
    let manager = territory.manager.as_deref().map_or(Value::Null, |id| {
        let mut manager = user_ref(state, id);
        if let Some(user) = state.user(id) {
            if shape.manager_zuid {
                manager["zuid"] = json!(user.zuid);
            }
            if shape.manager_status {
                manager["status"] = json!(user.status);
            }
        }
        manager
    });
    let mut object = json!({
        "id": territory.id,
        "name": territory.name,
        "api_name": territory.api_name,
        "reporting_to": reporting_to,
        "manager": manager,
        "permission_type": territory.permission_type,
        "description": territory.description,
        "created_time": territory.created_time,
        "modified_time": territory.modified_time,
        "created_by": user_ref(state, &territory.created_by),
        "modified_by": user_ref(state, &territory.modified_by),
    });
    let criteria = [
        &territory.account_rule_criteria,
        &territory.lead_rule_criteria,
        &territory.deal_rule_criteria,
    ];
    for ((key, value), wanted) in CRITERIA_KEYS.iter().zip(criteria).zip(shape.criteria) {
        if wanted {
            object[*key] = value.clone().unwrap_or(Value::Null);
        }
    }
    object
}

pub(crate) fn user(state: &State, user: &User) -> Value {
    json!({
        "id": user.id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "full_name": user.full_name(),
        "email": user.email,
        "status": user.status,
        "confirm": user.status != "inactive" || user.zuid.is_some(),
        "zuid": user.zuid,
        "role": user.role,
        "profile": user.profile,
        "time_zone": state.org.time_zone,
        "created_time": "2023-02-01T10:09:10+00:00",
    })
}

/// The JSON type Zoho reports for a data type.
fn json_type(data_type: &str) -> &'static str {
    match data_type {
        "integer" | "bigint" => "integer",
        "double" | "currency" | "decimal" | "percent" => "double",
        "boolean" => "boolean",
        "lookup" | "ownerlookup" | "userlookup" => "jsonobject",
        "multiselectpicklist" | "multiselectlookup" | "multiuserlookup" => "jsonarray",
        _ => "string",
    }
}

pub(crate) fn field(field: &Field) -> Value {
    let pick_list_values: Vec<Value> = field
        .pick_list_values
        .iter()
        .enumerate()
        .map(|(index, value)| {
            // Pick list value ids are derived from the field's id: stable across restarts.
            json!({
                "display_value": value,
                "actual_value": value,
                "id": format!("{}{:03}", field.id, index + 1),
                "sequence_number": index + 1,
                "type": "used",
                "colour_code": null,
            })
        })
        .collect();
    json!({
        "api_name": field.api_name,
        "id": field.id,
        "field_label": field.field_label,
        "display_label": field.field_label,
        "data_type": field.data_type,
        "json_type": json_type(&field.data_type),
        "custom_field": field.custom_field,
        "system_mandatory": false,
        "read_only": false,
        "visible": true,
        "length": field.length.unwrap_or(255),
        "pick_list_values": pick_list_values,
        "lookup": {},
    })
}
