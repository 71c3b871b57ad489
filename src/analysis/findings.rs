//! What the rule analysis finds in a desired state: each finding a warning with a stable code,
//! the territory's rules in the YAML, and a hint (docs/configuration.md lists them).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::solve::{Kinds, candidates, never_matches};
use crate::impact::calendar::Clock;
use crate::impact::evaluate::{Context, Sample, meets};
use crate::model::{
    Criteria, Desired, DesiredTerritory, FieldMeta, GroupOperator, NameKey, Origin, RuleModule,
};

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// The territory's rules, with its ancestors', can never match a record.
    NeverMatches,
    /// Two sibling territories' Deals rules can both match one deal (a deal takes one).
    OverlappingDeals,
    /// A rule repeats its parent territory's condition: the cascade already checked it.
    RepeatsParent,
    /// A rule on a field no sibling territory uses, named like one they do.
    FieldNoSiblingUses,
}

impl FindingKind {
    /// The stable code, e.g. `analysis::never-matches`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::NeverMatches => "analysis::never-matches",
            Self::OverlappingDeals => "analysis::overlapping-deals",
            Self::RepeatsParent => "analysis::repeats-parent",
            Self::FieldNoSiblingUses => "analysis::field-no-sibling-uses",
        }
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub territory: String,
    pub module: RuleModule,
    pub message: String,
    pub help: String,
    /// For overlapping Deals rules: a deal both territories' rules match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<BTreeMap<String, Value>>,
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// The desired hierarchy as the analysis walks it.
struct Hierarchy<'a> {
    desired: &'a Desired,
    by_name: BTreeMap<NameKey, usize>,
}

impl<'a> Hierarchy<'a> {
    fn new(desired: &'a Desired) -> Self {
        let by_name = desired
            .territories
            .iter()
            .enumerate()
            .map(|(at, t)| (NameKey::new(&t.name), at))
            .collect();
        Self { desired, by_name }
    }

    fn parent(&self, territory: &DesiredTerritory) -> Option<&'a DesiredTerritory> {
        self.by_name
            .get(&NameKey::new(&territory.parent))
            .map(|at| &self.desired.territories[*at])
    }

    /// The ancestors (nearest first) that have rules for `module`.
    fn ruled_ancestors(
        &self,
        territory: &DesiredTerritory,
        module: RuleModule,
    ) -> Vec<&'a DesiredTerritory> {
        let mut out = Vec::new();
        let mut at = self.parent(territory);
        let mut steps = 0;
        while let Some(ancestor) = at {
            if ancestor.rules.get(module).is_some() {
                out.push(ancestor);
            }
            at = self.parent(ancestor);
            steps += 1;
            if steps > self.desired.territories.len() {
                break;
            }
        }
        out
    }
}

fn top_level(criteria: &Criteria) -> Vec<&Criteria> {
    match criteria {
        Criteria::Group {
            operator: GroupOperator::And,
            items,
        } => items.iter().collect(),
        other => vec![other],
    }
}

fn field_kind_of(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "boolean",
        Value::Number(_) => "currency",
        Value::Array(_) => "multiselectpicklist",
        Value::Object(_) => "lookup",
        Value::String(text) if crate::impact::calendar::parse_day(text).is_some() => "date",
        _ => "text",
    }
}

/// Checks `example` against every criteria with the evaluator, on field types taken from the
/// org when known, else from the example's own values.
fn confirmed(
    example: &BTreeMap<String, Value>,
    all: &[&Criteria],
    fields: Option<&[FieldMeta]>,
) -> bool {
    let guessed: Vec<FieldMeta>;
    let fields = match fields {
        Some(fields) => fields,
        None => {
            if example.values().any(Value::is_array) {
                // Several values in one field: only a multi-select field holds them.
                return false;
            }
            let mut named: Vec<String> = all
                .iter()
                .flat_map(|c| c.rules().into_iter().map(|r| r.field.clone()))
                .collect();
            named.sort();
            named.dedup();
            guessed = named
                .into_iter()
                .map(|name| FieldMeta {
                    data_type: example.get(&name).map_or("text", field_kind_of).into(),
                    api_name: name,
                    id: String::new(),
                    picklist: Vec::new(),
                })
                .collect();
            &guessed
        }
    };
    let names = BTreeMap::new();
    let context = Context {
        fields,
        clock: Clock {
            unix: 0,
            offset_secs: 0,
            fiscal_start_month: 1,
        },
        user_names: &names,
    };
    let sample = Sample {
        id: String::new(),
        fields: example.clone(),
    };
    all.iter()
        .all(|criteria| meets(&context, criteria, &sample))
}

/// Whether two conditions are the same to Zoho: field names and text values compare
/// ignoring case, as rules do.
fn same_condition(left: &Criteria, right: &Criteria) -> bool {
    match (left, right) {
        (Criteria::Rule(left), Criteria::Rule(right)) => {
            let lowered = |value: &crate::model::RuleValue| value.to_string().to_lowercase();
            left.field.eq_ignore_ascii_case(&right.field)
                && left.comparator == right.comparator
                && lowered(&left.value) == lowered(&right.value)
        }
        _ => crate::plan::same_criteria(Some(left), Some(right)),
    }
}

fn rules_origin(territory: &DesiredTerritory, module: RuleModule) -> Option<Origin> {
    territory
        .origins
        .rules
        .get(&module)
        .map(|criteria| criteria.entry.clone())
        .or_else(|| territory.origins.name.clone())
}

/// Every finding in `desired`. `fields` (the org's field metadata, when online) makes the
/// analysis exact for fields that hold one value, and adds
/// [`FindingKind::FieldNoSiblingUses`].
#[must_use]
pub fn analyse(
    desired: &Desired,
    fields: Option<&BTreeMap<RuleModule, Vec<FieldMeta>>>,
) -> Vec<Finding> {
    let hierarchy = Hierarchy::new(desired);
    let mut out = Vec::new();
    for module in RuleModule::ALL {
        let module_fields = fields
            .and_then(|fields| fields.get(&module))
            .map(Vec::as_slice);
        let kinds = Kinds {
            multi_valued: module_fields.map(|fields| {
                fields
                    .iter()
                    .filter(|f| f.data_type.is_multi_valued())
                    .map(|f| f.api_name.to_lowercase())
                    .collect()
            }),
        };
        never_matching(&hierarchy, module, &kinds, &mut out);
        repeating(&hierarchy, module, &mut out);
        if module == RuleModule::Deals {
            overlapping(&hierarchy, &kinds, module_fields, &mut out);
        }
        if module_fields.is_some() {
            unused_fields(&hierarchy, module, &mut out);
        }
    }
    out
}

fn never_matching(
    hierarchy: &Hierarchy<'_>,
    module: RuleModule,
    kinds: &Kinds,
    out: &mut Vec<Finding>,
) {
    let mut flagged: Vec<NameKey> = Vec::new();
    for territory in &hierarchy.desired.territories {
        let Some(own) = territory.rules.get(module) else {
            continue;
        };
        let ancestors = hierarchy.ruled_ancestors(territory, module);
        // Below a territory that never matches, nothing does: say it once, at the top.
        if ancestors
            .iter()
            .any(|ancestor| flagged.contains(&NameKey::new(&ancestor.name)))
        {
            continue;
        }
        let (message, help) = if never_matches(&[own], kinds) {
            (
                format!(
                    "the {module} rules of `{}` can never match a record: they contradict \
                     each other",
                    territory.name
                ),
                "look for two conditions on one field that no value meets together (an \
                 `all:` that should be `any:`?)"
                    .to_owned(),
            )
        } else {
            let mut chain = vec![own];
            let culprit = ancestors.iter().find(|ancestor| {
                chain.push(ancestor.rules.get(module).expect("ruled"));
                never_matches(&chain, kinds)
            });
            let Some(culprit) = culprit else {
                continue;
            };
            (
                format!(
                    "the {module} rules of `{}` can never match a record that reaches it: \
                     no record meets them and those of its ancestor `{}`",
                    territory.name, culprit.name
                ),
                format!(
                    "a record is checked against `{}` only after meeting `{}`'s rules; widen \
                     one of them, or move `{}`",
                    territory.name, culprit.name, territory.name
                ),
            )
        };
        flagged.push(NameKey::new(&territory.name));
        out.push(Finding {
            kind: FindingKind::NeverMatches,
            territory: territory.name.clone(),
            module,
            message,
            help,
            example: None,
            origin: rules_origin(territory, module),
        });
    }
}

fn repeating(hierarchy: &Hierarchy<'_>, module: RuleModule, out: &mut Vec<Finding>) {
    for territory in &hierarchy.desired.territories {
        let Some(own) = territory.rules.get(module) else {
            continue;
        };
        let Some(parent) = hierarchy.parent(territory) else {
            continue;
        };
        let Some(theirs) = parent.rules.get(module) else {
            continue;
        };
        let parent_parts = top_level(theirs);
        let repeated = top_level(own).into_iter().find(|part| {
            parent_parts
                .iter()
                .any(|theirs| same_condition(part, theirs))
        });
        let Some(repeated) = repeated else {
            continue;
        };
        let what = match repeated {
            Criteria::Rule(rule) => format!("`{} {} {}`", rule.field, rule.comparator, rule.value),
            Criteria::Group { .. } => "a group of conditions".to_owned(),
        };
        out.push(Finding {
            kind: FindingKind::RepeatsParent,
            territory: territory.name.clone(),
            module,
            message: format!(
                "the {module} rules of `{}` repeat {what} from its parent `{}`",
                territory.name, parent.name
            ),
            help: format!(
                "a record reaches `{}` only after meeting `{}`'s rules, so the repeated \
                 condition changes nothing; remove it",
                territory.name, parent.name
            ),
            example: None,
            origin: rules_origin(territory, module),
        });
    }
}

fn overlapping(
    hierarchy: &Hierarchy<'_>,
    kinds: &Kinds,
    fields: Option<&[FieldMeta]>,
    out: &mut Vec<Finding>,
) {
    let module = RuleModule::Deals;
    let mut by_parent: BTreeMap<NameKey, Vec<&DesiredTerritory>> = BTreeMap::new();
    for territory in &hierarchy.desired.territories {
        if territory.rules.get(module).is_some() {
            by_parent
                .entry(NameKey::new(&territory.parent))
                .or_default()
                .push(territory);
        }
    }
    for siblings in by_parent.values() {
        for (at, first) in siblings.iter().enumerate() {
            for second in &siblings[at + 1..] {
                let mut all: Vec<&Criteria> = hierarchy
                    .ruled_ancestors(first, module)
                    .iter()
                    .filter_map(|ancestor| ancestor.rules.get(module))
                    .collect();
                all.extend(first.rules.get(module));
                all.extend(second.rules.get(module));
                let example = candidates(&all, kinds, 16)
                    .into_iter()
                    .find(|example| confirmed(example, &all, fields));
                let Some(example) = example else {
                    continue;
                };
                let shown: Vec<String> = example
                    .iter()
                    .map(|(field, value)| format!("{field} = {value}"))
                    .collect();
                out.push(Finding {
                    kind: FindingKind::OverlappingDeals,
                    territory: second.name.clone(),
                    module,
                    message: format!(
                        "the Deals rules of `{}` and its sibling `{}` can both match one deal, \
                         e.g. {}",
                        second.name,
                        first.name,
                        if shown.is_empty() {
                            "any deal".to_owned()
                        } else {
                            shown.join(", ")
                        }
                    ),
                    help: "a deal takes one territory: make the siblings' Deals rules exclude \
                           each other, or Zoho picks one of them"
                        .to_owned(),
                    example: Some(example),
                    origin: rules_origin(second, module),
                });
            }
        }
    }
}

fn unused_fields(hierarchy: &Hierarchy<'_>, module: RuleModule, out: &mut Vec<Finding>) {
    let mut by_parent: BTreeMap<NameKey, Vec<&DesiredTerritory>> = BTreeMap::new();
    for territory in &hierarchy.desired.territories {
        if territory.rules.get(module).is_some() {
            by_parent
                .entry(NameKey::new(&territory.parent))
                .or_default()
                .push(territory);
        }
    }
    for siblings in by_parent.values().filter(|siblings| siblings.len() >= 3) {
        for territory in siblings {
            let fields_of = |t: &DesiredTerritory| -> Vec<String> {
                t.rules
                    .get(module)
                    .map(|c| c.rules().into_iter().map(|r| r.field.clone()).collect())
                    .unwrap_or_default()
            };
            let theirs: Vec<String> = siblings
                .iter()
                .filter(|other| other.name != territory.name)
                .flat_map(|other| fields_of(other))
                .collect();
            for field in fields_of(territory) {
                if theirs
                    .iter()
                    .any(|other| other.eq_ignore_ascii_case(&field))
                {
                    continue;
                }
                let Some(close) =
                    crate::suggest::closest(&field, theirs.iter().map(String::as_str))
                else {
                    continue;
                };
                out.push(Finding {
                    kind: FindingKind::FieldNoSiblingUses,
                    territory: territory.name.clone(),
                    module,
                    message: format!(
                        "the {module} rules of `{}` use `{field}`, which no sibling territory \
                         uses; they use `{close}`",
                        territory.name
                    ),
                    help: format!("if `{field}` is a typo, write `{close}`"),
                    example: None,
                    origin: rules_origin(territory, module),
                });
            }
        }
    }
}
