//! Creating and updating territories: per-item results in request order.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Call, territory_items};
use crate::rules::territory::{self, Mode};
use crate::shared::Shared;
use crate::wire::{Outcome, Reply, errors};

pub(crate) async fn create(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let mut state = shared.state();
    let items = match territory_items(&state, &call, None) {
        Ok(items) => items,
        Err(reply) => return reply,
    };
    let duplicates = territory::duplicate_names(&items);
    let mut results = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let outcome = match territory::check(&state, item, index, Mode::Create, &duplicates) {
            Err(outcome) => outcome,
            Ok(_) if shared.item_fails() => errors::internal(),
            Ok(patch) => {
                let id = territory::apply(&mut state, patch, Mode::Create);
                Outcome::success(
                    "SUCCESS",
                    json!({"id": id}),
                    "Territory Created Successfully",
                )
            }
        };
        results.push(outcome);
    }
    shared.commit(&state);
    Reply::items("territories", results, StatusCode::CREATED)
}

pub(crate) async fn update_bulk(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    update(&shared, &call, None)
}

pub(crate) async fn update_one(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    update(&shared, &call, Some(call.param("id")))
}

fn update(shared: &Shared, call: &Call, url_id: Option<&str>) -> Reply {
    let mut state = shared.state();
    let url = url_id.map(|id| (id, "the id given seems to be invalid"));
    let items = match territory_items(&state, call, url) {
        Ok(items) => items,
        Err(reply) => return reply,
    };
    let duplicates = territory::duplicate_names(&items);
    let mut results = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let outcome = match target(&state, item, index, url_id) {
            Err(outcome) => outcome,
            Ok(id) => match territory::check(&state, item, index, Mode::Update(&id), &duplicates) {
                Err(outcome) => outcome,
                Ok(_) if shared.item_fails() => errors::internal(),
                Ok(patch) => {
                    territory::apply(&mut state, patch, Mode::Update(&id));
                    Outcome::success(
                        "SUCCESS",
                        json!({"id": id}),
                        "Territory Updated Successfully",
                    )
                }
            },
        };
        results.push(outcome);
    }
    shared.commit(&state);
    Reply::items("territories", results, StatusCode::OK)
}

/// The id an update item targets: its `id`, which must match the URL's in the by-id form.
fn target(
    state: &crate::state::State,
    item: &Value,
    index: usize,
    url_id: Option<&str>,
) -> Result<String, Outcome> {
    let path = format!("$.territories[{index}].id");
    let given = match item.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) => Some(id.clone()),
        Some(Value::Number(id)) => Some(id.to_string()),
        Some(_) => {
            return Err(Outcome::error(
                "INVALID_DATA",
                json!({"api_name": "id", "json_path": path, "expected_data_type": "string"}),
                "invalid data",
            ));
        }
    };
    let id = match (given, url_id) {
        (None, None) => {
            return Err(Outcome::error(
                "MANDATORY_NOT_FOUND",
                json!({"api_name": "id", "json_path": path}),
                "required field not found",
            ));
        }
        (Some(given), Some(url)) if given != url => {
            return Err(Outcome::error(
                "INVALID_DATA",
                json!({"api_name": "id", "json_path": path}),
                "the id given seems to be invalid",
            ));
        }
        (Some(id), _) => id,
        (None, Some(url)) => url.to_owned(),
    };
    if state.territory(&id).is_none() {
        return Err(Outcome::error(
            "INVALID_DATA",
            json!({"api_name": "id", "json_path": path}),
            "the id given seems to be invalid",
        ));
    }
    Ok(id)
}
