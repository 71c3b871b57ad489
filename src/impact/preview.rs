//! The impact preview, pure: the territory hierarchy before (the live org's rules) and after
//! the plan (the desired rules), each record evaluated on both, and per territory the records
//! that enter and leave it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::assign::{DealChoice, Node, Tree, automatic};
use super::calendar::Clock;
use super::evaluate::{Context, Sample, needs_the_running_user, uses_date_literal};
use crate::model::{
    AssignedHow, Criteria, Desired, FieldMeta, Live, Module, NameKey, RuleModule, Unmanaged,
};
use crate::plan::matching::{id_order, match_territories};

/// How many example records a territory's line shows in text and Markdown (JSON has all).
pub const EXAMPLES: usize = 3;

/// A record as the preview read it: the rule fields' values and its territories.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordRead {
    pub sample: Sample,
    pub name: Option<String>,
    /// `(live territory id, how assigned)`.
    pub territories: Vec<(String, AssignedHow)>,
}

/// A record named in the preview.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RecordRef {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The records one territory gains and loses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TerritoryImpact {
    pub territory: String,
    pub entering: Vec<RecordRef>,
    pub leaving: Vec<RecordRef>,
}

/// The preview of one module.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ModuleImpact {
    pub module: Module,
    /// Records read and evaluated.
    pub records: usize,
    /// Whether reading stopped at `max_records` with more records left: the counts are then
    /// a lower bound.
    pub partial: bool,
    pub max_records: usize,
    /// Requests the preview of this module sent.
    pub requests: u64,
    /// The territories whose records change, by name.
    pub territories: Vec<TerritoryImpact>,
    /// What the preview could not know exactly, in words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl ModuleImpact {
    /// Whether any territory loses records (a reviewer should look).
    #[must_use]
    pub fn loses_records(&self) -> bool {
        self.territories.iter().any(|t| !t.leaving.is_empty())
    }
}

/// The whole preview: one entry per module asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub modules: Vec<ModuleImpact>,
}

impl Preview {
    /// Requests sent for the preview, all modules together.
    #[must_use]
    pub fn requests(&self) -> u64 {
        self.modules.iter().map(|module| module.requests).sum()
    }
}

/// The two hierarchies of a module, keyed by the territory's name after the plan (its live
/// name when the plan leaves it out).
pub struct Sides<'a> {
    pub before: Tree<'a>,
    pub after: Tree<'a>,
    /// Live territory id -> key.
    pub key_of_id: BTreeMap<String, String>,
    /// Desired name (as a [`NameKey`]) -> key, for `assignments`.
    pub key_of_name: BTreeMap<NameKey, String>,
}

/// Builds both hierarchies of `module` from the live org and the desired state.
#[must_use]
pub fn sides<'a>(desired: &'a Desired, live: &'a Live, module: RuleModule) -> Option<Sides<'a>> {
    let root = live.root()?;
    let matching = match_territories(desired, live, root);
    let mut key_of_id: BTreeMap<String, String> = BTreeMap::new();
    key_of_id.insert(root.id.clone(), desired.root.clone());
    for (index, found) in matching.live_of.iter().enumerate() {
        if let Some(found) = found {
            key_of_id.insert(found.id.clone(), desired.territories[index].name.clone());
        }
    }
    for territory in &live.territories {
        key_of_id
            .entry(territory.id.clone())
            .or_insert_with(|| territory.name.clone());
    }

    // Before: the live org, in creation (id) order.
    let mut by_id: Vec<&crate::model::LiveTerritory> = live.territories.iter().collect();
    by_id.sort_by(|a, b| id_order(&a.id, &b.id));
    let position: BTreeMap<&str, usize> = by_id
        .iter()
        .enumerate()
        .map(|(at, t)| (t.id.as_str(), at))
        .collect();
    let before = Tree::new(
        by_id
            .iter()
            .map(|t| Node {
                key: key_of_id[&t.id].clone(),
                parent: t.parent.as_deref().and_then(|p| position.get(p).copied()),
                criteria: t.rules.get(module),
            })
            .collect(),
    );

    // After: the root, territories that stay (matched, or unmanaged and kept) in id order,
    // then the new ones in the order apply creates them (by depth, then name).
    let desired_of_live: BTreeMap<&str, usize> = matching
        .live_of
        .iter()
        .enumerate()
        .filter_map(|(index, found)| found.map(|found| (found.id.as_str(), index)))
        .collect();
    let mut key_of_name: BTreeMap<NameKey, String> = BTreeMap::new();
    key_of_name.insert(NameKey::new(&desired.root), desired.root.clone());
    for territory in &desired.territories {
        key_of_name.insert(NameKey::new(&territory.name), territory.name.clone());
    }
    struct Pending<'a> {
        key: String,
        parent_key: Option<String>,
        criteria: Option<&'a Criteria>,
    }
    let mut pending: Vec<Pending<'a>> = Vec::new();
    for territory in &by_id {
        if territory.id == root.id {
            pending.push(Pending {
                key: desired.root.clone(),
                parent_key: None,
                criteria: territory.rules.get(module),
            });
        } else if let Some(&index) = desired_of_live.get(territory.id.as_str()) {
            let wanted = &desired.territories[index];
            pending.push(Pending {
                key: wanted.name.clone(),
                parent_key: key_of_name.get(&NameKey::new(&wanted.parent)).cloned(),
                criteria: wanted.rules.get(module),
            });
        } else if desired.unmanaged != Unmanaged::Delete {
            pending.push(Pending {
                key: key_of_id[&territory.id].clone(),
                parent_key: territory.parent.as_ref().map(|p| key_of_id[p].clone()),
                criteria: territory.rules.get(module),
            });
        }
    }
    let depth = |name: &str| {
        let mut depth = 0;
        let mut at = NameKey::new(name);
        while let Some(territory) = desired.territory(at.as_str()) {
            depth += 1;
            at = NameKey::new(&territory.parent);
            if depth > desired.territories.len() {
                break;
            }
        }
        depth
    };
    let mut created: Vec<(usize, &crate::model::DesiredTerritory)> = desired
        .territories
        .iter()
        .enumerate()
        .filter(|(index, _)| matching.live_of[*index].is_none())
        .map(|(_, territory)| (depth(&territory.name), territory))
        .collect();
    created.sort_by(|a, b| (a.0, &a.1.name).cmp(&(b.0, &b.1.name)));
    for (_, territory) in created {
        pending.push(Pending {
            key: territory.name.clone(),
            parent_key: key_of_name.get(&NameKey::new(&territory.parent)).cloned(),
            criteria: territory.rules.get(module),
        });
    }
    let index_of: BTreeMap<NameKey, usize> = pending
        .iter()
        .enumerate()
        .map(|(at, p)| (NameKey::new(&p.key), at))
        .collect();
    let after = Tree::new(
        pending
            .into_iter()
            .map(|p| Node {
                parent: p
                    .parent_key
                    .and_then(|key| index_of.get(&NameKey::new(&key)).copied()),
                key: p.key,
                criteria: p.criteria,
            })
            .collect(),
    );
    Some(Sides {
        before,
        after,
        key_of_id,
        key_of_name,
    })
}

/// The fields the rules of `module` use, live and desired, sorted.
#[must_use]
pub fn rule_fields(desired: &Desired, live: &Live, module: RuleModule) -> Vec<String> {
    let criteria = live
        .territories
        .iter()
        .filter_map(|t| t.rules.get(module))
        .chain(
            desired
                .territories
                .iter()
                .filter_map(|t| t.rules.get(module)),
        );
    let names: BTreeSet<String> = criteria
        .flat_map(|c| c.rules().into_iter().map(|rule| rule.field.clone()))
        .collect();
    names.into_iter().collect()
}

/// The field that names a record of `module`, shown beside its id.
#[must_use]
pub fn name_field(module: Module) -> &'static str {
    match module {
        Module::Accounts => "Account_Name",
        Module::Deals => "Deal_Name",
        Module::Contacts | Module::Leads => "Last_Name",
    }
}

/// What reading the records gave, besides the records.
#[derive(Clone, Copy, Debug)]
pub struct ReadStats {
    pub partial: bool,
    pub max_records: usize,
    pub requests: u64,
}

/// What each record holds after the apply and the rule run `apply --run-rules` starts for
/// `scope` (territory names, children included), against what it holds now; the moves per
/// territory.
///
/// A record the run covers (it holds a territory of the scope automatically, or its rules
/// give it one) has its automatic territories evaluated afresh on the desired hierarchy;
/// others keep theirs (the simulator's reading of Zoho's run, simulator/README.md). Manual
/// territories stay, or become the ones the files' `assignments` list; a deleted territory
/// leaves every record.
#[must_use]
#[expect(
    clippy::too_many_arguments,
    reason = "the inputs of one evaluation, named"
)]
pub fn module_impact(
    desired: &Desired,
    module: RuleModule,
    sides: &Sides<'_>,
    scope: &[String],
    fields: &[FieldMeta],
    clock: Clock,
    user_names: &BTreeMap<String, String>,
    records: &[RecordRead],
    stats: ReadStats,
) -> ModuleImpact {
    let context = Context {
        fields,
        clock,
        user_names,
    };
    let record_module = module.module();
    let listed = desired.assignments.get(&record_module);
    let after_keys: BTreeSet<&str> = sides.after.nodes.iter().map(|n| n.key.as_str()).collect();
    let in_scope: BTreeSet<&str> = sides
        .after
        .subtrees(scope)
        .into_iter()
        .map(|at| sides.after.nodes[at].key.as_str())
        .collect();
    let mut entering: BTreeMap<String, Vec<RecordRef>> = BTreeMap::new();
    let mut leaving: BTreeMap<String, Vec<RecordRef>> = BTreeMap::new();
    for record in records {
        let key_of = |id: &str| -> String {
            sides
                .key_of_id
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.to_owned())
        };
        let held: Vec<(String, AssignedHow)> = record
            .territories
            .iter()
            .map(|(id, how)| (key_of(id), *how))
            .collect();
        let before: BTreeSet<&str> = held.iter().map(|(key, _)| key.as_str()).collect();
        let kept = |how: AssignedHow| -> Vec<&str> {
            held.iter()
                .filter(|(key, h)| *h == how && after_keys.contains(key.as_str()))
                .map(|(key, _)| key.as_str())
                .collect()
        };
        // A record the files assign by hand gets exactly those manual territories.
        let manual: Vec<&str> = match listed.and_then(|l| l.get(&record.sample.id)) {
            Some(names) => names
                .iter()
                .map(|name| {
                    sides
                        .key_of_name
                        .get(&NameKey::new(name))
                        .map_or(name.as_str(), String::as_str)
                })
                .collect(),
            None => kept(AssignedHow::Manually),
        };
        let held_automatic = kept(AssignedHow::Automatically);
        let reached: Vec<&str> = sides
            .after
            .reached(&context, &record.sample)
            .into_iter()
            .map(|at| sides.after.nodes[at].key.as_str())
            .collect();
        let given = automatic(record_module, &reached, &manual, DealChoice::First);
        let covered = given
            .iter()
            .chain(&held_automatic)
            .any(|key| in_scope.contains(key));
        let automatic_after = if covered { given } else { held_automatic };
        let after: BTreeSet<&str> = manual.iter().chain(&automatic_after).copied().collect();
        let reference = || RecordRef {
            id: record.sample.id.clone(),
            name: record.name.clone(),
        };
        for key in after.difference(&before) {
            entering
                .entry((*key).to_owned())
                .or_default()
                .push(reference());
        }
        for key in before.difference(&after) {
            leaving
                .entry((*key).to_owned())
                .or_default()
                .push(reference());
        }
    }
    let names: BTreeSet<String> = entering.keys().chain(leaving.keys()).cloned().collect();
    let territories = names
        .into_iter()
        .map(|name| TerritoryImpact {
            entering: entering.remove(&name).unwrap_or_default(),
            leaving: leaving.remove(&name).unwrap_or_default(),
            territory: name,
        })
        .collect();
    let mut notes = Vec::new();
    let all_criteria = sides
        .before
        .nodes
        .iter()
        .chain(&sides.after.nodes)
        .filter_map(|node| node.criteria);
    let (mut dates, mut users) = (false, false);
    for criteria in all_criteria {
        dates |= uses_date_literal(criteria);
        users |= needs_the_running_user(criteria);
    }
    if dates {
        notes.push(
            "rules with date literals were evaluated at the time of the plan, in UTC, with a \
             fiscal year starting in January"
                .to_owned(),
        );
    }
    if users {
        notes.push(
            "rules on `${CURRENTUSER}` or `${CURRENTUSERROLE}` depend on who runs them and were \
             counted as not met"
                .to_owned(),
        );
    }
    if stats.partial {
        notes.push(format!(
            "only the first {} records were read (`--impact-max-records`): the counts are a \
             lower bound",
            stats.max_records
        ));
    }
    ModuleImpact {
        module: record_module,
        records: records.len(),
        partial: stats.partial,
        max_records: stats.max_records,
        requests: stats.requests,
        territories,
        notes,
    }
}
