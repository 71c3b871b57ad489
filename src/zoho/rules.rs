//! Running territory rules (`actions/run_rules`) and reading a run's job
//! (`actions/scheduled_run_rule_jobs`), zoho-api.md 2.12.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::RemoteError;
use super::http::Call;
use super::read::{ReadClient, unexpected};
use super::write::WriteClient;
use crate::model::RuleModule;

/// Territories in one territory-based run (Zoho's maximum).
pub const RUN_RULES_MAX_TERRITORIES: usize = 100;

/// What Zoho said to a request to run rules.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunRules {
    /// 202 `SCHEDULED`: a job to follow.
    Scheduled { job_id: String },
    /// `ALREADY_SCHEDULED`: an earlier run has not finished yet.
    AlreadyScheduled,
    /// Any other refusal, e.g. `FEATURE_NOT_ENABLED` "Territory Deal Rule Disabled".
    Refused { code: String, message: String },
}

/// A rule run's job, as `scheduled_run_rule_jobs` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct RuleJob {
    /// `SCHEDULED`, `IN_PROGRESS`, `COMPLETED` or `FAILED`.
    pub status: String,
    #[serde(default)]
    pub scheduled_time: Option<String>,
}

#[derive(Deserialize)]
struct RuleJobBody {
    scheduled_run_rule_jobs: RuleJob,
}

#[derive(Deserialize)]
struct RunRulesResult {
    code: String,
    #[serde(default)]
    details: Value,
    #[serde(default)]
    message: String,
    status: String,
}

impl WriteClient {
    /// Asks Zoho to run the `module` rules of up to [`RUN_RULES_MAX_TERRITORIES`] territories,
    /// and of their descendants with `include_child`.
    ///
    /// # Errors
    /// [`RemoteError::BatchTooLarge`] for more territories; request-level failures (auth,
    /// scope, feature, exhausted retries).
    pub async fn run_rules(
        &self,
        module: RuleModule,
        territory_ids: &[String],
        include_child: bool,
    ) -> Result<RunRules, RemoteError> {
        if territory_ids.len() > RUN_RULES_MAX_TERRITORIES {
            return Err(RemoteError::BatchTooLarge {
                items: territory_ids.len(),
                max: RUN_RULES_MAX_TERRITORIES,
            });
        }
        let territories: Vec<Value> = territory_ids.iter().map(|id| json!({"id": id})).collect();
        let body = json!({"run_rules": {
            "module": {"api_name": module.module().api_name()},
            "based_on": "territory",
            "territories": territories,
            "include_child": include_child,
        }});
        let call = Call::write(
            Method::POST,
            "settings/territories/actions/run_rules",
            Some(body),
        );
        let reply = match self.http.send(&call).await {
            Err(RemoteError::Api { code, .. }) if code == "ALREADY_SCHEDULED" => {
                return Ok(RunRules::AlreadyScheduled);
            }
            other => other?,
        };
        let status = reply.status.as_u16();
        let result: RunRulesResult = reply
            .body
            .and_then(|mut body| body.get_mut("run_rules").map(Value::take))
            .map(serde_json::from_value)
            .transpose()
            .map_err(|error| unexpected(&call, status, error.to_string()))?
            .ok_or_else(|| unexpected(&call, status, "no `run_rules` result".into()))?;
        if result.status == "success" {
            let job_id = match result.details.get("job_id") {
                Some(Value::String(id)) => id.clone(),
                Some(Value::Number(id)) => id.to_string(),
                _ => return Err(unexpected(&call, status, "no `job_id`".into())),
            };
            return Ok(RunRules::Scheduled { job_id });
        }
        if result.code == "ALREADY_SCHEDULED" {
            return Ok(RunRules::AlreadyScheduled);
        }
        Ok(RunRules::Refused {
            code: result.code,
            message: result.message,
        })
    }
}

impl ReadClient {
    /// The job of a rule run; `None` when Zoho knows no such job (204).
    ///
    /// # Errors
    /// Any failure of the request.
    pub async fn rule_job(&self, job_id: &str) -> Result<Option<RuleJob>, RemoteError> {
        let call = Call::get("settings/territories/actions/scheduled_run_rule_jobs")
            .query("job_id", job_id);
        Ok(self
            .fetch::<RuleJobBody>(&call)
            .await?
            .map(|body| body.scheduled_run_rule_jobs))
    }
}
