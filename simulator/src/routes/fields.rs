//! Field metadata, which the client uses to resolve and type-check criteria fields.

use std::sync::Arc;

use axum::extract::State;
use serde_json::{Value, json};

use super::{Call, render};
use crate::shared::Shared;
use crate::wire::{Outcome, Reply, errors};

pub(crate) async fn list(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let state = shared.state();
    let Some(module) = call.query.get("module") else {
        return errors::param_missing("module").into_reply();
    };
    let Some((_, fields)) = state
        .fields
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(module))
    else {
        return Outcome::error(
            "INVALID_MODULE",
            json!({"param_name": "module"}),
            "the module name given seems to be invalid",
        )
        .into_reply();
    };
    if fields.is_empty() {
        return Reply::NoContent;
    }
    let fields: Vec<Value> = fields.iter().map(render::field).collect();
    Reply::ok(json!({ "fields": fields }))
}
