//! The acme example against its simulated org: one write per batch, `No changes.` after an
//! apply, and convergence under every kind of fault the simulator injects, of applies and of
//! the rule runs after them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use territoryctl::apply::{self, Cancel, Execution, Options, Outcome, Report, Silent};
use territoryctl::exit::ExitStatus;
use territoryctl::model::{Desired, Live, Unmanaged};
use territoryctl::plan::{self, Action, FieldChange, Plan, Policy, TerritoryRef, batch_count};
use territoryctl::rules;
use territoryctl::zoho::{WriteClient, load_live};
use zoho_crm_sim::state::State;
use zoho_crm_sim::{Faults, Server, Simulator};

use super::support::{client, territory};

fn example(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/acme")
        .join(file)
}

fn desired() -> Desired {
    territoryctl::config::load(&[example("territories.yaml")])
        .expect("the acme example is valid")
        .desired
}

async fn acme_org() -> Server {
    Simulator::from_file(&example("org.json"), false)
        .expect("the acme org loads")
        .serve("127.0.0.1:0".parse().unwrap())
        .await
        .expect("the simulator binds a loopback port")
}

// Convergence may touch a third of the org; the rail is tested with `plan`.
const POLICY: Policy = Policy {
    max_change_percent: 100,
    allow_empty: false,
};

/// The plan, and the live org it was made against.
async fn make_plan(client: &WriteClient, desired: &Desired) -> Result<(Plan, Live), String> {
    let live = load_live(client, desired)
        .await
        .map_err(|error| error.to_string())?;
    let plan = plan::plan(desired, &live, &POLICY).expect("the acme example plans");
    Ok((plan, live))
}

async fn run(client: &WriteClient, (plan, _): &(Plan, Live)) -> Execution {
    apply::execute(
        client,
        &plan.changes,
        &plan.schedule,
        &Options::default(),
        &mut Silent,
        &Cancel::new(),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applying_acme_sends_one_write_per_batch_and_then_plans_no_changes() {
    let server = acme_org().await;
    let client = client(&server);
    let desired = desired();
    let planned = make_plan(&client, &desired).await.unwrap();
    let plan = &planned.0;
    assert!(plan.has_changes());
    server.reset_counters();

    let execution = run(&client, &planned).await;

    let report = Report::new(&plan.changes, &execution);
    assert_eq!(report.exit_status(), ExitStatus::Success, "{report:#?}");
    assert_eq!(report.summary.done, plan.changes.len());
    assert_eq!(server.counters().writes, batch_count(&plan.schedule) as u64);
    assert_eq!(execution.batches, batch_count(&plan.schedule));
    let (after, _) = make_plan(&client, &desired).await.unwrap();
    assert!(
        territoryctl::render::text(&after, false).ends_with("No changes.\n"),
        "{}",
        territoryctl::render::text(&after, false)
    );
}

/// The faults of one run: every kind at once, reproducible from `seed`.
fn faults(seed: u64) -> Faults {
    Faults {
        seed,
        error_rate: 0.08,
        drop_rate: 0.05,
        lost_response_rate: 0.08,
        item_failure_rate: 0.1,
        // The client sends up to four at once: the rest get 429 TOO_MANY_REQUESTS.
        concurrency_limit: Some(2),
        ..Faults::default()
    }
}

const SEEDS: u64 = 24;
const MAX_RUNS: usize = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_applies_under_faults_converge_without_duplicates_or_unplanned_deletions() {
    // Plain deletes, a transfer and the moves it carries, and moves by PUT before a delete
    // are in the plan as well.
    let desired = without(desired(), &["US West", "United States"], "North America");
    let mut runs_needed = Vec::new();
    let mut troubled = 0;
    for seed in 0..SEEDS {
        let server = acme_org().await;
        let client = client(&server);
        let mut converged = None;
        for attempt in 0..MAX_RUNS {
            server.set_faults(faults(seed * 100 + attempt as u64));
            // A plan whose reads fail even after retries is a run that did not start.
            let Ok(planned) = make_plan(&client, &desired).await else {
                continue;
            };
            let plan = &planned.0;
            let before = server.state();
            let execution = run(&client, &planned).await;
            let after = server.state();
            let context = format!("seed {seed}, run {}", attempt + 1);
            let report = Report::new(&plan.changes, &execution);
            // A run the faults reached: something left undone, or requests beyond one per
            // batch (retries, read-backs, items sent again).
            if !report.complete() || report.summary.requests > report.summary.batches as u64 {
                troubled += 1;
            }
            check_no_duplicates(&after, &context);
            check_only_planned_deletions(&before, &after, plan, &context);
            check_report_matches_state(plan, &execution, &after, &context);

            server.set_faults(Faults::default());
            if !make_plan(&client, &desired).await.unwrap().0.has_changes() {
                converged = Some(attempt + 1);
                break;
            }
        }
        let runs =
            converged.unwrap_or_else(|| panic!("seed {seed}: no convergence in {MAX_RUNS} runs"));
        let state = server.state();
        // Membership converged too: the acme example adds users, removes an inactive member,
        // changes Canada's manager and moves a user from Japan to a new territory.
        check_members(&state, &desired, &format!("seed {seed}"));
        assert_eq!(
            state.territories.len(),
            desired.territories.len() + 1,
            "seed {seed}: exactly the desired territories and the root"
        );
        runs_needed.push(runs);
    }
    // The faults must have bitten, or this test proves nothing.
    assert!(troubled > 0, "no run saw a failure: {runs_needed:?}");
}

/// A change whose territory was created or updated, but some of whose users were not added or
/// removed: the executor names the user in the message.
fn users_failed(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Failed(failure) if failure.message.starts_with("user "))
}

/// Every territory whose users the desired state lists has exactly those, and its manager.
fn check_members(state: &State, desired: &Desired, context: &str) {
    for wanted in desired.territories.iter().filter(|t| t.users.is_some()) {
        let live = territory(state, &wanted.name)
            .unwrap_or_else(|| panic!("{context}: no {}", wanted.name));
        let mut emails: Vec<String> = wanted
            .users
            .iter()
            .flatten()
            .chain(wanted.manager.as_ref())
            .map(|email| email.to_lowercase())
            .collect();
        emails.sort();
        emails.dedup();
        let mut members: Vec<String> = live
            .users
            .iter()
            .map(|id| {
                state
                    .user(id)
                    .expect("a member is a user")
                    .email
                    .to_lowercase()
            })
            .collect();
        members.sort();
        assert_eq!(members, emails, "{context}: the users of {}", wanted.name);
        let mut unique = live.users.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            live.users.len(),
            "{context}: a user twice in {}",
            wanted.name
        );
    }
}

fn check_no_duplicates(state: &State, context: &str) {
    let mut seen = BTreeSet::new();
    for territory in &state.territories {
        assert!(
            seen.insert(territory.name.to_lowercase()),
            "{context}: duplicate territory `{}`",
            territory.name
        );
    }
}

fn check_only_planned_deletions(before: &State, after: &State, plan: &Plan, context: &str) {
    let planned: BTreeSet<&str> = plan
        .changes
        .iter()
        .filter_map(|change| match &change.action {
            Action::Delete(delete) => Some(delete.id.as_str()),
            _ => None,
        })
        .collect();
    for territory in &before.territories {
        if after.territory(&territory.id).is_none() {
            assert!(
                planned.contains(territory.id.as_str()),
                "{context}: `{}` was deleted without a plan to",
                territory.name
            );
        }
    }
}

/// Every outcome the report gives agrees with the org: done is there, not done is not (an
/// unknown outcome may be either).
fn check_report_matches_state(plan: &Plan, execution: &Execution, state: &State, context: &str) {
    let resolve = |territory: &TerritoryRef| -> Option<String> {
        match territory {
            TerritoryRef::Existing { id, .. } => Some(id.clone()),
            TerritoryRef::AfterApply { change, .. } => match execution.outcomes.get(change) {
                Some(Outcome::Done { id }) => id.clone(),
                _ => None,
            },
        }
    };
    for change in &plan.changes {
        let outcome = &execution.outcomes[&change.key];
        let context = format!("{context}, {}: {outcome:?}", change.key);
        let done = outcome.succeeded();
        let not_done = !done && !matches!(outcome, Outcome::Unknown { .. });
        match &change.action {
            Action::Create(create) => {
                let found = territory(state, &create.name);
                if let Outcome::Done { id } = outcome {
                    let found = found.unwrap_or_else(|| panic!("{context}: not in the org"));
                    assert_eq!(id.as_ref(), Some(&found.id), "{context}");
                    assert_eq!(found.reporting_to, resolve(&create.parent), "{context}");
                } else if not_done && !users_failed(outcome) {
                    assert!(found.is_none(), "{context}: created after all");
                }
            }
            Action::Update(update) => {
                let live = state.territory(&update.id);
                let live = live.unwrap_or_else(|| panic!("{context}: gone"));
                for field in &update.fields {
                    match field {
                        FieldChange::Name { old, new } => {
                            let expected = if done { new } else { old };
                            if done || not_done {
                                assert_eq!(&live.name, expected, "{context}");
                            }
                        }
                        FieldChange::Parent { new, .. } if done => {
                            assert_eq!(live.reporting_to, resolve(new), "{context}");
                        }
                        _ => {}
                    }
                }
            }
            Action::Delete(delete) => {
                let present = state.territory(&delete.id).is_some();
                if done {
                    assert!(!present, "{context}: still there");
                } else if not_done {
                    assert!(present, "{context}: deleted after all");
                }
            }
            Action::Assign(records) | Action::Remove(records) => {
                let record = state.records[records.module.api_name()]
                    .iter()
                    .find(|record| record.id == records.record_id)
                    .unwrap_or_else(|| panic!("{context}: no such record"));
                let assign = matches!(change.action, Action::Assign(_));
                for territory in &records.territories {
                    let Some(id) = resolve(territory) else {
                        continue;
                    };
                    let has = record.territories.iter().any(|held| held.id == id);
                    if done {
                        assert_eq!(has, assign, "{context}");
                    } else if not_done {
                        assert_eq!(has, !assign, "{context}");
                    }
                }
            }
        }
    }
}

/// `desired` without the territories `gone`: their children report to `to` instead.
fn without(mut desired: Desired, gone: &[&str], to: &str) -> Desired {
    desired.unmanaged = Unmanaged::Delete;
    desired
        .territories
        .retain(|territory| !gone.contains(&territory.name.as_str()));
    for territory in &mut desired.territories {
        if gone.contains(&territory.parent.as_str()) {
            territory.parent = to.into();
        }
    }
    desired
}

/// How many batches of `operation` the plan's schedule has.
fn batches_of(plan: &Plan, operation: plan::Operation) -> usize {
    plan.schedule
        .iter()
        .flat_map(|wave| &wave.batches)
        .filter(|batch| batch.operation == operation)
        .count()
}

/// Deleting `US West`, whose parent survives: no target satisfies Zoho's transfer rules on
/// every reading (the parent itself may not be one), so its children move by `PUT` first and
/// `US West`, left without children, goes by a plain `DELETE ?ids=`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_parent_under_a_surviving_one_has_its_children_moved_first() {
    let server = acme_org().await;
    let client = client(&server);
    let desired = without(desired(), &["US West"], "United States");
    let planned = make_plan(&client, &desired).await.unwrap();
    assert_eq!(
        batches_of(&planned.0, plan::Operation::TransferAndDelete),
        0
    );
    assert_eq!(batches_of(&planned.0, plan::Operation::Delete), 1);
    server.reset_counters();

    let execution = run(&client, &planned).await;

    let report = Report::new(&planned.0.changes, &execution);
    assert_eq!(report.exit_status(), ExitStatus::Success, "{report:#?}");
    let counters = server.counters();
    assert_eq!(
        counters.get("DELETE", "/crm/{version}/settings/territories"),
        1
    );
    assert_eq!(
        counters.get("PUT", "/crm/{version}/settings/territories"),
        1
    );
    assert_eq!(counters.writes, batch_count(&planned.0.schedule) as u64);
    let state = server.state();
    assert!(territory(&state, "US West").is_none());
    let united_states = territory(&state, "United States").unwrap();
    assert_eq!(
        territory(&state, "Bay Area").unwrap().reporting_to.as_ref(),
        Some(&united_states.id)
    );
    let (after, _) = make_plan(&client, &desired).await.unwrap();
    assert!(
        !after.has_changes(),
        "{}",
        territoryctl::render::text(&after, false)
    );
}

/// Deleting `US West` and its parent `United States`: `US West`'s children go to `North
/// America`, above its deleted parent, by `transfer_and_delete`; `United States`, whose other
/// children moved by `PUT`, goes by a plain `DELETE`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_parent_hands_its_children_over_by_transfer_and_delete() {
    let server = acme_org().await;
    let client = client(&server);
    let desired = without(desired(), &["US West", "United States"], "North America");
    let planned = make_plan(&client, &desired).await.unwrap();
    let transfers = batches_of(&planned.0, plan::Operation::TransferAndDelete);
    assert_eq!(transfers, 1, "the plan transfers");
    assert_eq!(batches_of(&planned.0, plan::Operation::Delete), 1);
    server.reset_counters();

    let execution = run(&client, &planned).await;

    let report = Report::new(&planned.0.changes, &execution);
    assert_eq!(report.exit_status(), ExitStatus::Success, "{report:#?}");
    assert_eq!(
        server.counters().get(
            "POST",
            "/crm/{version}/settings/territories/actions/transfer_and_delete"
        ),
        transfers as u64
    );
    assert_eq!(
        server.counters().writes,
        batch_count(&planned.0.schedule) as u64
    );
    let state = server.state();
    assert!(territory(&state, "US West").is_none());
    assert!(territory(&state, "United States").is_none());
    let north_america = territory(&state, "North America").unwrap();
    for name in ["Bay Area", "US East"] {
        assert_eq!(
            territory(&state, name).unwrap().reporting_to.as_ref(),
            Some(&north_america.id),
            "{name}"
        );
    }
    let (after, _) = make_plan(&client, &desired).await.unwrap();
    assert!(
        !after.has_changes(),
        "{}",
        territoryctl::render::text(&after, false)
    );
}

/// A record's territories by name, with how each was assigned: comparable across two orgs
/// whose created territories got different ids.
fn records_by_territory_name(state: &State) -> BTreeMap<String, BTreeSet<(String, String)>> {
    let names: BTreeMap<&str, &str> = state
        .territories
        .iter()
        .map(|territory| (territory.id.as_str(), territory.name.as_str()))
        .collect();
    state
        .records
        .iter()
        .flat_map(|(module, records)| records.iter().map(move |record| (module, record)))
        .map(|(module, record)| {
            let territories = record
                .territories
                .iter()
                .map(|assigned| {
                    let name = names.get(assigned.id.as_str()).copied().unwrap_or("(gone)");
                    (name.to_owned(), assigned.assigned.clone())
                })
                .collect();
            (format!("{module}/{}", record.id), territories)
        })
        .collect()
}

/// The acme org with rule jobs that finish at once (the job states are tested in the
/// simulator's suite and in tests/integration/rules).
async fn acme_org_quick_rules() -> Server {
    let text = std::fs::read_to_string(example("org.json")).expect("the acme org reads");
    let mut state: State = serde_json::from_str(&text).expect("the acme org parses");
    state.limits.rule_job_scheduled_secs = 0;
    state.limits.rule_job_running_secs = 0;
    Simulator::new(state, Faults::default())
        .serve("127.0.0.1:0".parse().unwrap())
        .await
        .expect("the simulator binds a loopback port")
}

const RULE_POLICY: rules::RunPolicy = rules::RunPolicy {
    timeout: Duration::from_secs(60),
    first_interval: Duration::from_millis(5),
    max_interval: Duration::from_millis(40),
};

/// Applies acme without faults and returns the rule runs the apply calls for.
async fn applied_acme_and_its_runs(server: &Server) -> Vec<rules::RuleRun> {
    let client = client(server);
    let planned = make_plan(&client, &desired()).await.unwrap();
    let execution = run(&client, &planned).await;
    assert!(Report::new(&planned.0.changes, &execution).complete());
    rules::runs(&rules::affected(&planned.0.changes, &execution.outcomes))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rule_runs_under_faults_end_where_runs_without_faults_end() {
    // What a run without faults gives: the oracle is the simulator's own evaluation.
    let clean = acme_org_quick_rules().await;
    let runs = applied_acme_and_its_runs(&clean).await;
    assert!(!runs.is_empty(), "the acme apply changes rules");
    let before = records_by_territory_name(&clean.state());
    let results = rules::execute(&client(&clean), &runs, RULE_POLICY, &mut std::io::sink()).await;
    assert!(results.iter().all(|result| result.outcome.succeeded()));
    let expected = records_by_territory_name(&clean.state());
    assert_ne!(
        before, expected,
        "the runs must move records, or this test proves nothing"
    );

    let mut troubled = 0;
    for seed in 0..8 {
        let server = acme_org_quick_rules().await;
        let client = client(&server);
        let mut left = applied_acme_and_its_runs(&server).await;
        let manual_before: Vec<_> = manual_assignments(&server.state());
        for attempt in 0..MAX_RUNS {
            server.set_faults(faults(seed * 100 + attempt as u64));
            let results = rules::execute(&client, &left, RULE_POLICY, &mut std::io::sink()).await;
            server.set_faults(Faults::default());
            left = results
                .into_iter()
                .filter(|result| !result.outcome.succeeded())
                .map(|result| result.run)
                .collect();
            if left.is_empty() {
                break;
            }
            troubled += 1;
        }
        assert!(
            left.is_empty(),
            "seed {seed}: runs not completed in {MAX_RUNS} tries: {left:?}"
        );
        // A job whose answer was lost still runs; one more request lets every job finish.
        make_plan(&client, &desired()).await.unwrap();
        let state = server.state();
        assert_eq!(
            records_by_territory_name(&state),
            expected,
            "seed {seed}: the records end where runs without faults put them"
        );
        assert_eq!(
            manual_assignments(&state),
            manual_before,
            "seed {seed}: manual ones stay"
        );
    }
    assert!(troubled > 0, "no rule run saw a failure");
}

fn manual_assignments(state: &State) -> Vec<(String, String)> {
    state
        .records
        .values()
        .flatten()
        .flat_map(|record| {
            record
                .territories
                .iter()
                .filter(|assigned| assigned.assigned == "manually")
                .map(|assigned| (record.id.clone(), assigned.id.clone()))
        })
        .collect()
}
