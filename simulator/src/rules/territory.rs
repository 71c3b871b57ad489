//! One territory item of a create or update call: checked against the org, then applied.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::{criteria, name};
use crate::clock;
use crate::state::{State, Territory};
use crate::wire::Outcome;

const PERMISSIONS: &[&str] = &["read_only", "read_write_delete"];
const KEYS: &[&str] = &[
    "id",
    "name",
    "reporting_to",
    "manager",
    "permission_type",
    "description",
    "account_rule_criteria",
    "lead_rule_criteria",
    "deal_rule_criteria",
];
/// The module whose fields each criteria key is checked against.
const CRITERIA: [(&str, &str); 3] = [
    ("account_rule_criteria", "Accounts"),
    ("lead_rule_criteria", "Leads"),
    ("deal_rule_criteria", "Deals"),
];

/// What an item changes. `Some(None)` clears.
#[derive(Debug, Default)]
pub(crate) struct Patch {
    name: Option<String>,
    reporting_to: Option<String>,
    manager: Option<Option<String>>,
    permission_type: Option<String>,
    description: Option<Option<String>>,
    criteria: [Option<Option<Value>>; 3],
}

/// Whether an item creates a territory or updates the one with this id.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Mode<'a> {
    Create,
    Update(&'a str),
}

fn detail(api_name: &str, json_path: &str) -> Value {
    json!({"api_name": api_name, "json_path": json_path})
}

fn mandatory(api_name: &str, base: &str) -> Outcome {
    Outcome::error(
        "MANDATORY_NOT_FOUND",
        detail(api_name, &format!("{base}.{api_name}")),
        "required field not found",
    )
}

fn invalid(api_name: &str, base: &str, message: &str) -> Outcome {
    Outcome::error(
        "INVALID_DATA",
        detail(api_name, &format!("{base}.{api_name}")),
        message,
    )
}

fn type_error(api_name: &str, base: &str, expected: &str) -> Outcome {
    Outcome::error(
        "INVALID_DATA",
        json!({"api_name": api_name, "json_path": format!("{base}.{api_name}"), "expected_data_type": expected}),
        "invalid data",
    )
}

/// Names that appear more than once in one request (case-insensitively).
pub(crate) fn duplicate_names(items: &[Value]) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut duplicates = BTreeSet::new();
    for name in items
        .iter()
        .filter_map(|item| item.get("name").and_then(Value::as_str))
    {
        let key = name.trim().to_lowercase();
        if !seen.insert(key.clone()) {
            duplicates.insert(key);
        }
    }
    duplicates
}

/// Reads a `{"id": ...}` reference; `Ok(None)` for an explicit null.
fn reference(
    object: &Map<String, Value>,
    key: &str,
    base: &str,
) -> Result<Option<String>, Outcome> {
    match object.get(key) {
        Some(Value::Null) | None => Ok(None),
        Some(Value::Object(reference)) => match reference.get("id") {
            Some(Value::String(id)) => Ok(Some(id.clone())),
            Some(Value::Number(id)) => Ok(Some(id.to_string())),
            _ => Err(mandatory("id", &format!("{base}.{key}"))),
        },
        Some(_) => Err(type_error(key, base, "jsonobject")),
    }
}

/// Checks one item (at `$.territories[index]`) against the org as it stands.
pub(crate) fn check(
    state: &State,
    item: &Value,
    index: usize,
    mode: Mode<'_>,
    duplicates: &BTreeSet<String>,
) -> Result<Patch, Outcome> {
    let base = format!("$.territories[{index}]");
    let Value::Object(object) = item else {
        return Err(Outcome::error(
            "INVALID_DATA",
            json!({"json_path": base, "expected_data_type": "jsonobject"}),
            "invalid data",
        ));
    };
    for key in object.keys() {
        if !KEYS.contains(&key.as_str()) || (key == "id" && matches!(mode, Mode::Create)) {
            return Err(invalid(key, &base, "invalid data"));
        }
    }
    let current = match mode {
        Mode::Create => None,
        Mode::Update(id) => state.territory(id),
    };
    let is_root = current.is_some_and(|t| t.reporting_to.is_none());
    if is_root {
        // A `permission_type` equal to the root's own is no change (clients that always send
        // it, as the update page asks, can still rename the root).
        let unchanged_permission = |key: &str| {
            key == "permission_type"
                && object.get(key).and_then(Value::as_str)
                    == current.map(|t| t.permission_type.as_str())
        };
        if let Some(key) = object
            .keys()
            .find(|key| !matches!(key.as_str(), "id" | "name") && !unchanged_permission(key))
        {
            return Err(Outcome::error(
                "NOT_ALLOWED",
                detail(key, &format!("{base}.{key}")),
                "Cannot update the Org Territory except Name",
            ));
        }
    }
    let mut patch = Patch::default();

    match object.get("name") {
        None if matches!(mode, Mode::Create) => return Err(mandatory("name", &base)),
        None => {}
        Some(Value::String(new_name)) => {
            name::check(new_name, &format!("{base}.name"))?;
            if duplicates.contains(&new_name.trim().to_lowercase()) {
                return Err(Outcome::error(
                    "DUPLICATE_DATA",
                    detail("name", &format!("{base}.name")),
                    "Duplicate Territory Name Found",
                ));
            }
            let taken = state
                .territory_named(new_name)
                .is_some_and(|t| current.is_none_or(|current| current.id != t.id));
            if taken {
                return Err(Outcome::error(
                    "DUPLICATE_DATA",
                    detail("name", &format!("{base}.name")),
                    "Given Territory name already exists",
                ));
            }
            patch.name = Some(new_name.trim().to_owned());
        }
        Some(Value::Null) => return Err(mandatory("name", &base)),
        Some(_) => return Err(type_error("name", &base, "string")),
    }

    match (
        object.contains_key("reporting_to"),
        reference(object, "reporting_to", &base)?,
    ) {
        (false, _) if matches!(mode, Mode::Create) => return Err(mandatory("reporting_to", &base)),
        (false, _) => {}
        // Only the root reports to nobody, and there is one root.
        (true, None) => return Err(mandatory("reporting_to", &base)),
        (true, Some(parent)) => {
            if state.territory(&parent).is_none() {
                return Err(invalid("reporting_to", &base, "invalid data"));
            }
            if let Some(current) = current {
                if state.is_self_or_descendant(&current.id, &parent) {
                    return Err(Outcome::error(
                        "NOT_ALLOWED",
                        detail("reporting_to", &format!("{base}.reporting_to")),
                        "Reporting_to id should not be the child of given territory. Chosse another territory as Reporing_to",
                    ));
                }
            }
            patch.reporting_to = Some(parent);
        }
    }

    if object.contains_key("manager") {
        match reference(object, "manager", &base)? {
            None => patch.manager = Some(None),
            Some(id) => {
                let Some(user) = state.user(&id) else {
                    return Err(invalid("manager", &base, "invalid data"));
                };
                if !user.is_active() {
                    return Err(Outcome::error(
                        "NOT_ALLOWED",
                        detail("manager", &format!("{base}.manager")),
                        "Inactive User",
                    ));
                }
                patch.manager = Some(Some(id));
            }
        }
    }

    match object.get("permission_type") {
        None if matches!(mode, Mode::Create) => return Err(mandatory("permission_type", &base)),
        // The update-territories page (a seed, which wins) marks `permission_type` mandatory
        // on update too; `flags.permission_type_optional_on_update` relaxes it.
        None if !is_root && !state.flags.permission_type_optional_on_update => {
            return Err(mandatory("permission_type", &base));
        }
        None => {}
        Some(Value::String(permission)) if PERMISSIONS.contains(&permission.as_str()) => {
            patch.permission_type = Some(permission.clone());
        }
        Some(_) => {
            return Err(Outcome::error(
                "INVALID_DATA",
                json!({"api_name": "permission_type", "json_path": format!("{base}.permission_type"), "supported_values": PERMISSIONS}),
                "invalid data",
            ));
        }
    }

    match object.get("description") {
        None => {}
        Some(Value::Null) => patch.description = Some(None),
        Some(Value::String(text)) if text.chars().count() > name::MAX_DESCRIPTION => {
            return Err(Outcome::error(
                "INVALID_DATA",
                json!({"api_name": "description", "json_path": format!("{base}.description"), "maximum_length": name::MAX_DESCRIPTION}),
                "invalid data",
            ));
        }
        Some(Value::String(text)) => patch.description = Some(Some(text.clone())),
        Some(_) => return Err(type_error("description", &base, "string")),
    }

    for (slot, (key, module)) in CRITERIA.iter().enumerate() {
        match object.get(*key) {
            None => {}
            Some(Value::Null) => patch.criteria[slot] = Some(None),
            Some(value) => {
                let disabled = match *module {
                    "Leads" => (!state.flags.lead_rules_enabled).then_some("Lead Rule Disabled"),
                    "Deals" => (!state.flags.deal_rules_enabled).then_some("Deal Rule Disabled"),
                    _ => None,
                };
                if let Some(message) = disabled {
                    return Err(Outcome::error(
                        "NOT_ALLOWED",
                        detail(key, &format!("{base}.{key}")),
                        message,
                    ));
                }
                let path = format!("{base}.{key}");
                let checked = criteria::validate(state, module, value, &path, key)?;
                patch.criteria[slot] = Some(Some(checked));
            }
        }
    }

    if matches!(mode, Mode::Create) && state.territories.len() >= state.limits.territories {
        return Err(Outcome::error(
            "LIMIT_EXCEEDED",
            json!({"limit": state.limits.territories}),
            "Territory Limit reached",
        ));
    }
    Ok(patch)
}

/// Applies a checked patch: creates a territory (returning its new id) or updates one.
pub(crate) fn apply(state: &mut State, mut patch: Patch, mode: Mode<'_>) -> String {
    let now = clock::now(&state.org.time_zone_offset);
    let actor = state.org.current_user.clone();
    let id = match mode {
        Mode::Update(id) => id.to_owned(),
        Mode::Create => {
            let id = state.allocate_id();
            let name = patch.name.take().unwrap_or_default();
            state.add_territory(Territory {
                id: id.clone(),
                api_name: name::api_name(&name),
                name,
                reporting_to: None,
                manager: None,
                permission_type: "read_only".to_owned(),
                description: None,
                account_rule_criteria: None,
                lead_rule_criteria: None,
                deal_rule_criteria: None,
                created_time: now.clone(),
                modified_time: now.clone(),
                created_by: actor.clone(),
                modified_by: actor.clone(),
                users: Vec::new(),
            });
            id
        }
    };
    if let Some(name) = patch.name {
        state.rename(&id, name);
    }
    if let Some(parent) = patch.reporting_to.take() {
        state.set_parent(&id, Some(parent));
    }
    let Some(territory) = state.territory_mut(&id) else {
        return id;
    };
    if let Some(manager) = patch.manager {
        // Zoho makes a territory's manager one of its users. GUESS: the docs say so only
        // through the UI ("the manager is a member"); the old manager stays a member when the
        // manager changes, as nothing documents removing them.
        if let Some(user) = &manager {
            if !territory.users.contains(user) {
                territory.users.push(user.clone());
            }
        }
        territory.manager = manager;
    }
    if let Some(permission) = patch.permission_type {
        territory.permission_type = permission;
    }
    if let Some(description) = patch.description {
        territory.description = description;
    }
    let [account, lead, deal] = patch.criteria;
    if let Some(value) = account {
        territory.account_rule_criteria = value;
    }
    if let Some(value) = lead {
        territory.lead_rule_criteria = value;
    }
    if let Some(value) = deal {
        territory.deal_rule_criteria = value;
    }
    territory.modified_time = now;
    territory.modified_by = actor;
    id
}
