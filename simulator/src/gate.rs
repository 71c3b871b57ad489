//! What happens to every request before and after its handler: counting, logging, faults,
//! throttling and authorization.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::faults::Fate;
use crate::shared::Shared;
use crate::wire::errors;

/// The versions whose paths the simulator answers.
const VERSIONS: &[&str] = &["v6", "v7", "v8"];

pub(crate) async fn gate(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let template = request.extensions().get::<MatchedPath>().map_or_else(
        || "<unmatched>".to_owned(),
        |matched| matched.as_str().to_owned(),
    );
    let path = request.uri().path().to_owned();
    if path.starts_with("/__admin") {
        return next.run(request).await;
    }
    shared.counters().record(method.as_str(), &template);
    let started = Instant::now();
    let response = if path.starts_with("/crm/") {
        crm(&shared, &method, &template, request, next).await
    } else {
        next.run(request).await
    };
    // The query is never logged: the token endpoint may carry secrets in it.
    shared.log(&format!(
        "{method} {path} -> {} ({} ms)",
        response.status().as_u16(),
        started.elapsed().as_millis()
    ));
    response
}

async fn crm(
    shared: &Arc<Shared>,
    method: &Method,
    template: &str,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if !segments
        .get(1)
        .is_some_and(|version| VERSIONS.contains(version))
    {
        return errors::invalid_url().into_reply().into_response();
    }
    let (latency, fate) = shared.faults().draw();
    // Admission comes first so that a request counts as in flight during its latency.
    if !shared.faults().admit() {
        let retry_after = shared.faults().faults.retry_after_secs;
        let mut response = errors::too_many_requests().into_reply().into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        return response;
    }
    let _in_flight = InFlight(shared.clone());
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    admitted(shared, method, template, &segments, fate, request, next).await
}

/// Leaves the in-flight count when the request ends, even when a dropped connection cancels it.
struct InFlight(Arc<Shared>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.faults().leave();
    }
}

async fn admitted(
    shared: &Arc<Shared>,
    method: &Method,
    template: &str,
    segments: &[&str],
    fate: Fate,
    request: Request,
    next: Next,
) -> Response {
    let module = template
        .trim_start_matches('/')
        .split('/')
        .position(|segment| segment == "{module}")
        .and_then(|index| segments.get(index).copied());
    let required = required_scopes(method, template, module);
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if let Err(outcome) = shared.tokens().authorize(authorization, &required) {
        return outcome.into_reply().into_response();
    }
    let kill = request.extensions().get::<ConnectionKill>().cloned();
    crate::rule_run::settle(shared);
    match fate {
        Fate::Serve => next.run(request).await,
        Fate::InternalError => errors::internal().into_reply().into_response(),
        Fate::Drop => drop_connection(kill).await,
        Fate::LoseResponse => {
            let _applied = next.run(request).await;
            drop_connection(kill).await
        }
    }
}

/// Closes the connection without answering (the connection task is told to stop).
async fn drop_connection(kill: Option<ConnectionKill>) -> Response {
    match kill {
        Some(kill) => {
            kill.fire();
            std::future::pending::<Response>().await
        }
        // Without a connection handle (not served by `Server`), a 500 is the closest thing.
        None => errors::internal().into_reply().into_response(),
    }
}

/// The scopes a call needs, all of them (Zoho-api.md section 2.1 and the seed pages).
fn required_scopes(method: &Method, template: &str, module: Option<&str>) -> Vec<String> {
    let read = method == Method::GET;
    let scopes: Vec<String> = if template.contains("/settings/territories/{id}/users") {
        if read {
            vec![
                "ZohoCRM.users.READ".into(),
                "ZohoCRM.settings.territories.READ".into(),
            ]
        } else {
            vec![
                "ZohoCRM.users.ALL".into(),
                "ZohoCRM.settings.territories.ALL".into(),
            ]
        }
    } else if template.ends_with("/actions/run_rules") {
        // The OAS gives UPDATE (or ALL) for running rules, not CREATE as for other POSTs.
        vec!["ZohoCRM.settings.territories.UPDATE".into()]
    } else if template.contains("/users/{user_id}/territories") {
        // zoho-api.md 2.1: `ZohoCRM.users.*` or `settings.territories.*`. GUESS: only the users
        // scopes are simulated (a token must hold every scope a call lists).
        if read {
            vec!["ZohoCRM.users.READ".into()]
        } else {
            vec!["ZohoCRM.users.ALL".into()]
        }
    } else if template.contains("transfer_and_delete") {
        // The doc page names `.ALL` for transfer-and-delete; the stricter reading is used.
        vec!["ZohoCRM.settings.territories.ALL".into()]
    } else if template.contains("/settings/territories") {
        let operation = match *method {
            Method::GET => "READ",
            Method::POST => "CREATE",
            Method::PUT => "UPDATE",
            _ => "DELETE",
        };
        vec![format!("ZohoCRM.settings.territories.{operation}")]
    } else if template.ends_with("/settings/fields") {
        vec!["ZohoCRM.settings.fields.READ".into()]
    } else if template.ends_with("/users") {
        vec!["ZohoCRM.users.READ".into()]
    } else if template.ends_with("/org") {
        vec!["ZohoCRM.org.READ".into()]
    } else if let Some(module) = module {
        let operation = if read { "READ" } else { "UPDATE" };
        vec![format!(
            "ZohoCRM.modules.{}.{operation}",
            module.to_ascii_lowercase()
        )]
    } else {
        Vec::new()
    };
    scopes
}

/// Tells a connection's task to close the socket without answering (the server makes one per
/// connection; a fault here fires it).
#[derive(Clone, Debug)]
pub(crate) struct ConnectionKill(pub(crate) std::sync::Arc<tokio::sync::Notify>);

impl ConnectionKill {
    pub(crate) fn fire(&self) {
        self.0.notify_one();
    }
}
