//! Reading territories: the list, one by id, and direct children.

use std::sync::Arc;

use axum::extract::State;
use serde_json::{Value, json};

use super::Call;
use super::render::{self, CRITERIA_KEYS, Shape};
use crate::query::Query;
use crate::rules::filters::Filter;
use crate::shared::Shared;
use crate::state::Territory;
use crate::wire::{Outcome, Reply, errors};

/// Most ids one `ids=` query may name.
const MAX_IDS: usize = 100;

pub(crate) async fn list(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let state = shared.state();
    if let Some(off) = errors::territories_off_for_read(&state.flags) {
        return off.into_reply();
    }
    let shape = match shape(&call.query) {
        Ok(shape) => shape,
        Err(outcome) => return outcome.into_reply(),
    };
    if let Some(ids) = call.query.list("ids") {
        if ids.is_empty() || ids.len() > MAX_IDS {
            return errors::invalid_param("ids", "invalid data").into_reply();
        }
        // With `ids` the answer carries no `info` (OAS GetAllTerritoriesWithIdsParam).
        let found: Vec<render::RenderedTerritory<'_>> = ids
            .iter()
            .filter_map(|id| state.territory(id))
            .map(|t| render::territory(&state, t, shape))
            .collect();
        if found.is_empty() {
            return Reply::NoContent;
        }
        return Reply::ok(json!({ "territories": found }));
    }
    let all: Vec<&Territory> = state.territories.iter().map(Box::as_ref).collect();
    page_of(&state, &call.query, all, shape)
}

pub(crate) async fn get_one(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let state = shared.state();
    if let Some(off) = errors::territories_off_for_read(&state.flags) {
        return off.into_reply();
    }
    let shape = match shape(&call.query) {
        Ok(shape) => shape,
        Err(outcome) => return outcome.into_reply(),
    };
    // An unknown id answers 204, not 404 (OAS: "Returns 204 when the territory does not exist").
    match state.territory(call.param("id")) {
        Some(territory) => {
            Reply::ok(json!({"territories": [render::territory(&state, territory, shape)]}))
        }
        None => Reply::NoContent,
    }
}

pub(crate) async fn children(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let state = shared.state();
    if let Some(off) = errors::territories_off_for_read(&state.flags) {
        return off.into_reply();
    }
    let id = call.param("id");
    if state.territory(id).is_none() {
        return errors::invalid_url_id(2, "Invalid Territory Id").into_reply();
    }
    let shape = match shape(&call.query) {
        Ok(shape) => shape,
        Err(outcome) => return outcome.into_reply(),
    };
    let direct: Vec<&Territory> = state.children(id).collect();
    page_of(&state, &call.query, direct, shape)
}

fn page_of(
    state: &crate::state::State,
    query: &Query,
    territories: Vec<&Territory>,
    shape: Shape,
) -> Reply {
    let filter = match query.get("filters").map(Filter::parse).transpose() {
        Ok(filter) => filter,
        Err(outcome) => return outcome.into_reply(),
    };
    let paging = match query.paging(state.limits.per_page) {
        Ok(paging) => paging,
        Err(outcome) => return outcome.into_reply(),
    };
    let matching: Vec<&Territory> = territories
        .into_iter()
        .filter(|t| filter.as_ref().is_none_or(|filter| filter.matches(t)))
        .collect();
    match paging.apply(&matching) {
        Some((page, info)) => {
            #[derive(serde::Serialize)]
            struct Page<'a> {
                territories: Vec<render::RenderedTerritory<'a>>,
                info: Value,
            }
            Reply::ok_serialized(&Page {
                territories: page
                    .into_iter()
                    .map(|t| render::territory(state, t, shape))
                    .collect(),
                info,
            })
        }
        None => Reply::NoContent,
    }
}

/// Reads `include` and `include_inner_details`.
fn shape(query: &Query) -> Result<Shape, Outcome> {
    let mut shape = Shape::default();
    for token in query.list("include").unwrap_or_default() {
        let index = CRITERIA_KEYS
            .iter()
            .position(|key| *key == token)
            .ok_or_else(|| errors::invalid_param("include", "invalid data"))?;
        shape.criteria[index] = true;
    }
    for token in query.list("include_inner_details").unwrap_or_default() {
        match token.as_str() {
            "manager.zuid" => shape.manager_zuid = true,
            "manager.status" => shape.manager_status = true,
            _ => {
                return Err(errors::invalid_param(
                    "include_inner_details",
                    "invalid data",
                ));
            }
        }
    }
    Ok(shape)
}
