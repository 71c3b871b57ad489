//! Name uniqueness as Zoho sees it: case-insensitive, across every file, the root, every
//! territory's name and every former name (`previously`), since a rename is matched by name.

use std::collections::BTreeMap;

use crate::model::NameKey;

use super::super::code::Code;
use super::super::problem::Problem;
use super::super::source::SourceFile;
use super::super::span::Span;
use super::territory::Entry;
use super::{Located, Problems};

/// What a name in the files is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role<'a> {
    Root,
    Name,
    /// A former name of the territory named here.
    Former(&'a str),
}

struct Site<'a> {
    role: Role<'a>,
    written: &'a str,
    file: &'a SourceFile,
    span: Span,
}

/// Reports every name written twice (case-insensitively) in any role.
pub(super) fn check(root: Option<&Located<String>>, entries: &[Entry], problems: &mut Problems) {
    let mut sites = Vec::new();
    if let Some(root) = root {
        sites.push(Site {
            role: Role::Root,
            written: &root.value.value,
            file: &root.file,
            span: root.value.span,
        });
    }
    for entry in entries {
        if let Some(name) = &entry.name {
            sites.push(Site {
                role: Role::Name,
                written: &name.value,
                file: &entry.file,
                span: name.span,
            });
        }
    }
    for entry in entries {
        let Some(name) = &entry.name else { continue };
        let own = NameKey::new(&name.value);
        // A set: a list of 200,000 former names must not be scanned once per name.
        let mut seen = std::collections::HashSet::new();
        for former in &entry.previously {
            let key = NameKey::new(&former.value);
            // Its own name (a warning of its own) and a repeat in one list are harmless.
            if key == own || !seen.insert(key) {
                continue;
            }
            sites.push(Site {
                role: Role::Former(&name.value),
                written: &former.value,
                file: &entry.file,
                span: former.span,
            });
        }
    }

    let mut first: BTreeMap<NameKey, &Site<'_>> = BTreeMap::new();
    for site in &sites {
        let key = NameKey::new(site.written);
        match first.get(&key) {
            None => {
                first.insert(key, site);
            }
            Some(earlier) => problems.push(duplicate(earlier, site)),
        }
    }
}

fn duplicate(earlier: &Site<'_>, later: &Site<'_>) -> Problem {
    let name = later.written;
    let (message, label, earlier_label, help) = match (earlier.role, later.role) {
        (Role::Root, Role::Former(owner)) => (
            format!("`{name}` is the root's name and also a former name of `{owner}`"),
            "former name",
            "the root".to_owned(),
            "the root keeps its name here: remove it from `previously`",
        ),
        (Role::Root, _) | (_, Role::Root) => (
            format!("`{name}` is the root's name"),
            "a territory cannot have the root's name",
            "the root".to_owned(),
            "rename the territory; top-level territories name the root as `parent`",
        ),
        (Role::Name, Role::Name) => (
            format!("territory `{name}` is declared twice"),
            "declared again here",
            "first declared here".to_owned(),
            "Zoho compares names case-insensitively: rename one, or merge the two entries",
        ),
        (Role::Name, Role::Former(owner)) => (
            format!("`{name}` is a territory and also a former name of `{owner}`"),
            "former name",
            "a territory of that name".to_owned(),
            "a former name must not be in use: remove it from `previously`",
        ),
        (Role::Former(first_owner), Role::Former(owner)) => (
            format!("`{name}` is a former name of both `{first_owner}` and `{owner}`"),
            "former name again",
            format!("former name of `{first_owner}`"),
            "one live territory can be renamed into one territory only: keep one of them",
        ),
        (Role::Former(owner), Role::Name) => (
            format!("`{name}` is a territory and also a former name of `{owner}`"),
            "a territory of that name",
            "former name".to_owned(),
            "a former name must not be in use: remove it from `previously`",
        ),
    };
    let help = if earlier.written == later.written {
        help.to_owned()
    } else {
        format!(
            "{help} (`{}` and `{}` differ only in case, which Zoho ignores)",
            earlier.written, later.written
        )
    };
    Problem::error(Code::DuplicateName, later.file, message)
        .primary(later.span, label)
        .also_at(earlier.file, earlier.span, earlier_label)
        .help(help)
}
