//! Which live territory each desired territory is.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Desired, Live, LiveTerritory, NameKey};

/// Desired territories paired with live ones.
#[derive(Debug)]
pub(crate) struct Matching<'a> {
    pub(crate) root: &'a LiveTerritory,
    /// Desired territory index -> the live territory it is, when it exists.
    pub(crate) live_of: Vec<Option<&'a LiveTerritory>>,
    /// Live territories (root excluded) that no desired territory matched, by id.
    pub(crate) unmatched: Vec<&'a LiveTerritory>,
}

/// Pairs desired with live territories: first by name, case-insensitively as Zoho compares
/// names; then, for desired territories still unpaired, by their `previously` names in order
/// (a rename). A name match always wins over a `previously` match, so a territory renamed to a
/// name that already exists live is that existing territory. The root is matched as the live
/// territory without a parent, whatever its name (only its name can change).
///
/// When the live org has two territories whose names differ only in case (Zoho should not allow
/// it), the one with the smaller id is matched.
pub(crate) fn match_territories<'a>(
    desired: &Desired,
    live: &'a Live,
    root: &'a LiveTerritory,
) -> Matching<'a> {
    let mut by_key: BTreeMap<NameKey, &'a LiveTerritory> = BTreeMap::new();
    let mut sorted: Vec<&LiveTerritory> = live
        .territories
        .iter()
        .filter(|territory| territory.id != root.id)
        .collect();
    sorted.sort_by(|left, right| id_order(&left.id, &right.id));
    for territory in &sorted {
        by_key
            .entry(NameKey::new(&territory.name))
            .or_insert(territory);
    }
    let mut claimed: BTreeSet<&str> = BTreeSet::new();
    let mut live_of = vec![None; desired.territories.len()];
    for (index, territory) in desired.territories.iter().enumerate() {
        let found = by_key
            .get(&NameKey::new(&territory.name))
            .filter(|found| claimed.insert(&found.id));
        live_of[index] = found.copied();
    }
    for (index, territory) in desired.territories.iter().enumerate() {
        if live_of[index].is_some() {
            continue;
        }
        live_of[index] = territory.previously.iter().find_map(|old| {
            by_key
                .get(&NameKey::new(old))
                .filter(|found| claimed.insert(&found.id))
                .copied()
        });
    }
    let unmatched = sorted
        .into_iter()
        .filter(|territory| !claimed.contains(territory.id.as_str()))
        .collect();
    Matching {
        root,
        live_of,
        unmatched,
    }
}

/// Orders ids numerically (they are 64-bit numbers as text), falling back to text order.
pub(crate) fn id_order(left: &str, right: &str) -> std::cmp::Ordering {
    (left.len(), left).cmp(&(right.len(), right))
}
