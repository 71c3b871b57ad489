//! What binds a saved plan to the state it was made from: the desired state's hash and a
//! fingerprint of every live object the plan touches (and of their parents, of the children of
//! what it deletes, and of the users it makes managers). `apply` of a saved plan plans again and
//! refuses when any of it changed since (see [`super::verify`]).

use std::collections::{BTreeMap, BTreeSet};

use miette::Diagnostic;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::Plan;
use super::change::{Action, Change, FieldChange, TerritoryRef};
use crate::model::{ByLive, ByName, Desired, Fields, Live, LiveRecord, LiveTerritory, NameKey};

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
    /// Every user the plan makes a territory's manager, by user id: the email (for messages)
    /// and the SHA-256 of id, email and name. A user deactivated since is no longer active, so
    /// no longer in the org's user list.
    pub users: BTreeMap<String, Fingerprint>,
    /// Names the plan gives to territories (creates, renames) that must still be free.
    pub free_names: Vec<String>,
}

/// A live territory's name (for messages) and the SHA-256 of everything about it that a plan
/// depends on: name, parent, manager, permission, description, criteria, `modified_time`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Fingerprint {
    pub name: String,
    pub hash: String,
    /// For a territory the plan deletes: the ids of its children, sorted. A child created
    /// under it since (in the Zoho UI) would make the delete fail, or take the child along.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<String>,
}

/// A saved plan no longer matches the org (exit code 4).
#[derive(Debug, Diagnostic, Error)]
#[error(
    "the saved plan is stale: {} difference{} from what the desired state and the org give now",
    changes.len(),
    if changes.len() == 1 { "" } else { "s" }
)]
#[diagnostic(
    code("plan::stale"),
    help(
        "nothing was sent. The org or the desired state changed since `plan`, or the plan file was edited: run `plan` again, review the new plan, and apply that one"
    )
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
    #[error(
        "territory `{name}` (id {id}), which the plan deletes, has children it had not when the plan was made: {}",
        added.join(", ")
    )]
    #[diagnostic(code("plan::stale-children"))]
    Children {
        id: String,
        name: String,
        /// The new children, as `` `name` (id N) ``.
        added: Vec<String>,
    },
    #[error("user `{email}` (id {id}), whom the plan makes a manager, is no longer an active user")]
    #[diagnostic(code("plan::stale-user"))]
    UserGone { id: String, email: String },
    #[error("user `{email}` (id {id}), whom the plan makes a manager, was changed")]
    #[diagnostic(code("plan::stale-user"))]
    UserChanged { id: String, email: String },
    #[error("the plan was made for the org {planned}; this is the org {now}")]
    #[diagnostic(
        code("plan::other-org"),
        help(
            "apply the plan with the connection flags of the org it was made for, or plan again against this one"
        )
    )]
    OtherOrg { planned: String, now: String },
    #[error("the desired state is not the one the plan was made from")]
    #[diagnostic(code("plan::stale-desired"))]
    DesiredChanged,
    #[error("a plan made now has a change the saved plan has not: {key} (`{title}`)")]
    #[diagnostic(code("plan::differs"))]
    ChangeAdded { key: String, title: String },
    #[error(
        "the saved plan has a change that a plan made now has not, and the org does not show it done: {key} (`{title}`)"
    )]
    #[diagnostic(code("plan::differs"))]
    ChangeMissing { key: String, title: String },
    #[error("change {key} (`{title}`) differs from a plan made now: {}", details.join("; "))]
    #[diagnostic(code("plan::differs"))]
    ChangeDiffers {
        key: String,
        title: String,
        details: Vec<String>,
    },
    #[error("{what}: the plan file says {saved}, a plan made now says {now}")]
    #[diagnostic(code("plan::differs"))]
    Differs {
        what: String,
        saved: String,
        now: String,
    },
}

/// Binds `changes` to the inputs they were computed from.
pub(crate) fn bind(desired: &Desired, live: &Live, changes: &[Change]) -> Binding {
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    let mut free_names = BTreeSet::new();
    let mut records = BTreeMap::new();
    let existing = |reference: &TerritoryRef| reference.id().map(str::to_owned);
    let mut referenced: Vec<String> = Vec::new();
    let mut deleted: BTreeSet<&str> = BTreeSet::new();
    let mut managers: BTreeSet<&str> = BTreeSet::new();
    for change in changes {
        match &change.action {
            Action::Create(create) => {
                free_names.insert(create.name.clone());
                referenced.extend(existing(&create.parent));
                managers.extend(create.manager.as_ref().map(|manager| manager.id.as_str()));
            }
            Action::Update(update) => {
                referenced.push(update.id.clone());
                for field in &update.fields {
                    match field {
                        FieldChange::Manager { new: Some(new), .. } => {
                            managers.insert(&new.id);
                        }
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
                deleted.insert(&delete.id);
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
    let mut children: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    if !deleted.is_empty() {
        for territory in &live.territories {
            if let Some(parent) = territory.parent.as_deref()
                && deleted.contains(parent)
            {
                children
                    .entry(parent)
                    .or_default()
                    .push(territory.id.clone());
            }
        }
    }
    let territories = ids
        .into_iter()
        .filter_map(|id| live.territory(id))
        .map(|territory| {
            let mut children = children.remove(territory.id.as_str()).unwrap_or_default();
            children.sort_unstable();
            (
                territory.id.clone(),
                Fingerprint {
                    name: territory.name.clone(),
                    hash: territory_hash(territory),
                    children,
                },
            )
        })
        .collect();
    let users = managers
        .into_iter()
        .filter_map(|id| live.users.iter().find(|user| user.id == id))
        .map(|user| (user.id.clone(), user_fingerprint(user)))
        .collect();
    Binding {
        desired_hash: desired_hash(desired),
        territories,
        records,
        users,
        free_names: free_names.into_iter().collect(),
    }
}

/// The children of `id` in `live`, sorted by id.
pub(crate) fn children_of(live: &Live, id: &str) -> Vec<String> {
    let mut children: Vec<String> = live
        .territories
        .iter()
        .filter(|territory| territory.parent.as_deref() == Some(id))
        .map(|territory| territory.id.clone())
        .collect();
    children.sort_unstable();
    children
}

pub(crate) fn user_fingerprint(user: &crate::model::User) -> Fingerprint {
    Fingerprint {
        name: user.email.clone(),
        hash: sha256(&(&user.id, &user.email, &user.full_name)),
        children: Vec::new(),
    }
}

/// Checks that every live object `plan` depends on is as it was when the plan was made.
///
/// # Errors
/// [`Stale`] naming every territory changed or gone, every record whose territories changed,
/// and every name the plan needs that is now taken.
pub fn check_fresh(plan: &Plan, live: &Live) -> Result<(), Stale> {
    let deleted: BTreeSet<&str> = plan
        .changes
        .iter()
        .filter_map(|change| match &change.action {
            Action::Delete(delete) => Some(delete.id.as_str()),
            _ => None,
        })
        .collect();
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
            Some(territory) if deleted.contains(id.as_str()) => {
                if let Some(item) = new_children(live, territory, fingerprint) {
                    changes.push(item);
                }
            }
            Some(_) => {}
        }
    }
    for (id, fingerprint) in &plan.binding.users {
        match live.users.iter().find(|user| &user.id == id) {
            None => changes.push(StaleItem::UserGone {
                id: id.clone(),
                email: fingerprint.name.clone(),
            }),
            Some(user) if user_fingerprint(user) != *fingerprint => {
                changes.push(StaleItem::UserChanged {
                    id: id.clone(),
                    email: fingerprint.name.clone(),
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

/// The children `territory` has in `live` that its fingerprint does not list, for a territory
/// the plan deletes (whose fingerprint lists its children).
pub(crate) fn new_children(
    live: &Live,
    territory: &LiveTerritory,
    fingerprint: &Fingerprint,
) -> Option<StaleItem> {
    let added: Vec<String> = children_of(live, &territory.id)
        .into_iter()
        .filter(|child| !fingerprint.children.contains(child))
        .map(|child| {
            let name = live
                .territory(&child)
                .map_or("", |child| child.name.as_str());
            format!("`{name}` (id {child})")
        })
        .collect();
    (!added.is_empty()).then(|| StaleItem::Children {
        id: territory.id.clone(),
        name: territory.name.clone(),
        added,
    })
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
    /// One territory's part of the hashed text: its fields, as [`Fields`] lists them.
    #[derive(Serialize)]
    struct Territory<'a> {
        #[serde(flatten)]
        fields: &'a Fields<ByName>,
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
                fields: &territory.fields,
                previously: &territory.previously,
            })
            .collect(),
        assignments: &desired.assignments,
    })
}

/// SHA-256 (hex) of a live territory: its id, its fields as [`Fields`] lists them (a manager by
/// id), and `modified_time`.
pub(crate) fn territory_hash(territory: &LiveTerritory) -> String {
    #[derive(Serialize)]
    struct Canonical<'a> {
        id: &'a str,
        #[serde(flatten)]
        fields: &'a Fields<ByLive>,
        modified_time: &'a Option<String>,
    }
    sha256(&Canonical {
        id: &territory.id,
        fields: &territory.fields,
        modified_time: &territory.modified_time,
    })
}

pub(crate) fn record_hash(record: &LiveRecord) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Permission, Unmanaged};
    use crate::plan::{Manager, Update};

    use crate::plan::fixtures::two_branches as live;

    fn desired() -> Desired {
        Desired {
            root: "Org".to_owned(),
            root_origin: None,
            unmanaged: Unmanaged::Report,
            territories: Vec::new(),
            assignments: BTreeMap::new(),
        }
    }

    fn existing(id: &str, name: &str) -> TerritoryRef {
        TerritoryRef::Existing {
            id: id.to_owned(),
            name: name.to_owned(),
        }
    }

    fn update(id: &str, name: &str, fields: Vec<FieldChange>) -> Change {
        Change {
            key: format!("update:{id}"),
            wave: 1,
            depth: 2,
            path: Vec::new(),
            action: Action::Update(Update {
                id: id.to_owned(),
                name: name.to_owned(),
                fields,
                permission: Some(Permission::ReadOnly),
            }),
        }
    }

    fn bound(changes: &[Change]) -> Binding {
        bind(&desired(), &live(), changes)
    }

    fn ids(binding: &Binding) -> Vec<&str> {
        binding.territories.keys().map(String::as_str).collect()
    }

    #[test]
    fn a_move_binds_the_territory_both_parents_and_theirs() {
        // A1 moves from A to B: A1 and its parent A, B (the new parent) and B's parent Org.
        let moved = update(
            "3",
            "A1",
            vec![FieldChange::Parent {
                old: existing("2", "A"),
                new: existing("4", "B"),
                by_transfer_of: None,
            }],
        );
        assert_eq!(ids(&bound(&[moved])), ["1", "2", "3", "4"]);
        // A field change that is not a move binds the territory and its parent only.
        let described = update(
            "5",
            "B1",
            vec![FieldChange::Description {
                old: None,
                new: Some("x".to_owned()),
            }],
        );
        assert_eq!(ids(&bound(&[described])), ["4", "5"]);
    }

    #[test]
    fn a_new_manager_is_bound_and_no_manager_binds_no_user() {
        let manager = |old: Option<&str>, new: Option<&str>| {
            let user = |id: &str| Manager {
                id: id.to_owned(),
                email: None,
                name: None,
            };
            update(
                "2",
                "A",
                vec![FieldChange::Manager {
                    old: old.map(user),
                    new: new.map(user),
                }],
            )
        };
        let binding = bound(&[manager(Some("u1"), Some("u2"))]);
        assert_eq!(binding.users.keys().collect::<Vec<_>>(), ["u2"]);
        assert_eq!(binding.users["u2"].name, "u2@x.com");
        assert!(bound(&[manager(Some("u1"), None)]).users.is_empty());
    }

    #[test]
    fn a_rename_needs_its_new_name_free_unless_only_its_case_changes() {
        let rename = |new: &str| {
            update(
                "2",
                "A",
                vec![FieldChange::Name {
                    old: "A".to_owned(),
                    new: new.to_owned(),
                }],
            )
        };
        assert_eq!(bound(&[rename("Alpha")]).free_names, ["Alpha"]);
        assert!(
            bound(&[rename("a")]).free_names.is_empty(),
            "the territory holds the name itself"
        );
    }

    #[test]
    fn a_child_added_under_a_deleted_territory_is_named_and_its_known_children_are_not() {
        let delete = Change {
            key: "delete:4".to_owned(),
            wave: 1,
            depth: 1,
            path: Vec::new(),
            action: Action::Delete(crate::plan::Delete {
                id: "4".to_owned(),
                name: "B".to_owned(),
                parent: existing("1", "Org"),
                transfer_to: None,
                transferred_children: Vec::new(),
            }),
        };
        let binding = bound(std::slice::from_ref(&delete));
        assert_eq!(binding.territories["4"].children, ["5"]);
        let mut now = live();
        let b = now.territories[3].clone();
        assert_eq!(new_children(&now, &b, &binding.territories["4"]), None);
        now.territories.push(LiveTerritory {
            id: "6".to_owned(),
            fields: Fields::new("B2", Some("4".to_owned()), Permission::ReadOnly),
            modified_time: None,
        });
        assert_eq!(
            new_children(&now, &b, &binding.territories["4"]),
            Some(StaleItem::Children {
                id: "4".to_owned(),
                name: "B".to_owned(),
                added: vec!["`B2` (id 6)".to_owned()],
            })
        );
    }

    fn plan_of(changes: Vec<Change>) -> Plan {
        Plan {
            format_version: crate::plan::FORMAT_VERSION,
            org: None,
            desired_paths: Vec::new(),
            root: "Org".to_owned(),
            contains_deletions: false,
            summary: crate::plan::Summary::default(),
            member_moves: Vec::new(),
            members_not_managed: 0,
            binding: bound(&changes),
            changes,
            schedule: Vec::new(),
            unmanaged_policy: Unmanaged::Report,
            unmanaged: Vec::new(),
            rule_runs: BTreeMap::new(),
        }
    }

    /// A plan that renames A to Alpha, makes u1 its manager, deletes B (keeping B1 by
    /// transfer) and assigns record 900 to A1.
    fn saved() -> (Plan, Live) {
        let mut live = live();
        let record = LiveRecord {
            id: "900".to_owned(),
            territories: vec![crate::model::RecordTerritory {
                id: "5".to_owned(),
                name: "B1".to_owned(),
                how: crate::model::AssignedHow::Manually,
                assigned_by: None,
                assigned_time: None,
            }],
        };
        live.records.insert(
            crate::model::Module::Accounts,
            BTreeMap::from([("900".to_owned(), record)]),
        );
        let change = |key: &str, action| Change {
            key: key.to_owned(),
            wave: 1,
            depth: 1,
            path: Vec::new(),
            action,
        };
        let plan = Plan {
            changes: Vec::new(),
            ..plan_of(Vec::new())
        };
        let changes = vec![
            update(
                "2",
                "A",
                vec![
                    FieldChange::Name {
                        old: "A".to_owned(),
                        new: "Alpha".to_owned(),
                    },
                    FieldChange::Manager {
                        old: None,
                        new: Some(Manager {
                            id: "u1".to_owned(),
                            email: None,
                            name: None,
                        }),
                    },
                ],
            ),
            change(
                "delete:4",
                Action::Delete(crate::plan::Delete {
                    id: "4".to_owned(),
                    name: "B".to_owned(),
                    parent: existing("1", "Org"),
                    transfer_to: Some(existing("1", "Org")),
                    transferred_children: vec!["B1".to_owned()],
                }),
            ),
            change(
                "assign:Accounts:900",
                Action::Assign(crate::plan::RecordTerritories {
                    module: crate::model::Module::Accounts,
                    record_id: "900".to_owned(),
                    territories: vec![existing("3", "A1")],
                    automatic: Vec::new(),
                }),
            ),
        ];
        let plan = Plan {
            binding: bind(&desired(), &live, &changes),
            changes,
            ..plan
        };
        (plan, live)
    }

    fn stale(edit: impl FnOnce(&mut Live)) -> Vec<StaleItem> {
        let (plan, mut live) = saved();
        edit(&mut live);
        check_fresh(&plan, &live)
            .err()
            .map(|stale| stale.changes)
            .unwrap_or_default()
    }

    #[test]
    fn a_saved_plan_is_fresh_until_something_it_depends_on_changes() {
        assert_eq!(stale(|_| {}), [], "nothing changed");
        let changed = |id: &str, name: &str| StaleItem::Changed {
            id: id.to_owned(),
            name: name.to_owned(),
        };
        // A field, and Zoho's `modified_time` alone.
        assert_eq!(
            stale(|live| live.territories[1].description = Some("new".to_owned())),
            [changed("2", "A")]
        );
        assert_eq!(
            stale(|live| live.territories[1].modified_time = Some("2026-12-02".to_owned())),
            [changed("2", "A")]
        );
        assert_eq!(
            stale(|live| live.territories[2].description = Some("x".to_owned())),
            [changed("3", "A1")],
            "A1 is the record's territory"
        );
        assert_eq!(
            stale(|live| {
                live.territories.remove(1);
            }),
            [StaleItem::Gone {
                id: "2".to_owned(),
                name: "A".to_owned(),
            }]
        );
        assert_eq!(
            stale(|live| live.territories.push(LiveTerritory {
                id: "6".to_owned(),
                fields: Fields::new("B2", Some("4".to_owned()), Permission::ReadOnly),
                modified_time: None,
            })),
            [StaleItem::Children {
                id: "4".to_owned(),
                name: "B".to_owned(),
                added: vec!["`B2` (id 6)".to_owned()],
            }],
            "a child created under the territory the plan deletes"
        );
        assert_eq!(
            stale(|live| live.territories.push(LiveTerritory {
                id: "6".to_owned(),
                fields: Fields::new("A2", Some("2".to_owned()), Permission::ReadOnly),
                modified_time: None,
            })),
            [],
            "a child under a territory the plan keeps"
        );
    }

    #[test]
    fn a_saved_plan_is_stale_when_its_manager_record_or_new_name_changes() {
        assert_eq!(
            stale(|live| live.users.retain(|user| user.id != "u1")),
            [StaleItem::UserGone {
                id: "u1".to_owned(),
                email: "u1@x.com".to_owned(),
            }]
        );
        assert_eq!(
            stale(|live| live.users[0].full_name = "Renamed".to_owned()),
            [StaleItem::UserChanged {
                id: "u1".to_owned(),
                email: "u1@x.com".to_owned(),
            }]
        );
        assert_eq!(
            stale(|live| live.users[1].full_name = "Renamed".to_owned()),
            [],
            "u2 manages nothing in the plan"
        );
        fn record(live: &mut Live) -> &mut Vec<crate::model::RecordTerritory> {
            live.records
                .get_mut(&crate::model::Module::Accounts)
                .and_then(|records| records.get_mut("900"))
                .map(|record| &mut record.territories)
                .expect("the record")
        }
        let record_stale = [StaleItem::Record {
            record: "Accounts 900".to_owned(),
        }];
        assert_eq!(
            stale(|live| record(live)[0].how = crate::model::AssignedHow::Automatically),
            record_stale
        );
        assert_eq!(stale(|live| record(live).clear()), record_stale);
        assert_eq!(
            stale(|live| {
                live.records.clear();
            }),
            record_stale,
            "a record gone"
        );
        assert_eq!(
            stale(|live| live.territories[4].name = "alpha".to_owned()),
            [StaleItem::NameTaken {
                name: "Alpha".to_owned(),
            }],
            "the new name taken, in another case, by a territory the plan does not bind"
        );
    }
}
