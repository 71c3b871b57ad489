//! `--wait`: following scheduled territory jobs until they finish or time runs out, by the
//! client's one waiter ([`ReadClient::wait_for_jobs`], which says what each of Zoho's answers
//! means), polling less often the longer they take.

pub use crate::zoho::WaitPolicy;

use super::execute::{JobState, Outcome, RecordResult};
use crate::zoho::{ReadClient, RemoteError, ScheduledJob};

/// Polls the jobs of the scheduled results until each is completed or failed, or the timeout
/// passes, and records what was found in each result. The first poll is immediate.
///
/// # Errors
/// A failure of a poll request (after the client's retries).
pub async fn wait_for_jobs(
    client: &ReadClient,
    results: &mut [RecordResult],
    policy: WaitPolicy,
) -> Result<(), RemoteError> {
    let open: Vec<usize> = (0..results.len())
        .filter(|&at| matches!(results[at].outcome, Outcome::Scheduled { state: None, .. }))
        .collect();
    let jobs: Vec<ScheduledJob> = open
        .iter()
        .filter_map(|&at| {
            let result = &results[at];
            let Outcome::Scheduled { job_id, .. } = &result.outcome else {
                return None;
            };
            Some(ScheduledJob {
                module: result.module,
                record_id: result.record_id.clone(),
                job_id: job_id.clone(),
            })
        })
        .collect();
    if jobs.is_empty() {
        return Ok(());
    }
    let waited = client.wait_for_jobs(&jobs, policy).await;
    if let Some(error) = waited.error {
        return Err(error);
    }
    for (at, state) in open.into_iter().zip(waited.states) {
        if let Outcome::Scheduled { state: found, .. } = &mut results[at].outcome {
            *found = Some(match state {
                crate::zoho::JobState::Completed => JobState::Completed,
                crate::zoho::JobState::Failed => JobState::Failed,
                crate::zoho::JobState::Pending(_) => JobState::TimedOut,
            });
        }
    }
    Ok(())
}
