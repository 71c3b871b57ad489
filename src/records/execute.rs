//! Sending the changes: batches of ten records per request (Zoho's limit), the single-record
//! endpoint when there is one record, one [`RecordResult`] per record.

use super::explain::explain;
use super::request::Action;
use super::resolve::{Named, Resolved};
use super::wait::JobState;
use crate::model::Module;
use crate::zoho::{ItemError, ItemOutcome, MAX_BATCH, RecordTerritories, RemoteError, WriteClient};

/// What became of one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Zoho made the change.
    Done,
    /// Zoho scheduled the change as a background job (offloaded parent territory); `state`
    /// is what `--wait` found, `None` when not waited for.
    Scheduled {
        job_id: String,
        state: Option<JobState>,
    },
    /// Zoho refused; `code` is Zoho's, `explanation` says it in words.
    Failed { code: String, explanation: String },
    /// The request failed without a clear answer and reading back could not tell.
    Unknown { reason: String },
}

/// One record's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordResult {
    pub module: Module,
    pub record_id: String,
    pub territories: Vec<String>,
    pub outcome: Outcome,
}

impl RecordResult {
    /// Whether the record did not end up changed (failed, unknown, or a job that failed or
    /// did not finish in time).
    #[must_use]
    pub fn failed(&self) -> bool {
        match &self.outcome {
            Outcome::Done => false,
            Outcome::Scheduled { state, .. } => {
                matches!(state, Some(JobState::Failed | JobState::TimedOut))
            }
            Outcome::Failed { .. } | Outcome::Unknown { .. } => true,
        }
    }
}

/// Sends every record of `resolved`, module by module, ten records a request (one record goes
/// to the single-record endpoint), and returns a result per record in module and id order.
///
/// Zoho's refusal of a whole request (`TERRITORY_NOT_ENABLED` for Leads, a top-level
/// `INVALID_DATA` or `ALREADY_SCHEDULED`) becomes the result of each record in it, and the
/// other requests still go.
///
/// # Errors
/// Failures that would fail every request alike: credentials, scope, exhausted retries.
pub async fn execute(
    client: &WriteClient,
    resolved: &Resolved,
    action: Action,
) -> Result<Vec<RecordResult>, RemoteError> {
    let mut results = Vec::new();
    for (module, records) in &resolved.records {
        let items: Vec<(&String, &Vec<Named>)> = records.iter().collect();
        for batch in items.chunks(MAX_BATCH) {
            let wire: Vec<RecordTerritories> = batch
                .iter()
                .map(|(record_id, named)| RecordTerritories {
                    record_id: (*record_id).clone(),
                    territory_ids: named.iter().map(|territory| territory.id.clone()).collect(),
                })
                .collect();
            let outcomes = send(client, *module, &wire, action).await?;
            for ((record_id, named), outcome) in batch.iter().zip(outcomes) {
                let names: Vec<String> = named.iter().map(|t| t.name.clone()).collect();
                let outcome = match outcome {
                    ItemOutcome::Done { job_id: None, .. } => Outcome::Done,
                    ItemOutcome::Done {
                        job_id: Some(job_id),
                        ..
                    } => Outcome::Scheduled {
                        job_id,
                        state: None,
                    },
                    ItemOutcome::Failed(error) => Outcome::Failed {
                        explanation: explain(&error, action, *module, &names),
                        code: error.code,
                    },
                    ItemOutcome::Unknown { reason } => Outcome::Unknown { reason },
                };
                results.push(RecordResult {
                    module: *module,
                    record_id: (*record_id).clone(),
                    territories: names,
                    outcome,
                });
            }
        }
    }
    Ok(results)
}

async fn send(
    client: &WriteClient,
    module: Module,
    items: &[RecordTerritories],
    action: Action,
) -> Result<Vec<ItemOutcome>, RemoteError> {
    let sent = match (items, action) {
        ([one], Action::Assign) => client
            .assign_territories_to_record(module, one)
            .await
            .map(|outcome| vec![outcome]),
        ([one], Action::Remove) => client
            .remove_territories_from_record(module, one)
            .await
            .map(|outcome| vec![outcome]),
        (_, Action::Assign) => client.assign_territories(module, items).await,
        (_, Action::Remove) => client.remove_territories(module, items).await,
    };
    let refusal = match sent {
        Ok(outcomes) => return Ok(outcomes),
        Err(RemoteError::Api { code, message, .. }) => ItemError {
            code,
            message,
            details: serde_json::Map::new(),
        },
        Err(
            RemoteError::FeatureNotEnabled { code, message }
            | RemoteError::FeatureDisabled { code, message },
        ) => ItemError {
            code,
            message,
            details: serde_json::Map::new(),
        },
        Err(other) => return Err(other),
    };
    Ok(items
        .iter()
        .map(|_| ItemOutcome::Failed(refusal.clone()))
        .collect())
}
