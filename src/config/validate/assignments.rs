//! `assignments`: modules the API can assign, numeric record ids, known territories, and
//! Zoho's limits per record (Deals one territory, other modules ten).

use std::collections::BTreeMap;

use crate::model::{Assignments, Module, NameKey};

use super::super::code::Code;
use super::super::problem::Problem;
use super::super::raw;
use super::super::source::SourceFile;
use super::super::span::{Span, Spanned};
use super::Problems;
use crate::suggest;

/// Territory names an assignment may use.
#[derive(Default)]
pub(super) struct KnownNames {
    /// The root and every territory, by key, with their spelling as declared.
    pub(super) current: BTreeMap<NameKey, String>,
    /// Former names (`previously`), by key, with the territory's current name.
    pub(super) former: BTreeMap<NameKey, String>,
}

/// Checks and merges the `assignments` of every file.
pub(super) fn check(
    files: &[(SourceFile, raw::Document)],
    known: &KnownNames,
    problems: &mut Problems,
) -> Assignments {
    let mut assignments = Assignments::new();
    // Where each (module, record) was first written, to name both places of a repeat.
    let mut sites: BTreeMap<(Module, String), (SourceFile, Span)> = BTreeMap::new();
    for (file, document) in files {
        let Some(modules) = &document.assignments else {
            continue;
        };
        for (module_name, records) in &modules.value.0 {
            let Some(module) = module(file, module_name, problems) else {
                continue;
            };
            for (record, names) in &records.value.0 {
                if !is_record_id(&record.value) {
                    problems.push(
                        Problem::error(
                            Code::InvalidRecordId,
                            file,
                            format!("`{}` is not a record id", record.value),
                        )
                        .primary(record.span, "not numeric")
                        .help("record ids are the numbers in the record's URL, e.g. \"4150868000004522032\" (quote them)"),
                    );
                    continue;
                }
                let key = (module, record.value.clone());
                if let Some((first_file, first_span)) = sites.get(&key) {
                    problems.push(
                        Problem::error(
                            Code::DuplicateRecord,
                            file,
                            format!("{module} record `{}` is assigned twice", record.value),
                        )
                        .primary(record.span, "assigned again here")
                        .also_at(first_file, *first_span, "first assigned here")
                        .help("list all of the record's territories in one entry"),
                    );
                    continue;
                }
                sites.insert(key, (file.clone(), record.span));
                if let Some(resolved) = territories(file, module, record, names, known, problems) {
                    assignments
                        .entry(module)
                        .or_default()
                        .insert(record.value.clone(), resolved);
                }
            }
        }
    }
    assignments
}

fn module(file: &SourceFile, name: &Spanned<String>, problems: &mut Problems) -> Option<Module> {
    match Module::from_api_name(&name.value) {
        Some(module) if module.assignable_through_api() => Some(module),
        Some(module) => {
            problems.push(
                Problem::error(
                    Code::LeadsNotAssignable,
                    file,
                    format!("{module} cannot be assigned to territories through the API"),
                )
                .primary(name.span, "Zoho answers TERRITORY_NOT_ENABLED for this module")
                .help("Leads get territories from assignment rules: write `rules: leads:` on the territory instead"),
            );
            None
        }
        None => {
            let assignable = Module::ALL
                .into_iter()
                .filter(|module| module.assignable_through_api())
                .map(Module::api_name);
            problems.push(
                Problem::error(
                    Code::UnknownModule,
                    file,
                    format!("unknown module `{}`", name.value),
                )
                .primary(name.span, "not a module with territories")
                .help(suggest::closest(&name.value, assignable).map_or_else(
                    || "assign records of `Accounts`, `Contacts` or `Deals`".to_owned(),
                    |close| format!("did you mean `{close}`?"),
                )),
            );
            None
        }
    }
}

fn is_record_id(text: &str) -> bool {
    crate::model::is_record_id(text)
}

/// The record's territory names, resolved to their declared spelling; `None` on any problem.
fn territories(
    file: &SourceFile,
    module: Module,
    record: &Spanned<String>,
    names: &Spanned<raw::NameList>,
    known: &KnownNames,
    problems: &mut Problems,
) -> Option<Vec<String>> {
    let before = problems.len();
    let limit = module.max_territories_per_record();
    if names.value.len() > limit {
        let allowed = if limit == 1 {
            "one territory".to_owned()
        } else {
            format!("{limit} territories")
        };
        problems.push(
            Problem::error(
                Code::TooManyTerritories,
                file,
                format!(
                    "{module} record `{}` is given {} territories",
                    record.value,
                    names.value.len()
                ),
            )
            .primary(
                names
                    .value
                    .get(limit)
                    .map_or(names.span, |first_over| first_over.span),
                format!("beyond Zoho's limit of {allowed} per {module} record"),
            )
            .help("keep the territories the record should be in by hand; rules add the others"),
        );
    }
    let mut seen: BTreeMap<NameKey, Span> = BTreeMap::new();
    let mut resolved = Vec::with_capacity(names.value.len());
    for name in &names.value {
        let key = NameKey::new(&name.value);
        if let Some(first) = seen.get(&key) {
            problems.push(
                Problem::error(
                    Code::RepeatedTerritory,
                    file,
                    format!(
                        "`{}` is named twice for record `{}`",
                        name.value, record.value
                    ),
                )
                .primary(name.span, "named again")
                .secondary(*first, "first named here")
                .help("name each territory once"),
            );
            continue;
        }
        seen.insert(key.clone(), name.span);
        match known.current.get(&key) {
            Some(declared) => resolved.push(declared.clone()),
            None => problems.push(
                Problem::error(
                    Code::UnknownTerritory,
                    file,
                    format!("unknown territory `{}`", name.value),
                )
                .primary(name.span, "no territory has this name")
                .help(unknown_territory_help(&name.value, &key, known)),
            ),
        }
    }
    (problems.len() == before).then_some(resolved)
}

fn unknown_territory_help(name: &str, key: &NameKey, known: &KnownNames) -> String {
    if let Some(renamed) = known.former.get(key) {
        return format!("`{name}` was renamed to `{renamed}`: use the new name");
    }
    suggest::closest(name, known.current.values().map(String::as_str)).map_or_else(
        || "name a territory declared under `territories`".to_owned(),
        |close| format!("did you mean `{close}`?"),
    )
}
