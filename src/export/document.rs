//! Assembling the files of an export: the header and root settings, the territories, the
//! assignments, in one file or split by top-level territory.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::model::{Live, LiveTerritory, Permission};

use super::assignments::write_assignments;
use super::hierarchy::Hierarchy;
use super::lines::Lines;
use super::quote::{Context, yaml_string};
use super::slug::{ROOT_FILE, file_name};
use super::territory::write_territory;
use super::warning::Warning;
use super::{Export, ExportError, ExportFile, ExportOptions, SINGLE_FILE, Split};

/// See [`super::to_yaml`].
pub(crate) fn build(live: &Live, options: &ExportOptions) -> Result<Export, ExportError> {
    let root = live.root().ok_or(ExportError::NoRoot)?;
    let hierarchy = Hierarchy::new(live, root);
    let territories = hierarchy.below_root();
    let default_permission = default_permission(&territories);
    let mut warnings = Vec::new();

    let mut head = Lines::default();
    write_header(&mut head, live, options);
    write_settings(&mut head, root, default_permission);

    let files = match options.split {
        Split::Single => {
            let mut lines = head;
            lines.blank();
            if territories.is_empty() {
                lines.line(0, "territories: []");
            } else {
                lines.line(0, "territories:");
                write_territories(
                    &mut lines,
                    live,
                    &hierarchy,
                    &territories,
                    default_permission,
                    &mut warnings,
                );
            }
            write_unreachable(
                &mut lines,
                live,
                &hierarchy,
                default_permission,
                &mut warnings,
            );
            write_assignments(&mut lines, live, &options.assignments, &mut warnings);
            vec![ExportFile {
                path: PathBuf::from(SINGLE_FILE),
                text: lines.into_text(),
            }]
        }
        Split::TopLevel => {
            let mut files = Vec::new();
            let mut taken = BTreeSet::new();
            for top in hierarchy.top_level() {
                let mut lines = Lines::default();
                write_modeline(&mut lines, options);
                lines.line(0, "territories:");
                write_territories(
                    &mut lines,
                    live,
                    &hierarchy,
                    &hierarchy.subtree(top),
                    default_permission,
                    &mut warnings,
                );
                files.push(ExportFile {
                    path: PathBuf::from(file_name(&top.name, &mut taken)),
                    text: lines.into_text(),
                });
            }
            let mut lines = head;
            write_unreachable(
                &mut lines,
                live,
                &hierarchy,
                default_permission,
                &mut warnings,
            );
            write_assignments(&mut lines, live, &options.assignments, &mut warnings);
            files.insert(
                0,
                ExportFile {
                    path: PathBuf::from(ROOT_FILE),
                    text: lines.into_text(),
                },
            );
            files
        }
    };
    Ok(Export {
        files,
        warnings,
        territories: territories.len(),
    })
}

fn write_modeline(lines: &mut Lines, options: &ExportOptions) {
    lines.line(
        0,
        &format!("# yaml-language-server: $schema={}", options.schema),
    );
}

fn write_header(lines: &mut Lines, live: &Live, options: &ExportOptions) {
    write_modeline(lines, options);
    if let Some(org) = &live.org {
        lines.line(0, "#");
        lines.comment(
            0,
            &format!(
                "Exported by `territoryctl export` from the Zoho CRM org {} (id {}).",
                org.name, org.id
            ),
        );
    }
}

fn write_settings(lines: &mut Lines, root: &LiveTerritory, default_permission: Option<Permission>) {
    lines.line(0, "version: 1");
    lines.line(
        0,
        &format!("root: {}", yaml_string(&root.name, Context::Block)),
    );
    // Export never deletes: territories created by hand after the export are only reported.
    lines.line(0, "unmanaged: report");
    if let Some(permission) = default_permission {
        lines.line(0, "defaults:");
        lines.line(2, &format!("permission: {}", permission.as_str()));
    }
}

fn write_territories(
    lines: &mut Lines,
    live: &Live,
    hierarchy: &Hierarchy<'_>,
    territories: &[&LiveTerritory],
    default_permission: Option<Permission>,
    warnings: &mut Vec<Warning>,
) {
    for (index, territory) in territories.iter().enumerate() {
        if index > 0 {
            lines.blank();
        }
        let parent = hierarchy.parent_name(territory).unwrap_or_default();
        write_territory(lines, live, territory, parent, default_permission, warnings);
    }
}

/// Territories that cannot be placed under the root are written whole as comments (their
/// parent by id), so that fixing the parent is a matter of uncommenting.
fn write_unreachable(
    lines: &mut Lines,
    live: &Live,
    hierarchy: &Hierarchy<'_>,
    default_permission: Option<Permission>,
    warnings: &mut Vec<Warning>,
) {
    for territory in hierarchy.unreachable(live) {
        lines.blank();
        let parent = territory.parent.as_deref().map_or_else(
            || "a second root".to_owned(),
            |parent| format!("parent id {parent} is not a territory under the root"),
        );
        lines.comment(
            2,
            &format!(
                "Not exported: {} (id {}): {parent}.",
                territory.name, territory.id
            ),
        );
        let mut commented = Lines::default();
        // Problems inside it (a manager, a field) matter only once it is placed: not reported.
        let mut ignored = Vec::new();
        write_territory(
            &mut commented,
            live,
            territory,
            &format!("(id {})", territory.parent.as_deref().unwrap_or("none")),
            default_permission,
            &mut ignored,
        );
        lines.commented(2, &commented);
        warnings.push(Warning::Unreachable {
            territory: territory.name.clone(),
            id: territory.id.clone(),
            parent: territory.parent.clone(),
        });
    }
}

/// The permission to write once under `defaults:` and omit from the territories that have it:
/// the one a strict majority has, when that saves more lines than `defaults:` costs (two).
fn default_permission(territories: &[&LiveTerritory]) -> Option<Permission> {
    [Permission::ReadWriteDelete, Permission::ReadOnly]
        .into_iter()
        .find(|permission| {
            let count = territories
                .iter()
                .filter(|territory| territory.permission == *permission)
                .count();
            count * 2 > territories.len() && count > 2
        })
}
