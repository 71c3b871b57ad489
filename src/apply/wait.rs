//! `--wait`: polls the background jobs of offloaded record assignments until they finish.

use std::collections::BTreeMap;
use std::time::Duration;

use super::outcome::{Failure, Outcome};
use crate::plan::{Action, Change};
use crate::zoho::{JobState, ReadClient, ScheduledJob, WaitPolicy};

/// How long to wait for jobs, and how often to ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wait {
    pub timeout: Duration,
    pub interval: Duration,
}

impl Default for Wait {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(300),
            interval: Duration::from_secs(5),
        }
    }
}

/// Polls the job of every [`Outcome::Scheduled`] change in `outcomes` until it is finished, or
/// `wait.timeout` passes, by the client's one waiter ([`ReadClient::wait_for_jobs`], which says
/// what each of Zoho's answers means), and records each job's last known state; a failed job
/// makes its change [`Outcome::Failed`]. A poll that fails (after the client's retries) ends the
/// wait with what is known; the apply goes on.
pub async fn wait_for_jobs(
    client: &ReadClient,
    changes: &[Change],
    outcomes: &mut BTreeMap<String, Outcome>,
    wait: &Wait,
) {
    let (keys, jobs): (Vec<&str>, Vec<ScheduledJob>) = changes
        .iter()
        .filter_map(|change| {
            let (Action::Assign(records) | Action::Remove(records)) = &change.action else {
                return None;
            };
            match outcomes.get(&change.key) {
                Some(Outcome::Scheduled { job_id, .. }) => Some((
                    change.key.as_str(),
                    ScheduledJob {
                        module: records.module,
                        record_id: records.record_id.clone(),
                        job_id: job_id.clone(),
                    },
                )),
                _ => None,
            }
        })
        .unzip();
    if jobs.is_empty() {
        return;
    }
    let policy = WaitPolicy {
        timeout: wait.timeout,
        first_interval: wait.interval,
        max_interval: wait.interval,
    };
    let waited = client.wait_for_jobs(&jobs, policy).await;
    for ((key, job), state) in keys.into_iter().zip(&jobs).zip(waited.states) {
        let outcome = match state {
            JobState::Failed => Outcome::Failed(Failure::new(
                "JOB_FAILED",
                format!(
                    "Zoho's background job {} for {} record {} failed",
                    job.job_id, job.module, job.record_id
                ),
            )),
            JobState::Completed => Outcome::Scheduled {
                job_id: job.job_id.clone(),
                state: Some("COMPLETED".to_owned()),
            },
            // Not seen yet (a failed first poll) leaves the outcome as it was.
            JobState::Pending(None) => continue,
            JobState::Pending(Some(status)) => Outcome::Scheduled {
                job_id: job.job_id.clone(),
                state: Some(status),
            },
        };
        outcomes.insert(key.to_owned(), outcome);
    }
}
