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
