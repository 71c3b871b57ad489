//! Loading [`Live`]: the org's whole territory picture in the fewest requests.

use std::collections::{BTreeMap, BTreeSet};

use tokio::task::{JoinHandle, JoinSet};

use super::error::RemoteError;
use super::read::{RECORD_IDS_PER_REQUEST, ReadClient};
use crate::model::{
    Desired, Live, LiveRecord, LiveTerritory, Module, NameKey, OrgInfo, RuleModule, User, UserRef,
};

/// The part of [`Live`] that does not depend on the desired state (territories, active users,
/// the org), read in the background from [`Preload::start`] while the desired state is still
/// being parsed: on a large org the territory pages, read one after another, take longer than
/// the YAML, so the two overlap. Dropping it stops the reads.
pub struct Preload {
    task: JoinHandle<Result<Base, RemoteError>>,
}

type Base = (Vec<LiveTerritory>, Vec<User>, Option<OrgInfo>);

impl Preload {
    /// Starts reading in a task of the current Tokio runtime.
    #[must_use]
    pub fn start(client: &ReadClient) -> Preload {
        let client = client.clone();
        Preload {
            task: tokio::spawn(async move {
                tokio::try_join!(client.territories(), client.active_users(), client.org())
            }),
        }
    }
}

impl Drop for Preload {
    fn drop(&mut self) {
        self.task.abort();
    }
}

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
    load_live_after(client, desired, Preload::start(client)).await
}

/// [`load_live`] with the reads that do not depend on `desired` already started.
///
/// # Errors
/// As [`load_live`].
pub async fn load_live_after(
    client: &ReadClient,
    desired: &Desired,
    mut preload: Preload,
) -> Result<Live, RemoteError> {
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

    // The task only awaits the client, which does not panic, and only `Drop` aborts it.
    let (mut territories, users, org) = (&mut preload.task)
        .await
        .expect("the preload task neither panics nor is aborted while awaited")?;
    let managed = managed_members(desired, &territories);
    read_members(client, &mut territories, &users, &managed).await?;

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

/// The ids of the live territories whose membership `desired` manages: those a desired
/// territory with `users` matches by name or by a former name (as the plan matches them).
fn managed_members(desired: &Desired, territories: &[LiveTerritory]) -> BTreeSet<String> {
    let mut names: BTreeSet<NameKey> = BTreeSet::new();
    for territory in desired.territories.iter().filter(|t| t.users.is_some()) {
        names.insert(NameKey::new(&territory.name));
        names.extend(territory.previously.iter().map(|name| NameKey::new(name)));
    }
    if names.is_empty() {
        return BTreeSet::new();
    }
    territories
        .iter()
        .filter(|territory| {
            territory.parent.is_some() && names.contains(&NameKey::new(&territory.name))
        })
        .map(|territory| territory.id.clone())
        .collect()
}

/// Reads the users of the `managed` territories (at the API's lower bound, see
/// [`ReadClient::memberships`]) into their `users`, each as a [`UserRef`] named by the user's
/// email when the user is not active (active users are known by id). No request when
/// `managed` is empty.
///
/// # Errors
/// The first failure of any request.
pub async fn read_members(
    client: &ReadClient,
    territories: &mut [LiveTerritory],
    users: &[User],
    managed: &BTreeSet<String>,
) -> Result<(), RemoteError> {
    let active: Vec<String> = users.iter().map(|user| user.id.clone()).collect();
    let read = client.memberships(managed, &active).await?;
    for territory in territories {
        let Some(members) = read.members.get(&territory.id) else {
            continue;
        };
        territory.fields.users = Some(
            members
                .iter()
                .map(|id| UserRef {
                    id: id.clone(),
                    name: users
                        .iter()
                        .find(|user| &user.id == id)
                        .map(|user| user.full_name.clone())
                        .or_else(|| read.emails.get(id).cloned()),
                })
                .collect(),
        );
    }
    Ok(())
}
