//! The affected part of the hierarchy, drawn as a tree: every changed territory with its
//! ancestors, marked with its change's symbol. A deleted subtree is one node, its top, with
//! the number of territories deleted below it.

use std::collections::BTreeMap;

use crate::model::NameKey;
use crate::plan::{Action, Plan};

use super::attention::deleted_subtrees;
use super::symbol;

/// One territory of the affected tree.
#[derive(Default)]
pub(crate) struct Node {
    pub(crate) name: String,
    /// The symbol of its change; `None` for an unchanged ancestor.
    pub(crate) symbol: Option<&'static str>,
    /// For the top of a deleted subtree: how many territories below it are deleted with it.
    pub(crate) deleted_below: usize,
    pub(crate) children: BTreeMap<NameKey, Node>,
}

impl Node {
    /// This node and every node below it.
    pub(crate) fn count(&self) -> usize {
        1 + self.children.values().map(Node::count).sum::<usize>()
    }

    /// The line of the node: symbol, name and the deleted subtree's size.
    pub(crate) fn label(&self) -> String {
        let mut label = match self.symbol {
            Some(symbol) => format!("{symbol} {}", self.name),
            None => self.name.clone(),
        };
        if self.deleted_below > 0 {
            label.push_str(&format!(" (and {} below it)", self.deleted_below));
        }
        label
    }
}

/// The affected tree, rooted at the plan's root; `None` when no territory changes.
pub(crate) fn nodes(plan: &Plan) -> Option<Node> {
    let subtrees = deleted_subtrees(plan);
    let mut root = Node {
        name: plan.root.clone(),
        ..Node::default()
    };
    let mut any = false;
    for change in &plan.changes {
        if matches!(change.action, Action::Remove(_) | Action::Assign(_)) {
            continue;
        }
        let deleted_below = match &change.action {
            // Below the top of a deleted subtree: counted there, not drawn.
            Action::Delete(_) => match subtrees.get(change.key.as_str()) {
                Some(below) => below.len(),
                None => continue,
            },
            _ => 0,
        };
        any = true;
        let mut node = &mut root;
        // The path starts at the root itself.
        for ancestor in change.path.iter().skip(1) {
            node = node
                .children
                .entry(NameKey::new(ancestor))
                .or_insert_with(|| Node {
                    name: ancestor.clone(),
                    ..Node::default()
                });
        }
        let title = change.title();
        if change.path.is_empty() {
            root.symbol = Some(symbol(&change.action));
            root.name = title;
            continue;
        }
        let leaf = node
            .children
            .entry(NameKey::new(&title))
            .or_insert_with(|| Node {
                name: title.clone(),
                ..Node::default()
            });
        leaf.symbol = Some(symbol(&change.action));
        leaf.deleted_below = deleted_below;
    }
    any.then_some(root)
}

/// The tree, one line a territory, rooted at the plan's root. Empty when no territory changes.
#[must_use]
pub fn affected(plan: &Plan) -> String {
    nodes(plan).map_or_else(String::new, |root| draw_tree(&root))
}

pub(crate) fn draw_tree(root: &Node) -> String {
    let mut out = root.label();
    out.push('\n');
    draw(root, "", &mut out);
    out
}

fn draw(node: &Node, prefix: &str, out: &mut String) {
    let count = node.children.len();
    for (index, child) in node.children.values().enumerate() {
        let last = index + 1 == count;
        out.push_str(prefix);
        out.push_str(if last { "└── " } else { "├── " });
        out.push_str(&child.label());
        out.push('\n');
        let deeper = format!("{prefix}{}", if last { "    " } else { "│   " });
        draw(child, &deeper, out);
    }
}
