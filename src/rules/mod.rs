//! Territory rules that take effect: after an apply changes who a rule catches (or on
//! request, `rules run`), ask Zoho to run the rules of exactly the territories concerned,
//! follow each job to its end, and report it.
//!
//! [`affected`] reads the territories concerned off an applied plan; [`runs`] splits them into
//! calls of at most 100 territories per module; [`execute`] carries the calls out one at a
//! time; [`RunsReport`] renders the outcome.

mod report;
mod run;

pub use report::{FORMAT_VERSION, RunsReport, write_planned};
pub use run::{RuleRun, RunOutcome, RunPolicy, RunResult, affected, execute, planned, runs};
