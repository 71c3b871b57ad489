use std::collections::BTreeMap;

use super::attribute::{ByName, Fields};
use super::{Module, NameKey, Origin};

/// The validated desired state: what the YAML says the org should look like.
///
/// Built only by `config::load`, which guarantees: names are valid and unique (case-insensitively,
/// `previously` names included), every parent exists, the hierarchy has no cycle and reaches
/// `root`, criteria are well formed, and assignments name known territories within Zoho's limits.
#[derive(Clone, Debug, PartialEq)]
pub struct Desired {
    /// The org's root territory. Only its name can be changed.
    pub root: String,
    pub root_origin: Option<Origin>,
    /// What to do with live territories that no desired territory matches.
    pub unmanaged: Unmanaged,
    /// Every territory below the root, in the order the files declare them (files in path order).
    pub territories: Vec<DesiredTerritory>,
    /// Manual territory assignments of records.
    pub assignments: Assignments,
}

impl Desired {
    /// Looks a territory up by name, case-insensitively.
    #[must_use]
    pub fn territory(&self, name: &str) -> Option<&DesiredTerritory> {
        let key = NameKey::new(name);
        self.territories
            .iter()
            .find(|territory| NameKey::new(&territory.name) == key)
    }
}

/// One territory as the YAML describes it, with defaults applied. Its fields
/// (`territory.name`, `territory.parent`, the manager's email, ...) are those of [`Fields`].
#[derive(Clone, Debug, PartialEq)]
pub struct DesiredTerritory {
    pub fields: Fields<ByName>,
    /// Names this territory had before; the first live territory found under one of them is
    /// renamed rather than deleted and re-created.
    pub previously: Vec<String>,
    /// Where the territory's `name` is written.
    pub origin: Option<Origin>,
    /// Where its `manager` is written.
    pub manager_origin: Option<Origin>,
    /// Where each module's `rules` entry is written, for diagnostics against field metadata.
    pub rules_origin: BTreeMap<super::RuleModule, Origin>,
    /// Where each of `users` is written, in the same order (the manager, counted as a user
    /// whether listed or not, has `manager_origin`).
    pub users_origin: Vec<Origin>,
}

impl std::ops::Deref for DesiredTerritory {
    type Target = Fields<ByName>;

    fn deref(&self) -> &Fields<ByName> {
        &self.fields
    }
}

impl std::ops::DerefMut for DesiredTerritory {
    fn deref_mut(&mut self) -> &mut Fields<ByName> {
        &mut self.fields
    }
}

/// What happens to live territories that the desired state does not mention.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Unmanaged {
    /// List them in the plan; change nothing.
    #[default]
    Report,
    /// Leave them out of the plan entirely.
    Ignore,
    /// Plan their deletion (applied only with `--allow-delete`).
    Delete,
}

/// Manual territory assignments: module -> record id -> territory names.
///
/// For each listed record, the names are the complete set of its manual territories: a manual
/// territory not listed is removed. Records not listed are left alone. Automatic
/// (rule-assigned) territories are never changed.
pub type Assignments = BTreeMap<Module, BTreeMap<String, Vec<String>>>;
