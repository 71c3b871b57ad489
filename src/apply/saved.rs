//! A plan saved by `plan --out`: recognise it, read it, and find the desired state to check it
//! against. The file is an expectation, never an instruction: `apply` plans again and
//! compares ([`crate::plan::verify`]) before anything is sent.

use std::path::{Path, PathBuf};

use super::error::ApplyError;
use crate::plan::Plan;

/// The largest plan file read: a plan of 20,000 changes is a few tens of MiB.
const PLAN_FILE_CAP: u64 = 256 << 20;

/// Whether `paths` starts with a saved plan: an existing file named `*.json` or holding a JSON
/// object with a `format_version` (a plan file under another name, e.g. an artifact saved as
/// `plan`); the desired-state paths to check it against may follow.
#[must_use]
pub fn is_plan_file(paths: &[impl AsRef<Path>]) -> bool {
    paths.first().is_some_and(|path| {
        let path = path.as_ref();
        path.is_file()
            && (path
                .extension()
                .is_some_and(|extension| extension.eq_ignore_ascii_case("json"))
                || holds_a_plan(path))
    })
}

/// Whether the file is a JSON object with a `format_version` key. YAML never starts with `{`
/// in a desired state, and a file that cannot be read is left to the YAML reader to report.
fn holds_a_plan(path: &Path) -> bool {
    let Ok(Some(bytes)) = crate::config::read_capped(path, PLAN_FILE_CAP) else {
        return false;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return false;
    };
    text.trim_start().starts_with('{')
        && serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&text)
            .is_ok_and(|object| object.contains_key("format_version"))
}

/// Reads and parses a plan file.
///
/// # Errors
/// The file cannot be read, or is not a plan of this version.
pub fn read(path: &Path) -> Result<Plan, ApplyError> {
    let read_plan = |source| ApplyError::ReadPlan {
        path: path.to_owned(),
        source,
    };
    let bytes = crate::config::read_capped(path, PLAN_FILE_CAP)
        .map_err(read_plan)?
        .ok_or_else(|| {
            read_plan(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                format!("it holds more than {} MiB", PLAN_FILE_CAP >> 20),
            ))
        })?;
    let text = String::from_utf8(bytes)
        .map_err(|error| read_plan(std::io::Error::new(std::io::ErrorKind::InvalidData, error)))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_is_told_by_its_name_or_its_format_version_and_a_yaml_mapping_is_not_one() {
        let directory = tempfile::tempdir().expect("temporary directory");
        let write = |name: &str, text: &str| {
            let path = directory.path().join(name);
            std::fs::write(&path, text).expect("written");
            path
        };
        let named = write("plan.JSON", "anything");
        let artifact = write("plan", " \n{\"format_version\": 1, \"changes\": []}");
        // A desired state may be a YAML flow mapping, which is JSON too: no `format_version`.
        let flow = write("org.yaml", "{\"root\": \"Org\", \"territories\": []}");
        let yaml = write("org.yml", "root: Org\nformat_version: 1\n");
        assert!(is_plan_file(&[&named, &flow]));
        assert!(is_plan_file(&[&artifact]));
        assert!(!is_plan_file(&[&flow]));
        assert!(!is_plan_file(&[&yaml]));
        assert!(!is_plan_file(&[directory.path()]));
        assert!(!is_plan_file(&[directory.path().join("absent.json")]));
        let none: [&Path; 0] = [];
        assert!(!is_plan_file(&none));
    }
}
