//! Running territory rules (`actions/run_rules`) and following the job
//! (`actions/scheduled_run_rule_jobs`), as Zoho's v8 OAS describes them (zoho-api.md 2.12).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::Call;
use crate::clock::format_unix;
use crate::rule_run::job::{status, unfinished};
use crate::shared::Shared;
use crate::state::{self, RuleJob, RuleScope};
use crate::wire::{Outcome, Reply, errors};

/// Modules whose rules can run (the OAS).
const MODULES: &[&str] = &["Leads", "Accounts", "Deals"];
/// Territories in one territory-based run (OAS maxItems).
const MAX_TERRITORIES: usize = 100;

/// An error inside the `run_rules` object, as the OAS wraps every one but ALREADY_SCHEDULED.
fn wrapped(outcome: Outcome) -> Reply {
    let http = outcome.http;
    Reply::Json(http, json!({ "run_rules": outcome }))
}

fn at(key: &str) -> String {
    format!("$.run_rules.{key}")
}

fn missing(key: &str) -> Outcome {
    Outcome::error(
        "MANDATORY_NOT_FOUND",
        json!({"api_name": key, "json_path": at(key)}),
        "required field not found",
    )
}

fn invalid(api_name: &str, json_path: &str, extra: Value) -> Outcome {
    let mut details = json!({"api_name": api_name, "json_path": json_path});
    if let (Some(details), Value::Object(extra)) = (details.as_object_mut(), extra) {
        details.extend(extra);
    }
    Outcome::error("INVALID_DATA", details, "the given value is invalid")
}

fn dependent_missing(key: &str) -> Outcome {
    Outcome::error(
        "DEPENDENT_FIELD_MISSING",
        json!({"api_name": key, "json_path": at(key), "dependee": {"api_name": "based_on", "json_path": at("based_on")}}),
        "Dependent Field missing",
    )
}

pub(crate) async fn run(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let mut state = shared.state();
    // GUESS: running rules is a territory write, so territory management off answers as the
    // other writes do (the Update Territories seed page's 403 codes).
    if let Some(off) = errors::territories_off(&state.flags) {
        return off.into_reply();
    }
    let body = match call.json() {
        Ok(body) => body,
        Err(outcome) => return outcome.into_reply(),
    };
    let request = match body.get("run_rules") {
        Some(Value::Object(request)) => request,
        None | Some(Value::Null) => return errors::mandatory_missing("run_rules").into_reply(),
        Some(_) => {
            return invalid(
                "run_rules",
                "$.run_rules",
                json!({"expected_data_type": "jsonobject"}),
            )
            .into_reply();
        }
    };
    let (module, scope) = match read(&state, request) {
        Ok(read) => read,
        Err(outcome) => return wrapped(outcome),
    };
    if let Some(running) = unfinished(&state) {
        // The one error the OAS answers outside `run_rules`. GUESS: one run at a time per org,
        // whatever its module.
        return Outcome::error(
            "ALREADY_SCHEDULED",
            json!({"job_id": running.job_id}),
            "Previously scheduled Run Rules Action was not yet Completed. Please try again once it's completed",
        )
        .into_reply();
    }
    let job_id = state.allocate_id();
    let now = shared.now();
    let scheduled = i64::try_from(state.limits.rule_job_scheduled_secs).unwrap_or(i64::MAX);
    let running = i64::try_from(state.limits.rule_job_running_secs).unwrap_or(i64::MAX);
    let starts_at = now.saturating_add(scheduled);
    let scheduled_by = state.org.current_user.clone();
    state.rule_jobs.push(RuleJob {
        job_id: job_id.clone(),
        module: module.to_owned(),
        scope,
        scheduled_by,
        scheduled_at: now,
        starts_at,
        ends_at: starts_at.saturating_add(running),
        finished: None,
        records_changed: 0,
    });
    shared.commit(&state);
    let outcome = Outcome::success(
        "SCHEDULED",
        json!({"job_id": job_id}),
        "Territory rules scheduled successfully.Once done, completion email is sent.",
    );
    Reply::Json(StatusCode::ACCEPTED, json!({ "run_rules": outcome }))
}

/// Reads the module and what the run covers, answering Zoho's errors in request order.
fn read(
    state: &state::State,
    request: &Map<String, Value>,
) -> Result<(&'static str, RuleScope), Outcome> {
    let module = module(request)?;
    if module == "Leads" && !state.flags.lead_rules_enabled {
        return Err(Outcome::error(
            "FEATURE_NOT_ENABLED",
            json!({}),
            "Territory Lead Rule Disabled",
        ));
    }
    if module == "Deals" && !state.flags.deal_rules_enabled {
        return Err(Outcome::error(
            "FEATURE_NOT_ENABLED",
            json!({}),
            "Territory Deal Rule Disabled",
        ));
    }
    let based_on = match request.get("based_on") {
        None | Some(Value::Null) => return Err(missing("based_on")),
        Some(Value::String(based_on)) => based_on.as_str(),
        Some(_) => {
            return Err(invalid(
                "based_on",
                &at("based_on"),
                json!({"expected_data_type": "string"}),
            ));
        }
    };
    let scope = match based_on {
        "territory" => territories(state, request)?,
        "criteria" => {
            let Some(criteria) = request.get("criteria").filter(|c| !c.is_null()) else {
                return Err(dependent_missing("criteria"));
            };
            let criteria = crate::rules::criteria::validate(
                state,
                module,
                criteria,
                &at("criteria"),
                "criteria",
            )?;
            RuleScope::Criteria { criteria }
        }
        "custom_view" => {
            if request.get("custom_view").is_none_or(Value::is_null) {
                return Err(dependent_missing("custom_view"));
            }
            // GUESS: the simulator has no custom views, so none can be named.
            return Err(invalid("custom_view", &at("custom_view"), json!({})));
        }
        _ => {
            return Err(invalid(
                "based_on",
                &at("based_on"),
                json!({"supported_values": ["territory", "criteria", "custom_view"]}),
            ));
        }
    };
    Ok((module, scope))
}

fn module(request: &Map<String, Value>) -> Result<&'static str, Outcome> {
    let module = match request.get("module") {
        None | Some(Value::Null) => return Err(missing("module")),
        Some(Value::Object(module)) => module,
        Some(_) => {
            return Err(invalid(
                "module",
                &at("module"),
                json!({"expected_data_type": "jsonobject"}),
            ));
        }
    };
    let id = module.get("id").filter(|v| !v.is_null());
    let api_name = module.get("api_name").filter(|v| !v.is_null());
    match (id, api_name) {
        (Some(_), Some(_)) => Err(Outcome::error(
            "AMBIGUITY_DURING_PROCESSING",
            json!({"ambiguity_due_to": [
                {"api_name": "id", "json_path": at("module.id")},
                {"api_name": "api_name", "json_path": at("module.api_name")},
            ]}),
            "ambiguity while processing the request",
        )),
        (None, None) => Err(Outcome::error(
            "EXPECTED_FIELD_MISSING",
            json!({"expected_fields": [
                {"api_name": "id", "json_path": at("module.id")},
                {"api_name": "api_name", "json_path": at("module.api_name")},
            ]}),
            "one of the expected field is missing",
        )),
        // GUESS: the simulator's modules have no ids, so an id names none of them.
        (Some(_), None) => Err(invalid("id", &at("module.id"), json!({}))),
        (None, Some(name)) => name
            .as_str()
            .and_then(|name| MODULES.iter().find(|m| m.eq_ignore_ascii_case(name)))
            .copied()
            .ok_or_else(|| {
                invalid(
                    "api_name",
                    &at("module.api_name"),
                    json!({"supported_values": MODULES}),
                )
            }),
    }
}

fn territories(state: &state::State, request: &Map<String, Value>) -> Result<RuleScope, Outcome> {
    let items = match request.get("territories") {
        None | Some(Value::Null) => return Err(dependent_missing("territories")),
        Some(Value::Array(items)) if !items.is_empty() => items,
        Some(_) => {
            return Err(invalid(
                "territories",
                &at("territories"),
                json!({"expected_data_type": "jsonarray"}),
            ));
        }
    };
    if items.len() > MAX_TERRITORIES {
        return Err(Outcome::error(
            "LIMIT_EXCEEDED",
            json!({"api_name": "territories", "json_path": at("territories"), "limit": MAX_TERRITORIES}),
            "Maximum limit exceeded",
        ));
    }
    let mut ids = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let path = at(&format!("territories[{index}].id"));
        let id = match item.get("id") {
            Some(Value::String(id)) => id.clone(),
            Some(Value::Number(id)) => id.to_string(),
            None | Some(Value::Null) => {
                return Err(Outcome::error(
                    "MANDATORY_NOT_FOUND",
                    json!({"api_name": "id", "json_path": path}),
                    "required field not found",
                ));
            }
            Some(_) => {
                return Err(invalid(
                    "id",
                    &path,
                    json!({"expected_data_type": "bigint"}),
                ));
            }
        };
        if state.territory(&id).is_none() {
            return Err(Outcome::error(
                "INVALID_DATA",
                json!({"api_name": "id", "json_path": path}),
                "the id given seems to be invalid",
            ));
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let include_child = match request.get("include_child") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(flag)) => *flag,
        Some(_) => {
            return Err(Outcome::error(
                "INVALID_DATA",
                json!({"api_name": "include_child", "json_path": at("include_child"), "expected_data_type": "boolean"}),
                "invalid data",
            ));
        }
    };
    Ok(RuleScope::Territories { ids, include_child })
}

pub(crate) async fn job(State(shared): State<Arc<Shared>>, call: Call) -> Reply {
    let state = shared.state();
    if let Some(off) = errors::territories_off_for_read(&state.flags) {
        return off.into_reply();
    }
    let Some(job_id) = call.query.get("job_id").filter(|id| !id.trim().is_empty()) else {
        return Outcome::error(
            "REQUIRED_PARAM_MISSING",
            json!({"param_name": "job_id"}),
            "One of the expected parameter is missing",
        )
        .into_reply();
    };
    let Some(job) = state.rule_jobs.iter().find(|job| job.job_id == job_id) else {
        return Reply::NoContent;
    };
    let scheduled_by = state.user(&job.scheduled_by).map_or_else(
        || json!({"name": null, "id": job.scheduled_by}),
        |user| json!({"name": user.full_name(), "id": user.id}),
    );
    Reply::ok(json!({"scheduled_run_rule_jobs": {
        "status": status(job, shared.now()),
        "job_id": job.job_id,
        "scheduled_time": format_unix(job.scheduled_at, &state.org.time_zone_offset),
        "scheduled_by": scheduled_by,
    }}))
}
