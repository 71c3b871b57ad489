//! The changes as the body of a ```` ```diff ```` block, one block per kind of change, so that
//! GitHub colours what is added green and what is removed red: a create's lines start with
//! `+`, a delete's with `-`, an update's headline with `!` and each changed field as a `-` old
//! line and a `+` new line. A deleted subtree is one entry, its top, with the territories
//! deleted below it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::criteria;
use super::field::{self, Changed, Shown};
use super::text::{Style, criteria_diff};
use crate::plan::{Action, Change, Create, Delete, Update};

/// The kinds of change, each a section of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Create,
    Update,
    Move,
    Delete,
    Records,
}

impl Kind {
    pub(crate) fn title(self) -> &'static str {
        match self {
            Self::Create => "Created",
            Self::Update => "Updated",
            Self::Move => "Moved",
            Self::Delete => "Deleted",
            Self::Records => "Record territories",
        }
    }

    pub(crate) fn of(action: &Action) -> Self {
        match action {
            Action::Create(_) => Self::Create,
            Action::Update(update) if update.parent_change().is_some() => Self::Move,
            Action::Update(_) => Self::Update,
            Action::Delete(_) => Self::Delete,
            Action::Remove(_) | Action::Assign(_) => Self::Records,
        }
    }
}

const FIELD: usize = 13;

/// Per kind, the diff body of its entries and the number of changes it holds (a deleted
/// subtree counts each territory). `subtrees` is [`super::attention::deleted_subtrees`].
pub(crate) fn sections(
    changes: &[Change],
    subtrees: &BTreeMap<&str, Vec<&Change>>,
) -> BTreeMap<Kind, (String, usize)> {
    let mut sections: BTreeMap<Kind, (String, usize)> = BTreeMap::new();
    for change in changes {
        let kind = Kind::of(&change.action);
        let mut body = String::new();
        let mut count = 1;
        match &change.action {
            Action::Create(create) => create_entry(create, &mut body),
            Action::Update(update) => update_entry(update, &mut body),
            Action::Delete(delete) => {
                let Some(below) = subtrees.get(change.key.as_str()) else {
                    continue;
                };
                count += below.len();
                delete_entry(delete, below, &mut body);
            }
            Action::Remove(_) | Action::Assign(_) => record_entry(&change.action, &mut body),
        }
        let section = sections.entry(kind).or_default();
        section.0.push_str(&body);
        section.1 += count;
    }
    sections
}

fn line(out: &mut String, sign: char, name: &str, value: &str) {
    let _ = writeln!(out, "{sign}     {:<FIELD$}{value}", format!("{name}:"));
}

fn create_entry(create: &Create, out: &mut String) {
    let _ = writeln!(out, "+ {}", create.name);
    for (label, shown) in field::created(create) {
        match shown {
            Shown::Line(value) => line(out, '+', &label, &value),
            Shown::Text(text) => line(out, '+', &label, &field::quoted(Some(&text))),
            Shown::Criteria(criteria) => {
                let _ = writeln!(out, "+     {label}:");
                for rule in criteria::lines(&criteria) {
                    let _ = writeln!(out, "+         {rule}");
                }
            }
            Shown::Users(users) => {
                for user in users {
                    line(out, '+', "user", &user.label());
                }
            }
        }
    }
}

fn update_entry(update: &Update, out: &mut String) {
    let symbol = if update.parent_change().is_some() {
        "->"
    } else {
        "~"
    };
    let _ = writeln!(out, "! {symbol} {}", update.new_name());
    let pair = |out: &mut String, label: &str, old: &str, new: &str| {
        line(out, '-', label, old);
        line(out, '+', label, new);
    };
    for change in &update.fields {
        let (label, changed) = field::changed(change);
        match changed {
            Changed::Name { old, new } | Changed::Line { old, new } => {
                pair(out, &label, &old, &new);
            }
            Changed::Text { old, new } => pair(
                out,
                &label,
                &field::quoted(old.as_deref()),
                &field::quoted(new.as_deref()),
            ),
            Changed::Criteria { old, new } => {
                let _ = writeln!(out, "      {label}:");
                for rule in criteria_diff(old.as_ref(), new.as_ref(), Style::new(false)) {
                    // `- x`, `+ x` or `  x`: the sign goes to the first column, and the
                    // rule keeps its own indentation (nested groups).
                    let (sign, rest) = rule.split_at(1);
                    let rest = rest.strip_prefix(' ').unwrap_or(rest);
                    let _ = writeln!(out, "{sign}         {rest}");
                }
            }
            Changed::Users { added, removed } => {
                for user in added {
                    line(out, '+', "user", &user.label());
                }
                for user in removed {
                    line(out, '-', "user", &user.label());
                }
            }
        }
    }
}

fn delete_entry(delete: &Delete, below: &[&Change], out: &mut String) {
    let _ = writeln!(out, "- {}", delete.name);
    line(out, '-', "parent", &field::reference(&delete.parent));
    let below: Vec<&Delete> = below
        .iter()
        .filter_map(|change| match &change.action {
            Action::Delete(delete) => Some(delete),
            _ => None,
        })
        .collect();
    if !below.is_empty() {
        line(
            out,
            '-',
            "with it",
            &format!(
                "{} territor{} below it:",
                below.len(),
                if below.len() == 1 { "y" } else { "ies" },
            ),
        );
        // The names, wrapped at about 80 columns, each line a `-` line of the entry.
        let mut current = String::new();
        for (index, delete) in below.iter().enumerate() {
            let name = if index + 1 < below.len() {
                format!("{},", delete.name)
            } else {
                delete.name.clone()
            };
            if !current.is_empty() && current.len() + 1 + name.len() > 80 - (6 + FIELD) {
                let _ = writeln!(out, "-     {:<FIELD$}{current}", "");
                current.clear();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(&name);
        }
        let _ = writeln!(out, "-     {:<FIELD$}{current}", "");
    }
    // Children that survive (context, not deleted), of the top or of one deleted below it.
    for (index, deleted) in std::iter::once(delete).chain(below).enumerate() {
        let Some(target) = &deleted.transfer_to else {
            continue;
        };
        let of = if index == 0 {
            String::new()
        } else {
            format!(" (of {})", deleted.name)
        };
        let _ = writeln!(
            out,
            "      {:<FIELD$}{}{of} handed to {} (transfer_and_delete)",
            "children:",
            deleted.transferred_children.join(", "),
            field::reference(target)
        );
    }
}

fn record_entry(action: &Action, out: &mut String) {
    let (sign, verb, records) = match action {
        Action::Assign(records) => ('+', "assign", records),
        Action::Remove(records) => ('-', "remove", records),
        _ => return,
    };
    let names: Vec<String> = records.territories.iter().map(field::reference).collect();
    let _ = writeln!(
        out,
        "{sign} {} {}: {verb} {}",
        records.module,
        records.record_id,
        names.join(", ")
    );
    if !records.automatic.is_empty() {
        let _ = writeln!(
            out,
            "      {:<FIELD$}{} (assigned by rules)",
            "kept:",
            records.automatic.join(", ")
        );
    }
}
