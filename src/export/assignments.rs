//! `assignments:`: the manual territories of the records asked for with `--with-assignments`.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{AssignedHow, Live, Module, NameKey};

use super::lines::Lines;
use super::quote::{Context, double_quoted, yaml_string};
use super::warning::Warning;

/// Writes the manual assignments of the `requested` records. Automatic (rule-assigned)
/// territories are left out: the language declares only manual ones, and the plan never
/// touches the others. A record the live state does not hold, or a module the API cannot
/// assign, is written as a comment with a warning.
pub(crate) fn write_assignments(
    lines: &mut Lines,
    live: &Live,
    requested: &BTreeMap<Module, BTreeSet<String>>,
    warnings: &mut Vec<Warning>,
) {
    if requested.values().all(BTreeSet::is_empty) {
        return;
    }
    let mut section = Lines::default();
    let mut any_entry = false;
    for (module, ids) in requested {
        if ids.is_empty() {
            continue;
        }
        if !module.assignable_through_api() {
            let warning = Warning::NotAssignable { module: *module };
            section.comment(
                2,
                &format!("{module}: the API cannot assign territories to {module} records"),
            );
            warnings.push(warning);
            continue;
        }
        let mut entries = Lines::default();
        let mut module_has_entry = false;
        for id in ids {
            match live.records.get(module).and_then(|records| records.get(id)) {
                Some(record) => {
                    let mut names: Vec<String> = record
                        .territories
                        .iter()
                        .filter(|territory| territory.how == AssignedHow::Manually)
                        .map(|territory| {
                            live.territory(&territory.id)
                                .map_or_else(|| territory.name.clone(), |live| live.name.clone())
                        })
                        .collect();
                    sort_names(&mut names);
                    let names: Vec<String> = names
                        .iter()
                        .map(|name| yaml_string(name, Context::Flow))
                        .collect();
                    entries.line(4, &format!("{}: [{}]", double_quoted(id), names.join(", ")));
                    module_has_entry = true;
                }
                None => {
                    let warning = Warning::RecordNotFound {
                        module: *module,
                        id: id.clone(),
                    };
                    entries.comment(
                        4,
                        &format!("{}: not found in the live org", double_quoted(id)),
                    );
                    warnings.push(warning);
                }
            }
        }
        if module_has_entry {
            section.line(2, &format!("{module}:"));
            section.append(entries);
            any_entry = true;
        } else {
            section.comment(2, &format!("{module}:"));
            section.append(entries);
        }
    }
    lines.blank();
    if any_entry {
        lines.line(0, "assignments:");
    } else {
        lines.comment(0, "assignments:");
    }
    lines.append(section);
}

/// Territory names in a stable, case-insensitive order.
fn sort_names(names: &mut [String]) {
    names.sort_by(|a, b| (NameKey::new(a), a).cmp(&(NameKey::new(b), b)));
}
