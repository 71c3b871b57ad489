use std::path::Path;
use std::sync::Arc;

/// Where in the desired-state files something was written: file and byte range.
///
/// Kept on the model so that checks made later against the live org (an unknown manager, a
/// field that does not exist) can still point into the YAML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub file: Arc<Path>,
    /// Byte offset into the file.
    pub offset: usize,
    /// Length in bytes.
    pub len: usize,
}

/// Where the parts of one territory are written, for the checks made later against the live
/// org. A new attribute whose values the org can refuse (a territory's `users:`, say) keeps its
/// spans here too, so that no check reads a file again or searches it for a position.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TerritoryOrigins {
    /// Where the territory's `name` is written.
    pub name: Option<Origin>,
    /// Where its `manager` is written.
    pub manager: Option<Origin>,
    /// Where each module's `rules` entry is written, and each of its rules.
    pub rules: std::collections::BTreeMap<super::RuleModule, CriteriaOrigin>,
    /// Where each of `users` is written, in the same order (the manager, counted as a user
    /// whether listed or not, has `manager`).
    pub users: Vec<Origin>,
}

/// Where one module's criteria is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CriteriaOrigin {
    /// The module's entry under `rules`.
    pub entry: Origin,
    /// Each rule, in the order of [`Criteria::rules`](super::Criteria::rules).
    pub rules: Vec<RuleOrigin>,
}

/// Where the parts of one rule are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleOrigin {
    pub field: Origin,
    pub comparator: Origin,
    /// Each value: one for a single value, one per item for a list.
    pub values: Vec<Origin>,
}
