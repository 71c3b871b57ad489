//! `records get|assign|remove`: the territories of individual records, read and changed by
//! hand.
//!
//! The flow: the command line or a CSV file becomes a [`Request`] (per module and record, the
//! territory names); [`resolve`] turns names into ids against the org, refusing unknown names
//! before any write; [`execute`] sends the records in batches of ten (the single-record endpoint
//! for one record) and collects one [`RecordResult`] per record, Zoho's codes [`explain`]ed in
//! words; [`wait`] follows scheduled jobs. [`show`] and [`report`] render, to writers passed in.

mod csv;
mod error;
mod execute;
mod explain;
mod report;
mod request;
mod resolve;
mod show;
mod wait;

pub use csv::parse_csv;
pub use error::RecordsError;
pub use execute::{JobState, Outcome, RecordResult, execute};
pub use explain::explain;
pub use report::{Tally, render_results};
pub use request::{Action, Request, check_record_id, parse_module};
pub use resolve::{Named, Resolved, resolve};
pub use show::{ShownRecord, render_json, render_table};
pub use wait::{WaitPolicy, wait_for_jobs};

/// Records changed before the command asks for confirmation (or `--yes`).
pub const CONFIRM_ABOVE: usize = 10;
