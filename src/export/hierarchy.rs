//! The order territories are written in: depth-first pre-order from the root, siblings by
//! name (case-insensitively, as Zoho compares names), so that each subtree reads together and
//! every parent is written before its children.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Live, LiveTerritory, NameKey};

/// The live hierarchy, indexed for writing.
pub(crate) struct Hierarchy<'a> {
    pub(crate) root: &'a LiveTerritory,
    children: BTreeMap<&'a str, Vec<&'a LiveTerritory>>,
    by_id: BTreeMap<&'a str, &'a LiveTerritory>,
}

impl<'a> Hierarchy<'a> {
    pub(crate) fn new(live: &'a Live, root: &'a LiveTerritory) -> Self {
        let mut children: BTreeMap<&str, Vec<&LiveTerritory>> = BTreeMap::new();
        let mut by_id = BTreeMap::new();
        for territory in &live.territories {
            by_id.insert(territory.id.as_str(), territory);
            if let Some(parent) = &territory.parent {
                children.entry(parent.as_str()).or_default().push(territory);
            }
        }
        for siblings in children.values_mut() {
            siblings.sort_by(|a, b| sibling_order(a).cmp(&sibling_order(b)));
        }
        Self {
            root,
            children,
            by_id,
        }
    }

    /// The root's children, in writing order.
    pub(crate) fn top_level(&self) -> &[&'a LiveTerritory] {
        self.children_of(self.root)
    }

    fn children_of(&self, territory: &LiveTerritory) -> &[&'a LiveTerritory] {
        self.children
            .get(territory.id.as_str())
            .map_or(&[], Vec::as_slice)
    }

    /// `top` and everything below it, pre-order.
    pub(crate) fn subtree(&self, top: &'a LiveTerritory) -> Vec<&'a LiveTerritory> {
        let mut out = Vec::new();
        // A visited set guards against a cycle in malformed live data (Zoho itself refuses
        // them): each territory is written at most once.
        let mut seen = BTreeSet::new();
        let mut stack = vec![top];
        while let Some(territory) = stack.pop() {
            if !seen.insert(territory.id.as_str()) {
                continue;
            }
            out.push(territory);
            stack.extend(self.children_of(territory).iter().rev());
        }
        out
    }

    /// Every territory below the root, pre-order.
    pub(crate) fn below_root(&self) -> Vec<&'a LiveTerritory> {
        let mut all = self.subtree(self.root);
        all.remove(0);
        all
    }

    /// Territories that the walk from the root never reaches: a missing parent, a second root,
    /// a cycle. Ordered by id, as the live state is.
    pub(crate) fn unreachable(&self, live: &'a Live) -> Vec<&'a LiveTerritory> {
        let reached: BTreeSet<&str> = self
            .subtree(self.root)
            .into_iter()
            .map(|territory| territory.id.as_str())
            .collect();
        live.territories
            .iter()
            .filter(|territory| !reached.contains(territory.id.as_str()))
            .collect()
    }

    /// The name of `territory`'s parent.
    pub(crate) fn parent_name(&self, territory: &LiveTerritory) -> Option<&'a str> {
        let parent = territory.parent.as_deref()?;
        self.by_id.get(parent).map(|parent| parent.name.as_str())
    }
}

fn sibling_order(territory: &LiveTerritory) -> (NameKey, &str, &str) {
    (
        NameKey::new(&territory.name),
        territory.name.as_str(),
        territory.id.as_str(),
    )
}
