//! Waiting for scheduled record jobs (an assignment Zoho offloads to a background job): the one
//! waiter behind `apply --wait` and `records ... --wait`.
//!
//! What Zoho's answers mean (zoho-api.md section 2.13 and uncertainty 6): the feature info
//! `territory_scheduled_jobs` lists the jobs *scheduled* for a record, documenting only `job_id`
//! and `source`. So a job that is
//! - no longer listed for its record has run: [`JobState::Completed`];
//! - listed without a status is still scheduled: [`JobState::Pending`];
//! - listed with `COMPLETED` or `FAILED` (an undocumented status field, which the simulator
//!   sends) is that; with any other status (`SCHEDULED`, `IN_PROGRESS`) still pending.

use std::time::Duration;

use tokio::time::Instant;

use super::error::RemoteError;
use super::read::{ReadClient, TerritoryJob};
use crate::model::Module;

/// A job to wait for: the record it changes and the id Zoho gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduledJob {
    pub module: Module,
    pub record_id: String,
    pub job_id: String,
}

/// What is known of a job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobState {
    Completed,
    Failed,
    /// Still scheduled or running; the status Zoho last gave, if it gave one.
    Pending(Option<String>),
}

impl JobState {
    /// The state a poll's answer gives `job`.
    #[must_use]
    pub fn from_answer(job: &ScheduledJob, listed: &[TerritoryJob]) -> Self {
        let Some(found) = listed
            .iter()
            .find(|seen| seen.record_id == job.record_id && seen.job_id == job.job_id)
        else {
            return Self::Completed;
        };
        match found.status.as_deref() {
            Some(status) if status.eq_ignore_ascii_case("COMPLETED") => Self::Completed,
            Some(status) if status.eq_ignore_ascii_case("FAILED") => Self::Failed,
            status => Self::Pending(status.map(str::to_owned)),
        }
    }

    #[must_use]
    pub fn is_finished(&self) -> bool {
        !matches!(self, Self::Pending(_))
    }
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

/// The states found, in the order of the jobs given, and the error that ended the wait early.
/// A failed poll is not a failed job; the client has already retried it (its
/// [`RetryPolicy`](super::RetryPolicy)), so the wait stops there with what it knows.
#[derive(Debug)]
pub struct Waited {
    pub states: Vec<JobState>,
    pub error: Option<RemoteError>,
}

impl ReadClient {
    /// Polls `jobs` until every one is finished or `policy.timeout` passes; the first poll is
    /// immediate, and one poll asks for all the records of a module (chunked by the client).
    pub async fn wait_for_jobs(&self, jobs: &[ScheduledJob], policy: WaitPolicy) -> Waited {
        let started = Instant::now();
        let mut interval = policy.first_interval;
        let mut states = vec![JobState::Pending(None); jobs.len()];
        loop {
            for module in Module::ALL {
                let open: Vec<usize> = (0..jobs.len())
                    .filter(|&at| jobs[at].module == module && !states[at].is_finished())
                    .collect();
                if open.is_empty() {
                    continue;
                }
                let ids: Vec<String> = open.iter().map(|&at| jobs[at].record_id.clone()).collect();
                match self.territory_jobs(module, &ids).await {
                    Ok(listed) => {
                        for at in open {
                            states[at] = JobState::from_answer(&jobs[at], &listed);
                        }
                    }
                    Err(error) => {
                        return Waited {
                            states,
                            error: Some(error),
                        };
                    }
                }
            }
            let elapsed = started.elapsed();
            if states.iter().all(JobState::is_finished) || elapsed >= policy.timeout {
                return Waited {
                    states,
                    error: None,
                };
            }
            tokio::time::sleep(interval.min(policy.timeout - elapsed)).await;
            interval = (interval * 2).min(policy.max_interval);
        }
    }
}
