//! Territory jobs Zoho runs in the background for records (offloaded assignments), read
//! through `get_feature_specific_info`.

use serde_json::Value;

use super::error::RemoteError;
use super::http::Call;
use super::read::{RECORD_IDS_PER_REQUEST, ReadClient};
use crate::model::Module;

/// One scheduled territory job of a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduledJob {
    pub record_id: String,
    pub job_id: String,
    /// `manual_territory_assignment`, `manual_territory_removal`, `creation` or `update`.
    pub source: Option<String>,
    /// `SCHEDULED`, `IN_PROGRESS`, `COMPLETED` or `FAILED`, when Zoho says.
    pub status: Option<String>,
}

impl ReadClient {
    /// The territory jobs of up to [`RECORD_IDS_PER_REQUEST`] records of `module`. Records
    /// without a job are absent (Zoho answers 204 when none has one).
    ///
    /// The envelope is not documented (zoho-api.md 2.13): this reads `data` items with `id`
    /// and a `territory_scheduled_jobs` list of `{job_id, source, status}`, as the record APIs
    /// are shaped, and skips anything else.
    ///
    /// # Errors
    /// [`RemoteError::BatchTooLarge`] for more ids; any failure of the request.
    pub async fn scheduled_jobs(
        &self,
        module: Module,
        ids: &[String],
    ) -> Result<Vec<ScheduledJob>, RemoteError> {
        if ids.len() > RECORD_IDS_PER_REQUEST {
            return Err(RemoteError::BatchTooLarge {
                items: ids.len(),
                max: RECORD_IDS_PER_REQUEST,
            });
        }
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let call = Call::get(format!(
            "{}/actions/get_feature_specific_info",
            module.api_name()
        ))
        .query("features", "territory_scheduled_jobs")
        .query("ids", ids.join(","));
        let Some(body) = self.fetch::<Value>(&call).await? else {
            return Ok(Vec::new());
        };
        let text = |value: &Value, key: &str| match value.get(key) {
            Some(Value::String(text)) => Some(text.clone()),
            Some(Value::Number(number)) => Some(number.to_string()),
            _ => None,
        };
        let mut jobs = Vec::new();
        for record in body
            .get("data")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(record_id) = text(record, "id") else {
                continue;
            };
            let listed = record
                .get("territory_scheduled_jobs")
                .and_then(Value::as_array)
                .into_iter()
                .flatten();
            for job in listed {
                if let Some(job_id) = text(job, "job_id") {
                    jobs.push(ScheduledJob {
                        record_id: record_id.clone(),
                        job_id,
                        source: text(job, "source"),
                        status: text(job, "status"),
                    });
                }
            }
        }
        Ok(jobs)
    }
}
