//! Live territories the desired state does not mention.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A live territory no desired territory matched, listed under `unmanaged: report`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnmanagedTerritory {
    pub id: String,
    pub name: String,
    /// Its parent's name in the live org.
    pub parent: String,
}
