//! The schedule: which wave each change goes in, and the batches of each wave.
//!
//! Phases run in a fixed order, each in as few waves as its dependencies need:
//! 1. Creates, top-down: a new territory whose parent is new goes in a later wave than its
//!    parent (its parent's id is known only after that wave).
//! 2. Updates and moves, all `PUT`: one `PUT` item carries every changed field of a territory
//!    (name, parent, manager, permission, description, criteria), so renames, updates and
//!    moves of different territories share batches. Moves are spread over as many waves as it
//!    takes for no intermediate state to contain a cycle ([`move_waves`]); plain updates fill
//!    the room left in those waves' batches.
//! 3. Deletes, bottom-up: a deleted territory goes after its deleted descendants. One whose
//!    children survive, and whose own parent is deleted too, is deleted with
//!    `transfer_and_delete` to its nearest surviving ancestor (a target every reading of
//!    Zoho's rules accepts; see `transferred_by` in diff.rs); every other deletion has no
//!    children left by then (its surviving children were moved by `PUT` in phase 2) and goes
//!    out as a plain `DELETE ?ids=`, the call every source documents. The two never share a
//!    batch: `transfer_and_delete` without a `transfer_to_id` is only the OpenAPI file's
//!    reading; the doc pages make the target mandatory.
//! 4. Record removals, then record assignments: removing first keeps a record within Zoho's
//!    per-record limit at every moment (a Deal, limited to one territory, is reassigned by a
//!    removal followed by an assignment).
//!
//! Within each phase, [`pack`] fills batches as far as the dependencies allow, so the number of
//! batches is the minimum the hierarchy allows.

use std::collections::{BTreeMap, BTreeSet};

use super::batch::{BATCH_SIZE, Batch, Item, Operation, Phase, Wave, pack};
use super::change::{Action, Change, TerritoryRef};
use super::error::PlanError;
use crate::model::{Live, NameKey};

/// Assigns every change its wave, sorts the changes by (wave, depth, name), and returns the
/// schedule.
///
/// # Errors
/// [`PlanError::MoveCycle`] if the moves cannot be ordered (impossible for an acyclic desired
/// hierarchy; see [`move_waves`]).
pub(crate) fn schedule(changes: &mut [Change], live: &Live) -> Result<Vec<Wave>, PlanError> {
    sort_for_packing(changes);
    let mut phases: Vec<(Phase, Vec<usize>, Vec<usize>)> = Vec::new();

    let creates = create_items(changes);
    phases.push((Phase::Create, creates.0, creates.1));
    let updates = update_items(changes, live)?;
    phases.push((Phase::Update, updates.0, updates.1));
    // A wave of users added, then one of users removed, after every update: each territory's
    // users are a request of their own (Zoho's calls are per territory).
    for (phase, adds) in [(Phase::AddUsers, true), (Phase::RemoveUsers, false)] {
        let members: Vec<usize> = (0..changes.len())
            .filter(|&index| {
                let (added, removed) = super::member_change(&changes[index]);
                if adds {
                    !added.is_empty()
                } else {
                    !removed.is_empty()
                }
            })
            .collect();
        let waves = vec![0; members.len()];
        phases.push((phase, members, waves));
    }
    let deletes = delete_items(changes);
    phases.push((Phase::Delete, deletes.0, deletes.1));
    for phase in [Phase::RemoveRecords, Phase::AssignRecords] {
        let members: Vec<usize> = (0..changes.len())
            .filter(|&index| operation(&changes[index]).is_some_and(|op| op.phase() == phase))
            .collect();
        let waves = vec![0; members.len()];
        phases.push((phase, members, waves));
    }

    let mut schedule = Vec::new();
    let mut wave_of_change: BTreeMap<String, usize> = BTreeMap::new();
    for (phase, members, waves) in phases {
        let count = waves.iter().copied().max().map_or(0, |last| last + 1);
        for wave in 0..count {
            let in_wave: Vec<usize> = members
                .iter()
                .zip(&waves)
                .filter(|&(_, &at)| at == wave)
                .map(|(&index, _)| index)
                .collect();
            let users = match phase {
                Phase::AddUsers => Some(Operation::AddUsers),
                Phase::RemoveUsers => Some(Operation::RemoveUsers),
                _ => None,
            };
            let batches = if let Some(operation) = users {
                in_wave
                    .iter()
                    .map(|&index| Batch {
                        operation,
                        changes: vec![changes[index].key.clone()],
                    })
                    .collect()
            } else {
                batches(changes, &in_wave)
            };
            if batches.is_empty() {
                continue;
            }
            let number = schedule.len() + 1;
            for &index in &in_wave {
                // A change in two waves (its territory's own request, then its users) is
                // listed under the first.
                wave_of_change
                    .entry(changes[index].key.clone())
                    .or_insert(number);
            }
            schedule.push(Wave {
                number,
                phase,
                batches,
            });
        }
    }
    for change in changes.iter_mut() {
        if let Some(&wave) = wave_of_change.get(&change.key) {
            change.wave = wave;
        }
    }
    // An update whose only change is a move carried out by a `transfer_and_delete` is in no
    // batch: it happens in the wave of that deletion.
    for change in changes.iter_mut() {
        let carrier = match &change.action {
            Action::Update(update) if !update.needs_put() => update.transferred_by(),
            _ => None,
        };
        if let Some(&wave) = carrier.and_then(|key| wave_of_change.get(key)) {
            change.wave = wave;
        }
    }
    changes.sort_by(|left, right| {
        (
            left.wave,
            left.depth,
            NameKey::new(&left.title()),
            &left.key,
        )
            .cmp(&(
                right.wave,
                right.depth,
                NameKey::new(&right.title()),
                &right.key,
            ))
    });
    Ok(schedule)
}

fn sort_for_packing(changes: &mut [Change]) {
    changes.sort_by(|left, right| {
        (left.depth, NameKey::new(&left.title()), &left.key).cmp(&(
            right.depth,
            NameKey::new(&right.title()),
            &right.key,
        ))
    });
}

/// The call a change is sent with, and the module for record calls; `None` for a change that
/// needs no request of its own.
fn operation(change: &Change) -> Option<Operation> {
    match &change.action {
        Action::Create(_) => Some(Operation::Create),
        Action::Update(update) => update.needs_put().then_some(Operation::Update),
        Action::Delete(delete) if delete.transfer_to.is_some() => {
            Some(Operation::TransferAndDelete)
        }
        Action::Delete(_) => Some(Operation::Delete),
        Action::Remove(records) => Some(Operation::RemoveTerritories(records.module)),
        Action::Assign(records) => Some(Operation::AssignTerritories(records.module)),
    }
}

/// Splits the changes of one wave into batches: by call and module, in request order, ten at a
/// time.
fn batches(changes: &[Change], in_wave: &[usize]) -> Vec<Batch> {
    let mut by_kind: BTreeMap<Operation, Vec<String>> = BTreeMap::new();
    for &index in in_wave {
        if let Some(kind) = operation(&changes[index]) {
            by_kind
                .entry(kind)
                .or_default()
                .push(changes[index].key.clone());
        }
    }
    by_kind
        .into_iter()
        .flat_map(|(operation, keys)| {
            keys.chunks(BATCH_SIZE)
                .map(|chunk| Batch {
                    operation,
                    changes: chunk.to_vec(),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Creates: a new territory's earliest wave is the number of new territories above it.
fn create_items(changes: &[Change]) -> (Vec<usize>, Vec<usize>) {
    let index_of: BTreeMap<&str, usize> = changes
        .iter()
        .enumerate()
        .filter(|(_, change)| matches!(change.action, Action::Create(_)))
        .map(|(index, change)| (change.key.as_str(), index))
        .collect();
    let members: Vec<usize> = index_of
        .values()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let position: BTreeMap<usize, usize> = members
        .iter()
        .enumerate()
        .map(|(position, &index)| (index, position))
        .collect();
    let new_parent = |index: usize| match &changes[index].action {
        Action::Create(create) => match &create.parent {
            TerritoryRef::AfterApply { change, .. } => index_of.get(change.as_str()).copied(),
            TerritoryRef::Existing { .. } => None,
        },
        _ => None,
    };
    let items: Vec<Item> = members
        .iter()
        .map(|&index| {
            let mut earliest = 0;
            let mut current = new_parent(index);
            while let Some(parent) = current {
                earliest += 1;
                current = new_parent(parent);
                if earliest > members.len() {
                    break;
                }
            }
            Item {
                kind: Operation::Create,
                earliest,
                pinned: false,
                after: new_parent(index)
                    .and_then(|parent| position.get(&parent).copied())
                    .into_iter()
                    .collect(),
            }
        })
        .collect();
    let waves = items
        .iter()
        .map(|item| item.earliest + 1)
        .max()
        .unwrap_or(0);
    let placed = pack(&items, waves);
    (members, placed)
}

/// Updates and moves (only those that need a `PUT`).
fn update_items(changes: &[Change], live: &Live) -> Result<(Vec<usize>, Vec<usize>), PlanError> {
    let members: Vec<usize> = (0..changes.len())
        .filter(|&index| operation(&changes[index]).is_some_and(|op| op == Operation::Update))
        .collect();
    // The hierarchy as it stands when the moves start: the live org plus the new territories.
    let mut parents: BTreeMap<String, String> = live
        .territories
        .iter()
        .filter_map(|territory| Some((territory.id.clone(), territory.parent.clone()?)))
        .collect();
    for change in changes {
        if let Action::Create(create) = &change.action {
            parents.insert(change.key.clone(), node(&create.parent));
        }
    }
    let mut moves: Vec<(String, String)> = Vec::new();
    let mut move_index: Vec<Option<usize>> = vec![None; members.len()];
    let mut labels = Vec::new();
    for (position, &index) in members.iter().enumerate() {
        let Action::Update(update) = &changes[index].action else {
            continue;
        };
        let moved = update
            .parent_change()
            .filter(|_| update.transferred_by().is_none());
        if let Some((_, new)) = moved {
            move_index[position] = Some(moves.len());
            moves.push((update.id.clone(), node(new)));
            labels.push(update.new_name().to_owned());
        }
    }
    let move_wave = move_waves(&parents, &moves, &labels)?;
    let items: Vec<Item> = move_index
        .iter()
        .map(|moved| Item {
            kind: Operation::Update,
            earliest: moved.map_or(0, |at| move_wave[at]),
            pinned: moved.is_some(),
            after: Vec::new(),
        })
        .collect();
    let waves = items
        .iter()
        .map(|item| item.earliest + 1)
        .max()
        .unwrap_or(0);
    Ok((members, pack(&items, waves)))
}

/// How the move orderer names a territory: its id, or its create change's key.
fn node(reference: &TerritoryRef) -> String {
    match reference {
        TerritoryRef::Existing { id, .. } => id.clone(),
        TerritoryRef::AfterApply { change, .. } => change.clone(),
    }
}

/// Orders moves so that no intermediate hierarchy has a cycle; returns each move's wave.
///
/// A wave may hold several moves only if, whichever of them Zoho carries out first (batches in
/// a wave run concurrently), no territory ever ends up under itself: for each move `X -> P` of
/// the wave, walking up from `P`, where every territory moved in the same wave may be at its
/// old or its new parent, never reaches `X`. Moves are added to a wave greedily in (depth,
/// name) order; the next wave starts from the hierarchy the previous one left.
///
/// No temporary parking place is ever needed, even for a swap (`A` under `B` while `B` moves
/// under `A`): if every pending move `X -> P` had `P` inside `X`'s current subtree, then on
/// the path from `P` up to `X` some territory `Y` would have to move too (else the desired
/// hierarchy would have the cycle), `Y`'s own target would again lie below `Y`, and so on, each
/// time strictly deeper in a finite tree. So some pending move is always safe on its own, and
/// the loop always progresses.
///
/// # Errors
/// [`PlanError::MoveCycle`] when the desired hierarchy itself has a cycle.
pub(crate) fn move_waves(
    parents: &BTreeMap<String, String>,
    moves: &[(String, String)],
    labels: &[String],
) -> Result<Vec<usize>, PlanError> {
    let mut parents = parents.clone();
    let mut wave_of = vec![usize::MAX; moves.len()];
    let mut pending: Vec<usize> = (0..moves.len()).collect();
    let mut wave = 0;
    while !pending.is_empty() {
        let mut in_wave: BTreeMap<&str, &str> = BTreeMap::new();
        let mut chosen = Vec::new();
        for &index in &pending {
            let (moved, target) = (&moves[index].0, &moves[index].1);
            in_wave.insert(moved, target);
            let safe = in_wave
                .iter()
                .all(|(&moved, &target)| !reaches(&parents, &in_wave, target, moved));
            if safe {
                chosen.push(index);
            } else {
                in_wave.remove(moved.as_str());
            }
        }
        if chosen.is_empty() {
            let mut names: Vec<String> =
                pending.iter().map(|&index| labels[index].clone()).collect();
            names.sort();
            return Err(PlanError::MoveCycle { names });
        }
        for &index in &chosen {
            wave_of[index] = wave;
            parents.insert(moves[index].0.clone(), moves[index].1.clone());
        }
        pending.retain(|index| !chosen.contains(index));
        wave += 1;
    }
    Ok(wave_of)
}

/// Whether walking up from `start` can reach `goal`, when every territory in `in_wave` may be at
/// its old parent or at its new one.
fn reaches(
    parents: &BTreeMap<String, String>,
    in_wave: &BTreeMap<&str, &str>,
    start: &str,
    goal: &str,
) -> bool {
    let mut stack = vec![start.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(current) = stack.pop() {
        if current == goal {
            return true;
        }
        if !seen.insert(current.clone()) {
            continue;
        }
        if let Some(parent) = parents.get(&current) {
            stack.push(parent.clone());
        }
        if let Some(&target) = in_wave.get(current.as_str()) {
            stack.push(target.to_owned());
        }
    }
    false
}

/// Deletes: a deleted territory goes after its deleted children.
fn delete_items(changes: &[Change]) -> (Vec<usize>, Vec<usize>) {
    let members: Vec<usize> = (0..changes.len())
        .filter(|&index| matches!(changes[index].action, Action::Delete(_)))
        .collect();
    let position_of_id: BTreeMap<&str, usize> = members
        .iter()
        .enumerate()
        .filter_map(|(position, &index)| match &changes[index].action {
            Action::Delete(delete) => Some((delete.id.as_str(), position)),
            _ => None,
        })
        .collect();
    let parent_position = |index: usize| match &changes[index].action {
        Action::Delete(delete) => delete
            .parent
            .id()
            .and_then(|id| position_of_id.get(id).copied()),
        _ => None,
    };
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); members.len()];
    for (position, &index) in members.iter().enumerate() {
        if let Some(parent) = parent_position(index) {
            after[parent].push(position);
        }
    }
    // Height among deleted territories: 0 for one without deleted children.
    let mut height = vec![0; members.len()];
    // Children are deeper, and `members` is sorted by depth: the deepest first settles them.
    for position in (0..members.len()).rev() {
        height[position] = after[position]
            .iter()
            .map(|&child| height[child] + 1)
            .max()
            .unwrap_or(0);
    }
    let items: Vec<Item> = members
        .iter()
        .enumerate()
        .map(|(position, &index)| Item {
            kind: operation(&changes[index]).unwrap_or(Operation::Delete),
            earliest: height[position],
            pinned: false,
            after: after[position].clone(),
        })
        .collect();
    let waves = items
        .iter()
        .map(|item| item.earliest + 1)
        .max()
        .unwrap_or(0);
    (members, pack(&items, waves))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift): the test needs variety, not randomness.
    struct Generator(u64);

    impl Generator {
        fn below(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            usize::try_from(self.0 % bound as u64).unwrap_or(0)
        }
    }

    /// A random tree over nodes 1..=count under root 0: each node's parent comes before it in
    /// a random order, so the result is always a tree.
    fn random_tree(generator: &mut Generator, count: usize) -> BTreeMap<String, String> {
        let mut order: Vec<usize> = (1..=count).collect();
        for index in (1..order.len()).rev() {
            order.swap(index, generator.below(index + 1));
        }
        let mut parents = BTreeMap::new();
        for (position, &node) in order.iter().enumerate() {
            let parent = if position == 0 {
                0
            } else {
                let choice = generator.below(position + 1);
                if choice == position { 0 } else { order[choice] }
            };
            parents.insert(node.to_string(), parent.to_string());
        }
        parents
    }

    fn has_cycle(parents: &BTreeMap<String, String>) -> bool {
        parents.keys().any(|start| {
            let mut current = start;
            for _ in 0..=parents.len() {
                match parents.get(current) {
                    Some(parent) if parent == start => return true,
                    Some(parent) => current = parent,
                    None => return false,
                }
            }
            true
        })
    }

    #[test]
    fn any_restructure_is_ordered_without_a_transient_cycle() {
        let mut generator = Generator(0x5eed_1234_abcd_0001);
        for _ in 0..300 {
            let count = 2 + generator.below(7);
            let before = random_tree(&mut generator, count);
            let after = random_tree(&mut generator, count);
            let moves: Vec<(String, String)> = after
                .iter()
                .filter(|(node, parent)| before.get(*node) != Some(*parent))
                .map(|(node, parent)| (node.clone(), parent.clone()))
                .collect();
            let labels: Vec<String> = moves.iter().map(|(node, _)| node.clone()).collect();
            let waves = move_waves(&before, &moves, &labels).expect("an acyclic target orders");
            let mut state = before.clone();
            for wave in 0..=waves.iter().copied().max().unwrap_or(0) {
                let in_wave: Vec<&(String, String)> = moves
                    .iter()
                    .zip(&waves)
                    .filter(|&(_, &at)| at == wave)
                    .map(|(one, _)| one)
                    .collect();
                // Every subset of the wave, as concurrent batches may land in any order.
                for subset in 0..(1_u32 << in_wave.len()) {
                    let mut partial = state.clone();
                    for (index, (node, parent)) in in_wave.iter().enumerate() {
                        if subset & (1 << index) != 0 {
                            partial.insert(node.clone(), parent.clone());
                        }
                    }
                    assert!(!has_cycle(&partial), "{before:?} -> {after:?}: wave {wave}");
                }
                for (node, parent) in in_wave {
                    state.insert(node.clone(), parent.clone());
                }
            }
            assert_eq!(state, after);
        }
    }

    #[test]
    fn a_rotation_of_three_takes_as_many_waves_as_it_must() {
        // 0 > 1 > 2 > 3 becomes 0 > 3 > 1 > 2... (3 to the top, 1 under 3): 3 moves out first.
        let before = BTreeMap::from([
            ("1".to_owned(), "0".to_owned()),
            ("2".to_owned(), "1".to_owned()),
            ("3".to_owned(), "2".to_owned()),
        ]);
        let moves = vec![
            ("1".to_owned(), "3".to_owned()),
            ("3".to_owned(), "0".to_owned()),
        ];
        let labels = vec!["1".to_owned(), "3".to_owned()];
        assert_eq!(
            move_waves(&before, &moves, &labels).expect("orders"),
            vec![1, 0]
        );
    }

    #[test]
    fn a_cyclic_target_is_an_error_not_a_hang() {
        let before = BTreeMap::from([
            ("1".to_owned(), "0".to_owned()),
            ("2".to_owned(), "0".to_owned()),
        ]);
        let moves = vec![
            ("1".to_owned(), "2".to_owned()),
            ("2".to_owned(), "1".to_owned()),
        ];
        let labels = vec!["A".to_owned(), "B".to_owned()];
        let error = move_waves(&before, &moves, &labels).expect_err("a cycle");
        // A moves under B; B cannot then move under A.
        assert!(matches!(error, PlanError::MoveCycle { names } if names == ["B"]));
    }

    /// The root (1) and two territories under it (2, 3), named `{prefix}{id}`.
    fn root_and_two(prefix: &str) -> Live {
        use crate::model::{Fields, LiveTerritory, Permission};
        let territory = |id: &str, parent: Option<&str>| LiveTerritory {
            id: id.to_owned(),
            fields: Fields::new(
                format!("{prefix}{id}"),
                parent.map(str::to_owned),
                Permission::ReadOnly,
            ),
            modified_time: None,
        };
        Live {
            territories: vec![
                territory("1", None),
                territory("2", Some("1")),
                territory("3", Some("1")),
            ],
            ..Live::default()
        }
    }

    #[test]
    fn each_territorys_users_are_a_batch_of_their_own_added_before_removed() {
        use crate::model::Permission;
        use crate::plan::{Action, FieldChange, Manager, Update};
        let user = |id: &str| Manager {
            id: id.to_owned(),
            email: Some(format!("{id}@x.com")),
            name: None,
        };
        let users = |id: &str, old: &[&str], new: &[&str]| Change {
            key: format!("update:{id}"),
            wave: 0,
            depth: 1,
            path: Vec::new(),
            action: Action::Update(Update {
                id: id.to_owned(),
                name: format!("T{id}"),
                fields: vec![FieldChange::Users {
                    old: old.iter().map(|id| user(id)).collect(),
                    new: new.iter().map(|id| user(id)).collect(),
                }],
                permission: Some(Permission::ReadOnly),
            }),
        };
        let live = root_and_two("T");
        let mut changes = vec![
            users("2", &["a"], &["a", "b", "c"]),
            users("3", &["d"], &["e"]),
        ];
        let schedule = schedule(&mut changes, &live).expect("a schedule");
        type Batches<'a> = Vec<(Operation, Vec<&'a str>)>;
        let waves: Vec<(Phase, Batches<'_>)> = schedule
            .iter()
            .map(|wave| {
                let batches = wave
                    .batches
                    .iter()
                    .map(|batch| {
                        let keys = batch.changes.iter().map(String::as_str).collect();
                        (batch.operation, keys)
                    })
                    .collect();
                (wave.phase, batches)
            })
            .collect();
        assert_eq!(
            waves,
            [
                (
                    Phase::AddUsers,
                    vec![
                        (Operation::AddUsers, vec!["update:2"]),
                        (Operation::AddUsers, vec!["update:3"]),
                    ]
                ),
                (
                    Phase::RemoveUsers,
                    vec![(Operation::RemoveUsers, vec!["update:3"])]
                ),
            ]
        );
    }

    #[test]
    fn batches_follow_the_names_and_each_deletion_its_own_call() {
        use crate::model::{Fields, Permission};
        use crate::plan::{Action, Create, Delete};
        let root = TerritoryRef::Existing {
            id: "1".to_owned(),
            name: "Org".to_owned(),
        };
        let change = |key: String, action| Change {
            key,
            wave: 0,
            depth: 1,
            path: Vec::new(),
            action,
        };
        // Twelve creates given in reverse order of their names.
        let mut changes: Vec<Change> = (0..12)
            .rev()
            .map(|index| {
                let name = format!("T{index:02}");
                change(
                    format!("create:{name}"),
                    Action::Create(Box::new(Create {
                        fields: Fields::new(name, root.clone(), Permission::ReadOnly),
                    })),
                )
            })
            .collect();
        let delete = |id: &str, transfer_to: Option<TerritoryRef>| {
            change(
                format!("delete:{id}"),
                Action::Delete(Delete {
                    id: id.to_owned(),
                    name: format!("D{id}"),
                    parent: root.clone(),
                    transfer_to,
                    transferred_children: Vec::new(),
                }),
            )
        };
        changes.push(delete("2", None));
        changes.push(delete("3", Some(root.clone())));
        let live = root_and_two("D");
        let schedule = schedule(&mut changes, &live).expect("a schedule");
        let batches: Vec<(Operation, Vec<&str>)> = schedule
            .iter()
            .flat_map(|wave| &wave.batches)
            .map(|batch| {
                let keys = batch.changes.iter().map(String::as_str).collect();
                (batch.operation, keys)
            })
            .collect();
        let creates = |range: std::ops::Range<usize>| -> Vec<String> {
            range.map(|index| format!("create:T{index:02}")).collect()
        };
        let (first, second) = (creates(0..10), creates(10..12));
        assert_eq!(
            batches,
            [
                (
                    Operation::Create,
                    first.iter().map(String::as_str).collect()
                ),
                (
                    Operation::Create,
                    second.iter().map(String::as_str).collect()
                ),
                (Operation::Delete, vec!["delete:2"]),
                (Operation::TransferAndDelete, vec!["delete:3"]),
            ]
        );
    }

    #[test]
    fn deletions_wait_for_a_later_wave_with_room_when_that_saves_a_batch() {
        use crate::model::{Fields, LiveTerritory, Permission};
        use crate::plan::{Action, Delete};
        // A (2) with its child A1 (3), and eleven leaves, all deleted: A1 must go before A, so
        // two waves; the leaves fill A's wave first, and the schedule is two batches, not three.
        let territory = |id: usize, parent: Option<usize>| LiveTerritory {
            id: id.to_string(),
            fields: Fields::new(
                format!("T{id:02}"),
                parent.map(|parent| parent.to_string()),
                Permission::ReadOnly,
            ),
            modified_time: None,
        };
        let mut territories = vec![
            territory(1, None),
            territory(2, Some(1)),
            territory(3, Some(2)),
        ];
        territories.extend((10..21).map(|id| territory(id, Some(1))));
        let live = Live {
            territories,
            ..Live::default()
        };
        let mut changes: Vec<Change> = live.territories[1..]
            .iter()
            .map(|territory| Change {
                key: format!("delete:{}", territory.id),
                wave: 0,
                depth: if territory.id == "3" { 2 } else { 1 },
                path: Vec::new(),
                action: Action::Delete(Delete {
                    id: territory.id.clone(),
                    name: territory.name.clone(),
                    parent: TerritoryRef::Existing {
                        id: territory.parent.clone().unwrap_or_default(),
                        name: String::new(),
                    },
                    transfer_to: None,
                    transferred_children: Vec::new(),
                }),
            })
            .collect();
        let schedule = schedule(&mut changes, &live).expect("a schedule");
        let batches: Vec<usize> = schedule
            .iter()
            .flat_map(|wave| wave.batches.iter().map(|batch| batch.changes.len()))
            .collect();
        assert_eq!(batches.len(), 2, "{batches:?}");
        assert_eq!(batches.iter().sum::<usize>(), 13);
        let wave = |key: &str| {
            changes
                .iter()
                .find(|change| change.key == key)
                .map(|change| change.wave)
        };
        assert!(wave("delete:3") < wave("delete:2"), "the child first");
    }
}
