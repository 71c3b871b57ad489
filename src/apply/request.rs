//! Which request carries each change, and the batches of at most ten that go out per wave.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::model::Module;
use crate::plan::{Action, Change};
use crate::zoho::MAX_BATCH;

/// The Zoho call a batch is sent as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case", tag = "request", content = "module")]
pub enum RequestKind {
    /// `POST /settings/territories`
    Create,
    /// `PUT /settings/territories`
    Update,
    /// `DELETE /settings/territories?ids=`
    Delete,
    /// `POST /settings/territories/actions/transfer_and_delete`
    TransferAndDelete,
    /// `POST /{Module}/actions/remove_territories`
    Remove(Module),
    /// `POST /{Module}/actions/assign_territories`
    Assign(Module),
}

impl RequestKind {
    /// The request that carries `change`; `None` for a move that a `transfer_and_delete`
    /// carries out and that has nothing else to send.
    #[must_use]
    pub fn of(change: &Change) -> Option<Self> {
        match &change.action {
            Action::Create(_) => Some(Self::Create),
            Action::Update(update) => update.needs_put().then_some(Self::Update),
            Action::Delete(delete) if delete.transfer_to.is_some() => Some(Self::TransferAndDelete),
            Action::Delete(_) => Some(Self::Delete),
            Action::Remove(records) => Some(Self::Remove(records.module)),
            Action::Assign(records) => Some(Self::Assign(records.module)),
        }
    }
}

impl fmt::Display for RequestKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Create => f.write_str("create"),
            Self::Update => f.write_str("update"),
            Self::Delete => f.write_str("delete"),
            Self::TransferAndDelete => f.write_str("transfer and delete"),
            Self::Remove(module) => write!(f, "remove {module} territories"),
            Self::Assign(module) => write!(f, "assign {module} territories"),
        }
    }
}

/// Up to ten changes of one wave sent in one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    pub wave: usize,
    pub kind: RequestKind,
    /// Keys of the changes, in plan order.
    pub keys: Vec<String>,
}

/// One wave: its batches, which may run concurrently, and the changes that need no request
/// of their own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wave {
    pub number: usize,
    pub batches: Vec<Batch>,
    /// Moves carried out by a `transfer_and_delete` of the old parent.
    pub carried: Vec<String>,
}

/// Splits the plan's changes into waves (in order) and each wave into batches: one per request
/// kind, split into chunks of [`MAX_BATCH`]. Batches are ordered by kind, changes keep their
/// plan order, so the same plan always gives the same batches.
#[must_use]
pub fn schedule(changes: &[Change]) -> Vec<Wave> {
    let mut waves: BTreeMap<usize, BTreeMap<Option<RequestKind>, Vec<String>>> = BTreeMap::new();
    for change in changes {
        waves
            .entry(change.wave)
            .or_default()
            .entry(RequestKind::of(change))
            .or_default()
            .push(change.key.clone());
    }
    waves
        .into_iter()
        .map(|(number, by_kind)| {
            let mut wave = Wave {
                number,
                ..Wave::default()
            };
            for (kind, keys) in by_kind {
                match kind {
                    None => wave.carried = keys,
                    Some(kind) => wave
                        .batches
                        .extend(keys.chunks(MAX_BATCH).map(|chunk| Batch {
                            wave: number,
                            kind,
                            keys: chunk.to_vec(),
                        })),
                }
            }
            wave
        })
        .collect()
}
