//! Which changes a change needs first: what `apply` skips when one of them fails.

use std::collections::BTreeSet;

use super::Plan;
use super::change::{Action, FieldChange, TerritoryRef};

impl Plan {
    /// The keys of the changes that must succeed before the change `key` can be carried out,
    /// sorted: the creation of every new territory it refers to, the deletion whose
    /// `transfer_and_delete` moves it, the deletions of its deleted children (a territory with
    /// children cannot be deleted), and a record's removal before its assignment (per-record
    /// limits). Empty for an unknown key.
    #[must_use]
    pub fn depends_on(&self, key: &str) -> Vec<&str> {
        let Some(change) = self.change(key) else {
            return Vec::new();
        };
        let mut refers: Vec<&TerritoryRef> = Vec::new();
        let mut keys: Vec<&str> = Vec::new();
        match &change.action {
            Action::Create(create) => refers.push(&create.parent),
            Action::Update(update) => {
                for field in &update.fields {
                    if let FieldChange::Parent {
                        new,
                        by_transfer_of,
                        ..
                    } = field
                    {
                        refers.push(new);
                        keys.extend(by_transfer_of.as_deref());
                    }
                }
            }
            Action::Delete(delete) => {
                let id = delete.id.as_str();
                // Its deleted children, and the children a `PUT` moves away: a territory goes
                // by a plain `DELETE` only once it has no children left.
                let children = self.changes.iter().filter(|other| match &other.action {
                    Action::Delete(child) => child.parent.id() == Some(id),
                    Action::Update(update) => update.fields.iter().any(|field| {
                        matches!(field, FieldChange::Parent { old, by_transfer_of: None, .. }
                            if old.id() == Some(id))
                    }),
                    _ => false,
                });
                keys.extend(children.map(|child| child.key.as_str()));
            }
            Action::Assign(records) => {
                refers.extend(&records.territories);
                let removal = format!("remove:{}:{}", records.module, records.record_id);
                keys.extend(self.change(&removal).map(|removal| removal.key.as_str()));
            }
            Action::Remove(_) => {}
        }
        let created = refers.into_iter().filter_map(|reference| match reference {
            TerritoryRef::AfterApply { change, .. } => {
                self.change(change).map(|create| create.key.as_str())
            }
            TerritoryRef::Existing { .. } => None,
        });
        let needs: BTreeSet<&str> = keys.into_iter().chain(created).collect();
        needs.into_iter().collect()
    }
}
