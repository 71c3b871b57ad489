//! Sending the changes: batches of ten records per request (Zoho's limit), the single-record
//! endpoint when there is one record, one [`RecordResult`] per record.

use super::explain::explain;
use super::request::Action;
use super::resolve::{Named, Resolved};
use crate::model::Module;
use std::collections::{BTreeMap, BTreeSet};

use crate::zoho::{ItemError, ItemOutcome, MAX_BATCH, RecordTerritories, RemoteError, WriteClient};

/// What became of a scheduled job, once waited for (`--wait`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobState {
    Completed,
    Failed,
    /// Still scheduled or running when the wait ran out.
    TimedOut,
}

/// What became of one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Zoho made the change.
    Done,
    /// The record already had every territory asked for: nothing was sent (Zoho would
    /// answer `DUPLICATE_DATA` for the whole record).
    AlreadyDone,
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
            Outcome::Done | Outcome::AlreadyDone => false,
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
        // Assigning a territory a record already has is refused by Zoho for the whole record
        // (`DUPLICATE_DATA`, "Given Territory id already exists for that record"): a
        // declarative tool treats it as done, so those are left out of the request.
        let present = match action {
            Action::Assign => present_territories(client, *module, records).await?,
            Action::Remove => BTreeMap::new(),
        };
        let missing = |record_id: &String, named: &[Named]| -> Vec<String> {
            named
                .iter()
                .filter(|territory| {
                    !present
                        .get(record_id)
                        .is_some_and(|ids| ids.contains(&territory.id))
                })
                .map(|territory| territory.id.clone())
                .collect()
        };
        let mut items: Vec<(&String, &Vec<Named>)> = Vec::new();
        for (record_id, named) in records {
            if missing(record_id, named).is_empty() && action == Action::Assign {
                results.push(RecordResult {
                    module: *module,
                    record_id: record_id.clone(),
                    territories: named.iter().map(|t| t.name.clone()).collect(),
                    outcome: Outcome::AlreadyDone,
                });
            } else {
                items.push((record_id, named));
            }
        }
        for batch in items.chunks(MAX_BATCH) {
            let wire: Vec<RecordTerritories> = batch
                .iter()
                .map(|(record_id, named)| RecordTerritories {
                    record_id: (*record_id).clone(),
                    territory_ids: match action {
                        Action::Assign => missing(record_id, named),
                        Action::Remove => {
                            named.iter().map(|territory| territory.id.clone()).collect()
                        }
                    },
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
    results.sort_by(|left, right| {
        (left.module, &left.record_id).cmp(&(right.module, &right.record_id))
    });
    Ok(results)
}

/// The territory ids each record of `records` has now, read 100 records a request. A record
/// that does not exist reads as having none (the write then says it is missing).
async fn present_territories(
    client: &WriteClient,
    module: Module,
    records: &BTreeMap<String, Vec<Named>>,
) -> Result<BTreeMap<String, BTreeSet<String>>, RemoteError> {
    let ids: Vec<String> = records.keys().cloned().collect();
    let mut present = BTreeMap::new();
    for record in client.records(module, &ids).await? {
        let territories = record
            .territories
            .iter()
            .map(|territory| territory.id.clone())
            .collect();
        present.insert(record.id, territories);
    }
    Ok(present)
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
