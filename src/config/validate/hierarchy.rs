//! The tree: every parent exists, no territory is its own ancestor, every territory reaches
//! the root.

use std::collections::BTreeMap;

use crate::model::NameKey;

use super::super::code::Code;
use super::super::problem::Problem;
use super::super::span::Spanned;
use super::territory::Entry;
use super::{Located, Problems};
use crate::suggest;

/// Labels drawn in a cycle's snippet; the message names every member.
const MAX_CYCLE_LABELS: usize = 10;

/// How a territory's chain of parents ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Being walked right now.
    Walking,
    Root,
    /// At an unknown or missing parent: already reported there.
    Broken,
    /// In a cycle (reported once per cycle).
    InCycle,
    /// Below a cycle (counted in the cycle's error); the index is a territory in that cycle.
    BelowCycle(usize),
}

pub(super) fn check(root: Option<&Located<String>>, entries: &[Entry], problems: &mut Problems) {
    let root_key = root.map(|root| NameKey::new(&root.value.value));
    // The first territory of each name; duplicates are reported by `names`.
    let mut index: BTreeMap<NameKey, usize> = BTreeMap::new();
    for (position, entry) in entries.iter().enumerate() {
        if let Some(name) = &entry.name {
            index.entry(NameKey::new(&name.value)).or_insert(position);
        }
    }

    // Parent of each territory: Some(index), or None when it is the root or cannot be resolved.
    let mut parents: Vec<Option<usize>> = vec![None; entries.len()];
    let mut reach: Vec<Option<Reach>> = vec![None; entries.len()];
    for (position, entry) in entries.iter().enumerate() {
        let Some(parent) = &entry.parent else {
            reach[position] = Some(Reach::Broken);
            continue;
        };
        let key = NameKey::new(&parent.value);
        if Some(&key) == root_key.as_ref() {
            reach[position] = Some(Reach::Root);
        } else if let Some(&found) = index.get(&key) {
            parents[position] = Some(found);
        } else {
            reach[position] = Some(Reach::Broken);
            // An empty parent, or one with hidden characters, is reported where it is written.
            if !parent.value.trim().is_empty()
                && !parent.value.chars().any(crate::escape::is_hidden)
            {
                problems.push(unknown_parent(root, entries, entry, parent));
            }
        }
    }

    // Each territory is walked once: a walk stops at the first territory already settled, so
    // the whole check is linear in the number of territories.
    let mut cycles: Vec<Vec<usize>> = Vec::new();
    let mut cycle_of: Vec<Option<usize>> = vec![None; entries.len()];
    let mut below: Vec<usize> = Vec::new();
    for start in 0..entries.len() {
        if reach[start].is_some() {
            continue;
        }
        let mut path = vec![start];
        reach[start] = Some(Reach::Walking);
        let outcome = loop {
            // Territories without a resolved parent were settled before the walk.
            let Some(parent) = path.last().and_then(|&current| parents[current]) else {
                break Reach::Broken;
            };
            match reach[parent] {
                None => {
                    reach[parent] = Some(Reach::Walking);
                    path.push(parent);
                }
                Some(Reach::Walking) => {
                    let cycle_start = path
                        .iter()
                        .rposition(|&member| member == parent)
                        .unwrap_or(0);
                    let members = path.split_off(cycle_start);
                    for &member in &members {
                        reach[member] = Some(Reach::InCycle);
                        cycle_of[member] = Some(cycles.len());
                    }
                    cycles.push(members);
                    below.push(0);
                    break Reach::BelowCycle(parent);
                }
                Some(Reach::InCycle) => break Reach::BelowCycle(parent),
                Some(settled) => break settled,
            }
        };
        for &member in &path {
            reach[member] = Some(outcome);
        }
        if let Reach::BelowCycle(in_cycle) = outcome
            && let Some(cycle) = cycle_of[in_cycle]
        {
            below[cycle] += path.len();
        }
    }
    // One error per cycle, however many territories hang below it.
    for (members, below) in cycles.iter().zip(below) {
        problems.push(cycle(entries, members, below));
    }
}

fn unknown_parent(
    root: Option<&Located<String>>,
    entries: &[Entry],
    entry: &Entry,
    parent: &Spanned<String>,
) -> Problem {
    let names = entries
        .iter()
        .filter_map(|other| other.name.as_ref().map(|name| name.value.as_str()))
        .chain(root.map(|root| root.value.value.as_str()));
    let renamed = entries.iter().find(|other| {
        other
            .previously
            .iter()
            .any(|former| NameKey::new(&former.value) == NameKey::new(&parent.value))
    });
    let help = match (
        renamed.and_then(|other| other.name.as_ref()),
        suggest::closest(&parent.value, names),
    ) {
        (Some(renamed), _) => format!(
            "`{}` was renamed to `{}`: name the parent by its new name",
            parent.value, renamed.value
        ),
        (None, Some(close)) => format!("did you mean `{close}`?"),
        (None, None) => {
            "add a territory of that name, or name the root for a top-level territory".to_owned()
        }
    };
    Problem::error(
        Code::UnknownParent,
        &entry.file,
        format!("unknown parent `{}`", parent.value),
    )
    .primary(parent.span, "no territory has this name")
    .help(help)
}

fn name_of(entry: &Entry) -> &str {
    entry.name.as_ref().map_or("?", |name| name.value.as_str())
}

fn cycle(entries: &[Entry], members: &[usize], below: usize) -> Problem {
    let first = &entries[members[0]];
    let chain: Vec<&str> = members
        .iter()
        .chain(std::iter::once(&members[0]))
        .map(|&member| name_of(&entries[member]))
        .collect();
    let below = match below {
        0 => String::new(),
        1 => "; 1 territory below it does not reach the root".to_owned(),
        count => format!("; {count} territories below it do not reach the root"),
    };
    let mut problem = Problem::error(
        Code::Cycle,
        &first.file,
        format!(
            "the territories form a cycle: {}{below}",
            chain.join(" -> ")
        ),
    );
    // The first few links carry labels; a cycle of thousands is drawn in the message.
    for (position, &member) in members.iter().enumerate().take(MAX_CYCLE_LABELS) {
        let entry = &entries[member];
        let Some(parent) = &entry.parent else {
            continue;
        };
        let label = format!("`{}` reports to `{}`", name_of(entry), parent.value);
        problem = if position == 0 {
            problem.primary(parent.span, label)
        } else {
            problem.also_at(&entry.file, parent.span, label)
        };
    }
    problem
        .help("a territory cannot be its own ancestor: give one of them a parent outside the cycle")
}
