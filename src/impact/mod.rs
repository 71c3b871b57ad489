//! Impact of a rule change, before merge: the client's own evaluator of Zoho's territory
//! rules (criteria on a record, the parent-first cascade, per-module limits), and the preview
//! `plan --impact` shows from it.
//!
//! The evaluator is pure and shares no code with the simulator's (`simulator/src/rule_run/`):
//! a test runs both on the same generated records, so a mistake cannot hide in both.

pub mod assign;
pub mod calendar;
pub mod evaluate;
pub mod literal;

pub use assign::{DealChoice, Node, Tree, automatic};
pub use calendar::Clock;
pub use evaluate::{Context, Sample, meets};
pub mod preview;
pub mod read;
pub mod render;
