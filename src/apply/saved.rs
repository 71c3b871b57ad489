//! A plan saved by `plan --out`: read it, and check the org still is what it was planned
//! against before anything is sent.

use std::collections::BTreeMap;
use std::path::Path;

use super::error::ApplyError;
use crate::error::Error;
use crate::model::{Live, LiveRecord, Module};
use crate::plan::{Plan, check_fresh};
use crate::zoho::{RECORD_IDS_PER_REQUEST, ReadClient};

/// Whether `paths` names a saved plan: exactly one existing file, named `*.json` or holding a
/// JSON object with a `format_version` (a plan file under another name, e.g. an artifact
/// saved as `plan`); anything else is desired-state YAML.
#[must_use]
pub fn is_plan_file(paths: &[impl AsRef<Path>]) -> bool {
    match paths {
        [path] => {
            let path = path.as_ref();
            path.is_file()
                && (path
                    .extension()
                    .is_some_and(|extension| extension.eq_ignore_ascii_case("json"))
                    || holds_a_plan(path))
        }
        _ => false,
    }
}

/// Whether the file is a JSON object with a `format_version` key. YAML never starts with `{`
/// in a desired state, and a file that cannot be read is left to the YAML reader to report.
fn holds_a_plan(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
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
pub fn read(path: &Path) -> Result<Plan, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| ApplyError::ReadPlan {
        path: path.to_owned(),
        source,
    })?;
    Ok(crate::render::parse(&text)?)
}

/// Reads what the plan's binding names (every territory, and the bound records) and checks
/// that none of it changed since the plan was made. Returns what it read.
///
/// # Errors
/// [`crate::plan::Stale`] (exit 4) naming what changed; any failure to read.
pub async fn check(plan: &Plan, client: &ReadClient) -> Result<Live, Error> {
    let mut wanted: BTreeMap<Module, Vec<String>> = BTreeMap::new();
    for key in plan.binding.records.keys() {
        if let Some((module, id)) = key.split_once('/')
            && let Some(module) = Module::from_api_name(module)
        {
            wanted.entry(module).or_default().push(id.to_owned());
        }
    }
    let mut records: BTreeMap<Module, BTreeMap<String, LiveRecord>> = BTreeMap::new();
    for (module, ids) in wanted {
        for chunk in ids.chunks(RECORD_IDS_PER_REQUEST) {
            for record in client.records(module, chunk).await? {
                records
                    .entry(module)
                    .or_default()
                    .insert(record.id.clone(), record);
            }
        }
    }
    let live = Live {
        territories: client.territories().await?,
        records,
        ..Live::default()
    };
    check_fresh(plan, &live)?;
    Ok(live)
}
