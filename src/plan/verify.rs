//! A saved plan is an expectation to check, never an instruction to follow: [`verify`] plans
//! again from the desired state and the live org, and accepts the saved plan only when it is
//! what that fresh plan says, or the fresh plan plus what an earlier, partial apply of the same
//! saved plan already did. What `apply` then carries out is the fresh plan; every safety rail
//! is decided from it, nothing from the file.

use std::collections::{BTreeMap, BTreeSet};

use super::fingerprint::{new_children, same_desired};
use super::{
    Action, ByPlan, Change, FieldChange, Plan, PlanError, Policy, Stale, StaleItem, Summary,
    TerritoryRef,
};
use crate::model::{AssignedHow, Desired, Live, LiveTerritory, NameKey};

/// A saved plan that [`verify`] accepted.
#[derive(Debug)]
pub struct Verified {
    /// The plan made now: what `apply` carries out.
    pub plan: Plan,
    /// Keys of the saved plan's changes that the org shows done already (an earlier, partial
    /// apply), sorted.
    pub done: Vec<String>,
}

/// Why [`verify`] did not accept a saved plan.
#[derive(Debug)]
pub enum Rejected {
    /// The saved plan is not what the desired state and the org give now (exit code 4).
    Stale(Stale),
    /// Planning again failed (a safety rail refused it, or the desired state does not fit the
    /// org for a reason that is not the saved plan's).
    Plan(PlanError),
}

/// Plans again and compares with `saved`. Pure: no I/O.
///
/// # Errors
/// [`Rejected::Stale`] naming every difference: another org, another desired state, a change
/// added, missing (and not done) or different, a fingerprint of the binding that differs or is
/// missing, a user the plan relies on who is no longer active, a plan file whose summary does
/// not match its own changes. [`Rejected::Plan`] when planning again fails otherwise.
pub fn verify(
    saved: &Plan,
    desired: &Desired,
    live: &Live,
    policy: &Policy,
) -> Result<Verified, Rejected> {
    let planned_org = saved.org.as_ref().map(ToString::to_string);
    let now_org = live.org.as_ref().map(|org| {
        super::PlannedOrg {
            id: org.id.clone(),
            name: org.name.clone(),
        }
        .to_string()
    });
    if saved.org.as_ref().map(|org| &org.id) != live.org.as_ref().map(|org| &org.id) {
        return Err(stale(vec![StaleItem::OtherOrg {
            planned: planned_org.unwrap_or_else(|| "(none named)".into()),
            now: now_org.unwrap_or_else(|| "(unknown)".into()),
        }]));
    }
    let fresh = match super::plan(desired, live, policy) {
        Ok(fresh) => fresh,
        Err(PlanError::Mismatch { problems }) => {
            let gone = users_gone(saved, live);
            if gone.is_empty() {
                return Err(Rejected::Plan(PlanError::Mismatch { problems }));
            }
            return Err(stale(gone));
        }
        Err(error) => return Err(Rejected::Plan(error)),
    };
    let mut items = Vec::new();
    if !same_desired(saved, desired) {
        items.push(StaleItem::DesiredChanged);
    }
    own_consistency(saved, &mut items);
    if saved.root != fresh.root {
        items.push(differs("the root", &saved.root, &fresh.root));
    }
    if saved.unmanaged_policy != fresh.unmanaged_policy {
        items.push(differs(
            "`unmanaged`",
            &format!("{:?}", saved.unmanaged_policy),
            &format!("{:?}", fresh.unmanaged_policy),
        ));
    }

    // By key, once: a linear search per change made a large plan quadratic.
    let saved_changes = by_key(saved);
    let fresh_changes = by_key(&fresh);
    let progress = Progress::of(saved, &fresh_changes, live);
    let partial = !progress.done.is_empty() || !progress.partly_done.is_empty();
    for key in &progress.duplicates {
        items.push(differs(
            &format!("change {key}"),
            "it more than once",
            "it once",
        ));
    }
    for key in &progress.missing {
        let title = saved_changes
            .get(key.as_str())
            .map(|change| change.title())
            .unwrap_or_default();
        items.push(StaleItem::ChangeMissing {
            key: key.clone(),
            title,
        });
    }
    for change in &fresh.changes {
        let Some(old) = saved_changes.get(change.key.as_str()) else {
            items.push(StaleItem::ChangeAdded {
                key: change.key.clone(),
                title: change.title(),
            });
            continue;
        };
        // The wave is compared with the schedule, below.
        let expected = progress.expected(old, change, live);
        if expected == *change {
            continue;
        }
        let mut details = Vec::new();
        json_differences(
            "",
            &serde_json::to_value(&expected).unwrap_or_default(),
            &serde_json::to_value(change).unwrap_or_default(),
            &mut details,
        );
        if !details.is_empty() {
            items.push(StaleItem::ChangeDiffers {
                key: change.key.clone(),
                title: change.title(),
                details,
            });
        }
    }
    if !partial {
        // Nothing done: the waves are the fresh plan's exactly.
        let moved: Vec<&str> = fresh
            .changes
            .iter()
            .filter(|change| {
                saved_changes
                    .get(change.key.as_str())
                    .is_some_and(|old| old.wave != change.wave)
            })
            .map(|change| change.key.as_str())
            .collect();
        if saved.schedule != fresh.schedule || !moved.is_empty() {
            let batches = |plan: &Plan| {
                let count: usize = plan.schedule.iter().map(|wave| wave.batches.len()).sum();
                format!("{} waves of {count} batches", plan.schedule.len())
            };
            let mut now = batches(&fresh);
            if !moved.is_empty() {
                now.push_str(&format!(
                    " ({} change{} in another wave: {})",
                    moved.len(),
                    if moved.len() == 1 { "" } else { "s" },
                    moved.join(", ")
                ));
            }
            items.push(differs("the schedule", &batches(saved), &now));
        }
        if saved.unmanaged != fresh.unmanaged {
            items.push(differs(
                "the unmanaged territories",
                &names(saved.unmanaged.iter().map(|territory| &territory.name)),
                &names(fresh.unmanaged.iter().map(|territory| &territory.name)),
            ));
        }
    }
    binding_differences(saved, &fresh, live, &progress, partial, &mut items);
    if items.is_empty() {
        Ok(Verified {
            plan: fresh,
            done: progress.done.into_iter().collect(),
        })
    } else {
        Err(stale(items))
    }
}

fn stale(changes: Vec<StaleItem>) -> Rejected {
    Rejected::Stale(Stale { changes })
}

fn differs(what: &str, saved: &str, now: &str) -> StaleItem {
    StaleItem::Differs {
        what: what.to_owned(),
        saved: saved.to_owned(),
        now: now.to_owned(),
    }
}

fn names<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<String> = names.map(|name| format!("`{name}`")).collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// The plan file's own summary fields against its changes: a reader of the file (or an older
/// territoryctl) would trust them.
fn own_consistency(saved: &Plan, items: &mut Vec<StaleItem>) {
    let deletes = saved.deletions();
    let deletes_any = !deletes.is_empty();
    if saved.contains_deletions != deletes_any {
        items.push(differs(
            "`contains_deletions`",
            &saved.contains_deletions.to_string(),
            &format!(
                "{} (its changes delete {})",
                !deletes.is_empty(),
                deletes.len()
            ),
        ));
    }
    let summary = Summary::of(&saved.changes);
    if saved.summary != summary {
        items.push(differs(
            "`summary`",
            &counts(&saved.summary),
            &format!("{} (counted from its changes)", counts(&summary)),
        ));
    }
}

fn counts(summary: &Summary) -> String {
    format!(
        "{} to add, {} to change, {} to move, {} to delete, {} record assignments, {} record removals",
        summary.add,
        summary.change,
        summary.moves,
        summary.delete,
        summary.record_assignments,
        summary.record_removals
    )
}

/// The managers of the saved plan's changes (from the changes, not from the binding, which a
/// file can leave out) that are not active users now.
fn users_gone(saved: &Plan, live: &Live) -> Vec<StaleItem> {
    let mut managers = BTreeMap::new();
    for change in &saved.changes {
        match &change.action {
            Action::Create(create) => {
                if let Some(manager) = &create.manager {
                    managers.insert(manager.id.clone(), manager.label());
                }
            }
            Action::Update(update) => {
                for field in &update.fields {
                    if let FieldChange::Manager {
                        new: Some(manager), ..
                    } = field
                    {
                        managers.insert(manager.id.clone(), manager.label());
                    }
                }
            }
            _ => {}
        }
    }
    managers
        .into_iter()
        .filter(|(id, _)| !live.users.iter().any(|user| &user.id == id))
        .map(|(id, email)| StaleItem::UserGone { id, email })
        .collect()
}

/// Which of the saved plan's changes the org shows done, wholly or in part.
struct Progress {
    /// Keys of saved changes the fresh plan has not, that the org shows done.
    done: BTreeSet<String>,
    /// Keys of saved changes the fresh plan has not, that the org does not show done.
    missing: Vec<String>,
    /// Keys of saved changes the fresh plan has with fewer fields or records, the rest done.
    partly_done: BTreeSet<String>,
    /// Keys that appear more than once in the saved plan.
    duplicates: Vec<String>,
    /// Live ids of the territories the done creates made, by create key.
    created: BTreeMap<String, String>,
    /// Live territories whose fingerprint the done part changed: those it updated, deleted,
    /// created, and the parents and transfer targets involved.
    touched: BTreeSet<String>,
    /// Records (`Module/id`) whose territories the done part changed.
    records: BTreeSet<String>,
    /// Names the done part gave to territories (no longer to be kept free).
    named: BTreeSet<NameKey>,
}

impl Progress {
    fn of(saved: &Plan, fresh: &BTreeMap<&str, &Change>, live: &Live) -> Self {
        let mut progress = Self {
            done: BTreeSet::new(),
            missing: Vec::new(),
            partly_done: BTreeSet::new(),
            duplicates: Vec::new(),
            created: BTreeMap::new(),
            touched: BTreeSet::new(),
            records: BTreeSet::new(),
            named: BTreeSet::new(),
        };
        let mut seen = BTreeSet::new();
        for change in &saved.changes {
            if !seen.insert(change.key.as_str()) {
                progress.duplicates.push(change.key.clone());
            }
        }
        // Creates first: the other changes may refer to what they made.
        let names: BTreeMap<NameKey, &LiveTerritory> = live
            .territories
            .iter()
            .map(|territory| (NameKey::new(&territory.name), territory))
            .collect();
        for change in &saved.changes {
            if let Action::Create(create) = &change.action
                && !fresh.contains_key(change.key.as_str())
                && let Some(territory) = names.get(&NameKey::new(&create.name))
            {
                progress
                    .created
                    .insert(change.key.clone(), territory.id.clone());
            }
        }
        for change in &saved.changes {
            match fresh.get(change.key.as_str()).copied() {
                None if progress.is_done(change, live) => {
                    progress.note(change);
                    progress.done.insert(change.key.clone());
                }
                None => progress.missing.push(change.key.clone()),
                Some(now) if progress.is_partly_done(change, now, live) => {
                    progress.note(change);
                    progress.partly_done.insert(change.key.clone());
                }
                Some(_) => {}
            }
        }
        progress
    }

    /// Remembers what a (wholly or partly) done change touched.
    fn note(&mut self, change: &Change) {
        let refer = |reference: &TerritoryRef, touched: &mut BTreeSet<String>| {
            if let Some(id) = self.resolve(reference) {
                touched.insert(id);
            }
        };
        let mut touched = BTreeSet::new();
        let mut named = Vec::new();
        let mut records = Vec::new();
        match &change.action {
            Action::Create(create) => {
                refer(&create.parent, &mut touched);
                touched.extend(self.created.get(&change.key).cloned());
                named.push(NameKey::new(&create.name));
            }
            Action::Update(update) => {
                touched.insert(update.id.clone());
                for field in &update.fields {
                    match field {
                        FieldChange::Parent { old, new, .. } => {
                            refer(old, &mut touched);
                            refer(new, &mut touched);
                        }
                        FieldChange::Name { new, .. } => named.push(NameKey::new(new)),
                        _ => {}
                    }
                }
            }
            Action::Delete(delete) => {
                touched.insert(delete.id.clone());
                refer(&delete.parent, &mut touched);
                if let Some(target) = &delete.transfer_to {
                    refer(target, &mut touched);
                }
            }
            Action::Remove(record) | Action::Assign(record) => {
                records.push(format!("{}/{}", record.module, record.record_id));
            }
        }
        self.touched.extend(touched);
        self.named.extend(named);
        self.records.extend(records);
    }

    /// The live id of a reference: its id, or the id of the territory a done create made.
    fn resolve(&self, reference: &TerritoryRef) -> Option<String> {
        match reference {
            TerritoryRef::Existing { id, .. } => Some(id.clone()),
            TerritoryRef::AfterApply { change, .. } => self.created.get(change).cloned(),
        }
    }

    /// Whether the org shows `change` done: what it creates exists, what it deletes is gone,
    /// every field it changes has the new value, every record has (or no longer has) the
    /// territories.
    fn is_done(&self, change: &Change, live: &Live) -> bool {
        match &change.action {
            Action::Create(_) => self.created.contains_key(&change.key),
            Action::Update(update) => live.territory(&update.id).is_some_and(|territory| {
                update
                    .fields
                    .iter()
                    .all(|field| self.field_done(field, territory))
            }),
            Action::Delete(delete) => live.territory(&delete.id).is_none(),
            Action::Assign(record) | Action::Remove(record) => record
                .territories
                .iter()
                .all(|territory| self.record_done(&change.action, record, territory, live)),
        }
    }

    /// Whether the fresh `now` is `saved` less parts the org shows done (fields of an update,
    /// territories of a record).
    fn is_partly_done(&self, saved: &Change, now: &Change, live: &Live) -> bool {
        match (&saved.action, &now.action) {
            (Action::Update(old), Action::Update(new)) if new.fields.len() < old.fields.len() => {
                live.territory(&old.id).is_some_and(|territory| {
                    old.fields
                        .iter()
                        .filter(|field| !new.fields.iter().any(|now| same_field(field, now)))
                        .all(|field| self.field_done(field, territory))
                })
            }
            (Action::Assign(old), Action::Assign(new))
            | (Action::Remove(old), Action::Remove(new))
                if new.territories.len() < old.territories.len() =>
            {
                old.territories
                    .iter()
                    .filter(|territory| !new.territories.contains(territory))
                    .all(|territory| self.record_done(&saved.action, old, territory, live))
            }
            _ => false,
        }
    }

    fn field_done(&self, field: &FieldChange, territory: &LiveTerritory) -> bool {
        // The new value by live id (a territory this apply created by the id it was given).
        let value = field.new_value().map::<ByPlan, ()>(
            |parent| {
                let id = self.resolve(parent).ok_or(())?;
                Ok(TerritoryRef::Existing {
                    id,
                    name: parent.name().to_owned(),
                })
            },
            |user| Ok(user.clone()),
        );
        value.is_ok_and(|value| super::holds(territory, &value))
    }

    fn record_done(
        &self,
        action: &Action,
        record: &super::RecordTerritories,
        territory: &TerritoryRef,
        live: &Live,
    ) -> bool {
        let Some(id) = self.resolve(territory) else {
            return false;
        };
        let Some(live_record) = live
            .records
            .get(&record.module)
            .and_then(|records| records.get(&record.record_id))
        else {
            return false;
        };
        let has = live_record
            .territories
            .iter()
            .any(|assigned| assigned.id == id && assigned.how == AssignedHow::Manually);
        match action {
            Action::Assign(_) => has,
            _ => !has,
        }
    }

    /// The saved change as the fresh plan should have it: references to territories the done
    /// creates made are by id now, names the done renames gave are the live names, the parts
    /// done are left out, and the wave is the fresh one (waves are compared on their own).
    fn expected(&self, saved: &Change, fresh: &Change, live: &Live) -> Change {
        let mut expected = saved.clone();
        let fix = |reference: &mut TerritoryRef| {
            let id = match reference {
                TerritoryRef::AfterApply { change, .. } => self.created.get(change).cloned(),
                TerritoryRef::Existing { id, .. } if self.touched.contains(id) => Some(id.clone()),
                TerritoryRef::Existing { .. } => None,
            };
            if let Some(id) = id
                && let Some(territory) = live.territory(&id)
            {
                *reference = TerritoryRef::Existing {
                    id,
                    name: territory.name.clone(),
                };
            }
        };
        match &mut expected.action {
            Action::Create(create) => fix(&mut create.parent),
            Action::Update(update) => {
                if self.partly_done.contains(&saved.key)
                    && let Action::Update(now) = &fresh.action
                {
                    update
                        .fields
                        .retain(|field| now.fields.iter().any(|now| same_field(field, now)));
                }
                if self.touched.contains(&update.id)
                    && let Some(territory) = live.territory(&update.id)
                {
                    update.name.clone_from(&territory.name);
                }
                for field in &mut update.fields {
                    if let FieldChange::Parent { old, new, .. } = field {
                        fix(old);
                        fix(new);
                    }
                }
            }
            Action::Delete(delete) => {
                fix(&mut delete.parent);
                if let Some(target) = &mut delete.transfer_to {
                    fix(target);
                }
            }
            Action::Remove(record) | Action::Assign(record) => {
                if self.partly_done.contains(&saved.key)
                    && let Action::Remove(now) | Action::Assign(now) = &fresh.action
                {
                    record
                        .territories
                        .retain(|territory| now.territories.iter().any(|now| now == territory));
                }
                for territory in &mut record.territories {
                    fix(territory);
                }
            }
        }
        expected.wave = fresh.wave;
        expected
    }
}

/// Two field changes of the same field to the same value (the old value may differ after a
/// partial apply: a rename's old name, a move's old parent).
fn same_field(saved: &FieldChange, now: &FieldChange) -> bool {
    match (saved, now) {
        (FieldChange::Name { new: a, .. }, FieldChange::Name { new: b, .. }) => a == b,
        (FieldChange::Parent { new: a, .. }, FieldChange::Parent { new: b, .. }) => {
            a.name() == b.name()
        }
        _ => saved == now,
    }
}

/// A plan's changes by key (the first of a key that appears twice in an edited file).
fn by_key(plan: &Plan) -> BTreeMap<&str, &Change> {
    let mut changes = BTreeMap::new();
    for change in &plan.changes {
        changes.entry(change.key.as_str()).or_insert(change);
    }
    changes
}

/// The binding of the fresh plan against the saved one: every fingerprint the fresh plan needs
/// is in the file and equal, unless the done part explains the change.
fn binding_differences(
    saved: &Plan,
    fresh: &Plan,
    live: &Live,
    progress: &Progress,
    partial: bool,
    items: &mut Vec<StaleItem>,
) {
    let deleted: BTreeSet<&str> = fresh
        .changes
        .iter()
        .filter_map(|change| match &change.action {
            Action::Delete(delete) => Some(delete.id.as_str()),
            _ => None,
        })
        .collect();
    for (id, now) in &fresh.binding.territories {
        let explained = progress.touched.contains(id);
        match saved.binding.territories.get(id) {
            Some(old) if old == now => {}
            Some(old) if explained => {
                // The done part changed it; a child created since under a deleted one is
                // still news.
                if deleted.contains(id.as_str())
                    && let Some(territory) = live.territory(id)
                    && let Some(item) = new_children(live, territory, old)
                {
                    items.push(item);
                }
            }
            Some(old) => {
                if old.hash != now.hash {
                    items.push(StaleItem::Changed {
                        id: id.clone(),
                        name: old.name.clone(),
                    });
                }
                if old.children != now.children {
                    match live
                        .territory(id)
                        .and_then(|territory| new_children(live, territory, old))
                    {
                        Some(item) => items.push(item),
                        None => items.push(differs(
                            &format!("the children of territory `{}` (id {id})", now.name),
                            &old.children.join(", "),
                            &now.children.join(", "),
                        )),
                    }
                }
                if old.name != now.name && old.hash == now.hash {
                    items.push(differs(
                        &format!("the binding's name of territory id {id}"),
                        &format!("`{}`", old.name),
                        &format!("`{}`", now.name),
                    ));
                }
            }
            None if explained => {}
            None => items.push(differs(
                &format!("the binding of territory `{}` (id {id})", now.name),
                "nothing",
                "its fingerprint",
            )),
        }
    }
    for (id, now) in &fresh.binding.users {
        match saved.binding.users.get(id) {
            Some(old) if old == now => {}
            Some(_) => items.push(StaleItem::UserChanged {
                id: id.clone(),
                email: now.name.clone(),
            }),
            None => items.push(differs(
                &format!("the binding of user `{}` (id {id})", now.name),
                "nothing",
                "its fingerprint",
            )),
        }
    }
    for (key, now) in &fresh.binding.records {
        match saved.binding.records.get(key) {
            Some(old) if old == now => {}
            Some(_) if progress.records.contains(key) => {}
            Some(_) => items.push(StaleItem::Record {
                record: key.replace('/', " "),
            }),
            None => items.push(differs(
                &format!("the binding of record {}", key.replace('/', " ")),
                "nothing",
                "its fingerprint",
            )),
        }
    }
    let saved_free: BTreeSet<&String> = saved.binding.free_names.iter().collect();
    let fresh_free: BTreeSet<&String> = fresh.binding.free_names.iter().collect();
    for name in &fresh.binding.free_names {
        if !saved_free.contains(name) {
            items.push(differs(
                &format!("the names to keep free (`{name}`)"),
                "nothing",
                &format!("`{name}`"),
            ));
        }
    }
    if !partial {
        // Nothing done: the binding is the fresh one exactly, nothing more either.
        for (id, old) in &saved.binding.territories {
            if !fresh.binding.territories.contains_key(id) {
                items.push(differs(
                    &format!("the binding of territory `{}` (id {id})", old.name),
                    "a fingerprint",
                    "nothing (the plan does not depend on it)",
                ));
            }
        }
        for (id, old) in &saved.binding.users {
            if !fresh.binding.users.contains_key(id) {
                items.push(differs(
                    &format!("the binding of user `{}` (id {id})", old.name),
                    "a fingerprint",
                    "nothing (the plan does not depend on it)",
                ));
            }
        }
        for key in saved.binding.records.keys() {
            if !fresh.binding.records.contains_key(key) {
                items.push(differs(
                    &format!("the binding of record {}", key.replace('/', " ")),
                    "a fingerprint",
                    "nothing (the plan does not depend on it)",
                ));
            }
        }
        for name in &saved.binding.free_names {
            if !fresh_free.contains(name) {
                items.push(differs(
                    &format!("the names to keep free (`{name}`)"),
                    &format!("`{name}`"),
                    "nothing",
                ));
            }
        }
    } else {
        for name in &saved.binding.free_names {
            if !fresh_free.contains(name) && !progress.named.contains(&NameKey::new(name)) {
                items.push(differs(
                    &format!("the names to keep free (`{name}`)"),
                    &format!("`{name}`"),
                    "nothing",
                ));
            }
        }
    }
}

/// At most this many differences are named per change.
const DETAILS_PER_CHANGE: usize = 8;

/// Where `saved` and `now` differ, as `path: saved X, now Y` (JSON values, long ones cut).
fn json_differences(
    path: &str,
    saved: &serde_json::Value,
    now: &serde_json::Value,
    out: &mut Vec<String>,
) {
    use serde_json::Value;
    if saved == now || out.len() >= DETAILS_PER_CHANGE {
        return;
    }
    let child = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match (saved, now) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                json_differences(
                    &child(key),
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (a, b)) in a.iter().zip(b).enumerate() {
                json_differences(&format!("{path}[{index}]"), a, b, out);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for entry in b.iter().filter(|entry| !a.contains(entry)) {
                out.push(format!("{path}: a plan made now also has {}", short(entry)));
            }
            for entry in a.iter().filter(|entry| !b.contains(entry)) {
                out.push(format!("{path}: the plan file also has {}", short(entry)));
            }
        }
        _ => out.push(format!(
            "{path}: the plan file says {}, a plan made now says {}",
            short(saved),
            short(now)
        )),
    }
}

/// A JSON value in at most 120 characters.
fn short(value: &serde_json::Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 120 {
        text
    } else {
        let cut: String = text.chars().take(117).collect();
        format!("{cut}...")
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Fields, OrgInfo, Permission, Unmanaged, UserRef};
    use crate::plan::{UnmanagedTerritory, plan};

    use super::*;

    /// Org (1) > A (2) > A1 (3); Org > B (4) > B1 (5); two users; org `Acme` (id org1).
    fn live() -> Live {
        Live {
            org: Some(OrgInfo {
                id: "org1".to_owned(),
                name: "Acme".to_owned(),
            }),
            ..crate::plan::fixtures::two_branches()
        }
    }

    /// A1 moves under B and gets a description, N is created under A1 with a manager, B1 is
    /// deleted.
    fn desired() -> Desired {
        use crate::plan::fixtures::territory;
        let mut a1 = territory("A1", "B");
        a1.description = Some("moved".to_owned());
        let mut new = territory("N", "A1");
        new.manager = Some("u1@x.com".to_owned());
        Desired {
            root: "Org".to_owned(),
            root_origin: None,
            unmanaged: Unmanaged::Delete,
            territories: vec![territory("A", "Org"), a1, territory("B", "Org"), new],
            assignments: BTreeMap::new(),
        }
    }

    fn saved() -> Plan {
        plan(&desired(), &live(), &Policy::default()).expect("the fixture plans")
    }

    fn check(saved: &Plan, live: &Live) -> Result<Verified, Rejected> {
        verify(saved, &desired(), live, &Policy::default())
    }

    /// The stale items `verify` names for `saved` against the fixture's org.
    fn stale_items(saved: &Plan) -> Vec<StaleItem> {
        stale_against(saved, &live())
    }

    fn stale_against(saved: &Plan, live: &Live) -> Vec<StaleItem> {
        match check(saved, live) {
            Err(Rejected::Stale(stale)) => stale.changes,
            Err(Rejected::Plan(error)) => panic!("planning failed: {error:?}"),
            Ok(_) => panic!("the saved plan was accepted"),
        }
    }

    fn differs(what: &str, saved: &str, now: &str) -> StaleItem {
        super::differs(what, saved, now)
    }

    fn territory_mut<'a>(live: &'a mut Live, id: &str) -> &'a mut LiveTerritory {
        live.territories
            .iter_mut()
            .find(|territory| territory.id == id)
            .expect("a fixture territory")
    }

    /// The org once N is created (id 9, under A1).
    fn with_n_created(mut live: Live) -> Live {
        let mut n = Fields::new("N", Some("3".to_owned()), Permission::ReadOnly);
        n.manager = Some(UserRef {
            id: "u1".to_owned(),
            name: None,
        });
        live.territories.push(LiveTerritory {
            id: "9".to_owned(),
            fields: n,
            modified_time: None,
        });
        live
    }

    #[test]
    fn the_plan_it_was_is_accepted_and_nothing_is_done() {
        let saved = saved();
        assert_eq!(
            saved
                .changes
                .iter()
                .map(|c| c.key.as_str())
                .collect::<Vec<_>>(),
            ["create:n", "update:3", "delete:5"]
        );
        let verified = check(&saved, &live()).expect("accepted");
        assert_eq!(verified.plan, saved);
        assert!(verified.done.is_empty());
    }

    #[test]
    fn another_org_is_named_as_planned_and_as_found() {
        let mut other = live();
        other.org = Some(OrgInfo {
            id: "org2".to_owned(),
            name: "Other".to_owned(),
        });
        assert_eq!(
            stale_against(&saved(), &other),
            [StaleItem::OtherOrg {
                planned: "`Acme` (id org1)".to_owned(),
                now: "`Other` (id org2)".to_owned(),
            }]
        );
        let mut unnamed = saved();
        unnamed.org = None;
        assert_eq!(
            stale_items(&unnamed),
            [StaleItem::OtherOrg {
                planned: "(none named)".to_owned(),
                now: "`Acme` (id org1)".to_owned(),
            }]
        );
        let mut unknown = live();
        unknown.org = None;
        assert_eq!(
            stale_against(&saved(), &unknown),
            [StaleItem::OtherOrg {
                planned: "`Acme` (id org1)".to_owned(),
                now: "(unknown)".to_owned(),
            }]
        );
        // The org's name alone may change.
        let mut renamed = live();
        renamed.org.as_mut().unwrap().name = "Acme Inc".to_owned();
        assert!(check(&saved(), &renamed).is_ok());
    }

    #[test]
    fn another_desired_state_root_or_unmanaged_policy_is_named() {
        let mut saved = saved();
        saved.binding.desired_hash = "0".repeat(64);
        saved.root = "World".to_owned();
        saved.unmanaged_policy = Unmanaged::Report;
        assert_eq!(
            stale_items(&saved),
            [
                StaleItem::DesiredChanged,
                differs("the root", "World", "Org"),
                differs("`unmanaged`", "Report", "Delete"),
            ]
        );
    }

    #[test]
    fn a_summary_or_deletion_flag_that_does_not_match_the_changes_is_named() {
        let mut saved = saved();
        saved.contains_deletions = false;
        saved.summary.add += 1;
        assert_eq!(
            stale_items(&saved),
            [
                differs(
                    "`contains_deletions`",
                    "false",
                    "true (its changes delete 1)"
                ),
                differs(
                    "`summary`",
                    "2 to add, 0 to change, 1 to move, 1 to delete, 0 record assignments, 0 record removals",
                    "1 to add, 0 to change, 1 to move, 1 to delete, 0 record assignments, 0 record removals (counted from its changes)"
                ),
            ]
        );
    }

    #[test]
    fn a_change_added_missing_twice_or_different_is_named() {
        let mut saved = saved();
        let create = saved.changes.remove(0);
        let mut rename = create.clone();
        rename.key = "update:2".to_owned();
        rename.action = Action::Update(crate::plan::Update {
            id: "2".to_owned(),
            name: "A".to_owned(),
            fields: vec![FieldChange::Name {
                old: "A".to_owned(),
                new: "Z".to_owned(),
            }],
            permission: Some(Permission::ReadOnly),
        });
        saved.changes.push(rename);
        let delete = saved.changes[1].clone();
        saved.changes.push(delete);
        let Action::Update(update) = &mut saved.changes[0].action else {
            panic!("the move");
        };
        update
            .fields
            .retain(|field| matches!(field, FieldChange::Parent { .. }));
        saved.summary = Summary::of(&saved.changes);
        let items = stale_items(&saved);
        for expected in [
            differs("change delete:5", "it more than once", "it once"),
            StaleItem::ChangeMissing {
                key: "update:2".to_owned(),
                title: "Z".to_owned(),
            },
            StaleItem::ChangeAdded {
                key: "create:n".to_owned(),
                title: "N".to_owned(),
            },
            StaleItem::ChangeDiffers {
                key: "update:3".to_owned(),
                title: "A1".to_owned(),
                details: vec![
                    "action.fields: a plan made now also has {\"field\":\"description\",\"new\":\"moved\",\"old\":null}".to_owned(),
                ],
            },
        ] {
            assert!(items.contains(&expected), "{expected:?} not in {items:#?}");
        }
    }

    #[test]
    fn a_change_in_another_wave_or_another_schedule_is_named() {
        let mut saved = saved();
        saved.changes[0].wave = 7;
        assert_eq!(
            stale_items(&saved),
            [differs(
                "the schedule",
                "3 waves of 3 batches",
                "3 waves of 3 batches (1 change in another wave: create:n)"
            )]
        );
        let mut saved = self::saved();
        saved.schedule.pop();
        assert_eq!(
            stale_items(&saved),
            [differs(
                "the schedule",
                "2 waves of 2 batches",
                "3 waves of 3 batches"
            )]
        );
    }

    #[test]
    fn unmanaged_territories_the_file_lists_and_a_plan_made_now_does_not_are_named() {
        let mut saved = saved();
        saved.unmanaged.push(UnmanagedTerritory {
            id: "8".to_owned(),
            name: "Stray".to_owned(),
            parent: "Org".to_owned(),
        });
        assert_eq!(
            stale_items(&saved),
            [differs("the unmanaged territories", "`Stray`", "none")]
        );
    }

    #[test]
    fn every_difference_of_the_binding_is_named() {
        let mut saved = saved();
        let binding = &mut saved.binding;
        binding.territories.get_mut("2").unwrap().hash = "changed".to_owned();
        binding.territories.get_mut("4").unwrap().name = "Old B".to_owned();
        binding.territories.get_mut("5").unwrap().children = vec!["7".to_owned()];
        let a1 = binding.territories.remove("3").unwrap();
        binding.territories.insert("8".to_owned(), a1);
        binding.users.get_mut("u1").unwrap().hash = "changed".to_owned();
        binding.users.insert(
            "u2".to_owned(),
            crate::plan::Fingerprint {
                name: "u2@x.com".to_owned(),
                hash: "h".to_owned(),
                children: Vec::new(),
            },
        );
        binding.free_names = vec!["Extra".to_owned()];
        let items = stale_items(&saved);
        assert_eq!(
            items,
            [
                StaleItem::Changed {
                    id: "2".to_owned(),
                    name: "A".to_owned()
                },
                differs(
                    "the binding of territory `A1` (id 3)",
                    "nothing",
                    "its fingerprint"
                ),
                differs("the binding's name of territory id 4", "`Old B`", "`B`"),
                differs("the children of territory `B1` (id 5)", "7", ""),
                StaleItem::UserChanged {
                    id: "u1".to_owned(),
                    email: "u1@x.com".to_owned()
                },
                differs("the names to keep free (`N`)", "nothing", "`N`"),
                differs(
                    "the binding of territory `A1` (id 8)",
                    "a fingerprint",
                    "nothing (the plan does not depend on it)"
                ),
                differs(
                    "the binding of user `u2@x.com` (id u2)",
                    "a fingerprint",
                    "nothing (the plan does not depend on it)"
                ),
                differs("the names to keep free (`Extra`)", "`Extra`", "nothing"),
            ],
        );
        let mut saved = self::saved();
        saved.binding.users.clear();
        assert_eq!(
            stale_items(&saved),
            [differs(
                "the binding of user `u1@x.com` (id u1)",
                "nothing",
                "its fingerprint"
            )]
        );
    }

    #[test]
    fn a_child_added_under_a_territory_the_plan_deletes_is_named() {
        let mut live = live();
        live.territories.push(LiveTerritory {
            id: "7".to_owned(),
            fields: Fields::new("B1a", Some("5".to_owned()), Permission::ReadOnly),
            modified_time: None,
        });
        let items = stale_against(&saved(), &live);
        assert!(
            items.contains(&StaleItem::Children {
                id: "5".to_owned(),
                name: "B1".to_owned(),
                added: vec!["`B1a` (id 7)".to_owned()],
            }),
            "{items:#?}"
        );
    }

    #[test]
    fn what_an_earlier_apply_did_is_accepted_as_done() {
        let saved = saved();
        // The create done.
        let live = with_n_created(self::live());
        let verified = check(&saved, &live).expect("accepted");
        assert_eq!(verified.done, ["create:n"]);
        assert!(verified.plan.change("create:n").is_none());
        // Then the description of the move's update, not yet the parent.
        let mut live = live;
        territory_mut(&mut live, "3").description = Some("moved".to_owned());
        let verified = check(&saved, &live).expect("accepted");
        assert_eq!(verified.done, ["create:n"]);
        let Action::Update(update) = &verified.plan.change("update:3").unwrap().action else {
            panic!("the move");
        };
        assert!(matches!(update.fields[..], [FieldChange::Parent { .. }]));
        // Then the parent and the deletion: everything done.
        territory_mut(&mut live, "3").parent = Some("4".to_owned());
        live.territories.retain(|territory| territory.id != "5");
        let verified = check(&saved, &live).expect("accepted");
        assert_eq!(verified.done, ["create:n", "delete:5", "update:3"]);
        assert!(verified.plan.changes.is_empty());
    }

    #[test]
    fn a_change_the_org_does_not_show_done_is_not_taken_as_done() {
        let saved = saved();
        // N exists with another case: the create is done, the case is a change the saved plan
        // has not.
        let mut live = with_n_created(live());
        territory_mut(&mut live, "9").name = "n".to_owned();
        assert_eq!(
            stale_against(&saved, &live),
            [StaleItem::ChangeAdded {
                key: "update:9".to_owned(),
                title: "N".to_owned(),
            }]
        );
        // A1 moved elsewhere than planned, its description done: the move is not what a plan
        // made now says (its old parent).
        let mut live = self::live();
        territory_mut(&mut live, "3").parent = Some("1".to_owned());
        territory_mut(&mut live, "3").description = Some("moved".to_owned());
        assert_eq!(
            stale_against(&saved, &live),
            [StaleItem::ChangeDiffers {
                key: "update:3".to_owned(),
                title: "A1".to_owned(),
                details: vec![
                    "action.fields[0].old.existing.id: the plan file says \"2\", a plan made now says \"1\"".to_owned(),
                    "action.fields[0].old.existing.name: the plan file says \"A\", a plan made now says \"Org\"".to_owned(),
                ],
            }]
        );
    }

    #[test]
    fn a_manager_who_left_is_named_and_another_mismatch_is_the_plans_error() {
        let mut live = live();
        live.users.retain(|user| user.id != "u1");
        assert_eq!(
            stale_against(&saved(), &live),
            [StaleItem::UserGone {
                id: "u1".to_owned(),
                email: "u1@x.com".to_owned()
            }]
        );
        let mut saved = saved();
        saved.changes.retain(|change| change.key != "create:n");
        assert!(matches!(
            check(&saved, &live),
            Err(Rejected::Plan(PlanError::Mismatch { .. }))
        ));
    }

    #[test]
    fn a_long_value_is_cut_to_120_characters() {
        let long = serde_json::Value::String("x".repeat(200));
        let cut = short(&long);
        assert_eq!(cut.chars().count(), 120);
        assert!(cut.starts_with("\"xxx") && cut.ends_with("..."));
        let exact = serde_json::Value::String("x".repeat(118));
        assert_eq!(short(&exact), exact.to_string());
    }

    #[test]
    fn a_new_manager_who_left_is_named() {
        let mut desired = desired();
        desired.territories[0].manager = Some("u2@x.com".to_owned());
        let saved = plan(&desired, &live(), &Policy::default()).expect("plans");
        let mut live = live();
        live.users.retain(|user| user.id != "u2");
        match verify(&saved, &desired, &live, &Policy::default()) {
            Err(Rejected::Stale(stale)) => assert_eq!(
                stale.changes,
                [StaleItem::UserGone {
                    id: "u2".to_owned(),
                    email: "u2@x.com".to_owned()
                }]
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_name_an_earlier_apply_gave_need_not_be_kept_free() {
        let mut desired = desired();
        desired.territories[0].name = "Alpha".to_owned();
        desired.territories[0].previously = vec!["A".to_owned()];
        let saved = plan(&desired, &live(), &Policy::default()).expect("plans");
        assert!(saved.binding.free_names.contains(&"Alpha".to_owned()));
        let mut live = live();
        territory_mut(&mut live, "2").name = "Alpha".to_owned();
        let verified = verify(&saved, &desired, &live, &Policy::default()).expect("accepted");
        assert_eq!(verified.done, ["update:2"]);
    }

    /// The fixture's desired state with Accounts record 500 in A and B, and its org with the
    /// record manually in A1 and in the territories `manual` (by id).
    fn with_record(manual: &[&str]) -> (Desired, Live) {
        use crate::model::{LiveRecord, Module, RecordTerritory};
        let mut desired = desired();
        desired.assignments = BTreeMap::from([(
            Module::Accounts,
            BTreeMap::from([("500".to_owned(), vec!["A".to_owned(), "B".to_owned()])]),
        )]);
        let mut live = live();
        let name = |id: &str| {
            live.territory(id)
                .expect("a fixture territory")
                .name
                .clone()
        };
        let on_record = |id: &str| RecordTerritory {
            id: id.to_owned(),
            name: name(id),
            how: AssignedHow::Manually,
            assigned_by: None,
            assigned_time: None,
        };
        live.records = BTreeMap::from([(
            Module::Accounts,
            BTreeMap::from([(
                "500".to_owned(),
                LiveRecord {
                    id: "500".to_owned(),
                    territories: manual.iter().map(|id| on_record(id)).collect(),
                },
            )]),
        )]);
        (desired, live)
    }

    /// The names of the territories a record change lists.
    fn record_territories(plan: &Plan, key: &str) -> Vec<String> {
        match plan.change(key).map(|change| &change.action) {
            Some(Action::Assign(record) | Action::Remove(record)) => record
                .territories
                .iter()
                .map(|territory| territory.name().to_owned())
                .collect(),
            other => panic!("{key}: {other:?}"),
        }
    }

    #[test]
    fn what_an_earlier_apply_did_to_a_record_is_accepted_as_done() {
        let (desired, live) = with_record(&["3"]);
        let saved = plan(&desired, &live, &Policy::default()).expect("plans");
        assert_eq!(
            record_territories(&saved, "assign:Accounts:500"),
            ["A", "B"]
        );
        assert_eq!(record_territories(&saved, "remove:Accounts:500"), ["A1"]);
        let verify = |live: &Live| verify(&saved, &desired, live, &Policy::default());

        // The record put in A: the assignment is partly done, B is left.
        let (_, live) = with_record(&["3", "2"]);
        let verified = verify(&live).expect("accepted");
        assert!(verified.done.is_empty());
        assert_eq!(
            record_territories(&verified.plan, "assign:Accounts:500"),
            ["B"]
        );
        assert_eq!(
            record_territories(&verified.plan, "remove:Accounts:500"),
            ["A1"]
        );

        // Then taken out of A1: the removal is done.
        let (_, live) = with_record(&["2"]);
        let verified = verify(&live).expect("accepted");
        assert_eq!(verified.done, ["remove:Accounts:500"]);
        assert_eq!(
            record_territories(&verified.plan, "assign:Accounts:500"),
            ["B"]
        );

        // Then put in B: both are done.
        let (_, live) = with_record(&["4", "2"]);
        let verified = verify(&live).expect("accepted");
        assert_eq!(
            verified.done,
            ["assign:Accounts:500", "remove:Accounts:500"]
        );
        assert!(
            verified
                .plan
                .changes
                .iter()
                .all(|change| !change.key.contains(":Accounts:"))
        );

        // A record in another territory than planned is not taken as done: still in A1 and
        // now in B1, the removal is what a plan made now says, the assignment is not.
        let (_, live) = with_record(&["3", "5"]);
        assert!(matches!(verify(&live), Err(Rejected::Stale(_))));
        // Nor is a territory a rule gave it: in A by hand and in B automatically, a plan made
        // now assigns nothing, but the assignment to B was not done.
        let (_, mut live) = with_record(&["2"]);
        let record = live
            .records
            .values_mut()
            .flat_map(BTreeMap::values_mut)
            .next()
            .expect("the record");
        let mut by_rule = record.territories[0].clone();
        by_rule.id = "4".to_owned();
        by_rule.name = "B".to_owned();
        by_rule.how = AssignedHow::Automatically;
        record.territories.push(by_rule);
        match verify(&live) {
            Err(Rejected::Stale(stale)) => assert_eq!(
                stale.changes,
                [StaleItem::ChangeMissing {
                    key: "assign:Accounts:500".to_owned(),
                    title: "Accounts 500".to_owned(),
                }]
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_record_change_as_planned_leaves_the_schedule_to_be_checked() {
        let (desired, live) = with_record(&["3"]);
        let mut saved = plan(&desired, &live, &Policy::default()).expect("plans");
        saved.schedule.pop();
        match verify(&saved, &desired, &live, &Policy::default()) {
            Err(Rejected::Stale(stale)) => assert!(
                matches!(&stale.changes[..], [StaleItem::Differs { what, .. }] if what == "the schedule"),
                "{:?}",
                stale.changes
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_done_move_alone_is_accepted_as_done() {
        // A1 under B with its description: the move is done, the create and the deletion not.
        let mut live = live();
        territory_mut(&mut live, "3").parent = Some("4".to_owned());
        territory_mut(&mut live, "3").description = Some("moved".to_owned());
        let verified = check(&saved(), &live).expect("accepted");
        assert_eq!(verified.done, ["update:3"]);
        assert_eq!(
            verified
                .plan
                .changes
                .iter()
                .map(|change| change.key.as_str())
                .collect::<Vec<_>>(),
            ["create:n", "delete:5"]
        );
        // The same with A deleted too: the move took A1 out of it, which is no news.
        let mut desired = desired();
        desired.territories.remove(0);
        let saved = plan(&desired, &self::live(), &Policy::default()).expect("plans");
        assert!(saved.change("delete:2").is_some());
        let verified = verify(&saved, &desired, &live, &Policy::default()).expect("accepted");
        assert_eq!(verified.done, ["update:3"]);
        // A child added since under A is news, although the move changed A's children too.
        live.territories.push(LiveTerritory {
            id: "8".to_owned(),
            fields: Fields::new("X", Some("2".to_owned()), Permission::ReadOnly),
            modified_time: None,
        });
        match verify(&saved, &desired, &live, &Policy::default()) {
            Err(Rejected::Stale(stale)) => assert!(
                stale.changes.contains(&StaleItem::Children {
                    id: "2".to_owned(),
                    name: "A".to_owned(),
                    added: vec!["`X` (id 8)".to_owned()],
                }),
                "{:?}",
                stale.changes
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_rename_left_after_the_rest_of_its_update_is_done_is_accepted() {
        let mut desired = desired();
        desired.territories[0].name = "Alpha".to_owned();
        desired.territories[0].previously = vec!["A".to_owned()];
        desired.territories[0].description = Some("first".to_owned());
        let saved = plan(&desired, &live(), &Policy::default()).expect("plans");
        let mut live = live();
        territory_mut(&mut live, "2").description = Some("first".to_owned());
        let verified = verify(&saved, &desired, &live, &Policy::default()).expect("accepted");
        assert!(verified.done.is_empty());
        let Action::Update(update) = &verified.plan.change("update:2").expect("left").action else {
            panic!("an update");
        };
        assert!(
            matches!(&update.fields[..], [FieldChange::Name { new, .. }] if new == "Alpha"),
            "{:?}",
            update.fields
        );
    }

    #[test]
    fn a_deletion_under_a_territory_a_done_rename_renamed_is_accepted() {
        let mut desired = desired();
        desired.territories[2].name = "Bee".to_owned();
        desired.territories[2].previously = vec!["B".to_owned()];
        desired.territories[1].parent = "Bee".to_owned();
        let saved = plan(&desired, &live(), &Policy::default()).expect("plans");
        let Action::Delete(delete) = &saved.change("delete:5").expect("B1 deleted").action else {
            panic!("a deletion");
        };
        assert_eq!(delete.parent.name(), "B");
        let mut live = live();
        territory_mut(&mut live, "4").name = "Bee".to_owned();
        let verified = verify(&saved, &desired, &live, &Policy::default()).expect("accepted");
        assert_eq!(verified.done, ["update:4"]);
        let Action::Delete(delete) = &verified.plan.change("delete:5").expect("left").action else {
            panic!("a deletion");
        };
        assert_eq!(delete.parent.name(), "Bee");
    }

    #[test]
    fn a_create_under_a_territory_the_plan_renames_is_accepted_before_and_after_the_rename() {
        // The create's parent is named as the plan leaves it (`Alpha`), not as the org has it.
        let mut desired = desired();
        desired.territories[0].name = "Alpha".to_owned();
        desired.territories[0].previously = vec!["A".to_owned()];
        desired
            .territories
            .push(crate::plan::fixtures::territory("M", "Alpha"));
        let saved = plan(&desired, &live(), &Policy::default()).expect("plans");
        let Action::Create(create) = &saved.change("create:m").expect("M").action else {
            panic!("a create");
        };
        assert_eq!(create.parent.name(), "Alpha");
        let verified = verify(&saved, &desired, &live(), &Policy::default()).expect("accepted");
        assert!(verified.done.is_empty());
        let mut live = live();
        territory_mut(&mut live, "2").name = "Alpha".to_owned();
        let verified = verify(&saved, &desired, &live, &Policy::default()).expect("accepted");
        assert_eq!(verified.done, ["update:2"]);
    }
}
