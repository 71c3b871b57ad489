//! Reading desired-state YAML into a validated [`Desired`](crate::model::Desired). No network.
//!
//! PLACEHOLDER: the config layer is being written (issue 2); this stub keeps the crate compiling.

use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

use crate::model::Desired;

/// A successfully loaded desired state, with the warnings found on the way.
pub struct Loaded {
    pub desired: Desired,
}

/// Every problem found in the desired-state files.
#[derive(Debug, Diagnostic, Error)]
#[error("the desired state is not valid")]
pub struct ConfigReport {
    #[related]
    pub errors: Vec<miette::Report>,
}

/// Reads, parses and validates the files at `paths`.
///
/// # Errors
/// Every problem found, at once.
pub fn load(_paths: &[PathBuf]) -> Result<Loaded, ConfigReport> {
    Err(ConfigReport { errors: Vec::new() })
}

/// The JSON Schema of the desired-state language.
#[must_use]
pub fn schema_json() -> String {
    String::new()
}
