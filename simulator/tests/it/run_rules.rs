//! Running territory rules: scheduling, the job's states on the simulator's clock, what a run
//! changes, and every refusal with Zoho's envelope.

use reqwest::Method;
use serde_json::{Value, json};
use zoho_crm_sim::Faults;
use zoho_crm_sim::state::{RecordTerritory, State};

use crate::harness::{ACCOUNT, ADMIN, AUTO, ROOT, Sim};

const RUN: &str = "/crm/v8/settings/territories/actions/run_rules";
/// 2026-02-11T20:00:00Z.
const T0: i64 = 1_770_840_000;

fn by_territory(module: &str, ids: &[&str], include_child: bool) -> Value {
    let territories: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    json!({"run_rules": {"module": {"api_name": module}, "based_on": "territory", "territories": territories, "include_child": include_child}})
}

/// The test org with a Japan territory whose Accounts rule catches `Billing_Country` Japan,
/// two Japanese accounts (one holding Japan by hand) and jobs taking 10 s, then 20 s.
async fn japan() -> (Sim, String) {
    let sim = Sim::with(
        |state: &mut State| {
            state.limits.rule_job_scheduled_secs = 10;
            state.limits.rule_job_running_secs = 20;
            let accounts = state.records.get_mut("Accounts").expect("accounts");
            accounts[0]
                .fields
                .insert("Billing_Country".to_owned(), json!("Japan"));
            accounts[1]
                .fields
                .insert("Billing_Country".to_owned(), json!("Japan"));
        },
        Faults::default(),
    )
    .await;
    sim.server.set_clock(T0);
    let answer = sim
        .post(
            "/crm/v8/settings/territories",
            json!({"territories": [crate::harness::territory("Japan", ROOT, json!({
                "account_rule_criteria": {"field": {"api_name": "Billing_Country"}, "comparator": "equal", "value": "Japan"}
            }))]}),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    let japan = answer.items("territories")[0]["details"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let manual = japan.clone();
    sim.server.update_state(|state| {
        let accounts = state.records.get_mut("Accounts").expect("accounts");
        accounts[1].territories.push(RecordTerritory {
            id: manual,
            assigned: "manually".to_owned(),
            assigned_by: Some(ADMIN.to_owned()),
            assigned_time: "2026-01-01T00:00:00+00:00".to_owned(),
        });
    });
    (sim, japan)
}

async fn job_status(sim: &Sim, job_id: &str) -> Value {
    let answer = sim
        .get(&format!(
            "/crm/v8/settings/territories/actions/scheduled_run_rule_jobs?job_id={job_id}"
        ))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body["scheduled_run_rule_jobs"].clone()
}

async fn territories_of(sim: &Sim, record: &str) -> Vec<(String, String)> {
    let answer = sim.get(&format!("/crm/v8/Accounts/{record}")).await;
    answer.body["data"][0]["Territories"]
        .as_array()
        .expect("territories")
        .iter()
        .map(|t| {
            (
                t["Name"].as_str().unwrap_or("?").to_owned(),
                t["$assigned"].as_str().unwrap_or("?").to_owned(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[tokio::test]
async fn a_run_is_scheduled_runs_on_the_clock_and_moves_records() {
    let (sim, japan) = japan().await;
    let answer = sim.post(RUN, by_territory("Accounts", &[ROOT], true)).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    let result = &answer.body["run_rules"];
    assert_eq!(result["code"], "SCHEDULED");
    assert_eq!(result["status"], "success");
    assert_eq!(
        result["message"],
        "Territory rules scheduled successfully.Once done, completion email is sent."
    );
    let job_id = result["details"]["job_id"].as_str().expect("a job id");

    let job = job_status(&sim, job_id).await;
    assert_eq!(job["status"], "SCHEDULED");
    assert_eq!(job["job_id"], job_id);
    assert_eq!(job["scheduled_time"], "2026-02-11T20:00:00+00:00");
    assert_eq!(
        job["scheduled_by"],
        json!({"name": "Patricia Boyle", "id": ADMIN})
    );
    sim.server.advance_clock(10);
    assert_eq!(job_status(&sim, job_id).await["status"], "IN_PROGRESS");
    // Nothing has moved while the job runs.
    assert_eq!(
        territories_of(&sim, ACCOUNT).await,
        pairs(&[("Auto", "automatically")])
    );
    sim.server.advance_clock(20);
    assert_eq!(job_status(&sim, job_id).await["status"], "COMPLETED");
    // Auto (no rules) was automatic and no longer caught: gone; Japan caught it.
    assert_eq!(
        territories_of(&sim, ACCOUNT).await,
        pairs(&[("Japan", "automatically")])
    );
    // The account holding Japan by hand keeps it, once, manually.
    assert_eq!(
        territories_of(&sim, crate::harness::LOCKED_ACCOUNT).await,
        pairs(&[("Japan", "manually")])
    );
    let state = sim.server.state();
    let record = &state.records["Accounts"][0];
    assert_eq!(record.territories[0].id, japan);
    assert_eq!(record.territories[0].assigned_by, None);
    assert_eq!(
        record.territories[0].assigned_time,
        "2026-02-11T20:00:30+00:00"
    );
}

#[tokio::test]
async fn one_run_at_a_time() {
    let (sim, japan) = japan().await;
    let first = sim
        .post(RUN, by_territory("Accounts", &[&japan], false))
        .await;
    let job_id = first.body["run_rules"]["details"]["job_id"]
        .as_str()
        .expect("a job id")
        .to_owned();
    for module in ["Accounts", "Deals"] {
        let again = sim.post(RUN, by_territory(module, &[&japan], false)).await;
        assert_eq!(again.status, 400);
        assert_eq!(
            again.body,
            json!({"code": "ALREADY_SCHEDULED", "details": {"job_id": job_id}, "status": "error",
                   "message": "Previously scheduled Run Rules Action was not yet Completed. Please try again once it's completed"})
        );
    }
    sim.server.advance_clock(30);
    let after = sim.post(RUN, by_territory("Deals", &[&japan], false)).await;
    assert_eq!(after.status, 202, "{}", after.body);
    assert_eq!(job_status(&sim, &job_id).await["status"], "COMPLETED");
}

#[tokio::test]
async fn a_criteria_run_covers_the_records_that_meet_it() {
    let (sim, _) = japan().await;
    let run = json!({"run_rules": {"module": {"api_name": "accounts"}, "based_on": "criteria",
        "criteria": {"field": {"api_name": "Account_Name"}, "comparator": "starts_with", "value": "Zylker"}}});
    let answer = sim.post(RUN, run).await;
    assert_eq!(answer.status, 202, "{}", answer.body);
    sim.server.advance_clock(30);
    assert_eq!(
        territories_of(&sim, ACCOUNT).await,
        pairs(&[("Japan", "automatically")])
    );
    // Locked Inc does not start with Zylker: not covered, though Japan would catch it.
    let state = sim.server.state();
    assert_eq!(state.records["Accounts"][1].territories.len(), 1);
}

#[tokio::test]
async fn a_failed_run_changes_nothing() {
    let (sim, japan) = japan().await;
    sim.server
        .update_state(|state| state.flags.rule_runs_fail = true);
    let answer = sim
        .post(RUN, by_territory("Accounts", &[&japan], true))
        .await;
    let job_id = answer.body["run_rules"]["details"]["job_id"]
        .as_str()
        .expect("a job id")
        .to_owned();
    sim.server.advance_clock(60);
    assert_eq!(job_status(&sim, &job_id).await["status"], "FAILED");
    assert_eq!(
        territories_of(&sim, ACCOUNT).await,
        pairs(&[("Auto", "automatically")])
    );
}

#[tokio::test]
async fn disabled_rules_and_territories() {
    let (sim, japan) = japan().await;
    sim.server.update_state(|state| {
        state.flags.lead_rules_enabled = false;
        state.flags.deal_rules_enabled = false;
    });
    for (module, message) in [
        ("Leads", "Territory Lead Rule Disabled"),
        ("Deals", "Territory Deal Rule Disabled"),
    ] {
        let answer = sim.post(RUN, by_territory(module, &[&japan], false)).await;
        assert_eq!(answer.status, 400);
        assert_eq!(
            answer.body,
            json!({"run_rules": {"code": "FEATURE_NOT_ENABLED", "details": {}, "message": message, "status": "error"}})
        );
    }
    sim.server
        .update_state(|state| state.flags.territories_enabled = false);
    let answer = sim
        .post(RUN, by_territory("Accounts", &[&japan], false))
        .await;
    // GUESS (simulator README): running rules is a territory write, answered as the other
    // writes are with territory management off.
    assert_eq!(answer.status, 403, "{}", answer.body);
    assert_eq!(answer.code(), "TERRITORY_NOT_ENABLED");
    let job = sim
        .get("/crm/v8/settings/territories/actions/scheduled_run_rule_jobs?job_id=1")
        .await;
    assert_eq!(job.code(), "FEATURE_NOT_ENABLED");
}

#[tokio::test]
async fn every_malformed_request_with_its_envelope() {
    let sim = Sim::start().await;
    let module = json!({"api_name": "Accounts"});
    let territory = |extra: Value| {
        let mut run =
            json!({"module": module, "based_on": "territory", "territories": [{"id": AUTO}]});
        if let (Some(run), Value::Object(extra)) = (run.as_object_mut(), extra) {
            run.extend(extra);
        }
        json!({ "run_rules": run })
    };
    let cases: Vec<(Value, &str, Value)> = vec![
        (
            json!({"run_rules": {"based_on": "territory"}}),
            "MANDATORY_NOT_FOUND",
            json!({"api_name": "module", "json_path": "$.run_rules.module"}),
        ),
        (
            json!({"run_rules": {"module": {"id": "1", "api_name": "Accounts"}, "based_on": "territory"}}),
            "AMBIGUITY_DURING_PROCESSING",
            json!({"ambiguity_due_to": [
                {"api_name": "id", "json_path": "$.run_rules.module.id"},
                {"api_name": "api_name", "json_path": "$.run_rules.module.api_name"}]}),
        ),
        (
            json!({"run_rules": {"module": {}, "based_on": "territory"}}),
            "EXPECTED_FIELD_MISSING",
            json!({"expected_fields": [
                {"api_name": "id", "json_path": "$.run_rules.module.id"},
                {"api_name": "api_name", "json_path": "$.run_rules.module.api_name"}]}),
        ),
        (
            json!({"run_rules": {"module": {"api_name": "Contacts"}, "based_on": "territory"}}),
            "INVALID_DATA",
            json!({"api_name": "api_name", "json_path": "$.run_rules.module.api_name", "supported_values": ["Leads", "Accounts", "Deals"]}),
        ),
        (
            json!({"run_rules": {"module": module}}),
            "MANDATORY_NOT_FOUND",
            json!({"api_name": "based_on", "json_path": "$.run_rules.based_on"}),
        ),
        (
            json!({"run_rules": {"module": module, "based_on": "everything"}}),
            "INVALID_DATA",
            json!({"api_name": "based_on", "json_path": "$.run_rules.based_on", "supported_values": ["territory", "criteria", "custom_view"]}),
        ),
        (
            json!({"run_rules": {"module": module, "based_on": "territory"}}),
            "DEPENDENT_FIELD_MISSING",
            json!({"api_name": "territories", "json_path": "$.run_rules.territories",
                   "dependee": {"api_name": "based_on", "json_path": "$.run_rules.based_on"}}),
        ),
        (
            json!({"run_rules": {"module": module, "based_on": "criteria"}}),
            "DEPENDENT_FIELD_MISSING",
            json!({"api_name": "criteria", "json_path": "$.run_rules.criteria",
                   "dependee": {"api_name": "based_on", "json_path": "$.run_rules.based_on"}}),
        ),
        (
            json!({"run_rules": {"module": module, "based_on": "custom_view", "custom_view": {"id": "1"}}}),
            "INVALID_DATA",
            json!({"api_name": "custom_view", "json_path": "$.run_rules.custom_view"}),
        ),
        (
            territory(json!({"territories": [{"id": "42"}]})),
            "INVALID_DATA",
            json!({"api_name": "id", "json_path": "$.run_rules.territories[0].id"}),
        ),
        (
            territory(json!({"territories": [{}]})),
            "MANDATORY_NOT_FOUND",
            json!({"api_name": "id", "json_path": "$.run_rules.territories[0].id"}),
        ),
        (
            territory(
                json!({"territories": (0..101).map(|_| json!({"id": AUTO})).collect::<Vec<_>>()}),
            ),
            "LIMIT_EXCEEDED",
            json!({"api_name": "territories", "json_path": "$.run_rules.territories", "limit": 100}),
        ),
        (
            territory(json!({"include_child": "yes"})),
            "INVALID_DATA",
            json!({"api_name": "include_child", "json_path": "$.run_rules.include_child", "expected_data_type": "boolean"}),
        ),
        (
            json!({"run_rules": {"module": module, "based_on": "criteria",
                "criteria": {"field": {"api_name": "Annual_Revenue"}, "comparator": "starts_with", "value": "1"}}}),
            "DEPENDENT_MISMATCH",
            json!({"api_name": "comparator", "json_path": "$.run_rules.criteria.comparator",
                   "dependee": {"api_name": "field", "json_path": "$.run_rules.criteria.field"},
                   "supported_values": ["equal", "not_equal", "less_than", "less_equal", "greater_than", "greater_equal", "between", "not_between", "in", "not_in"]}),
        ),
    ];
    for (body, code, details) in cases {
        let answer = sim.post(RUN, body.clone()).await;
        assert_eq!(answer.status, 400, "{body}");
        let result = &answer.body["run_rules"];
        assert_eq!(result["code"], code, "{body}: {}", answer.body);
        assert_eq!(result["details"], details, "{body}");
        assert_eq!(result["status"], "error");
        assert!(result["message"].as_str().is_some());
    }
    // Request-level problems come in the top-level envelope.
    let answer = sim.post(RUN, json!({})).await;
    assert_eq!(answer.code(), "MANDATORY_NOT_FOUND");
    assert_eq!(answer.body["details"]["api_name"], "run_rules");
    assert!(sim.server.state().rule_jobs.is_empty());
}

#[tokio::test]
async fn job_status_needs_a_known_job_id() {
    let sim = Sim::start().await;
    let missing = sim
        .get("/crm/v8/settings/territories/actions/scheduled_run_rule_jobs")
        .await;
    assert_eq!(
        missing.body,
        json!({"code": "REQUIRED_PARAM_MISSING", "details": {"param_name": "job_id"},
               "message": "One of the expected parameter is missing", "status": "error"})
    );
    let unknown = sim
        .get("/crm/v8/settings/territories/actions/scheduled_run_rule_jobs?job_id=123")
        .await;
    assert_eq!(unknown.status, 204);
}

#[tokio::test]
async fn running_rules_needs_the_update_or_all_scope() {
    let sim = Sim::start().await;
    let run = by_territory("Deals", &[AUTO], false);
    let read = sim
        .server
        .mint_token(&["ZohoCRM.settings.territories.READ"]);
    let refused = sim
        .call_as(Some(&read), Method::POST, RUN, Some(run.clone()))
        .await;
    assert_eq!(refused.status, 401);
    assert_eq!(refused.code(), "OAUTH_SCOPE_MISMATCH");
    let create = sim
        .server
        .mint_token(&["ZohoCRM.settings.territories.CREATE"]);
    let refused = sim
        .call_as(Some(&create), Method::POST, RUN, Some(run.clone()))
        .await;
    assert_eq!(refused.code(), "OAUTH_SCOPE_MISMATCH");
    let update = sim
        .server
        .mint_token(&["ZohoCRM.settings.territories.UPDATE"]);
    let accepted = sim
        .call_as(Some(&update), Method::POST, RUN, Some(run))
        .await;
    assert_eq!(accepted.status, 202, "{}", accepted.body);
    let job_id = accepted.body["run_rules"]["details"]["job_id"]
        .as_str()
        .expect("a job id")
        .to_owned();
    let status = sim
        .call_as(
            Some(&read),
            Method::GET,
            &format!(
                "/crm/v8/settings/territories/actions/scheduled_run_rule_jobs?job_id={job_id}"
            ),
            None,
        )
        .await;
    assert_eq!(status.status, 200, "{}", status.body);
}
