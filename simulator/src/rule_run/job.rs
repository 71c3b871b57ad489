//! Rule runs as jobs on the simulator's clock: SCHEDULED, then IN_PROGRESS, then COMPLETED (or
//! FAILED with `flags.rule_runs_fail`), and what a run changes on the records.

use std::collections::{BTreeMap, HashSet};

use super::cascade::{Hierarchy, matched, replace_automatic, within_limits};
use super::dates::Now;
use super::matches::{Env, matches};
use crate::clock::{format_unix, parse_offset};
use crate::state::{RuleJob, RuleScope, State};

/// A job's status at `now` (unix seconds on the simulator's clock).
pub(crate) fn status(job: &RuleJob, now: i64) -> &str {
    match &job.finished {
        Some(finished) => finished,
        None if now < job.starts_at => "SCHEDULED",
        None if now < job.ends_at => "IN_PROGRESS",
        // Not settled yet; `settle` runs it before anyone reads it.
        None => "COMPLETED",
    }
}

/// The job that has not finished yet, if any (the simulator runs one at a time).
pub(crate) fn unfinished(state: &State) -> Option<&RuleJob> {
    state.rule_jobs.iter().find(|job| job.finished.is_none())
}

/// Runs every job whose time has come, in order, each as of its own end time. Whether any ran.
pub(crate) fn settle(state: &mut State, now: i64) -> bool {
    let mut ran = false;
    for at in 0..state.rule_jobs.len() {
        let job = &state.rule_jobs[at];
        if job.finished.is_some() || now < job.ends_at {
            continue;
        }
        let (module, scope, ends_at) = (job.module.clone(), job.scope.clone(), job.ends_at);
        let (finished, changed) = if state.flags.rule_runs_fail {
            ("FAILED", 0)
        } else {
            ("COMPLETED", run(state, &module, &scope, ends_at))
        };
        let job = &mut state.rule_jobs[at];
        job.finished = Some(finished.to_owned());
        job.records_changed = changed;
        ran = true;
    }
    ran
}

/// "Now" for rules at unix seconds `secs`, in the org's time zone.
pub(crate) fn now_at(state: &State, secs: i64) -> Now {
    Now {
        secs,
        offset: parse_offset(&state.org.time_zone_offset).unwrap_or(0),
        fiscal_start: state.org.fiscal_year_start_month,
    }
}

/// Re-evaluates the records of `module` that `scope` covers, as of `at`; returns how many
/// records changed. GUESS (Zoho says only "runs territory rules against records associated
/// with specified territories"): a territory scope covers the records that hold one of its
/// territories automatically or would get one now; a criteria scope the records that meet it.
/// A covered record has all its automatic territories re-evaluated, as an edit would.
/// An Accounts run also gives the contacts of every covered account that account's
/// territories (Zoho's help: "The account's territory will be assigned to the contact").
pub(crate) fn run(state: &mut State, module: &str, scope: &RuleScope, at: i64) -> usize {
    let time = format_unix(at, &state.org.time_zone_offset);
    let plan = covered(state, module, scope, at);
    let mut changed = 0;
    let covered_ids: Vec<String> = plan.iter().map(|(id, _)| id.clone()).collect();
    if let Some(records) = state.records.get_mut(module) {
        let wanted: BTreeMap<String, Vec<String>> = plan.into_iter().collect();
        for record in records.iter_mut() {
            if let Some(wanted) = wanted.get(&record.id) {
                changed += usize::from(replace_automatic(record, wanted, &time));
            }
        }
    }
    if module == "Accounts" {
        changed += contacts_follow(state, &covered_ids, &time);
    }
    changed
}

/// The covered records of `module` and the automatic territories each should hold.
fn covered(state: &State, module: &str, scope: &RuleScope, at: i64) -> Vec<(String, Vec<String>)> {
    let env = Env::new(state, module, now_at(state, at));
    let hierarchy = Hierarchy::new(state);
    let in_scope: HashSet<String> = match scope {
        RuleScope::Territories { ids, include_child } => ids
            .iter()
            .flat_map(|id| {
                if *include_child {
                    hierarchy.subtree(id)
                } else {
                    vec![id.clone()]
                }
            })
            .collect(),
        RuleScope::Criteria { .. } => HashSet::new(),
    };
    let records = state
        .records
        .get(module)
        .map(Vec::as_slice)
        .unwrap_or_default();
    records
        .iter()
        .filter_map(|record| {
            let wanted = within_limits(
                state,
                module,
                record,
                matched(&env, &hierarchy, module, record),
            );
            let covers = match scope {
                RuleScope::Territories { .. } => {
                    wanted.iter().any(|id| in_scope.contains(id))
                        || record
                            .territories
                            .iter()
                            .any(|t| t.assigned == "automatically" && in_scope.contains(&t.id))
                }
                RuleScope::Criteria { criteria } => matches(&env, criteria, record),
            };
            covers.then(|| (record.id.clone(), wanted))
        })
        .collect()
}

/// Gives the contacts of `accounts` (by their `Account_Name` lookup) the accounts' territories.
fn contacts_follow(state: &mut State, accounts: &[String], time: &str) -> usize {
    let of_account: BTreeMap<String, Vec<String>> = state
        .records
        .get("Accounts")
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|account| accounts.contains(&account.id))
        .map(|account| {
            let ids = account.territories.iter().map(|t| t.id.clone()).collect();
            (account.id.clone(), ids)
        })
        .collect();
    let plan: Vec<(String, Vec<String>)> = state
        .records
        .get("Contacts")
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|contact| {
            let account = contact
                .fields
                .get("Account_Name")
                .and_then(|lookup| lookup.get("id"))
                .and_then(serde_json::Value::as_str)?;
            let territories = of_account.get(account)?.clone();
            Some((
                contact.id.clone(),
                within_limits(state, "Contacts", contact, territories),
            ))
        })
        .collect();
    let mut changed = 0;
    if let Some(contacts) = state.records.get_mut("Contacts") {
        for (id, wanted) in plan {
            if let Some(contact) = contacts.iter_mut().find(|c| c.id == id) {
                changed += usize::from(replace_automatic(contact, &wanted, time));
            }
        }
    }
    changed
}
