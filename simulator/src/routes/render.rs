//! How the org's objects look on the wire.

use serde::Serialize;
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

/// `{"name": …, "id": …}` of a user, as `created_by`, `modified_by` and `manager` show one;
/// `manager` may add `zuid` and `status` on request.
#[derive(Serialize)]
pub(crate) struct UserRef<'a> {
    name: Option<String>,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    zuid: Option<&'a Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a str>,
}

fn user_ref<'a>(state: &'a State, id: &'a str) -> UserRef<'a> {
    UserRef {
        name: state.user(id).map(User::full_name),
        id,
        zuid: None,
        status: None,
    }
}

/// `reporting_to`: the parent's name and id.
#[derive(Serialize)]
pub(crate) struct ParentRef<'a> {
    name: Option<&'a str>,
    id: &'a str,
}

/// A territory as the API shows it, borrowed from the state and serialized straight into the
/// response (a page of 200 territories, built as `serde_json::Value`s, cost more than the
/// rest of the request).
#[derive(Serialize)]
pub(crate) struct RenderedTerritory<'a> {
    id: &'a str,
    name: &'a str,
    api_name: &'a str,
    reporting_to: Option<ParentRef<'a>>,
    manager: Option<UserRef<'a>>,
    permission_type: &'a str,
    description: &'a Option<String>,
    created_time: &'a str,
    modified_time: &'a str,
    created_by: UserRef<'a>,
    modified_by: UserRef<'a>,
    /// Present only when asked for with `include`; `null` when the territory has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    account_rule_criteria: Option<&'a Option<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lead_rule_criteria: Option<&'a Option<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deal_rule_criteria: Option<&'a Option<Value>>,
}

pub(crate) fn territory<'a>(
    state: &'a State,
    territory: &'a Territory,
    shape: Shape,
) -> RenderedTerritory<'a> {
    let reporting_to = territory.reporting_to.as_deref().map(|parent| ParentRef {
        name: state.territory(parent).map(|t| t.name.as_str()),
        id: parent,
    });
    let manager = territory.manager.as_deref().map(|id| {
        let mut manager = user_ref(state, id);
        if let Some(user) = state.user(id) {
            if shape.manager_zuid {
                manager.zuid = Some(&user.zuid);
            }
            if shape.manager_status {
                manager.status = Some(&user.status);
            }
        }
        manager
    });
    let [account, lead, deal] = shape.criteria;
    RenderedTerritory {
        id: &territory.id,
        name: &territory.name,
        api_name: &territory.api_name,
        reporting_to,
        manager,
        permission_type: &territory.permission_type,
        description: &territory.description,
        created_time: &territory.created_time,
        modified_time: &territory.modified_time,
        created_by: user_ref(state, &territory.created_by),
        modified_by: user_ref(state, &territory.modified_by),
        account_rule_criteria: account.then_some(&territory.account_rule_criteria),
        lead_rule_criteria: lead.then_some(&territory.lead_rule_criteria),
        deal_rule_criteria: deal.then_some(&territory.deal_rule_criteria),
    }
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
