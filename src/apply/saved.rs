//! A plan saved by `plan --out`: recognise it, read it, and find the desired state to check it
//! against. The file is an expectation, never an instruction: `apply` plans again and
//! compares ([`crate::plan::verify`]) before anything is sent.

use std::path::{Path, PathBuf};

use super::error::ApplyError;
use crate::error::Error;
use crate::plan::Plan;

/// Whether `paths` starts with a saved plan: an existing `*.json` file (the desired-state paths
/// to check it against may follow).
#[must_use]
pub fn is_plan_file(paths: &[impl AsRef<Path>]) -> bool {
    paths.first().is_some_and(|path| {
        let path = path.as_ref();
        path.is_file()
            && path
                .extension()
                .is_some_and(|extension| extension.eq_ignore_ascii_case("json"))
    })
}

/// Reads and parses a plan file.
///
/// # Errors
/// The file cannot be read, or is not a plan of this version.
pub fn read(path: &Path) -> Result<Plan, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| ApplyError::ReadPlan {
        path: path.to_owned(),
        source,
    })?;
    Ok(crate::render::parse(&text)?)
}

/// The desired state to plan again from: the paths given after the plan file, or else the
/// paths `plan` was given (recorded in the file, relative to the working directory).
///
/// # Errors
/// [`ApplyError::NoDesiredState`] when neither names any.
pub fn desired_paths(paths: &[PathBuf], plan: &Plan) -> Result<Vec<PathBuf>, ApplyError> {
    if let [_, rest @ ..] = paths
        && !rest.is_empty()
    {
        return Ok(rest.to_vec());
    }
    if plan.desired_paths.is_empty() {
        return Err(ApplyError::NoDesiredState {
            path: paths.first().cloned().unwrap_or_default(),
        });
    }
    Ok(plan.desired_paths.iter().map(PathBuf::from).collect())
}
