//! Out-of-band control for tests and benchmarks, outside `/crm/` and without auth.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::Call;
use crate::faults::Faults;
use crate::shared::Shared;
use crate::state;
use crate::wire::Reply;

fn bad_request(message: &str) -> Reply {
    Reply::Json(StatusCode::BAD_REQUEST, json!({"error": message}))
}

pub(crate) async fn counters(State(shared): State<Arc<Shared>>) -> Reply {
    Reply::ok(serde_json::to_value(&*shared.counters()).unwrap_or(Value::Null))
}

pub(crate) async fn reset_counters(State(shared): State<Arc<Shared>>) -> Reply {
    *shared.counters() = Default::default();
    Reply::ok(json!({"reset": true}))
}

pub(crate) async fn state(State(shared): State<Arc<Shared>>) -> Reply {
    Reply::ok(serde_json::to_value(&*shared.state()).unwrap_or(Value::Null))
}

/// Replaces the whole org (checked like a state file), as if edited in the Zoho UI.
pub(crate) async fn replace_state(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let mut new: state::State = match serde_json::from_slice(call.raw_body()) {
        Ok(new) => new,
        Err(error) => return bad_request(&format!("not a simulator state: {error}")),
    };
    new.reindex();
    if let Err(reason) = new.check() {
        return bad_request(&reason);
    }
    let mut current = shared.state();
    *current = new;
    shared.commit(&current);
    Reply::ok(json!({"replaced": true}))
}

pub(crate) async fn faults(State(shared): State<Arc<Shared>>) -> Reply {
    Reply::ok(serde_json::to_value(&shared.faults().faults).unwrap_or(Value::Null))
}

pub(crate) async fn set_faults(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    match serde_json::from_slice::<Faults>(call.raw_body()) {
        Ok(faults) => {
            shared.faults().reset(faults);
            Reply::ok(json!({"set": true}))
        }
        Err(error) => bad_request(&format!("not a fault set: {error}")),
    }
}

/// Mints a token: body `{"scopes": [...]}`.
pub(crate) async fn mint(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let scopes: Vec<String> = match serde_json::from_slice::<Value>(call.raw_body()) {
        Ok(body) => match body.get("scopes").and_then(Value::as_array) {
            Some(scopes) => scopes
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            None => return bad_request("expected {\"scopes\": [...]}"),
        },
        Err(error) => return bad_request(&format!("not JSON: {error}")),
    };
    Reply::ok(json!({"access_token": shared.mint(&scopes)}))
}
