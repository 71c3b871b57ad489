//! Scheduled territory jobs per record (`get_feature_specific_info`).

use std::sync::Arc;

use axum::extract::State;
use serde_json::{Value, json};

use super::Call;
use super::records::module;
use crate::shared::Shared;
use crate::wire::{Reply, errors};

pub(crate) async fn feature_info_bulk(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let ids = call.query.list("ids");
    feature_info(&shared, &call, ids)
}

pub(crate) async fn feature_info_one(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let ids = Some(vec![call.param("record_id").to_owned()]);
    feature_info(&shared, &call, ids)
}

/// Scheduled territory jobs per record. GUESS: the envelope is not documented; this follows
/// the record APIs (`data` items keyed by record id) with the documented `job_id` and `source`.
fn feature_info(shared: &Shared, call: &Call, ids: Option<Vec<String>>) -> Reply {
    let state = shared.state();
    let module = match module(call.param("module")) {
        Ok(module) => module,
        Err(outcome) => return outcome.into_reply(),
    };
    match call.query.get("features") {
        None => return errors::param_missing("features").into_reply(),
        Some("territory_scheduled_jobs") => {}
        Some(_) => return errors::invalid_param("features", "invalid data").into_reply(),
    }
    let Some(ids) = ids.filter(|ids| !ids.is_empty()) else {
        return errors::param_missing("ids").into_reply();
    };
    if ids.len() > 100 {
        return errors::invalid_request().into_reply();
    }
    let data: Vec<Value> = ids
        .iter()
        .filter_map(|id| {
            let jobs: Vec<Value> = state
                .jobs
                .iter()
                .filter(|j| j.module == module && &j.record_id == id)
                .map(|j| {
                    json!({"job_id": j.job_id, "source": j.source, "status": j.status, "scheduled_time": j.scheduled_time})
                })
                .collect();
            (!jobs.is_empty()).then(|| json!({"id": id, "territory_scheduled_jobs": jobs}))
        })
        .collect();
    if data.is_empty() {
        return Reply::NoContent;
    }
    Reply::ok(json!({ "data": data }))
}
