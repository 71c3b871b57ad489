//! The per-record results of `records assign|remove`, in words, and their tally.

use std::fmt::Write as _;

use super::execute::JobState;
use super::execute::{Outcome, RecordResult};
use super::request::Action;

/// How many records ended which way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub done: usize,
    pub scheduled: usize,
    pub failed: usize,
}

/// A line per record, then a summary line; and the tally.
#[must_use]
pub fn render_results(results: &[RecordResult], action: Action) -> (String, Tally) {
    let mut out = String::new();
    let mut tally = Tally::default();
    for result in results {
        // Names and Zoho's words are shown with hidden characters escaped.
        let names = crate::escape::terminal(&result.territories.join(", ")).into_owned();
        let what = match &result.outcome {
            Outcome::Done => {
                tally.done += 1;
                format!("{} {names}", action.done())
            }
            Outcome::AlreadyDone => {
                tally.done += 1;
                format!("already has {names}: nothing to send")
            }
            Outcome::Scheduled { job_id, state } => match state {
                None => {
                    tally.scheduled += 1;
                    format!(
                        "scheduled as job {job_id} ({names}); Zoho applies it in the background (offloaded parent territory); `--wait` follows it"
                    )
                }
                Some(JobState::Completed) => {
                    tally.done += 1;
                    format!("{} {names} (job {job_id} completed)", action.done())
                }
                Some(JobState::Failed) => {
                    tally.failed += 1;
                    format!("failed: job {job_id} for {names} failed in Zoho")
                }
                Some(JobState::TimedOut) => {
                    tally.failed += 1;
                    format!(
                        "not confirmed: job {job_id} for {names} was still running when the wait ended"
                    )
                }
            },
            Outcome::Failed { explanation, .. } => {
                tally.failed += 1;
                format!("failed: {}", crate::escape::terminal(explanation))
            }
            Outcome::Unknown { reason } => {
                tally.failed += 1;
                format!(
                    "unknown: {}; run `territoryctl records get` to see the record",
                    crate::escape::terminal(reason)
                )
            }
        };
        let _ = writeln!(
            out,
            "{} {}: {what}",
            result.module,
            crate::escape::terminal(&result.record_id)
        );
    }
    let _ = writeln!(
        out,
        "\n{} record{}: {} {}, {} scheduled, {} failed.",
        results.len(),
        if results.len() == 1 { "" } else { "s" },
        tally.done,
        action.done(),
        tally.scheduled,
        tally.failed
    );
    (out, tally)
}
