//! `--wait`: following scheduled territory jobs through `get_feature_specific_info` until they
//! finish or time runs out, polling less often the longer they take.

use std::collections::BTreeMap;
use std::time::Duration;

use super::execute::{Outcome, RecordResult};
use crate::model::Module;
use crate::zoho::{RECORD_IDS_PER_REQUEST, ReadClient, RemoteError};

/// What became of a scheduled job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobState {
    Completed,
    Failed,
    /// Still scheduled or running when the wait ran out.
    TimedOut,
}

/// How long to wait and how often to look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitPolicy {
    pub timeout: Duration,
    /// The first pause between polls; it doubles up to `max_interval`.
    pub first_interval: Duration,
    pub max_interval: Duration,
}

impl WaitPolicy {
    /// `--wait-timeout SECS` with pauses from one second, doubling up to thirty.
    #[must_use]
    pub fn with_timeout(timeout: Duration) -> Self {
        Self {
            timeout,
            first_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(30),
        }
    }
}

/// Polls the jobs of the scheduled results until each is completed or failed, or the timeout
/// passes, and records what was found in each result. The first poll is immediate.
///
/// A job counts as finished when Zoho no longer lists it for its record, or lists it with
/// status `COMPLETED` (or `FAILED`): Zoho documents only `job_id` and `source`, so either
/// answer must be understood.
///
/// # Errors
/// A failure of a poll request.
pub async fn wait_for_jobs(
    client: &ReadClient,
    results: &mut [RecordResult],
    policy: WaitPolicy,
) -> Result<(), RemoteError> {
    let started = tokio::time::Instant::now();
    let mut interval = policy.first_interval;
    loop {
        let pending: BTreeMap<Module, Vec<String>> =
            results.iter().fold(BTreeMap::new(), |mut pending, result| {
                if matches!(result.outcome, Outcome::Scheduled { state: None, .. }) {
                    pending
                        .entry(result.module)
                        .or_insert_with(Vec::new)
                        .push(result.record_id.clone());
                }
                pending
            });
        if pending.is_empty() {
            return Ok(());
        }
        for (module, ids) in &pending {
            for chunk in ids.chunks(RECORD_IDS_PER_REQUEST) {
                let jobs = client.territory_jobs(*module, chunk).await?;
                for result in results
                    .iter_mut()
                    .filter(|result| result.module == *module && chunk.contains(&result.record_id))
                {
                    let Outcome::Scheduled { job_id, state } = &mut result.outcome else {
                        continue;
                    };
                    let job = jobs
                        .iter()
                        .find(|job| job.record_id == result.record_id && job.job_id == *job_id);
                    *state = match job.and_then(|job| job.status.as_deref()) {
                        _ if job.is_none() => Some(JobState::Completed),
                        Some(status) if status.eq_ignore_ascii_case("COMPLETED") => {
                            Some(JobState::Completed)
                        }
                        Some(status) if status.eq_ignore_ascii_case("FAILED") => {
                            Some(JobState::Failed)
                        }
                        _ => None,
                    };
                }
            }
        }
        let elapsed = started.elapsed();
        if elapsed >= policy.timeout {
            for result in results.iter_mut() {
                if let Outcome::Scheduled {
                    state: state @ None,
                    ..
                } = &mut result.outcome
                {
                    *state = Some(JobState::TimedOut);
                }
            }
            return Ok(());
        }
        if results
            .iter()
            .any(|result| matches!(result.outcome, Outcome::Scheduled { state: None, .. }))
        {
            tokio::time::sleep(interval.min(policy.timeout - elapsed)).await;
            interval = (interval * 2).min(policy.max_interval);
        }
    }
}
