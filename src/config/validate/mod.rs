//! Raw documents -> [`Desired`]: every check runs and every problem is collected; the model is
//! built only when there is no error.

mod assignments;
mod criteria;
mod document;
mod hierarchy;
mod names;
mod territory;

use crate::model::{Desired, DesiredTerritory, NameKey, Origin, Unmanaged};

use super::code::Code;
use super::problem::Problem;
use super::raw;
use super::source::SourceFile;
use super::span::{Span, Spanned};

/// Problems found so far, errors and warnings.
type Problems = Vec<Problem>;

/// A value and the file it was written in.
#[derive(Clone)]
struct Located<T> {
    file: SourceFile,
    value: Spanned<T>,
}

/// Validates parsed files (in path order) into the desired state. Returns the model when no
/// problem is an error, and every problem found, warnings included.
pub(super) fn validate(mut files: Vec<(SourceFile, raw::Document)>) -> (Option<Desired>, Problems) {
    let mut problems = Problems::new();
    let header = document::check(&files, &mut problems);

    let mut entries = Vec::new();
    for (file, document) in &mut files {
        let Some(territories) = document.territories.take() else {
            continue;
        };
        for raw_territory in territories.value {
            entries.push(territory::check(
                file,
                raw_territory,
                header.default_permission,
                &mut problems,
            ));
        }
    }

    names::check(header.root.as_ref(), &entries, &mut problems);
    hierarchy::check(header.root.as_ref(), &entries, &mut problems);

    let mut known = assignments::KnownNames::new();
    if let Some(root) = &header.root {
        known.insert(NameKey::new(&root.value.value), root.value.value.clone());
    }
    for entry in &entries {
        if let Some(name) = &entry.name {
            known
                .entry(NameKey::new(&name.value))
                .or_insert_with(|| name.value.clone());
        }
    }
    let assignments = assignments::check(&files, &known, &mut problems);

    if header.unmanaged == Unmanaged::Delete
        && entries.is_empty()
        && let Some(site) = &header.unmanaged_site
    {
        problems.push(
            Problem::warning(
                Code::DeleteWithoutTerritories,
                &site.file,
                "`unmanaged: delete` with no territories plans to delete every territory but the root",
            )
            .primary(site.value.span, "deletes everything unmanaged")
            .help("add the territories to keep, or use `unmanaged: report`"),
        );
    }

    if problems.iter().any(Problem::is_error) {
        return (None, problems);
    }
    let Some(root) = header.root else {
        return (None, problems);
    };
    let desired = Desired {
        root: root.value.value.clone(),
        root_origin: Some(origin(&root.file, root.value.span)),
        unmanaged: header.unmanaged,
        territories: entries.into_iter().filter_map(into_model).collect(),
        assignments,
    };
    (Some(desired), problems)
}

fn origin(file: &SourceFile, span: Span) -> Origin {
    Origin {
        file: file.path().clone(),
        offset: span.offset,
        len: span.len,
    }
}

/// The model of a territory that passed every check (so its name and parent are present).
fn into_model(entry: territory::Entry) -> Option<DesiredTerritory> {
    let name = entry.name?;
    let parent = entry.parent?;
    Some(DesiredTerritory {
        origin: Some(origin(&entry.file, name.span)),
        manager_origin: entry
            .manager
            .as_ref()
            .map(|manager| origin(&entry.file, manager.span)),
        rules_origin: entry
            .rules_origin
            .iter()
            .map(|(module, span)| (*module, origin(&entry.file, *span)))
            .collect(),
        name: name.value,
        parent: parent.value,
        manager: entry.manager.map(|manager| manager.value),
        permission: entry.permission,
        description: entry.description,
        rules: entry.rules,
        previously: entry
            .previously
            .into_iter()
            .map(|former| former.value)
            .collect(),
    })
}
