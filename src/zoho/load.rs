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
    preload: Preload,
) -> Result<Live, RemoteError> {
    let scope = Scope {
        fields: desired
            .territories
            .iter()
            .flat_map(|territory| territory.rules.iter().map(|(module, _)| module))
            .collect(),
        missing_module_is_empty: false,
        members: Members::Named(managed_names(desired)),
        records: desired
            .assignments
            .iter()
            .map(|(module, by_id)| (*module, by_id.keys().cloned().collect()))
            .collect(),
        one_root: true,
    };
    load(client, preload, scope).await
}

/// Everything an export writes: all territories with their users, the active users, the org,
/// the field metadata of all three rule modules (to spot criteria on deleted fields; a module
/// the org does not offer, which Zoho answers with `INVALID_MODULE`, has none), and the
/// `records` asked for whose module the API can assign. Unlike [`load_live`], it does not
/// depend on a desired state, and it leaves a hierarchy without one root for the export to
/// report.
///
/// # Errors
/// The first failure of any request but `INVALID_MODULE` for field metadata.
pub async fn load_whole_org(
    client: &ReadClient,
    records: &BTreeMap<Module, BTreeSet<String>>,
) -> Result<Live, RemoteError> {
    let scope = Scope {
        fields: RuleModule::ALL.into_iter().collect(),
        missing_module_is_empty: true,
        members: Members::Every,
        records: records
            .iter()
            // Export comments out what the API cannot assign; there is nothing to read for it.
            .filter(|(module, _)| module.assignable_through_api())
            .map(|(module, ids)| (*module, ids.clone()))
            .collect(),
        one_root: false,
    };
    load(client, Preload::start(client), scope).await
}

/// What a load reads besides the territories, active users and org of its [`Preload`].
struct Scope {
    /// The modules whose field metadata to read.
    fields: BTreeSet<RuleModule>,
    /// Whether a module the org does not offer (`INVALID_MODULE`) reads as one without fields
    /// rather than failing the load.
    missing_module_is_empty: bool,
    /// Whose users to read.
    members: Members,
    /// The records to read, by module.
    records: BTreeMap<Module, BTreeSet<String>>,
    /// Whether a hierarchy without exactly one root fails the load.
    one_root: bool,
}

/// The territories whose users a load reads (never the root's, which Zoho does not list).
enum Members {
    Every,
    /// Those named so, or formerly so, by the desired state.
    Named(BTreeSet<NameKey>),
}

/// The one loader behind [`load_live_after`] and [`load_whole_org`]: territory pages are read
/// in order (Zoho's `info` gives no total, so page `n + 1` is known to exist only from page
/// `n`); everything else runs alongside, within the client's concurrency bound.
async fn load(
    client: &ReadClient,
    mut preload: Preload,
    scope: Scope,
) -> Result<Live, RemoteError> {
    let mut fields = JoinSet::new();
    for module in scope.fields {
        let client = client.clone();
        let tolerate = scope.missing_module_is_empty;
        fields.spawn(async move {
            let result = match client.fields(module.module()).await {
                Err(RemoteError::Api { code, .. }) if tolerate && code == "INVALID_MODULE" => {
                    Ok(Vec::new())
                }
                other => other,
            };
            (module, result)
        });
    }
    let mut records = JoinSet::new();
    for (module, ids) in scope.records {
        let ids: Vec<String> = ids.into_iter().collect();
        for chunk in ids.chunks(RECORD_IDS_PER_REQUEST) {
            let client = client.clone();
            let chunk = chunk.to_vec();
            records.spawn(async move { (module, client.records(module, &chunk).await) });
        }
    }

    // The task only awaits the client, which does not panic, and only `Drop` aborts it.
    let (mut territories, users, org) = (&mut preload.task)
        .await
        .expect("the preload task neither panics nor is aborted while awaited")?;
    let members: BTreeSet<String> = territories
        .iter()
        .filter(|territory| territory.parent.is_some())
        .filter(|territory| match &scope.members {
            Members::Every => true,
            Members::Named(names) => names.contains(&NameKey::new(&territory.name)),
        })
        .map(|territory| territory.id.clone())
        .collect();
    read_members(client, &mut territories, &users, &members).await?;

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

    let roots = territories
        .iter()
        .filter(|territory| territory.parent.is_none())
        .count();
    if scope.one_root && roots != 1 {
        return Err(RemoteError::BadHierarchy {
            problem: format!(
                "expected exactly one root territory (with no reporting_to), found {roots}"
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

/// The names, current and former, of the desired territories whose membership `desired`
/// manages (those with `users`), by which the plan matches them to live ones.
fn managed_names(desired: &Desired) -> BTreeSet<NameKey> {
    let mut names: BTreeSet<NameKey> = BTreeSet::new();
    for territory in desired.territories.iter().filter(|t| t.users.is_some()) {
        names.insert(NameKey::new(&territory.name));
        names.extend(territory.previously.iter().map(|name| NameKey::new(name)));
    }
    names
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
