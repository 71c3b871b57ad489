//! What "export then plan shows no changes" means, checked field by field: the differences a
//! plan would find between a desired state parsed back from an export and the live org it
//! was exported from, after the plan's normalisation (a group of one is its item, numbers
//! compare as their text, lookups by id, an empty description is none).
//!
//! What the export reports it could not express is expected to be missing: a manager who is
//! not an active user, a criteria naming a field the metadata no longer has, a territory that
//! does not reach the root.

use std::collections::BTreeMap;

use territoryctl::model::{
    Criteria, Desired, Live, LiveTerritory, NameKey, Rule, RuleModule, RuleValue, Scalar,
};

/// Every difference, one line each; empty when the desired state matches the live one.
pub(crate) fn differences(desired: &Desired, live: &Live) -> Vec<String> {
    let mut out = Vec::new();
    let root = live.root().expect("the live org has a root");
    if NameKey::new(&desired.root) != NameKey::new(&root.name) {
        out.push(format!("root: {:?} vs {:?}", desired.root, root.name));
    }
    let expected = reachable(live, root);
    let mut desired_by_name = BTreeMap::new();
    for territory in &desired.territories {
        if desired_by_name
            .insert(NameKey::new(&territory.name), territory)
            .is_some()
        {
            out.push(format!("{:?} is declared twice", territory.name));
        }
    }
    for live_territory in &expected {
        let key = NameKey::new(&live_territory.name);
        let Some(declared) = desired_by_name.remove(&key) else {
            out.push(format!("{:?} is missing", live_territory.name));
            continue;
        };
        let name = &live_territory.name;
        if declared.name != *name {
            out.push(format!("{name:?}: name written as {:?}", declared.name));
        }
        let parent = live_territory
            .parent
            .as_deref()
            .and_then(|id| live.territory(id))
            .map(|parent| parent.name.clone())
            .unwrap_or_default();
        if NameKey::new(&declared.parent) != NameKey::new(&parent) {
            out.push(format!(
                "{name:?}: parent {:?} vs {parent:?}",
                declared.parent
            ));
        }
        let manager = live_territory
            .manager
            .as_ref()
            .and_then(|manager| live.user_by_id(&manager.id))
            .map(|user| user.email.to_lowercase());
        let declared_manager = declared.manager.as_ref().map(|email| email.to_lowercase());
        if declared_manager != manager {
            out.push(format!(
                "{name:?}: manager {declared_manager:?} vs {manager:?}"
            ));
        }
        if declared.permission != live_territory.permission {
            out.push(format!(
                "{name:?}: permission {} vs {}",
                declared.permission, live_territory.permission
            ));
        }
        let description = |text: &Option<String>| text.clone().filter(|text| !text.is_empty());
        if description(&declared.description) != description(&live_territory.description) {
            out.push(format!(
                "{name:?}: description {:?} vs {:?}",
                declared.description, live_territory.description
            ));
        }
        for module in RuleModule::ALL {
            let live_criteria = live_territory
                .rules
                .get(module)
                .filter(|criteria| expressible(live, module, criteria))
                .map(normalise);
            let declared_criteria = declared.rules.get(module).map(normalise);
            if declared_criteria != live_criteria {
                out.push(format!(
                    "{name:?}: {module} rules {declared_criteria:?} vs {live_criteria:?}"
                ));
            }
        }
        if !declared.previously.is_empty() {
            out.push(format!("{name:?}: previously {:?}", declared.previously));
        }
    }
    for extra in desired_by_name.keys() {
        out.push(format!("{extra} is not a live territory under the root"));
    }
    out
}

/// Every territory below the root that the root reaches.
pub(crate) fn reachable<'a>(live: &'a Live, root: &'a LiveTerritory) -> Vec<&'a LiveTerritory> {
    let mut out = Vec::new();
    let mut frontier = vec![root.id.as_str()];
    while let Some(id) = frontier.pop() {
        for child in live
            .territories
            .iter()
            .filter(|territory| territory.parent.as_deref() == Some(id))
        {
            out.push(child);
            frontier.push(&child.id);
        }
    }
    out
}

/// Whether every field of `criteria` is known to the module's metadata (when there is any).
fn expressible(live: &Live, module: RuleModule, criteria: &Criteria) -> bool {
    live.fields.get(&module).is_none_or(|fields| {
        criteria.rules().iter().all(|rule| {
            fields
                .iter()
                .any(|field| field.api_name.eq_ignore_ascii_case(&rule.field))
        })
    })
}

pub(crate) fn normalise(criteria: &Criteria) -> Criteria {
    match criteria {
        Criteria::Group { items, .. } if items.len() == 1 => normalise(&items[0]),
        Criteria::Group { operator, items } => Criteria::Group {
            operator: *operator,
            items: items.iter().map(normalise).collect(),
        },
        Criteria::Rule(rule) => Criteria::Rule(Rule {
            field: rule.field.clone(),
            comparator: rule.comparator,
            value: match &rule.value {
                RuleValue::One(scalar) => RuleValue::One(normalise_scalar(scalar)),
                RuleValue::Many(values) => {
                    RuleValue::Many(values.iter().map(normalise_scalar).collect())
                }
            },
        }),
    }
}

fn normalise_scalar(scalar: &Scalar) -> Scalar {
    match scalar {
        Scalar::Number(number) => Scalar::Text(number.clone()),
        Scalar::Lookup { id, .. } => Scalar::Lookup {
            id: id.clone(),
            name: None,
        },
        other => other.clone(),
    }
}

/// Asserts that `plan` finds nothing to change between `desired` and `live`, showing the
/// rendered plan when it does.
pub(crate) fn assert_plan_has_no_changes(desired: &Desired, live: &Live, context: &str) {
    let policy = territoryctl::plan::Policy {
        allow_empty: true,
        ..territoryctl::plan::Policy::default()
    };
    let plan = territoryctl::plan::plan(desired, live, &policy)
        .unwrap_or_else(|error| panic!("{context}: plan refused: {error}"));
    assert!(
        !plan.has_changes(),
        "{context}: plan has changes:\n{}",
        territoryctl::render::text(&plan, false)
    );
}
