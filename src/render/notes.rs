//! What a rendering says besides the changes: why a safety rail refused the plan (shown at the
//! top of a plan that is still shown whole, as Atlantis shows a plan whose policy check
//! failed), and deletes that look like renames.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{Attribute, Live, LiveTerritory, NameKey};
use crate::plan::{Action, Create, Plan, TerritoryRef, holds};

/// The notes of one rendering; the default has none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Notes {
    /// Set when a safety rail refused the plan: the plan is shown whole, the refusal first.
    pub refusal: Option<Refused>,
    /// Deleted territories that look renamed to a created one.
    pub renames: Vec<RenameHint>,
    /// The impact preview of `plan --impact`. Shown, never saved in the plan file.
    pub impact: Option<crate::impact::preview::Preview>,
    /// Rule analysis and policy warnings. Shown, never saved in the plan file.
    pub warnings: Vec<crate::analysis::report::Warning>,
}

impl Notes {
    /// The notes a plan file keeps: the refusal and the rename hints, for its readers.
    #[must_use]
    pub fn for_plan_file(&self) -> Self {
        Self {
            refusal: self.refusal.clone(),
            renames: self.renames.clone(),
            impact: None,
            warnings: Vec::new(),
        }
    }
}

/// Why a safety rail refused the plan, and what lets it through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Refused {
    /// The diagnostic's stable code, e.g. `plan::too-many-changes`.
    pub code: String,
    pub message: String,
    /// What to do to go ahead, when the change is meant.
    pub help: Option<String>,
}

impl Refused {
    /// The refusal of a diagnostic (a [`crate::plan::Refusal`] or an apply rail).
    #[must_use]
    pub fn of(diagnostic: &dyn miette::Diagnostic) -> Self {
        Self {
            code: diagnostic
                .code()
                .map(|code| code.to_string())
                .unwrap_or_default(),
            message: diagnostic.to_string(),
            help: diagnostic.help().map(|help| help.to_string()),
        }
    }
}

/// A deleted territory and a created one with the same parent and the same attributes (manager,
/// permission, description, rules): most likely a rename written without `previously`, which
/// loses the territory's id, forecasts and records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RenameHint {
    /// The live territory the plan deletes.
    pub deleted: String,
    /// The territory the plan creates in its place.
    pub created: String,
    /// Their parent.
    pub parent: String,
}

/// The deletes of `plan` that look like renames to one of its creates. Each delete and each
/// create is in at most one hint (the first match by the plan's order), so a hint never
/// suggests one `previously` twice.
#[must_use]
pub fn renames(plan: &Plan, live: &Live) -> Vec<RenameHint> {
    let creates: Vec<&Create> = plan
        .changes
        .iter()
        .filter_map(|change| match &change.action {
            Action::Create(create) => Some(create.as_ref()),
            _ => None,
        })
        .collect();
    let mut taken = vec![false; creates.len()];
    let mut hints = Vec::new();
    for change in &plan.changes {
        let Action::Delete(delete) = &change.action else {
            continue;
        };
        let Some(deleted) = live
            .territories
            .iter()
            .find(|territory| territory.id == delete.id)
        else {
            continue;
        };
        let found = creates.iter().enumerate().find(|(index, create)| {
            !taken[*index] && same_parent(&create.parent, &delete.parent) && alike(create, deleted)
        });
        if let Some((index, create)) = found {
            taken[index] = true;
            hints.push(RenameHint {
                deleted: delete.name.clone(),
                created: create.name.clone(),
                parent: delete.parent.name().to_owned(),
            });
        }
    }
    hints
}

fn same_parent(created: &TerritoryRef, deleted: &TerritoryRef) -> bool {
    match (created.id(), deleted.id()) {
        (Some(created), Some(deleted)) => created == deleted,
        _ => NameKey::new(created.name()) == NameKey::new(deleted.name()),
    }
}

fn alike(create: &Create, live: &LiveTerritory) -> bool {
    Attribute::IN_BODY
        .into_iter()
        .filter(|attribute| !matches!(attribute, Attribute::Name | Attribute::Parent))
        .all(|attribute| holds(live, &create.get(attribute)))
}
