//! A plan saved by `plan --out`: read it, and check the org still is what it was planned
//! against before anything is sent.

use std::collections::BTreeMap;
use std::path::Path;

use super::error::ApplyError;
use crate::error::Error;
use crate::model::{Live, LiveRecord, Module};
use crate::plan::{Plan, check_fresh};
use crate::zoho::{RECORD_IDS_PER_REQUEST, ReadClient};

/// Whether `paths` names a saved plan: exactly one existing `*.json` file.
#[must_use]
pub fn is_plan_file(paths: &[impl AsRef<Path>]) -> bool {
    match paths {
        [path] => {
            let path = path.as_ref();
            path.is_file()
                && path
                    .extension()
                    .is_some_and(|extension| extension.eq_ignore_ascii_case("json"))
        }
        _ => false,
    }
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
