//! The per-territory and per-record differences between desired and live, before ordering.

use std::collections::BTreeMap;

use super::change::{
    Action, ByPlan, Change, Create, Delete, FieldChange, Manager, TerritoryRef, Update,
};
use super::error::PlanError;
use super::matching::Matching;
use super::normalize::same_value;
use super::unmanaged::UnmanagedTerritory;
use crate::model::{
    Attribute, Desired, DesiredTerritory, Fields, Live, LiveTerritory, NameKey, Unmanaged, UserRef,
};

/// The changes (not yet placed in waves) and the unmanaged report.
#[derive(Debug)]
pub(crate) struct Diff {
    pub(crate) changes: Vec<Change>,
    pub(crate) unmanaged: Vec<UnmanagedTerritory>,
}

/// Key of the change that creates the desired territory `name`.
pub(crate) fn create_key(name: &str) -> String {
    format!("create:{}", NameKey::new(name))
}

pub(crate) fn update_key(id: &str) -> String {
    format!("update:{id}")
}

pub(crate) fn delete_key(id: &str) -> String {
    format!("delete:{id}")
}

/// Computes every change. Deletions follow `desired.unmanaged`.
///
/// # Errors
/// A manager email that is not an active user, a record in `assignments` that the live org
/// does not have, or a record that would exceed its module's territory limit.
pub(crate) fn diff(
    desired: &Desired,
    live: &Live,
    matching: &Matching<'_>,
) -> Result<Diff, PlanError> {
    let context = Context::new(desired, live, matching);
    let mut changes = Vec::new();
    let mut problems = Vec::new();

    if desired.root != matching.root.name {
        changes.push(Change {
            key: update_key(&matching.root.id),
            wave: 0,
            depth: 0,
            path: Vec::new(),
            action: Action::Update(Update {
                id: matching.root.id.clone(),
                name: matching.root.name.clone(),
                fields: vec![FieldChange::Name {
                    old: matching.root.name.clone(),
                    new: desired.root.clone(),
                }],
                permission: None,
            }),
        });
    }

    let deleted = context.deleted();
    for (index, territory) in desired.territories.iter().enumerate() {
        let depth = context.depth(&territory.name);
        let result = match matching.live_of[index] {
            None => context.create(territory).map(|create| {
                Some(Change {
                    key: create_key(&territory.name),
                    wave: 0,
                    depth,
                    path: context.path(&territory.name),
                    action: Action::Create(Box::new(create)),
                })
            }),
            Some(existing) => context.update(territory, existing, &deleted).map(|update| {
                update.map(|update| Change {
                    key: update_key(&existing.id),
                    wave: 0,
                    depth,
                    path: context.path(&territory.name),
                    action: Action::Update(update),
                })
            }),
        };
        match result {
            Ok(Some(change)) => changes.push(change),
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
    }

    let transfers = context.transfers(&deleted);
    for territory in &deleted.territories {
        changes.push(context.delete(territory, &deleted, &transfers));
    }

    let records = super::records::record_changes(
        context.desired,
        context.live,
        |name| context.reference(name),
        |id| deleted.contains(id),
    );
    match records {
        Ok(record_changes) => changes.extend(record_changes),
        Err(mut record_problems) => problems.append(&mut record_problems),
    }

    if !problems.is_empty() {
        return Err(PlanError::from_problems(problems));
    }

    let unmanaged = match desired.unmanaged {
        Unmanaged::Report => matching
            .unmatched
            .iter()
            .map(|territory| UnmanagedTerritory {
                id: territory.id.clone(),
                name: territory.name.clone(),
                parent: context.live_parent_name(territory),
            })
            .collect(),
        Unmanaged::Ignore | Unmanaged::Delete => Vec::new(),
    };
    Ok(Diff { changes, unmanaged })
}

/// The live territories the plan deletes, in matching order, and their ids for lookups (a
/// deleted subtree can hold thousands, and every surviving territory asks about its parent).
pub(crate) struct Deleted<'a> {
    pub(crate) territories: Vec<&'a LiveTerritory>,
    ids: std::collections::HashSet<&'a str>,
}

impl Deleted<'_> {
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }
}

pub(crate) struct Context<'a> {
    pub(crate) desired: &'a Desired,
    pub(crate) live: &'a Live,
    matching: &'a Matching<'a>,
    /// Every desired name (root included) -> how changes refer to it.
    refs: BTreeMap<NameKey, TerritoryRef>,
    /// Desired name -> desired parent name.
    parents: BTreeMap<NameKey, String>,
    /// Live id -> the name of the desired territory matched to it.
    matched_names: std::collections::HashMap<&'a str, &'a str>,
}

impl<'a> Context<'a> {
    fn new(desired: &'a Desired, live: &'a Live, matching: &'a Matching<'a>) -> Self {
        let mut refs = BTreeMap::new();
        refs.insert(
            NameKey::new(&desired.root),
            TerritoryRef::Existing {
                id: matching.root.id.clone(),
                name: desired.root.clone(),
            },
        );
        let mut parents = BTreeMap::new();
        let mut matched_names = std::collections::HashMap::new();
        for (index, territory) in desired.territories.iter().enumerate() {
            let reference = match matching.live_of[index] {
                Some(existing) => {
                    matched_names.insert(existing.id.as_str(), territory.name.as_str());
                    TerritoryRef::Existing {
                        id: existing.id.clone(),
                        name: territory.name.clone(),
                    }
                }
                None => TerritoryRef::AfterApply {
                    change: create_key(&territory.name),
                    name: territory.name.clone(),
                },
            };
            refs.insert(NameKey::new(&territory.name), reference);
            parents.insert(NameKey::new(&territory.name), territory.parent.clone());
        }
        Self {
            desired,
            live,
            matching,
            refs,
            parents,
            matched_names,
        }
    }

    /// Desired depth: the root is 0. Bounded by the number of territories, so a cycle (which
    /// validation rules out) cannot loop forever.
    fn depth(&self, name: &str) -> usize {
        let mut depth = 0;
        let mut key = NameKey::new(name);
        while let Some(parent) = self.parents.get(&key) {
            depth += 1;
            key = NameKey::new(parent);
            if depth > self.parents.len() {
                break;
            }
        }
        depth
    }

    /// Names of the desired ancestors of `name`, root first, as the desired state spells them.
    fn path(&self, name: &str) -> Vec<String> {
        let mut path = Vec::new();
        let mut key = NameKey::new(name);
        while let Some(parent) = self.parents.get(&key) {
            path.push(self.reference(parent).name().to_owned());
            key = NameKey::new(parent);
            if path.len() > self.parents.len() {
                break;
            }
        }
        path.reverse();
        path
    }

    /// Where a deleted territory is shown: under its live parent, and that parent where the plan
    /// leaves it. Walks up the live hierarchy through other unmatched territories to the
    /// nearest desired one (or the root), then continues with that one's desired path.
    fn live_path(&self, territory: &LiveTerritory) -> Vec<String> {
        let mut unmatched = Vec::new();
        let mut current = self.live_parent(territory);
        while let Some(ancestor) = current {
            if ancestor.id == self.matching.root.id {
                unmatched.push(self.desired.root.clone());
                break;
            }
            if let Some(name) = self.desired_name_of(&ancestor.id) {
                let mut path = self.path(&name);
                path.push(name);
                path.extend(unmatched.into_iter().rev());
                return path;
            }
            unmatched.push(ancestor.name.clone());
            current = self.live_parent(ancestor);
            if unmatched.len() > self.live.territories.len() {
                break;
            }
        }
        unmatched.reverse();
        unmatched
    }

    /// The desired name of the live territory `id`, when a desired territory matched it.
    fn desired_name_of(&self, id: &str) -> Option<String> {
        self.matched_names.get(id).map(|name| (*name).to_owned())
    }

    pub(crate) fn reference(&self, name: &str) -> TerritoryRef {
        self.refs
            .get(&NameKey::new(name))
            .cloned()
            .unwrap_or_else(|| TerritoryRef::AfterApply {
                change: create_key(name),
                name: name.to_owned(),
            })
    }

    /// A live territory as a reference, named as the plan will leave it.
    fn live_reference(&self, territory: &LiveTerritory) -> TerritoryRef {
        if territory.id == self.matching.root.id {
            return TerritoryRef::Existing {
                id: territory.id.clone(),
                name: self.desired.root.clone(),
            };
        }
        TerritoryRef::Existing {
            id: territory.id.clone(),
            name: territory.name.clone(),
        }
    }

    fn live_parent(&self, territory: &LiveTerritory) -> Option<&'a LiveTerritory> {
        territory
            .parent
            .as_deref()
            .and_then(|parent| self.live.territory(parent))
    }

    /// The name of a live territory's parent as the plan leaves it (a renamed root by its new
    /// name).
    fn live_parent_name(&self, territory: &LiveTerritory) -> String {
        self.live_parent(territory)
            .map_or_else(String::new, |parent| {
                self.live_reference(parent).name().to_owned()
            })
    }

    fn manager(&self, territory: &DesiredTerritory) -> Result<Option<Manager>, Problem> {
        let Some(email) = &territory.manager else {
            return Ok(None);
        };
        let manager = self
            .user(territory, email)
            .map_err(|_| Problem::UnknownManager {
                territory: territory.name.clone(),
                email: email.clone(),
            })?;
        Ok(Some(manager))
    }

    fn live_manager(&self, manager: &UserRef) -> Manager {
        let user = self.live.user_by_id(&manager.id);
        Manager {
            id: manager.id.clone(),
            email: user.map(|user| user.email.clone()),
            name: user
                .map(|user| user.full_name.clone())
                .or_else(|| manager.name.clone()),
        }
    }

    fn create(&self, territory: &DesiredTerritory) -> Result<Create, Problem> {
        // The manager first, for its own problem (`plan::unknown-manager`).
        let manager = self.manager(territory)?;
        let mut fields = territory.fields.map::<ByPlan, Problem>(
            |parent| Ok(self.reference(parent)),
            |email| self.user(territory, email),
        )?;
        fields.manager = manager;
        fields.users = self.users(territory)?;
        Ok(Create { fields })
    }

    /// A user of the desired state's `users`, by email.
    fn user(&self, territory: &DesiredTerritory, email: &str) -> Result<Manager, Problem> {
        let user = self
            .live
            .user_by_email(email)
            .ok_or_else(|| Problem::UnknownUser {
                territory: territory.name.clone(),
                email: email.to_owned(),
            })?;
        Ok(Manager {
            id: user.id.clone(),
            email: Some(user.email.clone()),
            name: Some(user.full_name.clone()),
        })
    }

    /// The desired users, resolved to active users, the manager among them (Zoho makes a
    /// territory's manager one of its users), once each, sorted by how they are shown; `None`
    /// when not managed.
    fn users(&self, territory: &DesiredTerritory) -> Result<Option<Vec<Manager>>, Problem> {
        let Some(emails) = &territory.users else {
            return Ok(None);
        };
        let mut users: Vec<Manager> = Vec::new();
        for email in emails.iter().chain(territory.manager.as_ref()) {
            let user = self.user(territory, email)?;
            if !users.iter().any(|known| known.id == user.id) {
                users.push(user);
            }
        }
        users.sort_by_key(|user| (user.label().to_lowercase(), user.id.clone()));
        Ok(Some(users))
    }

    /// A live territory's fields as the plan refers to them.
    fn live_fields(&self, existing: &LiveTerritory) -> Fields<ByPlan> {
        let fields = existing.fields.map::<ByPlan, std::convert::Infallible>(
            |parent| {
                Ok(self
                    .live_parent(existing)
                    .map(|parent| self.live_reference(parent))
                    .unwrap_or_else(|| TerritoryRef::Existing {
                        id: parent.clone().unwrap_or_default(),
                        name: String::new(),
                    }))
            },
            |manager| Ok(self.live_manager(manager)),
        );
        let Ok(mut fields) = fields;
        fields.description = fields.description.filter(|text| !text.is_empty());
        if let Some(users) = &mut fields.users {
            // Members who are not active users cannot be listed (`users` names active users),
            // so they are left as they are: the plan compares the active ones.
            users.retain(|user| user.email.is_some());
            // Zoho makes a territory's manager one of its users: a manager the users list does
            // not show counts as one, as on the desired side.
            if let Some(manager) = &fields.manager
                && !users.iter().any(|user| user.id == manager.id)
            {
                users.push(manager.clone());
            }
            users.sort_by_key(|user| (user.label().to_lowercase(), user.id.clone()));
        }
        fields
    }

    /// The changed fields of a matched territory, one per attribute that differs, in
    /// [`Attribute::ALL`] order.
    fn update(
        &self,
        territory: &DesiredTerritory,
        existing: &LiveTerritory,
        deleted: &Deleted<'_>,
    ) -> Result<Option<Update>, Problem> {
        let desired = self.create(territory)?.fields;
        let live = self.live_fields(existing);
        let mut fields = Vec::new();
        for attribute in Attribute::ALL {
            let (new, old) = (desired.get(attribute), live.get(attribute));
            if same_value(&new, &old) {
                continue;
            }
            let Some(mut change) = FieldChange::between(old, new) else {
                continue;
            };
            if let FieldChange::Parent {
                new,
                by_transfer_of,
                ..
            } = &mut change
            {
                *by_transfer_of = self.transferred_by(existing, new, deleted);
            }
            fields.push(change);
        }
        Ok((!fields.is_empty()).then(|| Update {
            id: existing.id.clone(),
            name: existing.name.clone(),
            fields,
            permission: Some(territory.permission),
        }))
    }

    /// Live territories the plan deletes (only under `unmanaged: delete`), by id.
    fn deleted(&self) -> Deleted<'a> {
        let territories = match self.desired.unmanaged {
            Unmanaged::Delete => self.matching.unmatched.clone(),
            Unmanaged::Report | Unmanaged::Ignore => Vec::new(),
        };
        let ids = territories
            .iter()
            .map(|territory| territory.id.as_str())
            .collect();
        Deleted { territories, ids }
    }

    /// The nearest live ancestor of `territory` that the plan does not delete.
    fn surviving_ancestor(
        &self,
        territory: &LiveTerritory,
        deleted: &Deleted<'_>,
    ) -> Option<&'a LiveTerritory> {
        let mut current = self.live_parent(territory);
        let mut steps = 0;
        while let Some(ancestor) = current {
            if !deleted.contains(&ancestor.id) {
                return Some(ancestor);
            }
            current = self.live_parent(ancestor);
            steps += 1;
            if steps > self.live.territories.len() {
                break;
            }
        }
        None
    }

    /// When `existing` sits under a deleted territory and its desired parent is that
    /// territory's nearest surviving ancestor, the deletion's `transfer_and_delete` moves it
    /// there, and no `PUT` is needed: the key of that delete change.
    ///
    /// Only where that target is valid on every reading of Zoho's Transfer and Delete page
    /// (zoho-api.md 2.9): it must be "at a higher hierarchy than current parent territory"
    /// and not "same as current parent territory", where the current parent may be the deleted
    /// territory's own parent. So the deleted territory's parent must be deleted too (the
    /// target is then above it). Otherwise the child is moved by a `PUT` in the update phase,
    /// and its old parent, left without children, is deleted by a plain `DELETE`.
    fn transferred_by(
        &self,
        existing: &LiveTerritory,
        new_parent: &TerritoryRef,
        deleted: &Deleted<'_>,
    ) -> Option<String> {
        let parent = self.live_parent(existing)?;
        if !deleted.contains(&parent.id) {
            return None;
        }
        let grandparent = self.live_parent(parent)?;
        if !deleted.contains(&grandparent.id) {
            return None;
        }
        let target = self.surviving_ancestor(parent, deleted)?;
        (new_parent.id() == Some(target.id.as_str())).then(|| delete_key(&parent.id))
    }

    /// For each delete change's key, the names of the surviving children its
    /// `transfer_and_delete` hands over, sorted. One pass over the desired territories for all
    /// deletions (per deletion, the pass made deleting a large subtree cubic).
    fn transfers(&self, deleted: &Deleted<'_>) -> BTreeMap<String, Vec<String>> {
        let mut transfers: BTreeMap<String, Vec<String>> = BTreeMap::new();
        if deleted.territories.is_empty() {
            return transfers;
        }
        for (existing, desired) in self.matching.live_of.iter().zip(&self.desired.territories) {
            let Some(existing) = *existing else {
                continue;
            };
            let new_parent = self.reference(&desired.parent);
            if let Some(key) = self.transferred_by(existing, &new_parent, deleted) {
                transfers.entry(key).or_default().push(desired.name.clone());
            }
        }
        for names in transfers.values_mut() {
            names.sort_by_key(|name| NameKey::new(name));
        }
        transfers
    }

    fn delete(
        &self,
        territory: &LiveTerritory,
        deleted: &Deleted<'_>,
        transfers: &BTreeMap<String, Vec<String>>,
    ) -> Change {
        let transferred_children = transfers
            .get(&delete_key(&territory.id))
            .cloned()
            .unwrap_or_default();
        let transfer_to = (!transferred_children.is_empty())
            .then(|| self.surviving_ancestor(territory, deleted))
            .flatten()
            .map(|target| self.live_reference(target));
        let parent = self.live_parent(territory).map_or_else(
            || TerritoryRef::Existing {
                id: territory.parent.clone().unwrap_or_default(),
                name: String::new(),
            },
            |parent| self.live_reference(parent),
        );
        Change {
            key: delete_key(&territory.id),
            wave: 0,
            depth: self.live_depth(territory),
            path: self.live_path(territory),
            action: Action::Delete(Delete {
                id: territory.id.clone(),
                name: territory.name.clone(),
                parent,
                transfer_to,
                transferred_children,
            }),
        }
    }

    fn live_depth(&self, territory: &LiveTerritory) -> usize {
        let mut depth = 0;
        let mut current = self.live_parent(territory);
        while let Some(ancestor) = current {
            depth += 1;
            current = self.live_parent(ancestor);
            if depth > self.live.territories.len() {
                break;
            }
        }
        depth
    }
}

pub(crate) use super::error::Problem;

#[cfg(test)]
mod tests {
    use crate::model::Permission;
    use crate::plan::{Plan, Policy, plan};

    use super::*;

    /// Org (1) > A (2) > A1 (3) > A2 (7); Org > B (4) > B1 (5) > B2 (6); three users.
    fn live() -> Live {
        crate::plan::fixtures::org(
            &[
                ("1", "Org", None),
                ("2", "A", Some("1")),
                ("3", "A1", Some("2")),
                ("4", "B", Some("1")),
                ("5", "B1", Some("4")),
                ("6", "B2", Some("5")),
                ("7", "A2", Some("3")),
            ],
            &["u1", "u2", "u3"],
        )
    }

    use crate::plan::fixtures::territory;

    /// The root renamed to `World`; the given territories, the rest as `unmanaged` says.
    fn planned(unmanaged: Unmanaged, territories: Vec<DesiredTerritory>) -> Plan {
        planned_against(&live(), unmanaged, territories)
    }

    fn planned_against(
        live: &Live,
        unmanaged: Unmanaged,
        territories: Vec<DesiredTerritory>,
    ) -> Plan {
        let desired = Desired {
            root: "World".to_owned(),
            root_origin: None,
            unmanaged,
            territories,
            assignments: BTreeMap::new(),
        };
        plan(&desired, live, &Policy::default()).expect("the desired state plans")
    }

    fn change<'a>(plan: &'a Plan, key: &str) -> &'a Change {
        plan.change(key)
            .unwrap_or_else(|| panic!("no change {key} in {:#?}", plan.changes))
    }

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn creates_and_updates_have_their_desired_depth_and_path_under_the_new_root_name() {
        let mut a1 = territory("A1", "A");
        a1.permission = Permission::ReadWriteDelete;
        let plan = planned(
            Unmanaged::Ignore,
            vec![
                territory("A", "World"),
                a1,
                territory("A2", "A1"),
                territory("N", "A2"),
            ],
        );
        let created = change(&plan, "create:n");
        assert_eq!(
            (created.depth, &created.path),
            (4, &strings(&["World", "A", "A1", "A2"]))
        );
        let updated = change(&plan, "update:3");
        assert_eq!(
            (updated.depth, &updated.path),
            (2, &strings(&["World", "A"]))
        );
        let root = change(&plan, "update:1");
        assert_eq!((root.depth, root.path.len()), (0, 0));
    }

    #[test]
    fn a_deletion_is_shown_under_its_deleted_ancestors_and_the_nearest_kept_one_by_its_new_name() {
        // A renamed Alpha (matched by its former name); A1 and A2, B and its subtree deleted.
        let mut alpha = territory("Alpha", "World");
        alpha.previously = vec!["A".to_owned()];
        let plan = planned(Unmanaged::Delete, vec![alpha]);
        let shown = |key: &str| {
            let change = change(&plan, key);
            let Action::Delete(delete) = &change.action else {
                panic!("{key} is not a deletion");
            };
            (
                change.depth,
                change.path.clone(),
                delete.parent.name().to_owned(),
            )
        };
        assert_eq!(
            shown("delete:3"),
            (2, strings(&["World", "Alpha"]), "A".to_owned())
        );
        assert_eq!(
            shown("delete:7"),
            (3, strings(&["World", "Alpha", "A1"]), "A1".to_owned())
        );
        // Under the root, by the name the plan gives it.
        assert_eq!(
            shown("delete:4"),
            (1, strings(&["World"]), "World".to_owned())
        );
        assert_eq!(
            shown("delete:6"),
            (3, strings(&["World", "B", "B1"]), "B1".to_owned())
        );
    }

    #[test]
    fn unmanaged_territories_are_reported_under_their_parent_as_the_plan_leaves_it() {
        let plan = planned(Unmanaged::Report, vec![territory("A", "World")]);
        let reported: Vec<(&str, &str)> = plan
            .unmanaged
            .iter()
            .map(|territory| (territory.name.as_str(), territory.parent.as_str()))
            .collect();
        assert_eq!(
            reported,
            [
                ("A1", "A"),
                ("B", "World"),
                ("B1", "B"),
                ("B2", "B1"),
                ("A2", "A1")
            ]
        );
    }

    #[test]
    fn a_territorys_users_take_in_its_manager_once_sorted_by_email() {
        let mut new = territory("N", "World");
        new.manager = Some("u2@x.com".to_owned());
        new.users = Some(strings(&["u3@x.com", "u2@x.com", "U1@x.com"]));
        let plan = planned(Unmanaged::Ignore, vec![new, territory("Plain", "World")]);
        let users = |key: &str| {
            let Action::Create(create) = &change(&plan, key).action else {
                panic!("{key} is not a create");
            };
            create
                .fields
                .users
                .as_ref()
                .map(|users| users.iter().map(|user| user.id.clone()).collect::<Vec<_>>())
        };
        assert_eq!(users("create:n"), Some(strings(&["u1", "u2", "u3"])));
        assert_eq!(users("create:plain"), None);
    }

    #[test]
    fn a_live_manager_counts_among_the_users_even_when_zoho_does_not_list_it() {
        let mut live = live();
        let b = live.territories.iter_mut().find(|t| t.id == "4").unwrap();
        b.fields.manager = Some(UserRef {
            id: "u1".to_owned(),
            name: None,
        });
        b.fields.users = Some(vec![UserRef {
            id: "u2".to_owned(),
            name: None,
        }]);
        let mut same = territory("B", "World");
        same.manager = Some("u1@x.com".to_owned());
        same.users = Some(strings(&["u1@x.com", "u2@x.com"]));
        let plan = planned_against(&live, Unmanaged::Ignore, vec![same]);
        assert!(plan.change("update:4").is_none(), "{:#?}", plan.changes);
    }

    #[test]
    fn a_cycle_in_the_live_parents_ends() {
        // Zoho should never return one; if it does, planning must still end (every walk up the
        // live parents is bounded). C (8) and D (9) are each other's parent, cut off from the
        // root, so `unmanaged: delete` deletes both; E (10), under C, is kept and moves to the
        // root, so the search for what survives above its deleted parent walks the cycle.
        let mut live = live();
        live.territories.extend(
            crate::plan::fixtures::org(
                &[
                    ("8", "C", Some("9")),
                    ("9", "D", Some("8")),
                    ("10", "E", Some("8")),
                ],
                &[],
            )
            .territories,
        );
        let result = plan(
            &Desired {
                root: "Org".to_owned(),
                root_origin: None,
                unmanaged: Unmanaged::Delete,
                territories: vec![
                    territory("A", "Org"),
                    territory("B", "Org"),
                    territory("E", "Org"),
                ],
                assignments: BTreeMap::new(),
            },
            &live,
            &Policy {
                max_change_percent: 100,
                ..Policy::default()
            },
        )
        .expect("plans");
        for key in ["delete:8", "delete:9"] {
            assert!(
                matches!(change(&result, key).action, Action::Delete(_)),
                "{key}"
            );
        }
    }
}
