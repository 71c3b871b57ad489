//! The affected part of the hierarchy, drawn as a tree: every changed territory with its
//! ancestors, marked with its change's symbol.

use std::collections::BTreeMap;

use crate::model::NameKey;
use crate::plan::{Action, Plan};

use super::symbol;

#[derive(Default)]
struct Node {
    name: String,
    symbol: Option<&'static str>,
    children: BTreeMap<NameKey, Node>,
}

/// The tree, one line a territory, rooted at the plan's root. Empty when no territory changes.
#[must_use]
pub fn affected(plan: &Plan) -> String {
    let mut root = Node {
        name: plan.root.clone(),
        ..Node::default()
    };
    let mut any = false;
    for change in &plan.changes {
        if matches!(change.action, Action::Remove(_) | Action::Assign(_)) {
            continue;
        }
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
    }
    if !any {
        return String::new();
    }
    let mut out = String::new();
    out.push_str(&label(&root));
    out.push('\n');
    draw(&root, "", &mut out);
    out
}

fn label(node: &Node) -> String {
    match node.symbol {
        Some(symbol) => format!("{symbol} {}", node.name),
        None => node.name.clone(),
    }
}

fn draw(node: &Node, prefix: &str, out: &mut String) {
    let count = node.children.len();
    for (index, child) in node.children.values().enumerate() {
        let last = index + 1 == count;
        out.push_str(prefix);
        out.push_str(if last { "└── " } else { "├── " });
        out.push_str(&label(child));
        out.push('\n');
        let deeper = format!("{prefix}{}", if last { "    " } else { "│   " });
        draw(child, &deeper, out);
    }
}
