//! The Users API (for email-to-id resolution and the SDK's current user) and the org.

use std::sync::Arc;

use axum::extract::State;
use serde_json::{Value, json};

use super::{Call, render};
use crate::shared::Shared;
use crate::state::User;
use crate::wire::{Reply, errors};

pub(crate) async fn list(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let state = shared.state();
    let kind = call.query.get("type").unwrap_or("AllUsers");
    let current = state.org.current_user.clone();
    let wanted: fn(&User, &str) -> bool = match kind {
        "AllUsers" => |_, _| true,
        "ActiveUsers" => |u, _| u.is_active(),
        "DeactiveUsers" => |u, _| u.status == "inactive",
        "DeletedUsers" => |u, _| u.status == "deleted",
        "ConfirmedUsers" | "NotConfirmedUsers" => |u, _| u.status != "deleted",
        "ActiveConfirmedUsers" => |u, _| u.is_active(),
        "AdminUsers" => |u, _| is_admin(u),
        "ActiveConfirmedAdmins" => |u, _| u.is_active() && is_admin(u),
        "CurrentUser" => |u, current| u.id == current,
        _ => return errors::invalid_param("type", "invalid data").into_reply(),
    };
    let paging = match call.query.paging(state.limits.per_page) {
        Ok(paging) => paging,
        Err(outcome) => return outcome.into_reply(),
    };
    let ids = call.query.list("ids");
    let users: Vec<Value> = state
        .users
        .iter()
        .filter(|u| wanted(u, &current))
        .filter(|u| ids.as_ref().is_none_or(|ids| ids.contains(&u.id)))
        .map(|u| render::user(&state, u))
        .collect();
    match paging.apply(&users) {
        Some((page, info)) => Reply::ok(json!({"users": page, "info": info})),
        None => Reply::NoContent,
    }
}

fn is_admin(user: &User) -> bool {
    user.profile
        .as_ref()
        .is_some_and(|p| p.name == "Administrator")
}

pub(crate) async fn org(State(shared): State<Arc<Shared>>) -> Reply {
    let state = shared.state();
    let admin = state.user(&state.org.current_user);
    Reply::ok(json!({"org": [{
        "id": state.org.id,
        "company_name": state.org.company_name,
        "time_zone": state.org.time_zone,
        "primary_email": admin.map(|u| u.email.clone()),
        "zgid": state.org.id,
        "currency": "US Dollar - USD",
        "iso_code": "USD",
        "type": "production",
        "license_details": {"paid": true, "paid_type": "enterprise"},
    }]}))
}
