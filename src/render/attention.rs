//! What needs a reviewer's attention: the changes that are hard to undo or change who sees
//! which records, by category, in the order a reviewer should read them. The text and the
//! Markdown renderings list the same items; each formats names its own way.

use std::collections::{BTreeMap, BTreeSet};

use super::notes::RenameHint;
use crate::plan::{Action, Change, FieldChange, Plan, member_change};

/// The categories, in reading order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Category {
    Delete,
    Rename,
    Move,
    MemberRemoval,
    MemberMove,
    Manager,
    Permission,
    Rules,
    RecordRemoval,
}

impl Category {
    /// The bold word of a Markdown item, the verb of a text one.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Delete => "Delete",
            Self::Rename => "Rename?",
            Self::Move => "Move",
            Self::MemberRemoval => "Remove users",
            Self::MemberMove => "User",
            Self::Manager => "Manager",
            Self::Permission => "Permission",
            Self::Rules => "Rules",
            Self::RecordRemoval => "Remove",
        }
    }

    /// `2 deletions`, `1 possible rename`, ...
    pub(crate) fn count(self, count: usize) -> String {
        format!("{count} {}", self.noun(count))
    }

    /// `deletions`, `possible rename`, ...: the noun for `count` of the category.
    pub(crate) fn noun(self, count: usize) -> &'static str {
        let (one, many) = match self {
            Self::Delete => ("deletion", "deletions"),
            Self::Rename => ("possible rename", "possible renames"),
            Self::Move => ("move", "moves"),
            Self::MemberRemoval => ("membership removal", "membership removals"),
            Self::MemberMove => ("user moving territory", "users moving territory"),
            Self::Manager => ("manager change", "manager changes"),
            Self::Permission => ("permission change", "permission changes"),
            Self::Rules => ("rule change", "rule changes"),
            Self::RecordRemoval => ("record removal", "record removals"),
        };
        if count == 1 { one } else { many }
    }
}

/// A piece of an item: words, or a name (from YAML or Zoho) a rendering must show as a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Words(String),
    Name(String),
}

/// One line of "Needs attention".
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) category: Category,
    pub(crate) parts: Vec<Part>,
}

/// Every item, sorted by category (stable within one), and the count of each category: the
/// territories deleted (a deleted subtree is one item and counts each territory), the
/// (record, territory) pairs removed, one for every other item.
pub(crate) struct Attention {
    pub(crate) items: Vec<Item>,
    pub(crate) counts: BTreeMap<Category, usize>,
}

impl Attention {
    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// `2 deletions, 4 moves, 1 rule change`.
    pub(crate) fn counts_line(&self) -> String {
        self.counts
            .iter()
            .map(|(category, count)| category.count(*count))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// At most this many descendants of a deleted subtree are named in its item.
const NAMED_DESCENDANTS: usize = 10;

pub(crate) fn of(plan: &Plan, renames: &[RenameHint]) -> Attention {
    let mut items = Vec::new();
    let mut counts: BTreeMap<Category, usize> = BTreeMap::new();
    let subtrees = deleted_subtrees(plan);
    for change in &plan.changes {
        match &change.action {
            Action::Delete(delete) => {
                let Some(below) = subtrees.get(change.key.as_str()) else {
                    continue;
                };
                let descendants: Vec<String> = below.iter().map(|change| change.title()).collect();
                *counts.entry(Category::Delete).or_default() += 1 + descendants.len();
                let mut parts = vec![Part::Name(delete.name.clone())];
                if !descendants.is_empty() {
                    parts.push(Part::Words(format!(
                        " and its {} descendant{}",
                        descendants.len(),
                        plural(descendants.len())
                    )));
                    parts.extend(name_list(&descendants, NAMED_DESCENDANTS, " (", ")"));
                }
                // Children that survive, of the top or of a territory deleted below it.
                for (deleted, delete) in std::iter::once(change)
                    .chain(below.iter().copied())
                    .filter_map(|change| match &change.action {
                        Action::Delete(delete) => Some((change.title(), delete)),
                        _ => None,
                    })
                {
                    let Some(target) = &delete.transfer_to else {
                        continue;
                    };
                    parts.extend(name_list(
                        &delete.transferred_children,
                        usize::MAX,
                        " (children ",
                        "",
                    ));
                    if deleted != change.title() {
                        parts.push(Part::Words(" of ".to_owned()));
                        parts.push(Part::Name(deleted));
                    }
                    parts.push(Part::Words(" handed to ".to_owned()));
                    parts.push(Part::Name(target.name().to_owned()));
                    parts.push(Part::Words(")".to_owned()));
                }
                items.push(Item {
                    category: Category::Delete,
                    parts,
                });
            }
            Action::Update(update) => {
                let name = update.new_name().to_owned();
                let mut rules = Vec::new();
                for field in &update.fields {
                    let (category, parts) = match field {
                        FieldChange::Parent { old, new, .. } => (
                            Category::Move,
                            vec![
                                Part::Name(name.clone()),
                                Part::Words(": ".to_owned()),
                                Part::Name(old.name().to_owned()),
                                Part::Words(" → ".to_owned()),
                                Part::Name(new.name().to_owned()),
                            ],
                        ),
                        FieldChange::Manager { old, new } => (
                            Category::Manager,
                            vec![
                                Part::Words("of ".to_owned()),
                                Part::Name(name.clone()),
                                Part::Words(": ".to_owned()),
                                manager(old.as_ref()),
                                Part::Words(" → ".to_owned()),
                                manager(new.as_ref()),
                            ],
                        ),
                        FieldChange::Permission { old, new } => (
                            Category::Permission,
                            vec![
                                Part::Words("of ".to_owned()),
                                Part::Name(name.clone()),
                                Part::Words(": ".to_owned()),
                                Part::Name(old.to_string()),
                                Part::Words(" → ".to_owned()),
                                Part::Name(new.to_string()),
                            ],
                        ),
                        FieldChange::Rules { module, old, new } => {
                            let how = match (old, new) {
                                (None, _) => "added",
                                (_, None) => "removed",
                                _ => "changed",
                            };
                            rules.push(format!("{module} {how}"));
                            continue;
                        }
                        // The other attributes (name, description, users) need no more
                        // attention than the change list gives them.
                        _ => continue,
                    };
                    *counts.entry(category).or_default() += 1;
                    items.push(Item { category, parts });
                }
                if !rules.is_empty() {
                    *counts.entry(Category::Rules).or_default() += 1;
                    items.push(Item {
                        category: Category::Rules,
                        parts: vec![
                            Part::Words("of ".to_owned()),
                            Part::Name(name),
                            Part::Words(format!(": {}", rules.join(", "))),
                        ],
                    });
                }
            }
            Action::Remove(records) => {
                *counts.entry(Category::RecordRemoval).or_default() += records.territories.len();
                let names: Vec<String> = records
                    .territories
                    .iter()
                    .map(|territory| territory.name().to_owned())
                    .collect();
                let mut parts = name_list(&names, usize::MAX, "", "");
                parts.push(Part::Words(" from ".to_owned()));
                parts.push(Part::Name(format!(
                    "{} {}",
                    records.module, records.record_id
                )));
                items.push(Item {
                    category: Category::RecordRemoval,
                    parts,
                });
            }
            Action::Create(_) | Action::Assign(_) => {}
        }
        // Users removed from the territory, except those who move to another (said below).
        let (_, removed) = member_change(change);
        let removed: Vec<String> = removed
            .iter()
            .map(|user| user.label())
            .filter(|user| {
                !plan
                    .member_moves
                    .iter()
                    .any(|found| found.user.eq_ignore_ascii_case(user))
            })
            .collect();
        if !removed.is_empty() {
            *counts.entry(Category::MemberRemoval).or_default() += removed.len();
            let mut parts = vec![
                Part::Words("from ".to_owned()),
                Part::Name(change.title()),
                Part::Words(": ".to_owned()),
            ];
            parts.extend(name_list(&removed, usize::MAX, "", ""));
            items.push(Item {
                category: Category::MemberRemoval,
                parts,
            });
        }
    }
    for found in &plan.member_moves {
        *counts.entry(Category::MemberMove).or_default() += 1;
        items.push(Item {
            category: Category::MemberMove,
            parts: vec![
                Part::Name(found.user.clone()),
                Part::Words(" moves from ".to_owned()),
                Part::Name(found.from.clone()),
                Part::Words(" to ".to_owned()),
                Part::Name(found.to.clone()),
            ],
        });
    }
    for hint in renames {
        *counts.entry(Category::Rename).or_default() += 1;
        items.push(Item {
            category: Category::Rename,
            parts: rename_parts(hint),
        });
    }
    // Stable: within a category, the plan's order.
    items.sort_by_key(|item| item.category);
    Attention { items, counts }
}

/// "did you rename X to Y? add `previously: [X]` to Y to keep its id, forecasts and records".
pub(crate) fn rename_parts(hint: &RenameHint) -> Vec<Part> {
    vec![
        Part::Words("did you rename ".to_owned()),
        Part::Name(hint.deleted.clone()),
        Part::Words(" to ".to_owned()),
        Part::Name(hint.created.clone()),
        Part::Words(" (both under ".to_owned()),
        Part::Name(hint.parent.clone()),
        Part::Words(")? add ".to_owned()),
        Part::Name(format!("previously: [{}]", hint.deleted)),
        Part::Words(" to ".to_owned()),
        Part::Name(hint.created.clone()),
        Part::Words(" to keep its id, forecasts and records".to_owned()),
    ]
}

fn manager(manager: Option<&crate::plan::Manager>) -> Part {
    manager.map_or_else(
        || Part::Words("(none)".to_owned()),
        |manager| Part::Name(manager.label()),
    )
}

/// `open` then the names separated by `, ` (at most `limit`, then `and N more`) then `close`.
fn name_list(names: &[String], limit: usize, open: &str, close: &str) -> Vec<Part> {
    let mut parts = vec![Part::Words(open.to_owned())];
    for (index, name) in names.iter().take(limit).enumerate() {
        if index > 0 {
            parts.push(Part::Words(", ".to_owned()));
        }
        parts.push(Part::Name(name.clone()));
    }
    if names.len() > limit {
        parts.push(Part::Words(format!(" and {} more", names.len() - limit)));
    }
    parts.push(Part::Words(close.to_owned()));
    parts.retain(|part| !matches!(part, Part::Words(words) if words.is_empty()));
    parts
}

/// The deletes at the top of a deleted subtree (their live parent survives), by change key,
/// each with the deletes of the territories below it, in the plan's order. A delete below
/// another deleted one is in its ancestor's list and has no key of its own.
pub(crate) fn deleted_subtrees<'a>(plan: &'a Plan) -> BTreeMap<&'a str, Vec<&'a Change>> {
    let deletes: Vec<&Change> = plan
        .changes
        .iter()
        .filter(|change| matches!(change.action, Action::Delete(_)))
        .collect();
    let ids: BTreeSet<&str> = deletes
        .iter()
        .filter_map(|change| match &change.action {
            Action::Delete(delete) => Some(delete.id.as_str()),
            _ => None,
        })
        .collect();
    let parent_of = |change: &'a Change| -> Option<&'a str> {
        match &change.action {
            Action::Delete(delete) => delete.parent.id().filter(|id| ids.contains(id)),
            _ => None,
        }
    };
    let id_of = |change: &Change| match &change.action {
        Action::Delete(delete) => delete.id.clone(),
        _ => String::new(),
    };
    let by_id: BTreeMap<String, &Change> = deletes
        .iter()
        .map(|change| (id_of(change), *change))
        .collect();
    let mut subtrees: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for change in &deletes {
        if parent_of(change).is_none() {
            subtrees.entry(change.key.as_str()).or_default();
        }
    }
    for change in &deletes {
        // Up to the top deleted ancestor; the live hierarchy has no cycle, and the walk is
        // bounded by the number of deletes all the same.
        let mut top: &Change = change;
        let mut steps = 0;
        while let Some(parent) = parent_of(top).and_then(|id| by_id.get(id)) {
            top = parent;
            steps += 1;
            if steps > deletes.len() {
                break;
            }
        }
        if top.key != change.key {
            subtrees.entry(top.key.as_str()).or_default().push(change);
        }
    }
    subtrees
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
