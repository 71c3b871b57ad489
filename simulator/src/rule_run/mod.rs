//! Territory rules that take effect: evaluating a criteria on a record, the parent-first
//! cascade over the hierarchy with the per-module limits, and rule runs as jobs on the
//! simulator's clock. Independent of the territoryctl client (which has its own evaluator),
//! so that one can be checked against the other.

mod cascade;
pub(crate) mod dates;
pub(crate) mod job;
pub(crate) mod matches;

#[cfg(test)]
mod tests;

use crate::shared::Shared;

/// Runs the rule jobs whose time has come (called before every `/crm/` request is answered,
/// so nothing can read a record a finished run should have changed).
pub(crate) fn settle(shared: &Shared) {
    let now = shared.now();
    let mut state = shared.state();
    if state
        .rule_jobs
        .iter()
        .any(|job| job.finished.is_none() && now >= job.ends_at)
        && job::settle(&mut state, now)
    {
        shared.commit(&state);
    }
}
