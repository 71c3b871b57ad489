//! `apply`: carries a plan out against Zoho and reports exactly what happened.
//!
//! [`execute`] follows the plan's schedule: one request per batch of at most ten, wave after
//! wave, a wave's batches concurrently,
//! feeding the ids of new territories into the requests that refer to them; a change whose
//! prerequisite did not succeed is skipped ([`dependants`]); Ctrl-C stops new batches
//! ([`Cancel`]); [`Report`] renders the outcome of every change. Re-running after a partial
//! apply converges: the next plan holds exactly what remains.

mod cancel;
mod dependants;
mod error;
mod executor;
mod outcome;
mod progress;
mod report;
pub mod saved;
mod wait;

pub use cancel::Cancel;
pub use dependants::{Prerequisite, blocked_by, prerequisites};
pub use error::ApplyError;
pub use executor::{Execution, Options, execute};
pub use outcome::{Failure, Outcome};
pub use progress::{Bars, BatchDone, Lines, Progress, Silent};
pub use report::{Entry, FORMAT_VERSION, Report, Summary};
pub use wait::{Wait, wait_for_jobs};
