//! Which rule runs an apply calls for, and carrying runs out: one at a time, each followed to
//! its end, again after the running one when Zoho says one is already scheduled.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use serde::Serialize;
use tokio::time::Instant;

use crate::apply::Outcome;
use crate::model::RuleModule;
use crate::plan::{Action, Change, FieldChange};
use crate::zoho::{RUN_RULES_MAX_TERRITORIES, RemoteError, RunRules, WriteClient};

/// One call of `run_rules`: a module's rules for some territories and everything below them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleRun {
    pub module: RuleModule,
    /// Territory ids, at most [`RUN_RULES_MAX_TERRITORIES`].
    pub territory_ids: Vec<String>,
    /// The same territories by name, for people.
    pub territories: Vec<String>,
}

/// Splits territories (id, name) of each module into runs of at most 100, modules in the
/// order Accounts, Leads, Deals, territories in the order given.
#[must_use]
pub fn runs(by_module: &BTreeMap<RuleModule, Vec<(String, String)>>) -> Vec<RuleRun> {
    let mut runs = Vec::new();
    for module in RuleModule::ALL {
        let Some(territories) = by_module.get(&module) else {
            continue;
        };
        for chunk in territories.chunks(RUN_RULES_MAX_TERRITORIES) {
            runs.push(RuleRun {
                module,
                territory_ids: chunk.iter().map(|(id, _)| id.clone()).collect(),
                territories: chunk.iter().map(|(_, name)| name.clone()).collect(),
            });
        }
    }
    runs
}

/// The territories whose rules an applied plan changed, per module: created ones with rules
/// (for the modules they have rules for), moved ones (every module: what reaches them
/// changed), and those whose criteria changed (that module). Only changes that took effect
/// count; a created territory is known by the id Zoho gave it.
#[must_use]
pub fn affected(
    changes: &[Change],
    outcomes: &BTreeMap<String, Outcome>,
) -> BTreeMap<RuleModule, Vec<(String, String)>> {
    concerned(changes, |change| {
        let outcome = outcomes.get(&change.key).filter(|o| o.succeeded())?;
        match (&change.action, outcome) {
            (Action::Create(_), Outcome::Done { id: Some(id) }) => Some(id.clone()),
            (Action::Update(update), _) => Some(update.id.clone()),
            _ => None,
        }
    })
}

/// The territories whose rules the plan will run after its territory waves, per module, by
/// name (the same selection as [`affected`], before anything is sent).
#[must_use]
pub fn planned(changes: &[Change]) -> BTreeMap<RuleModule, Vec<String>> {
    concerned(changes, |change| Some(change.key.clone()))
        .into_iter()
        .map(|(module, territories)| {
            let names = territories.into_iter().map(|(_, name)| name).collect();
            (module, names)
        })
        .collect()
}

/// (id, name) per module of the territories the changes concern; `id_of` gives a change's
/// territory id, or `None` to leave the change out.
fn concerned(
    changes: &[Change],
    id_of: impl Fn(&Change) -> Option<String>,
) -> BTreeMap<RuleModule, Vec<(String, String)>> {
    let mut by_module: BTreeMap<RuleModule, Vec<(String, String)>> = BTreeMap::new();
    let mut add = |module: RuleModule, id: &str, name: &str| {
        let list = by_module.entry(module).or_default();
        if !list.iter().any(|(known, _)| known == id) {
            list.push((id.to_owned(), name.to_owned()));
        }
    };
    for change in changes {
        let modules: Vec<RuleModule> = match &change.action {
            Action::Create(create) => RuleModule::ALL
                .into_iter()
                .filter(|module| create.rules.get(*module).is_some())
                .collect(),
            Action::Update(update) => {
                let mut modules = Vec::new();
                for field in &update.fields {
                    match field {
                        FieldChange::Parent { .. } => modules.extend(RuleModule::ALL),
                        FieldChange::Rules { module, .. } => modules.push(*module),
                        _ => {}
                    }
                }
                modules
            }
            Action::Delete(_) | Action::Remove(_) | Action::Assign(_) => Vec::new(),
        };
        if modules.is_empty() {
            continue;
        }
        let Some(id) = id_of(change) else {
            continue;
        };
        for module in modules {
            add(module, &id, &change.title());
        }
    }
    by_module
}

/// How long to wait for each run's job and how often to look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunPolicy {
    /// For all the runs together.
    pub timeout: Duration,
    /// The first pause between polls; it doubles up to `max_interval`.
    pub first_interval: Duration,
    pub max_interval: Duration,
}

impl RunPolicy {
    /// `--rules-timeout SECS` with pauses from one second, doubling up to fifteen.
    #[must_use]
    pub fn with_timeout(timeout: Duration) -> Self {
        Self {
            timeout,
            first_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
        }
    }
}

/// What became of one run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum RunOutcome {
    Completed {
        job_id: String,
    },
    Failed {
        job_id: String,
    },
    /// Still scheduled or running when time ran out; `status` is the last one seen.
    TimedOut {
        job_id: String,
        status: String,
    },
    /// Another run was still going for as long as we waited, so this one never started.
    NotStarted,
    /// Zoho refused to run it, or could not be asked.
    Refused {
        code: String,
        message: String,
    },
}

impl RunOutcome {
    #[must_use]
    pub fn succeeded(&self) -> bool {
        matches!(self, Self::Completed { .. })
    }
}

/// A run and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunResult {
    #[serde(flatten)]
    pub run: RuleRun,
    #[serde(flatten)]
    pub outcome: RunOutcome,
}

/// Carries the runs out in order, each followed to its end before the next starts (Zoho runs
/// one at a time). `ALREADY_SCHEDULED` is asked again after a pause until the running job
/// ends or time runs out. One line per job state goes to `progress`. Never fails as a whole:
/// every run gets an outcome.
pub async fn execute(
    client: &WriteClient,
    runs: &[RuleRun],
    policy: RunPolicy,
    progress: &mut dyn Write,
) -> Vec<RunResult> {
    let deadline = Instant::now() + policy.timeout;
    let mut results = Vec::with_capacity(runs.len());
    for run in runs {
        let outcome = one(client, run, policy, deadline, progress).await;
        results.push(RunResult {
            run: run.clone(),
            outcome,
        });
    }
    results
}

fn refused(error: &RemoteError) -> RunOutcome {
    let code =
        miette::Diagnostic::code(error).map_or_else(|| "error".to_owned(), |c| c.to_string());
    RunOutcome::Refused {
        code,
        message: error.to_string(),
    }
}

async fn pause(interval: &mut Duration, policy: RunPolicy, deadline: Instant) -> bool {
    let now = Instant::now();
    if now >= deadline {
        return false;
    }
    tokio::time::sleep((*interval).min(deadline - now)).await;
    *interval = (*interval * 2).min(policy.max_interval);
    true
}

async fn one(
    client: &WriteClient,
    run: &RuleRun,
    policy: RunPolicy,
    deadline: Instant,
    progress: &mut dyn Write,
) -> RunOutcome {
    let module = run.module.module();
    let mut interval = policy.first_interval;
    let job_id = loop {
        match client.run_rules(run.module, &run.territory_ids, true).await {
            Ok(RunRules::Scheduled { job_id }) => break job_id,
            Ok(RunRules::AlreadyScheduled) => {
                let _ = writeln!(
                    progress,
                    "rules: {module}: another rule run is still going; asking again"
                );
                if !pause(&mut interval, policy, deadline).await {
                    return RunOutcome::NotStarted;
                }
            }
            Ok(RunRules::Refused { code, message }) => {
                return RunOutcome::Refused { code, message };
            }
            Err(error) => return refused(&error),
        }
    };
    let mut last = String::from("SCHEDULED");
    let _ = writeln!(progress, "rules: {module}: job {job_id} SCHEDULED");
    interval = policy.first_interval;
    loop {
        if !pause(&mut interval, policy, deadline).await {
            return RunOutcome::TimedOut {
                job_id,
                status: last,
            };
        }
        // A poll that fails is not the job failing: look again at the next pause.
        let Ok(job) = client.rule_job(&job_id).await else {
            continue;
        };
        let Some(job) = job else {
            continue;
        };
        if job.status != last {
            let _ = writeln!(progress, "rules: {module}: job {job_id} {}", job.status);
            last.clone_from(&job.status);
        }
        match job.status.as_str() {
            "COMPLETED" => return RunOutcome::Completed { job_id },
            "FAILED" => return RunOutcome::Failed { job_id },
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::runs;
    use crate::model::RuleModule;

    #[test]
    fn runs_go_per_module_in_a_fixed_order_at_most_100_territories_each() {
        let territories: Vec<(String, String)> = (0..250)
            .map(|n| (format!("id{n}"), format!("T{n}")))
            .collect();
        let by_module = BTreeMap::from([
            (RuleModule::Deals, territories[..1].to_vec()),
            (RuleModule::Accounts, territories.clone()),
        ]);
        let planned = runs(&by_module);
        let shape: Vec<(RuleModule, usize)> = planned
            .iter()
            .map(|run| (run.module, run.territory_ids.len()))
            .collect();
        assert_eq!(
            shape,
            [
                (RuleModule::Accounts, 100),
                (RuleModule::Accounts, 100),
                (RuleModule::Accounts, 50),
                (RuleModule::Deals, 1),
            ]
        );
        assert_eq!(planned[1].territory_ids[0], "id100");
        assert_eq!(planned[1].territories[0], "T100");
        assert!(runs(&BTreeMap::new()).is_empty());
    }
}
