//! Assigning territories to records and removing them, per item in request order.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::records::module;
use super::{Call, batch_items};
use crate::clock;
use crate::shared::Shared;
use crate::state::{self, Job, RecordTerritory};
use crate::wire::{Outcome, Reply, errors};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Assign,
    Remove,
}

pub(crate) async fn assign_bulk(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    change(&shared, &call, None, Action::Assign)
}

pub(crate) async fn assign_one(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    change(
        &shared,
        &call,
        Some(call.param("record_id")),
        Action::Assign,
    )
}

pub(crate) async fn remove_bulk(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    change(&shared, &call, None, Action::Remove)
}

pub(crate) async fn remove_one(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    change(
        &shared,
        &call,
        Some(call.param("record_id")),
        Action::Remove,
    )
}

fn change(shared: &Shared, call: &Call, url_id: Option<&str>, action: Action) -> Reply {
    let mut state = shared.state();
    let module = match module(call.param("module")) {
        Ok(module) => module,
        Err(outcome) => return outcome.into_reply(),
    };
    if let Some(off) = errors::territories_off(&state.flags) {
        return off.into_reply();
    }
    // Leads cannot take territories through the API (seed pages: TERRITORY_NOT_ENABLED 403).
    if module == "Leads" {
        return Outcome::error(
            "TERRITORY_NOT_ENABLED",
            json!({}),
            "the territory feature is not enabled for Leads Module",
        )
        .with_http(StatusCode::FORBIDDEN)
        .into_reply();
    }
    if let Some(id) = url_id {
        if !state
            .records
            .get(module)
            .is_some_and(|r| r.iter().any(|r| r.id == id))
        {
            return errors::invalid_url_id(1, "The record Id given seems to be invalid")
                .into_reply();
        }
    }
    let limit = if url_id.is_some() {
        1
    } else {
        state.limits.batch
    };
    let items = match call
        .json()
        .and_then(|body| batch_items(&body, "data", limit))
    {
        Ok(items) => items,
        Err(outcome) => return outcome.into_reply(),
    };
    let mut results = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let outcome = match check(&state, module, item, index, url_id, action) {
            Err(outcome) => outcome,
            Ok(_) if shared.item_fails() => errors::internal(),
            Ok((record_id, territories)) => {
                apply(&mut state, module, &record_id, &territories, action)
            }
        };
        results.push(outcome);
    }
    shared.commit(&state);
    Reply::items("data", results, StatusCode::OK)
}

/// Checks one `data` item; returns the record id and the territory ids it names.
fn check(
    state: &state::State,
    module: &str,
    item: &Value,
    index: usize,
    url_id: Option<&str>,
    action: Action,
) -> Result<(String, Vec<String>), Outcome> {
    let base = format!("$.data[{index}]");
    let record_id = match (super::id_text(item.get("id")), url_id) {
        (Some(id), Some(url)) if id != url => {
            return Err(Outcome::error(
                "INVALID_DATA",
                json!({"api_name": "id", "json_path": format!("{base}.id")}),
                "The record Id given seems to be invalid",
            ));
        }
        (Some(id), _) => id,
        (None, Some(url)) => url.to_owned(),
        (None, None) => {
            return Err(Outcome::error(
                "MANDATORY_NOT_FOUND",
                json!({"api_name": "id", "json_path": format!("{base}.id")}),
                "One of the expected parameter is missing",
            ));
        }
    };
    let Some(record) = state
        .records
        .get(module)
        .and_then(|r| r.iter().find(|r| r.id == record_id))
    else {
        return Err(Outcome::error(
            "INVALID_DATA",
            json!({"api_name": "id", "json_path": format!("{base}.id")}),
            "The record Id given seems to be invalid",
        ));
    };
    let territories_path = format!("{base}.Territories");
    let entries = match item.get("Territories") {
        Some(Value::Array(entries)) if !entries.is_empty() => entries,
        _ => {
            return Err(Outcome::error(
                "MANDATORY_NOT_FOUND",
                json!({"api_name": "Territories", "json_path": territories_path}),
                "required field not found",
            ));
        }
    };
    if record.locked {
        // The message is the seed page's.
        return Err(Outcome::error(
            "RECORD_LOCKED",
            json!({"id": record_id, "action": "record_locking"}),
            "You cannot perform this operation as the record is locked.",
        ));
    }
    let mut ids: Vec<String> = Vec::with_capacity(entries.len());
    let mut first_at: Vec<(String, String)> = Vec::new();
    for (position, entry) in entries.iter().enumerate() {
        let path = format!("{territories_path}[{position}].id");
        let Some(id) = super::id_text(entry.get("id")) else {
            return Err(Outcome::error(
                "MANDATORY_NOT_FOUND",
                json!({"api_name": "id", "json_path": path}),
                "required field not found",
            ));
        };
        if let Some((_, earlier)) = first_at.iter().find(|(seen, _)| *seen == id) {
            return Err(Outcome::error(
                "ALREADY_USED",
                json!({"exists_in": {"json_path": earlier}, "api_name": "id", "json_path": path}),
                "duplicate territory id found",
            ));
        }
        first_at.push((id.clone(), path.clone()));
        let invalid = || {
            Outcome::error(
                "INVALID_DATA",
                json!({"api_name": "id", "json_path": path}),
                "the id given seems to be invalid",
            )
        };
        if state.territory(&id).is_none() {
            return Err(invalid());
        }
        let existing = record.territories.iter().find(|t| t.id == id);
        match (action, existing) {
            (Action::Assign, Some(_)) => {
                return Err(Outcome::error(
                    "DUPLICATE_DATA",
                    json!({"api_name": "id", "json_path": path}),
                    "Given Territory id already exists for that record",
                ));
            }
            (Action::Remove, None) => return Err(invalid()),
            (Action::Remove, Some(t)) if t.assigned != "manually" => {
                return Err(Outcome::error(
                    "NOT_ALLOWED",
                    json!({"api_name": "id", "json_path": path}),
                    "The territory id which you are trying to remove was system assigned",
                )
                .with_http(StatusCode::FORBIDDEN));
            }
            _ => {}
        }
        ids.push(id);
    }
    if action == Action::Assign {
        // Deals take one territory, the other modules ten; automatic ones count too (GUESS).
        let limit = if module == "Deals" {
            1
        } else {
            state.limits.territories_per_record
        };
        if record.territories.len() + ids.len() > limit {
            return Err(Outcome::error(
                "LIMIT_EXCEEDED",
                json!({"api_name": "Territories", "json_path": territories_path, "limit": limit}),
                "Maximum limit of territories for that record exceeds",
            ));
        }
    }
    Ok((record_id, ids))
}

fn apply(
    state: &mut state::State,
    module: &str,
    record_id: &str,
    territories: &[String],
    action: Action,
) -> Outcome {
    let now = clock::now(&state.org.time_zone_offset);
    let actor = state.org.current_user.clone();
    let offload = state.flags.offload_parent_territory;
    let job_id = offload.then(|| state.allocate_id());
    let Some(record) = state
        .records
        .get_mut(module)
        .and_then(|r| r.iter_mut().find(|r| r.id == record_id))
    else {
        return errors::internal();
    };
    match action {
        Action::Assign => {
            for id in territories {
                record.territories.push(RecordTerritory {
                    id: id.clone(),
                    assigned: "manually".to_owned(),
                    assigned_by: Some(actor.clone()),
                    assigned_time: now.clone(),
                });
            }
        }
        Action::Remove => record.territories.retain(|t| !territories.contains(&t.id)),
    }
    let Some(job_id) = job_id else {
        // The seed page's messages, typo included ("terriroies").
        let message = match action {
            Action::Assign => "the territories data updated successfully",
            Action::Remove => "the terriroies data removed successfully",
        };
        return Outcome::success("SUCCESS", json!({"id": record_id}), message);
    };
    // Offloaded: the change is applied at once and its job reads as completed. The seed pages
    // show code SUCCESS (zoho-api.md says SCHEDULED; the seeds win), answered with HTTP 202.
    let (source, message) = match action {
        Action::Assign => (
            "manual_territory_assignment",
            "Territory assignment process scheduled successfully",
        ),
        Action::Remove => (
            "manual_territory_removal",
            "Territory removal process scheduled successfully",
        ),
    };
    state.jobs.push(Job {
        job_id: job_id.clone(),
        module: module.to_owned(),
        record_id: record_id.to_owned(),
        source: source.to_owned(),
        status: "COMPLETED".to_owned(),
        scheduled_time: now,
    });
    Outcome::success(
        "SUCCESS",
        json!({"id": record_id, "job_id": job_id}),
        message,
    )
    .with_http(StatusCode::ACCEPTED)
}
