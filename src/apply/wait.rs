//! `--wait`: polls the background jobs of offloaded record assignments until they finish.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::time::Instant;

use super::outcome::{Failure, Outcome};
use crate::model::Module;
use crate::plan::{Action, Change};
use crate::zoho::{RECORD_IDS_PER_REQUEST, ReadClient};

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

/// A scheduled change still being waited for.
struct Pending {
    key: String,
    module: Module,
    record_id: String,
    job_id: String,
}

/// Polls the job of every [`Outcome::Scheduled`] change in `outcomes` until it is `COMPLETED`
/// or `FAILED`, or `wait.timeout` passes, and records each job's last known state; a failed job
/// makes its change [`Outcome::Failed`]. A poll that fails is tried again at the next interval.
pub async fn wait_for_jobs(
    client: &ReadClient,
    changes: &[Change],
    outcomes: &mut BTreeMap<String, Outcome>,
    wait: &Wait,
) {
    let mut pending: Vec<Pending> = changes
        .iter()
        .filter_map(|change| {
            let (Action::Assign(records) | Action::Remove(records)) = &change.action else {
                return None;
            };
            match outcomes.get(&change.key) {
                Some(Outcome::Scheduled { job_id, .. }) => Some(Pending {
                    key: change.key.clone(),
                    module: records.module,
                    record_id: records.record_id.clone(),
                    job_id: job_id.clone(),
                }),
                _ => None,
            }
        })
        .collect();
    let deadline = Instant::now() + wait.timeout;
    while !pending.is_empty() {
        let mut states: BTreeMap<String, String> = BTreeMap::new();
        let mut modules: BTreeMap<Module, Vec<String>> = BTreeMap::new();
        for job in &pending {
            modules
                .entry(job.module)
                .or_default()
                .push(job.record_id.clone());
        }
        for (module, ids) in modules {
            for chunk in ids.chunks(RECORD_IDS_PER_REQUEST) {
                // A failed poll is not the job failing: ask again next round.
                if let Ok(jobs) = client.scheduled_jobs(module, chunk).await {
                    for job in jobs {
                        if let Some(status) = job.status {
                            states.insert(job.job_id, status);
                        }
                    }
                }
            }
        }
        pending.retain(|job| {
            let Some(state) = states.get(&job.job_id) else {
                return true;
            };
            let finished = matches!(state.as_str(), "COMPLETED" | "FAILED");
            let outcome = if state == "FAILED" {
                Outcome::Failed(Failure::new(
                    "JOB_FAILED",
                    format!(
                        "Zoho's background job {} for {} record {} failed",
                        job.job_id, job.module, job.record_id
                    ),
                ))
            } else {
                Outcome::Scheduled {
                    job_id: job.job_id.clone(),
                    state: Some(state.clone()),
                }
            };
            outcomes.insert(job.key.clone(), outcome);
            !finished
        });
        if pending.is_empty() || Instant::now() + wait.interval > deadline {
            break;
        }
        tokio::time::sleep(wait.interval).await;
    }
}
