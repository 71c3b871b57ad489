//! Reading desired-state YAML into a validated [`Desired`](crate::model::Desired). No network.
//!
//! The flow: [`source`] finds and reads the files (UTF-8, size, emptiness), [`parse`] turns
//! each into a [`raw`] document with spans (the only use of serde-saphyr), and [`validate`]
//! runs every check over all files at once, collecting each problem as a [`Problem`] with a
//! stable [`Code`], a labelled snippet and a help line. The model is built only when no
//! problem is an error.

mod code;
mod parse;
mod problem;
mod raw;
mod schema;
mod source;
mod span;
mod suggest;
mod validate;

use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

use crate::model::Desired;

pub use code::Code;
pub use problem::Problem;
pub use schema::{SCHEMA_PATH, schema_json};

/// A successfully loaded desired state, with the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    pub desired: Desired,
    /// Problems that do not stop the desired state from being used.
    pub warnings: Vec<Problem>,
}

/// Every problem found in the desired-state files: all errors, and the warnings beside them.
#[derive(Debug, Diagnostic, Error)]
#[error("{}", self.summary())]
pub struct ConfigReport {
    #[related]
    pub errors: Vec<Problem>,
}

impl ConfigReport {
    /// How many of the problems are errors (the rest are warnings).
    #[must_use]
    pub fn error_count(&self) -> usize {
        self.errors
            .iter()
            .filter(|problem| problem.is_error())
            .count()
    }

    fn summary(&self) -> String {
        match self.error_count() {
            1 => "the desired state has 1 error".to_owned(),
            count => format!("the desired state has {count} errors"),
        }
    }
}

/// Reads, parses and validates the files at `paths` (files, or directories of `*.yaml` and
/// `*.yml` files, merged).
///
/// # Errors
/// Every problem found, at once: unreadable files, YAML that does not parse, and every
/// failed check of the content.
pub fn load(paths: &[PathBuf]) -> Result<Loaded, ConfigReport> {
    let (found, mut problems) = source::expand(paths);
    let mut parsed = Vec::with_capacity(found.len());
    for path in &found {
        match source::read(path)
            .and_then(|file| parse::parse(&file).map(|document| (file, document)))
        {
            Ok(file) => parsed.push(file),
            Err(problem) => problems.push(problem),
        }
    }
    // Checks across files (parents, duplicates) would mislead while a file is missing.
    if !problems.is_empty() {
        return Err(ConfigReport { errors: problems });
    }
    let (desired, problems) = validate::validate(parsed);
    match desired {
        Some(desired) => Ok(Loaded {
            desired,
            warnings: problems,
        }),
        None => Err(ConfigReport { errors: problems }),
    }
}
