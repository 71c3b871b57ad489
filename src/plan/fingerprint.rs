//! What binds a saved plan to the state it was made from: the desired state's hash and a
//! fingerprint of every live object the plan touches (and of their parents). `apply` of a saved
//! plan refuses when any of them changed since ([`check_fresh`]).

use std::collections::{BTreeMap, BTreeSet};

use miette::Diagnostic;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::Plan;
use super::change::{Action, Change, FieldChange, TerritoryRef};
use crate::model::{Desired, Live, LiveRecord, LiveTerritory, NameKey};

/// The plan's binding to its inputs. Holds hashes, names and ids only: nothing secret.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Binding {
    /// SHA-256 (hex) of the desired state in a canonical form ([`desired_hash`]).
    pub desired_hash: String,
    /// Every live territory the plan touches, the parents of each, and every territory a change
    /// refers to, by id.
    pub territories: BTreeMap<String, Fingerprint>,
    /// Every record whose territories the plan changes, by `Module/record id`: SHA-256 of its
    /// territories and how each was assigned.
    pub records: BTreeMap<String, String>,
    /// Names the plan gives to territories (creates, renames) that must still be free.
    pub free_names: Vec<String>,
}

/// A live territory's name (for messages) and the SHA-256 of everything about it that a plan
/// depends on: name, parent, manager, permission, description, criteria, `modified_time`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Fingerprint {
    pub name: String,
    pub hash: String,
}

/// A saved plan no longer matches the org (exit code 4).
#[derive(Debug, Diagnostic, Error)]
#[error(
    "the saved plan is stale: {} thing{} changed in the org since it was made",
    changes.len(),
    if changes.len() == 1 { "" } else { "s" }
)]
#[diagnostic(
    code("plan::stale"),
    help("run `plan` again, review the new plan, and apply that one")
)]
pub struct Stale {
    #[related]
    pub changes: Vec<StaleItem>,
}

/// One object that changed since the plan was made.
#[derive(Clone, Debug, Diagnostic, Error, PartialEq, Eq)]
pub enum StaleItem {
    #[error("territory `{name}` (id {id}) was changed")]
    #[diagnostic(code("plan::stale-territory"))]
    Changed { id: String, name: String },
    #[error("territory `{name}` (id {id}) no longer exists")]
    #[diagnostic(code("plan::stale-territory"))]
    Gone { id: String, name: String },
    #[error("the territories of record {record} were changed")]
    #[diagnostic(code("plan::stale-record"))]
    Record { record: String },
    #[error("a territory named `{name}` now exists, and the plan creates or renames one to it")]
    #[diagnostic(code("plan::stale-name"))]
    NameTaken { name: String },
}

/// Binds `changes` to the inputs they were computed from.
pub(crate) fn bind(desired: &Desired, live: &Live, changes: &[Change]) -> Binding {
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    let mut free_names = BTreeSet::new();
    let mut records = BTreeMap::new();
    let existing = |reference: &TerritoryRef| reference.id().map(str::to_owned);
    let mut referenced: Vec<String> = Vec::new();
    for change in changes {
        match &change.action {
            Action::Create(create) => {
                free_names.insert(create.name.clone());
                referenced.extend(existing(&create.parent));
            }
            Action::Update(update) => {
                referenced.push(update.id.clone());
                for field in &update.fields {
                    match field {
                        FieldChange::Name { old, new }
                            if NameKey::new(old) != NameKey::new(new) =>
                        {
                            free_names.insert(new.clone());
                        }
                        FieldChange::Parent { old, new, .. } => {
                            referenced.extend(existing(old));
                            referenced.extend(existing(new));
                        }
                        _ => {}
                    }
                }
            }
            Action::Delete(delete) => {
                referenced.push(delete.id.clone());
                referenced.extend(existing(&delete.parent));
                if let Some(target) = &delete.transfer_to {
                    referenced.extend(existing(target));
                }
            }
            Action::Remove(record) | Action::Assign(record) => {
                referenced.extend(record.territories.iter().filter_map(existing));
                let key = format!("{}/{}", record.module, record.record_id);
                if let Some(live_record) = live
                    .records
                    .get(&record.module)
                    .and_then(|records| records.get(&record.record_id))
                {
                    records.insert(key, record_hash(live_record));
                }
            }
        }
    }
    for id in &referenced {
        if let Some(territory) = live.territory(id) {
            ids.insert(&territory.id);
            if let Some(parent) = &territory.parent {
                ids.insert(parent);
            }
        }
    }
    let territories = ids
        .into_iter()
        .filter_map(|id| live.territory(id))
        .map(|territory| {
            (
                territory.id.clone(),
                Fingerprint {
                    name: territory.name.clone(),
                    hash: territory_hash(territory),
                },
            )
        })
        .collect();
    Binding {
        desired_hash: desired_hash(desired),
        territories,
        records,
        free_names: free_names.into_iter().collect(),
    }
}

/// Checks that every live object `plan` depends on is as it was when the plan was made.
///
/// # Errors
/// [`Stale`] naming every territory changed or gone, every record whose territories changed,
/// and every name the plan needs that is now taken.
pub fn check_fresh(plan: &Plan, live: &Live) -> Result<(), Stale> {
    let mut changes = Vec::new();
    for (id, fingerprint) in &plan.binding.territories {
        match live.territory(id) {
            None => changes.push(StaleItem::Gone {
                id: id.clone(),
                name: fingerprint.name.clone(),
            }),
            Some(territory) if territory_hash(territory) != fingerprint.hash => {
                changes.push(StaleItem::Changed {
                    id: id.clone(),
                    name: fingerprint.name.clone(),
                });
            }
            Some(_) => {}
        }
    }
    for (key, hash) in &plan.binding.records {
        let now = key.split_once('/').and_then(|(module, id)| {
            let module = crate::model::Module::from_api_name(module)?;
            live.records.get(&module)?.get(id)
        });
        if now.is_none_or(|record| &record_hash(record) != hash) {
            changes.push(StaleItem::Record {
                record: key.replace('/', " "),
            });
        }
    }
    for name in &plan.binding.free_names {
        let key = NameKey::new(name);
        if live
            .territories
            .iter()
            .any(|territory| NameKey::new(&territory.name) == key)
        {
            changes.push(StaleItem::NameTaken { name: name.clone() });
        }
    }
    if changes.is_empty() {
        Ok(())
    } else {
        Err(Stale { changes })
    }
}

/// Whether `desired` is the desired state the plan was made from.
#[must_use]
pub fn same_desired(plan: &Plan, desired: &Desired) -> bool {
    plan.binding.desired_hash == desired_hash(desired)
}

/// SHA-256 (hex) of the desired state in a canonical form: territories sorted by name, every
/// field that affects a plan included, source locations left out (moving a territory within
/// the file changes nothing).
#[must_use]
pub fn desired_hash(desired: &Desired) -> String {
    /// One territory's part of the hashed text.
    #[derive(Serialize)]
    struct Territory<'a> {
        name: &'a str,
        parent: &'a str,
        manager: &'a Option<String>,
        permission: &'a crate::model::Permission,
        description: &'a Option<String>,
        rules: &'a crate::model::Rules,
        previously: &'a [String],
    }
    #[derive(Serialize)]
    struct Canonical<'a> {
        root: &'a str,
        unmanaged: &'a crate::model::Unmanaged,
        territories: Vec<Territory<'a>>,
        assignments: &'a crate::model::Assignments,
    }
    let mut territories: Vec<_> = desired.territories.iter().collect();
    territories.sort_by_cached_key(|territory| NameKey::new(&territory.name));
    sha256(&Canonical {
        root: &desired.root,
        unmanaged: &desired.unmanaged,
        territories: territories
            .into_iter()
            .map(|territory| Territory {
                name: &territory.name,
                parent: &territory.parent,
                manager: &territory.manager,
                permission: &territory.permission,
                description: &territory.description,
                rules: &territory.rules,
                previously: &territory.previously,
            })
            .collect(),
        assignments: &desired.assignments,
    })
}

fn territory_hash(territory: &LiveTerritory) -> String {
    #[derive(Serialize)]
    struct Canonical<'a> {
        id: &'a str,
        name: &'a str,
        parent: &'a Option<String>,
        manager: Option<&'a str>,
        permission: &'a crate::model::Permission,
        description: &'a Option<String>,
        rules: &'a crate::model::Rules,
        modified_time: &'a Option<String>,
    }
    sha256(&Canonical {
        id: &territory.id,
        name: &territory.name,
        parent: &territory.parent,
        manager: territory
            .manager
            .as_ref()
            .map(|manager| manager.id.as_str()),
        permission: &territory.permission,
        description: &territory.description,
        rules: &territory.rules,
        modified_time: &territory.modified_time,
    })
}

fn record_hash(record: &LiveRecord) -> String {
    let mut territories: Vec<(&str, bool)> = record
        .territories
        .iter()
        .map(|territory| {
            (
                territory.id.as_str(),
                territory.how == crate::model::AssignedHow::Manually,
            )
        })
        .collect();
    territories.sort_unstable();
    sha256(&territories)
}

/// SHA-256 (hex) of `value` as JSON, streamed into the hash. Canonical because every type
/// hashed here serializes its fields in declaration order and its maps sorted (`BTreeMap`).
fn sha256(value: &impl Serialize) -> String {
    struct Hashing(Sha256);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.update(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut hashing = Hashing(Sha256::new());
    serde_json::to_writer(&mut hashing, value).expect("the hashed types serialize to JSON");
    let digest = hashing.0.finalize();
    let mut hex = String::with_capacity(64);
    for byte in digest {
        use std::fmt::Write as _;
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}
