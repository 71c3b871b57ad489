//! Waves and batches: the schedule `apply` follows, and the packing that keeps the number of
//! requests at the minimum the hierarchy allows.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::Module;

/// Zoho takes at most ten territories (or records) per create, update, delete, transfer and
/// record call (zoho-api.md 2.14: the docs say 10 where the OpenAPI file says 100).
pub const BATCH_SIZE: usize = 10;

/// A step of the schedule: its batches may run concurrently; the next wave starts when this
/// one is done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Wave {
    /// 1-based.
    pub number: usize,
    pub phase: Phase,
    pub batches: Vec<Batch>,
}

/// What a wave does. Waves run in this order: creates, updates and moves, deletes, record
/// removals, record assignments.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Create,
    Update,
    Delete,
    RemoveRecords,
    AssignRecords,
}

impl Phase {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update and move",
            Self::Delete => "delete",
            Self::RemoveRecords => "remove record territories",
            Self::AssignRecords => "assign record territories",
        }
    }
}

/// One request: up to [`BATCH_SIZE`] changes sent together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Batch {
    pub operation: Operation,
    /// The records' module, for record operations.
    pub module: Option<Module>,
    /// The keys of the changes in the batch, in request order.
    pub changes: Vec<String>,
}

/// The Zoho call a batch is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// `POST /settings/territories`
    Create,
    /// `PUT /settings/territories`
    Update,
    /// `DELETE /settings/territories?ids=`
    Delete,
    /// `POST /settings/territories/actions/transfer_and_delete`: every item has a
    /// `transfer_to_id` (the doc pages make it mandatory); deletions without children go as
    /// [`Operation::Delete`].
    TransferAndDelete,
    /// `POST /{Module}/actions/remove_territories`
    RemoveTerritories,
    /// `POST /{Module}/actions/assign_territories`
    AssignTerritories,
}

impl Operation {
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Create => "POST territories",
            Self::Update => "PUT territories",
            Self::Delete => "DELETE territories",
            Self::TransferAndDelete => "POST transfer_and_delete",
            Self::RemoveTerritories => "POST remove_territories",
            Self::AssignTerritories => "POST assign_territories",
        }
    }
}

/// One change to place in a wave of one phase.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    /// Changes of different kinds never share a batch (a different call, or module).
    pub(crate) kind: (Operation, Option<Module>),
    /// The first wave the change can go in.
    pub(crate) earliest: usize,
    /// The change must go in exactly `earliest` (a move whose safety depends on the waves
    /// before it).
    pub(crate) pinned: bool,
    /// Items that must be in a strictly earlier wave (a new parent before its child, a deleted
    /// child before its deleted parent).
    pub(crate) after: Vec<usize>,
}

/// Places items into `waves` waves, minimising the number of batches.
///
/// Every item goes in a wave no earlier than its `earliest` and later than everything in its
/// `after`; `pinned` items go exactly at `earliest`. Within those bounds, the packing works from
/// the last wave back: a wave holds the items that cannot go anywhere earlier, and the room
/// left in its last batch of each kind is filled with items that could have gone earlier (and
/// whose dependants are all in later waves). Deferring an item never constrains anything
/// more, since its predecessors may still go in any earlier wave; so each batch is as full
/// as the constraints allow, and the total is the minimum: for every kind it is the larger of
/// the sum over waves of what each wave must hold and the total divided by ten, rounded up.
///
/// Items are considered in the given order (callers sort them by depth and name), so the
/// result is deterministic. Returns the wave index of each item.
pub(crate) fn pack(items: &[Item], waves: usize) -> Vec<usize> {
    let mut dependants = vec![Vec::new(); items.len()];
    for (index, item) in items.iter().enumerate() {
        for &before in &item.after {
            dependants[before].push(index);
        }
    }
    let mut placed: Vec<Option<usize>> = vec![None; items.len()];
    for wave in (0..waves).rev() {
        let eligible: Vec<usize> = (0..items.len())
            .filter(|&index| {
                let item = &items[index];
                placed[index].is_none()
                    && item.earliest <= wave
                    && (!item.pinned || item.earliest == wave)
                    && dependants[index]
                        .iter()
                        .all(|&dependant| placed[dependant].is_some_and(|at| at > wave))
            })
            .collect();
        let mut kinds: Vec<(Operation, Option<Module>)> =
            eligible.iter().map(|&index| items[index].kind).collect();
        kinds.sort();
        kinds.dedup();
        for kind in kinds {
            let of_kind = eligible
                .iter()
                .copied()
                .filter(|&index| items[index].kind == kind);
            let (forced, optional): (Vec<usize>, Vec<usize>) =
                of_kind.partition(|&index| items[index].earliest == wave);
            if forced.is_empty() {
                continue;
            }
            let room = (BATCH_SIZE - forced.len() % BATCH_SIZE) % BATCH_SIZE;
            for index in forced {
                placed[index] = Some(wave);
            }
            // The deepest candidates first: they are the ones whose own position is freest.
            for index in optional.into_iter().rev().take(room) {
                placed[index] = Some(wave);
            }
        }
    }
    let mut placed: Vec<usize> = placed
        .iter()
        .zip(items)
        .map(|(at, item)| at.unwrap_or(item.earliest))
        .collect();
    pull_back(items, &mut placed);
    placed
}

/// Moves deferred items back to the earliest wave they can go in when that wave has room in a
/// batch of their kind already: the count of batches stays the same, and the schedule reads as
/// top-down as it can (a deferral is kept only where it saves a request).
fn pull_back(items: &[Item], placed: &mut [usize]) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&index| placed[index]);
    for index in order {
        let item = &items[index];
        let lowest = item
            .after
            .iter()
            .map(|&before| placed[before] + 1)
            .chain([item.earliest])
            .max()
            .unwrap_or(item.earliest);
        if item.pinned || lowest >= placed[index] {
            continue;
        }
        let count = (0..items.len())
            .filter(|&other| placed[other] == lowest && items[other].kind == item.kind)
            .count();
        if count % BATCH_SIZE != 0 {
            placed[index] = lowest;
        }
    }
}

/// The number of batches the items of each kind need per wave.
#[must_use]
pub fn batch_count(schedule: &[Wave]) -> usize {
    schedule.iter().map(|wave| wave.batches.len()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(earliest: usize, after: Vec<usize>) -> Item {
        Item {
            kind: (Operation::Create, None),
            earliest,
            pinned: false,
            after,
        }
    }

    fn batches(items: &[Item], waves: usize) -> usize {
        let placed = pack(items, waves);
        (0..waves)
            .map(|wave| placed.iter().filter(|&&at| at == wave).count())
            .map(|count| count.div_ceil(BATCH_SIZE))
            .sum()
    }

    #[test]
    fn leaves_fill_the_room_of_later_waves() {
        // 12 territories under existing parents (wave 0), one of which has 8 new children
        // (wave 1): two of the other 11 wait for wave 1 to fill its batch, leaving ten for
        // wave 0: 2 batches, not 3.
        let mut items: Vec<Item> = (0..12).map(|_| item(0, Vec::new())).collect();
        items.extend((0..8).map(|_| item(1, vec![0])));
        let placed = pack(&items, 2);
        assert_eq!(batches(&items, 2), 2);
        assert_eq!(placed[0], 0, "the parent goes before its children");
        assert!(placed[12..].iter().all(|&at| at == 1));
    }

    #[test]
    fn pinned_items_stay_put() {
        let items = vec![
            Item {
                pinned: true,
                ..item(0, Vec::new())
            },
            item(1, Vec::new()),
        ];
        assert_eq!(pack(&items, 2), vec![0, 1]);
    }

    #[test]
    fn a_deferral_that_saves_no_request_is_undone() {
        // Item 3 must follow item 0. Packing from the last wave defers the free items 1 and 2
        // next to item 3; wave 0 has room for them, so they come back: top-down, same count.
        let items = vec![
            item(0, Vec::new()),
            item(0, Vec::new()),
            item(0, Vec::new()),
            item(1, vec![0]),
        ];
        assert_eq!(pack(&items, 2), vec![0, 0, 0, 1]);
    }

    #[test]
    fn a_deferral_that_saves_a_request_is_kept_and_no_more() {
        // Eleven items in wave 0 (item 0 first) and one after item 0: ten and two, not eleven
        // and one. Of the nine deferred while packing, eight come back and fill wave 0.
        let mut items: Vec<Item> = (0..11).map(|_| item(0, Vec::new())).collect();
        items.push(item(1, vec![0]));
        let mut expected = vec![0; 10];
        expected.extend([1, 1]);
        assert_eq!(pack(&items, 2), expected);
        assert_eq!(batches(&items, 2), 2);
    }

    #[test]
    fn a_pulled_back_item_stays_after_what_it_follows() {
        // a -> b beside p -> q -> r, and nine items pinned beside p: wave 0 is full, so `a`
        // stays deferred in wave 1, and `b`, after it, cannot come back to wave 1 as well.
        let mut items = vec![item(0, Vec::new())];
        items.extend((0..9).map(|_| Item {
            pinned: true,
            ..item(0, Vec::new())
        }));
        items.push(item(1, vec![0])); // q = 10
        items.push(item(2, vec![10])); // r = 11
        items.push(item(0, Vec::new())); // a = 12
        items.push(item(1, vec![12])); // b = 13
        let placed = pack(&items, 3);
        let mut expected = vec![0; 10];
        expected.extend([1, 2, 1, 2]);
        assert_eq!(placed, expected);
        assert_eq!(batches(&items, 3), 3);
    }
}
