//! Rule analysis, offline: what a desired state's territory rules can and cannot match,
//! decided from the criteria alone (no record is read). `validate` reports the findings as
//! warnings and `plan` shows them; see [`findings`] for the kinds and [`solve`] for how a
//! "can never match" is decided (never claimed unless certain).

pub mod findings;
pub mod report;
pub mod solve;

#[cfg(test)]
mod properties;

pub use findings::{Finding, FindingKind, analyse};
