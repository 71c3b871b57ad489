//! The territories of one user: `GET/PUT/DELETE /users/{user}/territories` and
//! `GET/DELETE /users/{user}/territories/{territory}` (zoho-api.md 2.11, users_territories
//! OpenAPI file). The same membership as `/settings/territories/{id}/users`, seen from the
//! user, with the same rules (manager stays a member, inactive and deleted users refused, the
//! per-territory limit).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::territory_users::{add_user, remove_user};
use super::{Call, batch_items};
use crate::shared::Shared;
use crate::state::{self, Territory};
use crate::wire::{Outcome, Reply, errors};

/// Territories per PUT call. GUESS: the OpenAPI file gives no limit; the territory-users
/// call's 100 is used.
const MAX_TERRITORIES_PER_CALL: usize = 100;

const ASSOCIATED: &str = "Territory associated to the user successfully";
const REMOVED: &str = "Territory removed from the user successfully";
const INVALID_TERRITORY: &str = "Invalid Territory Id";

/// Refusals every call shares: the feature, and the user in the URL (GUESS: the answer to an
/// unknown user id is not documented; the URL-id error of the other endpoints is used).
fn guard(state: &state::State, user_id: &str) -> Result<(), Reply> {
    if let Some(off) = errors::territories_off(&state.flags) {
        return Err(off.into_reply());
    }
    if state.user(user_id).is_none() {
        return Err(
            errors::invalid_url_id(1, "the given id given seems to be invalid").into_reply(),
        );
    }
    Ok(())
}

/// The writes refuse the token's own user (zoho-api.md 2.11: 403 NOT_ALLOWED).
fn not_self(state: &state::State, user_id: &str) -> Result<(), Reply> {
    if state.org.current_user == user_id {
        return Err(Outcome::error(
            "NOT_ALLOWED",
            json!({}),
            "Logged in user can't update their territories",
        )
        .with_http(StatusCode::FORBIDDEN)
        .into_reply());
    }
    Ok(())
}

/// A territory as this endpoint shows it: capitalised keys, `{Name, id}` references.
fn render(state: &state::State, territory: &Territory) -> Value {
    let manager = territory.manager.as_deref().and_then(|id| state.user(id));
    let parent = territory
        .reporting_to
        .as_deref()
        .and_then(|id| state.territory(id));
    json!({
        "id": territory.id,
        "Name": territory.name,
        "Manager": {"Name": manager.map(state::User::full_name), "id": manager.map(|u| &u.id)},
        "Reporting_To": {"Name": parent.map(|p| &p.name), "id": parent.map(|p| &p.id)},
    })
}

fn member_of<'a>(state: &'a state::State, user_id: &'a str) -> impl Iterator<Item = &'a Territory> {
    state
        .territories
        .iter()
        .map(Box::as_ref)
        .filter(move |t| t.users.iter().any(|u| u == user_id))
}

pub(crate) async fn list(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let state = shared.state();
    let user_id = call.param("user_id");
    if let Err(reply) = guard(&state, user_id) {
        return reply;
    }
    let paging = match call.query.paging(state.limits.per_page) {
        Ok(paging) => paging,
        Err(outcome) => return outcome.into_reply(),
    };
    let territories: Vec<Value> = member_of(&state, user_id)
        .map(|t| render(&state, t))
        .collect();
    match paging.apply(&territories) {
        Some((page, info)) => Reply::ok(json!({"territories": page, "info": info})),
        None => Reply::NoContent,
    }
}

pub(crate) async fn get_one(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let state = shared.state();
    let user_id = call.param("user_id");
    if let Err(reply) = guard(&state, user_id) {
        return reply;
    }
    let territory_id = call.param("territory_id");
    match member_of(&state, user_id).find(|t| t.id == territory_id) {
        Some(territory) => Reply::ok(json!({"territories": [render(&state, territory)]})),
        None => Reply::NoContent,
    }
}

pub(crate) async fn add(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let mut state = shared.state();
    let user_id = call.param("user_id").to_owned();
    if let Err(reply) = guard(&state, &user_id).and_then(|()| not_self(&state, &user_id)) {
        return reply;
    }
    let items = match call
        .json()
        .and_then(|body| batch_items(&body, "territories", MAX_TERRITORIES_PER_CALL))
    {
        Ok(items) => items,
        Err(outcome) => return outcome.into_reply(),
    };
    let mut results = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let path = format!("$.territories[{index}].id");
        let Some(territory_id) = super::id_text(item.get("id")) else {
            results.push(Outcome::error(
                "MANDATORY_NOT_FOUND",
                json!({"api_name": "id", "json_path": path}),
                "required field not found",
            ));
            continue;
        };
        if state.territory(&territory_id).is_none() {
            results.push(Outcome::error(
                "INVALID_DATA",
                json!({"api_name": "id", "json_path": path}),
                INVALID_TERRITORY,
            ));
            continue;
        }
        let outcome = add_user(&mut state, &territory_id, &user_id, &path);
        results.push(seen_from_the_user(outcome, &territory_id, ASSOCIATED));
    }
    shared.commit(&state);
    Reply::items("territories", results, StatusCode::OK)
}

pub(crate) async fn remove(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let ids = call.query.list("ids").unwrap_or_default();
    remove_territories(&shared, &call, ids)
}

pub(crate) async fn remove_one(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let ids = vec![call.param("territory_id").to_owned()];
    remove_territories(&shared, &call, ids)
}

fn remove_territories(shared: &Shared, call: &Call, ids: Vec<String>) -> Reply {
    let mut state = shared.state();
    let user_id = call.param("user_id").to_owned();
    // GUESS: the self-update refusal is documented for PUT; removing is refused alike.
    if let Err(reply) = guard(&state, &user_id).and_then(|()| not_self(&state, &user_id)) {
        return reply;
    }
    if ids.is_empty() {
        return errors::param_missing("ids").into_reply();
    }
    let results: Vec<Outcome> = ids
        .iter()
        .map(|territory_id| {
            if state.territory(territory_id).is_none() {
                return Outcome::error(
                    "INVALID_DATA",
                    json!({"id": territory_id}),
                    INVALID_TERRITORY,
                );
            }
            let outcome = remove_user(&mut state, territory_id, &user_id);
            seen_from_the_user(outcome, territory_id, REMOVED)
        })
        .collect();
    shared.commit(&state);
    Reply::items("territories", results, StatusCode::OK)
}

/// A territory-users outcome as the user-centric call words it: success names the territory
/// (`details.id`), and an existing membership is "already associated".
fn seen_from_the_user(mut outcome: Outcome, territory_id: &str, success: &str) -> Outcome {
    if outcome.is_success() {
        return Outcome::success("SUCCESS", json!({"id": territory_id}), success);
    }
    if outcome.code == "DUPLICATE_DATA" {
        "Territory already associated with the user".clone_into(&mut outcome.message);
    }
    outcome
}
