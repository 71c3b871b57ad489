//! The HTTP surface: which handler answers which route.

mod admin;
mod fields;
mod oauth;
mod record_jobs;
mod record_pages;
mod record_territories;
mod records;
mod render;
mod run_rules;
mod territories;
mod territory_delete;
mod territory_users;
mod territory_writes;
mod user_territories;
mod users;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use serde_json::Value;

use crate::gate::gate;
use crate::query::Query;
use crate::shared::Shared;
use crate::wire::{Outcome, Reply, errors};

const TERRITORIES: &str = "/crm/{version}/settings/territories";

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let territory = format!("{TERRITORIES}/{{id}}");
    Router::new()
        .route(
            TERRITORIES,
            get(territories::list)
                .post(territory_writes::create)
                .put(territory_writes::update_bulk)
                .delete(territory_delete::delete_bulk),
        )
        .route(
            &territory,
            get(territories::get_one)
                .put(territory_writes::update_one)
                .delete(territory_delete::delete_one),
        )
        .route(
            &format!("{territory}/__child_territories"),
            get(territories::children),
        )
        .route(
            &format!("{TERRITORIES}/actions/transfer_and_delete"),
            post(territory_delete::transfer_bulk),
        )
        .route(
            &format!("{TERRITORIES}/actions/run_rules"),
            post(run_rules::run),
        )
        .route(
            &format!("{TERRITORIES}/actions/scheduled_run_rule_jobs"),
            get(run_rules::job),
        )
        .route(
            &format!("{territory}/actions/transfer_and_delete"),
            post(territory_delete::transfer_one),
        )
        .route(
            &format!("{territory}/users"),
            get(territory_users::list)
                .put(territory_users::add)
                .delete(territory_users::remove),
        )
        .route(
            &format!("{territory}/users/{{user_id}}"),
            get(territory_users::get_one)
                .put(territory_users::add_one)
                .delete(territory_users::remove_one),
        )
        .route(
            &format!("{TERRITORIES}/actions/associated_users_count"),
            get(territory_users::associated_users_count),
        )
        .route(
            "/crm/{version}/users/{user_id}/territories",
            get(user_territories::list)
                .put(user_territories::add)
                .delete(user_territories::remove),
        )
        .route(
            "/crm/{version}/users/{user_id}/territories/{territory_id}",
            get(user_territories::get_one).delete(user_territories::remove_one),
        )
        .route("/crm/{version}/users", get(users::list))
        .route("/crm/{version}/org", get(users::org))
        .route("/crm/{version}/settings/fields", get(fields::list))
        // Any other path under `/settings/` is a URL Zoho does not know (404
        // INVALID_URL_PATTERN), not a record of a module called `settings`.
        .route("/crm/{version}/settings", any(fallback))
        .route("/crm/{version}/settings/{*rest}", any(fallback))
        .route("/crm/{version}/{module}", get(records::list))
        .route("/crm/{version}/{module}/{record_id}", get(records::get_one))
        .route(
            "/crm/{version}/{module}/actions/assign_territories",
            post(record_territories::assign_bulk),
        )
        .route(
            "/crm/{version}/{module}/{record_id}/actions/assign_territories",
            post(record_territories::assign_one),
        )
        .route(
            "/crm/{version}/{module}/actions/remove_territories",
            post(record_territories::remove_bulk),
        )
        .route(
            "/crm/{version}/{module}/{record_id}/actions/remove_territories",
            post(record_territories::remove_one),
        )
        .route(
            "/crm/{version}/{module}/actions/get_feature_specific_info",
            get(record_jobs::feature_info_bulk),
        )
        .route(
            "/crm/{version}/{module}/{record_id}/actions/get_feature_specific_info",
            get(record_jobs::feature_info_one),
        )
        .route("/oauth/v2/token", post(oauth::token))
        .route("/__admin/counters", get(admin::counters))
        .route("/__admin/counters/reset", post(admin::reset_counters))
        .route(
            "/__admin/state",
            get(admin::state).put(admin::replace_state),
        )
        .route("/__admin/faults", get(admin::faults).put(admin::set_faults))
        .route("/__admin/tokens", post(admin::mint))
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(shared.clone(), gate))
        .with_state(shared)
}

async fn fallback() -> Reply {
    errors::invalid_url().into_reply()
}

async fn method_not_allowed() -> Reply {
    errors::invalid_method().into_reply()
}

/// One request's path parameters, query and body, read without judging the `Content-Type`
/// (the official SDK sends JSON bodies without one).
#[derive(Debug)]
pub(crate) struct Call {
    params: BTreeMap<String, String>,
    pub(crate) query: Query,
    body: Bytes,
}

impl Call {
    pub(crate) fn param(&self, name: &str) -> &str {
        self.params.get(name).map_or("", String::as_str)
    }

    /// The body as a JSON object.
    pub(crate) fn json(&self) -> Result<serde_json::Map<String, Value>, Outcome> {
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(object)) => Ok(object),
            _ => Err(errors::invalid_body()),
        }
    }

    pub(crate) fn raw_body(&self) -> &[u8] {
        &self.body
    }
}

impl<S: Send + Sync> FromRequest<S> for Call {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let params = RawPathParams::from_request_parts(&mut parts, state)
            .await
            .map(|raw| {
                raw.iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let query = Query::parse(parts.uri.query());
        let body = axum::body::to_bytes(body, 16 << 20)
            .await
            .map_err(|_| errors::invalid_body().into_reply().into_response())?;
        Ok(Call {
            params,
            query,
            body,
        })
    }
}

/// The items of a territory write (create, update, transfer and delete; the bulk form, or the
/// by-id form with `url_id` and the message for an id that names no territory). Answers the
/// request-level refusals, in Zoho's order: territories not enabled, an unknown URL id, then
/// the `territories` array missing, empty, or longer than the batch limit (one item by id).
pub(crate) fn territory_items(
    state: &crate::state::State,
    call: &Call,
    url_id: Option<(&str, &str)>,
) -> Result<Vec<Value>, Reply> {
    if let Some(off) = errors::territories_off(&state.flags) {
        return Err(off.into_reply());
    }
    if let Some((id, unknown)) = url_id {
        if state.territory(id).is_none() {
            return Err(errors::invalid_url_id(2, unknown).into_reply());
        }
    }
    let limit = if url_id.is_some() {
        1
    } else {
        state.limits.batch
    };
    call.json()
        .and_then(|body| batch_items(&body, "territories", limit))
        .map_err(Outcome::into_reply)
}

/// An id (or other text) as Zoho takes it: a JSON string, or a number (Zoho's official Python
/// SDK sends ids as numbers).
pub(crate) fn id_text(value: Option<&Value>) -> Option<String> {
    match value {
        Some(Value::String(text)) => Some(text.clone()),
        Some(Value::Number(number)) => Some(number.to_string()),
        _ => None,
    }
}

/// Reads the array under `key` of a batch body, answering Zoho's request-level errors: a
/// missing key, a non-array, an empty array, or more than `limit` items.
pub(crate) fn batch_items(
    body: &serde_json::Map<String, Value>,
    key: &str,
    limit: usize,
) -> Result<Vec<Value>, Outcome> {
    let items = match body.get(key) {
        None | Some(Value::Null) => return Err(errors::mandatory_missing(key)),
        Some(Value::Array(items)) => items.clone(),
        Some(_) => {
            return Err(Outcome::error(
                "INVALID_DATA",
                serde_json::json!({"api_name": key, "json_path": format!("$.{key}"), "expected_data_type": "jsonarray"}),
                "invalid data",
            ));
        }
    };
    if items.is_empty() {
        return Err(errors::mandatory_missing(key));
    }
    if items.len() > limit {
        // GUESS: the docs give the limit (10) but not the answer to exceeding it; Zoho's
        // record APIs answer a top-level LIMIT_EXCEEDED naming the key and the limit.
        return Err(Outcome::error(
            "LIMIT_EXCEEDED",
            serde_json::json!({"api_name": key, "json_path": format!("$.{key}"), "limit": limit}),
            "Maximum limit exceeded",
        ));
    }
    Ok(items)
}
