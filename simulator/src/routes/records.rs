//! Reading records with their territories; which modules take territories at all.

use std::sync::Arc;

use axum::extract::State;
use serde_json::{Map, Value, json};

use super::{Call, record_pages};
use crate::shared::Shared;
use crate::state::{self, Record};
use crate::wire::{Outcome, Reply, errors};

/// Modules whose records take territories.
const SUPPORTED: &[&str] = &["Leads", "Accounts", "Contacts", "Deals"];
/// Other standard modules: they exist, but the territory APIs refuse them.
const OTHER_MODULES: &[&str] = &[
    "Tasks",
    "Events",
    "Calls",
    "Products",
    "Quotes",
    "Sales_Orders",
    "Purchase_Orders",
    "Invoices",
    "Campaigns",
    "Vendors",
    "Price_Books",
    "Cases",
    "Solutions",
];

pub(crate) fn module(raw: &str) -> Result<&'static str, Outcome> {
    if let Some(module) = SUPPORTED.iter().find(|m| m.eq_ignore_ascii_case(raw)) {
        return Ok(module);
    }
    if OTHER_MODULES.iter().any(|m| m.eq_ignore_ascii_case(raw)) {
        return Err(Outcome::error(
            "NOT_SUPPORTED",
            json!({"resource_path_index": 0}),
            "the api is not supported for this module",
        ));
    }
    Err(Outcome::error(
        "INVALID_MODULE",
        json!({}),
        "the module name given seems to be invalid",
    ))
}

fn render(state: &state::State, record: &Record, only: Option<&[String]>) -> Value {
    let mut object = Map::new();
    object.insert("id".to_owned(), json!(record.id));
    for (key, value) in &record.fields {
        if only.is_none_or(|only| only.contains(key)) {
            object.insert(key.clone(), value.clone());
        }
    }
    if only.is_none_or(|only| only.iter().any(|f| f == "Territories")) {
        let territories: Vec<Value> = record
            .territories
            .iter()
            .map(|t| {
                let assigned_by = t
                    .assigned_by
                    .as_deref()
                    .and_then(|id| state.user(id))
                    .map_or(Value::Null, |u| json!({"name": u.full_name(), "id": u.id}));
                json!({
                    "Name": state.territory(&t.id).map(|t| t.name.clone()),
                    "id": t.id,
                    "$assigned_by": assigned_by,
                    "$assigned_time": t.assigned_time,
                    "$assigned": t.assigned,
                })
            })
            .collect();
        object.insert("Territories".to_owned(), Value::Array(territories));
    }
    Value::Object(object)
}

pub(crate) async fn get_one(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let state = shared.state();
    let module = match module(call.param("module")) {
        Ok(module) => module,
        Err(outcome) => return outcome.into_reply(),
    };
    let id = call.param("record_id");
    let record = state
        .records
        .get(module)
        .and_then(|records| records.iter().find(|r| r.id == id));
    match record {
        Some(record) => Reply::ok(json!({"data": [render(&state, record, None)]})),
        // GUESS: an unknown record id answers 204, like the territory endpoints.
        None => Reply::NoContent,
    }
}

pub(crate) async fn list(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let state = shared.state();
    let module = match module(call.param("module")) {
        Ok(module) => module,
        Err(outcome) => return outcome.into_reply(),
    };
    // Since API v3 the record list needs `fields`; answering without it would hide a client bug.
    let Some(only) = call.query.list("fields").filter(|f| !f.is_empty()) else {
        return errors::param_missing("fields").into_reply();
    };
    let now = shared.now();
    let window = match record_pages::window(&call.query, module, state.limits.per_page, now) {
        Ok(window) => window,
        Err(outcome) => return outcome.into_reply(),
    };
    let ids = call.query.list("ids");
    let include_child = call
        .query
        .boolean("include_child")
        .ok()
        .flatten()
        .unwrap_or(false);
    let territory = call.query.get("territory_id");
    // Filter first and render only the page: an org of many thousand records is read in many
    // pages, and rendering all of them for each page would be quadratic.
    let records: Vec<&Record> = state
        .records
        .get(module)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|r| ids.as_ref().is_none_or(|ids| ids.contains(&r.id)))
        .filter(|r| {
            territory.is_none_or(|wanted| {
                r.territories.iter().any(|t| {
                    t.id == wanted || (include_child && state.is_self_or_descendant(wanted, &t.id))
                })
            })
        })
        .collect();
    match window.apply(&records, module, now, &state.org.time_zone_offset) {
        Some((page, info)) => {
            let page: Vec<Value> = page
                .iter()
                .map(|r| render(&state, r, Some(&only)))
                .collect();
            Reply::ok(json!({"data": page, "info": info}))
        }
        None => Reply::NoContent,
    }
}
