//! The request a batch of the plan's schedule is sent as.

use std::fmt;

use serde::Serialize;

use crate::model::Module;
use crate::plan::{Batch, Operation};

/// The Zoho call a batch is sent as, with the module of record calls.
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
    /// The request for a batch of the plan; `None` for a record batch without its module
    /// (only a hand-edited plan file has one).
    #[must_use]
    pub fn of(batch: &Batch) -> Option<Self> {
        Some(match batch.operation {
            Operation::Create => Self::Create,
            Operation::Update => Self::Update,
            Operation::Delete => Self::Delete,
            Operation::TransferAndDelete => Self::TransferAndDelete,
            Operation::RemoveTerritories => Self::Remove(batch.module?),
            Operation::AssignTerritories => Self::Assign(batch.module?),
        })
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
