//! Which territories a record's rules give it: the hierarchy read parent first, then Zoho's
//! per-module limits, with manually assigned territories kept.
//!
//! Zoho's help ("Assigning Territories"): a record is considered for a territory's children
//! only when it meets that territory's criteria, gets the deepest territories it reaches, and
//! gets every one it reaches (siblings included). The readings where Zoho is silent are the
//! ones simulator/README.md lists: a territory without rules for the module lets records
//! through to its children but is never given by rules; territories are taken depth first,
//! siblings in the order they were created, and the first ones are kept when there are more
//! than the record may hold; manual territories count towards the limit and stay.

use super::evaluate::{Context, Sample, meets};
use crate::model::{Criteria, Module};

/// One territory of a hierarchy, as the rules of one module see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Node<'a> {
    /// What the caller knows the territory by (a name key, an id).
    pub key: String,
    /// Index of the parent in [`Tree::nodes`]; `None` for the root.
    pub parent: Option<usize>,
    /// The module's criteria; `None`: no rule for the module.
    pub criteria: Option<&'a Criteria>,
}

/// A territory hierarchy, nodes in the order the territories were created.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tree<'a> {
    pub nodes: Vec<Node<'a>>,
    children: Vec<Vec<usize>>,
    root: Option<usize>,
}

impl<'a> Tree<'a> {
    /// A tree of `nodes` (parents given by index; the first node without one is the root).
    #[must_use]
    pub fn new(nodes: Vec<Node<'a>>) -> Self {
        let mut children = vec![Vec::new(); nodes.len()];
        let mut root = None;
        for (index, node) in nodes.iter().enumerate() {
            match node.parent {
                Some(parent) if parent < nodes.len() => children[parent].push(index),
                Some(_) => {}
                None => root = root.or(Some(index)),
            }
        }
        Self {
            nodes,
            children,
            root,
        }
    }

    /// The territories named `keys` (compared as names, case-insensitively) and every
    /// territory below them.
    #[must_use]
    pub fn subtrees(&self, keys: &[String]) -> Vec<usize> {
        let wanted: Vec<crate::model::NameKey> = keys
            .iter()
            .map(|key| crate::model::NameKey::new(key))
            .collect();
        let mut out: Vec<usize> = (0..self.nodes.len())
            .filter(|at| wanted.contains(&crate::model::NameKey::new(&self.nodes[*at].key)))
            .collect();
        let mut next = 0;
        while next < out.len() {
            for &child in &self.children[out[next]] {
                if !out.contains(&child) {
                    out.push(child);
                }
            }
            next += 1;
        }
        out
    }

    /// The territories (indices) the rules give `sample`, deepest reached, in hierarchy order,
    /// before any limit.
    #[must_use]
    pub fn reached(&self, context: &Context<'_>, sample: &Sample) -> Vec<usize> {
        let mut out = Vec::new();
        if let Some(root) = self.root {
            self.descend(context, sample, root, &mut out);
        }
        out
    }

    fn descend(&self, context: &Context<'_>, sample: &Sample, at: usize, out: &mut Vec<usize>) {
        let criteria = self.nodes[at].criteria;
        if let Some(criteria) = criteria {
            if !meets(context, criteria, sample) {
                return;
            }
        }
        let found_below = out.len();
        for &child in &self.children[at] {
            self.descend(context, sample, child, out);
        }
        if criteria.is_some() && out.len() == found_below {
            out.push(at);
        }
    }
}

/// Which of several territories a Deal's rules give it. Zoho's docs do not say.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DealChoice {
    /// The first in hierarchy order (the simulator's default reading).
    #[default]
    First,
    /// None at all.
    Skip,
}

/// The automatic territories a record of `module` ends with, given the ones its rules reach
/// (in hierarchy order) and its manual ones (by key, never touched).
#[must_use]
pub fn automatic<'k>(
    module: Module,
    reached: &[&'k str],
    manual: &[&str],
    deals: DealChoice,
) -> Vec<&'k str> {
    let open: Vec<&str> = reached
        .iter()
        .copied()
        .filter(|key| !manual.contains(key))
        .collect();
    if module == Module::Deals && open.len() > 1 && deals == DealChoice::Skip {
        return Vec::new();
    }
    let room = module
        .max_territories_per_record()
        .saturating_sub(manual.len());
    open.into_iter().take(room).collect()
}
