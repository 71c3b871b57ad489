//! Which territories a record's rules give it: Zoho's parent-first cascade and the per-module
//! limits.
//!
//! From Zoho's help ("Assigning Territories"): a record is validated for a territory's
//! sub-territories only when it meets that territory's criteria; it gets the deepest
//! territories it reaches (meeting North America and its child Central gives Central only);
//! it gets every territory it reaches, siblings included; meeting a child's criteria but not
//! its parent's gives neither. GUESSes (simulator/README.md):
//! - a territory without rules for the module is transparent: records pass through it to its
//!   children, but it is never assigned by rules itself (so a root without rules assigns
//!   nothing and lets every record reach the top-level territories);
//! - hierarchy order is depth first, siblings in the order they were created; when more
//!   territories match than a record may hold, the first ones in that order are kept;
//! - manually assigned territories count towards the limit (10; Deals 1) and are never
//!   touched; a Deal matching several territories gets the first (`flags.deal_tie_break:
//!   first`) or none (`skip`).

use std::collections::HashMap;

use serde_json::Value;

use super::matches::{Env, matches};
use crate::state::{DealTieBreak, Record, RecordTerritory, State, Territory};

/// The criteria key of a module's territory rules.
pub(crate) fn criteria_of<'a>(territory: &'a Territory, module: &str) -> Option<&'a Value> {
    match module {
        "Accounts" => territory.account_rule_criteria.as_ref(),
        "Leads" => territory.lead_rule_criteria.as_ref(),
        "Deals" => territory.deal_rule_criteria.as_ref(),
        _ => None,
    }
    .filter(|criteria| !criteria.is_null())
}

/// The territory tree, children in creation order.
pub(crate) struct Hierarchy<'a> {
    root: Option<&'a Territory>,
    children: HashMap<&'a str, Vec<&'a Territory>>,
}

impl<'a> Hierarchy<'a> {
    pub(crate) fn new(state: &'a State) -> Hierarchy<'a> {
        let mut children: HashMap<&str, Vec<&Territory>> = HashMap::new();
        for territory in &state.territories {
            if let Some(parent) = &territory.reporting_to {
                children.entry(parent.as_str()).or_default().push(territory);
            }
        }
        Hierarchy {
            root: state.root(),
            children,
        }
    }

    fn children(&self, id: &str) -> &[&'a Territory] {
        self.children.get(id).map(Vec::as_slice).unwrap_or_default()
    }

    /// `id` and every territory below it.
    pub(crate) fn subtree(&self, id: &str) -> Vec<String> {
        let mut out = vec![id.to_owned()];
        let mut at = 0;
        while at < out.len() {
            let next: Vec<String> = self
                .children(&out[at])
                .iter()
                .map(|t| t.id.clone())
                .collect();
            out.extend(next);
            at += 1;
        }
        out
    }
}

/// The territories the rules of `module` give `record`, in hierarchy order, before limits.
pub(crate) fn matched(
    env: &Env<'_>,
    hierarchy: &Hierarchy<'_>,
    module: &str,
    record: &Record,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(root) = hierarchy.root {
        reach(env, hierarchy, module, record, root, &mut out);
    }
    out
}

/// Adds what `record` gets from `territory` and below: nothing when it fails the territory's
/// rules; else the deepest territories with rules it reaches.
fn reach(
    env: &Env<'_>,
    hierarchy: &Hierarchy<'_>,
    module: &str,
    record: &Record,
    territory: &Territory,
    out: &mut Vec<String>,
) {
    let rules = criteria_of(territory, module);
    if rules.is_some_and(|rules| !matches(env, rules, record)) {
        return;
    }
    let before = out.len();
    for child in hierarchy.children(&territory.id) {
        reach(env, hierarchy, module, record, child, out);
    }
    if rules.is_some() && out.len() == before {
        out.push(territory.id.clone());
    }
}

/// How many territories a record of `module` may hold.
pub(crate) fn limit(state: &State, module: &str) -> usize {
    if module == "Deals" {
        1
    } else {
        state.limits.territories_per_record
    }
}

/// The automatic territories `record` should hold, given the ones the rules reach (in
/// hierarchy order): its manual ones are left out and count towards the limit.
pub(crate) fn within_limits(
    state: &State,
    module: &str,
    record: &Record,
    reached: Vec<String>,
) -> Vec<String> {
    let manual: Vec<&str> = record
        .territories
        .iter()
        .filter(|t| t.assigned == "manually")
        .map(|t| t.id.as_str())
        .collect();
    let candidates: Vec<String> = reached
        .into_iter()
        .filter(|id| !manual.contains(&id.as_str()))
        .collect();
    if module == "Deals" && candidates.len() > 1 && state.flags.deal_tie_break == DealTieBreak::Skip
    {
        return Vec::new();
    }
    let room = limit(state, module).saturating_sub(manual.len());
    candidates.into_iter().take(room).collect()
}

/// Makes `wanted` the record's automatic territories: kept ones keep their time, new ones get
/// `time`, the rest go; manual ones stay as they are. Whether anything changed.
pub(crate) fn replace_automatic(record: &mut Record, wanted: &[String], time: &str) -> bool {
    let before = record.territories.clone();
    record
        .territories
        .retain(|t| t.assigned == "manually" || wanted.contains(&t.id));
    for id in wanted {
        if !record.territories.iter().any(|t| &t.id == id) {
            record.territories.push(RecordTerritory {
                id: id.clone(),
                assigned: "automatically".to_owned(),
                assigned_by: None,
                assigned_time: time.to_owned(),
            });
        }
    }
    record.territories != before
}
