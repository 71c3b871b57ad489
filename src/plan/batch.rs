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
    /// Territory users added, after the updates (a new manager is set first).
    AddUsers,
    /// Territory users removed, after they joined their new territories (and after a new
    /// manager is set: Zoho refuses to remove a territory's manager).
    RemoveUsers,
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
            Self::AddUsers => "add territory users",
            Self::RemoveUsers => "remove territory users",
            Self::Delete => "delete",
            Self::RemoveRecords => "remove record territories",
            Self::AssignRecords => "assign record territories",
        }
    }
}

/// One request: up to [`BATCH_SIZE`] changes sent together.
///
/// In the plan file a batch is `{operation, module, changes}`, `module` set for record
/// operations only ([`BatchFile`]); in memory the module is part of the [`Operation`], so a
/// record batch always has one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "BatchFile", try_from = "BatchFile")]
pub struct Batch {
    pub operation: Operation,
    /// The keys of the changes in the batch, in request order.
    pub changes: Vec<String>,
}

/// The Zoho call a batch is: one type for plan and apply, with the records' module for record
/// calls.
///
/// Membership's calls (`PUT`/`DELETE /settings/territories/{id}/users`) are
/// [`Operation::AddUsers`] and [`Operation::RemoveUsers`], each with a name in
/// [`OperationName`], a [`Phase`] and a label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    RemoveTerritories(Module),
    /// `POST /{Module}/actions/assign_territories`
    AssignTerritories(Module),
    /// `PUT /settings/territories/{id}/users`: one territory's users added (100 a request);
    /// one change a batch.
    AddUsers,
    /// `DELETE /settings/territories/{id}/users?ids=`: one territory's users removed (as many
    /// a request as 500 characters of ids hold); one change a batch.
    RemoveUsers,
}

impl Operation {
    /// The request as the plan's renderings name it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Create => "POST territories",
            Self::Update => "PUT territories",
            Self::Delete => "DELETE territories",
            Self::TransferAndDelete => "POST transfer_and_delete",
            Self::RemoveTerritories(_) => "POST remove_territories",
            Self::AssignTerritories(_) => "POST assign_territories",
            Self::AddUsers => "PUT territory users",
            Self::RemoveUsers => "DELETE territory users",
        }
    }

    /// The phase whose waves carry the call.
    #[must_use]
    pub fn phase(self) -> Phase {
        match self {
            Self::Create => Phase::Create,
            Self::Update => Phase::Update,
            Self::Delete | Self::TransferAndDelete => Phase::Delete,
            Self::RemoveTerritories(_) => Phase::RemoveRecords,
            Self::AssignTerritories(_) => Phase::AssignRecords,
            Self::AddUsers => Phase::AddUsers,
            Self::RemoveUsers => Phase::RemoveUsers,
        }
    }

    /// The records' module, for record calls.
    #[must_use]
    pub fn module(self) -> Option<Module> {
        match self {
            Self::RemoveTerritories(module) | Self::AssignTerritories(module) => Some(module),
            Self::Create
            | Self::Update
            | Self::Delete
            | Self::TransferAndDelete
            | Self::AddUsers
            | Self::RemoveUsers => None,
        }
    }

    fn name(self) -> OperationName {
        match self {
            Self::Create => OperationName::Create,
            Self::Update => OperationName::Update,
            Self::Delete => OperationName::Delete,
            Self::TransferAndDelete => OperationName::TransferAndDelete,
            Self::RemoveTerritories(_) => OperationName::RemoveTerritories,
            Self::AssignTerritories(_) => OperationName::AssignTerritories,
            Self::AddUsers => OperationName::AddUsers,
            Self::RemoveUsers => OperationName::RemoveUsers,
        }
    }
}

/// How apply's progress lines name a request: `create`, `remove Accounts territories`.
impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Create => f.write_str("create"),
            Self::Update => f.write_str("update"),
            Self::Delete => f.write_str("delete"),
            Self::TransferAndDelete => f.write_str("transfer and delete"),
            Self::RemoveTerritories(module) => write!(f, "remove {module} territories"),
            Self::AssignTerritories(module) => write!(f, "assign {module} territories"),
            Self::AddUsers => f.write_str("add territory users"),
            Self::RemoveUsers => f.write_str("remove territory users"),
        }
    }
}

/// One request: up to [`BATCH_SIZE`] changes sent together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Batch")]
struct BatchFile {
    operation: OperationName,
    /// The records' module, for record operations.
    module: Option<Module>,
    /// The keys of the changes in the batch, in request order.
    changes: Vec<String>,
}

/// The Zoho call a batch is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Operation")]
enum OperationName {
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
    /// `PUT /settings/territories/{id}/users`: one territory's users added.
    AddUsers,
    /// `DELETE /settings/territories/{id}/users?ids=`: one territory's users removed.
    RemoveUsers,
}

impl From<Batch> for BatchFile {
    fn from(batch: Batch) -> Self {
        Self {
            operation: batch.operation.name(),
            module: batch.operation.module(),
            changes: batch.changes,
        }
    }
}

impl TryFrom<BatchFile> for Batch {
    type Error = String;

    fn try_from(file: BatchFile) -> Result<Self, String> {
        let record = |module: Option<Module>| {
            module.ok_or_else(|| format!("a `{:?}` batch names no module", file.operation))
        };
        let operation = match file.operation {
            OperationName::Create => Operation::Create,
            OperationName::Update => Operation::Update,
            OperationName::Delete => Operation::Delete,
            OperationName::TransferAndDelete => Operation::TransferAndDelete,
            OperationName::RemoveTerritories => Operation::RemoveTerritories(record(file.module)?),
            OperationName::AssignTerritories => Operation::AssignTerritories(record(file.module)?),
            OperationName::AddUsers => Operation::AddUsers,
            OperationName::RemoveUsers => Operation::RemoveUsers,
        };
        Ok(Self {
            operation,
            changes: file.changes,
        })
    }
}

impl JsonSchema for Batch {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        BatchFile::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        BatchFile::json_schema(generator)
    }
}

/// One change to place in a wave of one phase.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    /// Changes of different kinds never share a batch (a different call, or module).
    pub(crate) kind: Operation,
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
        let mut kinds: Vec<Operation> = eligible.iter().map(|&index| items[index].kind).collect();
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

    #[test]
    fn a_batch_keeps_its_plan_file_shape_and_a_record_batch_needs_its_module() {
        let batch = Batch {
            operation: Operation::AssignTerritories(Module::Deals),
            changes: vec!["assign:Deals:1".into()],
        };
        let json = serde_json::to_string(&batch).unwrap();
        assert_eq!(
            json,
            r#"{"operation":"assign_territories","module":"Deals","changes":["assign:Deals:1"]}"#
        );
        assert_eq!(serde_json::from_str::<Batch>(&json).unwrap(), batch);
        let create = r#"{"operation":"create","module":null,"changes":[]}"#;
        assert_eq!(
            serde_json::from_str::<Batch>(create).unwrap().operation,
            Operation::Create
        );
        let error = serde_json::from_str::<Batch>(
            r#"{"operation":"remove_territories","module":null,"changes":[]}"#,
        )
        .unwrap_err();
        assert!(error.to_string().contains("names no module"), "{error}");
    }

    fn item(earliest: usize, after: Vec<usize>) -> Item {
        Item {
            kind: Operation::Create,
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

    #[test]
    fn a_deferral_comes_back_by_the_room_in_batches_of_its_own_kind() {
        // `y2` is free, deferred next to `y1` (after `y0`) while packing, and comes back to
        // wave 0, where its kind's batch holds only `y0`: the pinned items of another kind
        // there, however many, fill no batch of its kind. 7 and 10 of them: the count of wave
        // 0 is neither all of its items nor those of the other kind.
        for others in [7, 10] {
            let mut items: Vec<Item> = (0..others)
                .map(|_| Item {
                    kind: Operation::TransferAndDelete,
                    pinned: true,
                    ..item(0, Vec::new())
                })
                .collect();
            let y0 = items.len();
            let kind = |item: Item| Item {
                kind: Operation::Delete,
                ..item
            };
            items.extend([
                kind(item(0, Vec::new())),
                kind(item(1, vec![y0])),
                kind(item(0, Vec::new())),
            ]);
            let mut expected = vec![0; others + 1];
            expected.extend([1, 0]);
            assert_eq!(pack(&items, 2), expected, "{others} others");
        }
    }

    #[test]
    fn free_items_fill_the_room_of_every_later_wave_and_no_more() {
        // A chain a0 -> a1 -> a2 over three waves, wave 0 full (a0 and nine pinned items), and
        // twelve free items: nine fill a2's request, three a1's: 3 requests. Deferring more
        // than the room to the last wave makes it two requests there, and wave 0, being full,
        // takes nothing back.
        let mut items = vec![item(0, Vec::new())];
        items.extend((0..9).map(|_| Item {
            pinned: true,
            ..item(0, Vec::new())
        }));
        items.push(item(1, vec![0])); // a1 = 10
        items.push(item(2, vec![10])); // a2 = 11
        items.extend((0..12).map(|_| item(0, Vec::new())));
        let mut expected = vec![0; 10];
        expected.extend([1, 2]);
        expected.extend([1; 3]);
        expected.extend([2; 9]);
        assert_eq!(pack(&items, 3), expected);
        assert_eq!(batches(&items, 3), 3);
    }
}
