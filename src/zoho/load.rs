//! Loading [`Live`]: the org's whole territory picture in the fewest requests.

use std::collections::{BTreeMap, BTreeSet};

use tokio::task::JoinSet;

use super::error::RemoteError;
use super::read::{RECORD_IDS_PER_REQUEST, ReadClient};
use crate::model::{Desired, Live, LiveRecord, Module, RuleModule};

/// Loads what `plan` compares against `desired`: all territories with their three criteria,
/// the active users, the field metadata of only the modules whose rules `desired` writes, the
/// records named in its assignments, and the org.
///
/// Territory pages are read in order (Zoho's `info` gives no total, so page `n + 1` is known to
/// exist only from page `n`); everything else runs alongside, within the client's concurrency
/// bound.
///
/// # Errors
/// The first failure of any request, pages that do not add up, or a hierarchy without exactly
/// one root.
pub async fn load_live(client: &ReadClient, desired: &Desired) -> Result<Live, RemoteError> {
    let modules: BTreeSet<RuleModule> = desired
        .territories
        .iter()
        .flat_map(|territory| territory.rules.iter().map(|(module, _)| module))
        .collect();

    let mut fields = JoinSet::new();
    for module in modules {
        let client = client.clone();
        fields.spawn(async move { (module, client.fields(module.module()).await) });
    }
    let mut records = JoinSet::new();
    for (module, by_id) in &desired.assignments {
        let ids: Vec<String> = by_id.keys().cloned().collect();
        for chunk in ids.chunks(RECORD_IDS_PER_REQUEST) {
            let client = client.clone();
            let (module, chunk) = (*module, chunk.to_vec());
            records.spawn(async move { (module, client.records(module, &chunk).await) });
        }
    }

    let (territories, users, org) =
        tokio::try_join!(client.territories(), client.active_users(), client.org())?;

    let mut live_fields = BTreeMap::new();
    while let Some(joined) = fields.join_next().await {
        let (module, result) = joined.expect("field loads do not panic");
        live_fields.insert(module, result?);
    }
    let mut live_records: BTreeMap<Module, BTreeMap<String, LiveRecord>> = BTreeMap::new();
    while let Some(joined) = records.join_next().await {
        let (module, result) = joined.expect("record loads do not panic");
        let entry = live_records.entry(module).or_default();
        for record in result? {
            entry.insert(record.id.clone(), record);
        }
    }

    let roots: Vec<&str> = territories
        .iter()
        .filter(|territory| territory.parent.is_none())
        .map(|territory| territory.name.as_str())
        .collect();
    if roots.len() != 1 {
        return Err(RemoteError::BadHierarchy {
            problem: format!(
                "expected exactly one root territory (with no reporting_to), found {}",
                roots.len()
            ),
        });
    }

    Ok(Live {
        org,
        territories,
        users,
        fields: live_fields,
        records: live_records,
    })
}
