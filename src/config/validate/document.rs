//! The document-level keys (`version`, `root`, `unmanaged`, `defaults`): each written in one
//! file, or agreeing wherever it is written.

use crate::model::{Permission, Unmanaged};

use super::super::code::Code;
use super::super::problem::Problem;
use super::super::raw;
use super::super::source::SourceFile;
use super::super::span::Spanned;
use super::{Located, Problems};
use crate::suggest;

/// The version of the language this build reads.
pub(super) const VERSION: u32 = 1;

/// Permission of a territory that sets none and has no `defaults.permission`: the least
/// access, so that a forgotten key never widens access to records.
pub(super) const DEFAULT_PERMISSION: Permission = Permission::ReadOnly;

/// The merged document-level keys.
pub(super) struct Header {
    pub(super) root: Option<Located<String>>,
    pub(super) unmanaged: Unmanaged,
    pub(super) unmanaged_site: Option<Located<String>>,
    pub(super) default_permission: Permission,
}

/// Merges and checks the document-level keys of every file.
pub(super) fn check(files: &[(SourceFile, raw::Document)], problems: &mut Problems) -> Header {
    let version = agree(
        files,
        |document| document.version.as_ref(),
        "version",
        problems,
    );
    match &version {
        None => {
            if let Some((file, _)) = files.first() {
                problems.push(
                    Problem::about_path(
                        Code::MissingVersion,
                        format!("`{}`: no file sets `version`", file.display()),
                    )
                    .help("add `version: 1` at the top of the file"),
                );
            }
        }
        Some(version) if version.value.value != VERSION => problems.push(
            Problem::error(
                Code::UnsupportedVersion,
                &version.file,
                format!("version {} is not supported", version.value.value),
            )
            .primary(version.value.span, "unsupported version")
            .help(format!("this territoryctl reads `version: {VERSION}`")),
        ),
        Some(_) => {}
    }

    let root = agree(files, |document| document.root.as_ref(), "root", problems);
    if root.is_none()
        && let Some((file, _)) = files.first()
    {
        problems.push(
            Problem::about_path(
                Code::MissingRoot,
                format!("`{}`: no file sets `root`", file.display()),
            )
            .help("add `root: <the name of the org's root territory>`"),
        );
    }
    let root_visible = root.as_ref().is_none_or(|root| {
        super::text::check_visible(&root.file, &root.value, "root name", false, problems)
    });
    if root_visible
        && let Some(root) = &root
        && let Err(problem) = crate::model::check_name(&root.value.value)
    {
        problems.push(
            Problem::error(
                Code::InvalidName,
                &root.file,
                format!("invalid root name: {problem}"),
            )
            .primary(root.value.span, "invalid name"),
        );
    }

    let unmanaged_site = agree(
        files,
        |document| document.unmanaged.as_ref(),
        "unmanaged",
        problems,
    );
    let unmanaged = unmanaged_site
        .as_ref()
        .and_then(|site| parse_unmanaged(site, problems))
        .unwrap_or_default();

    // Read by `config::load`; checked here so that files that disagree are reported.
    let _ = agree(
        files,
        |document| document.run_rules.as_ref(),
        "run_rules",
        problems,
    );

    let permission_site = agree(
        files,
        |document| {
            document
                .defaults
                .as_ref()
                .and_then(|defaults| defaults.value.permission.as_ref())
        },
        "defaults.permission",
        problems,
    );
    let default_permission = permission_site
        .and_then(|site| super::territory::parse_permission(&site.file, &site.value, problems))
        .unwrap_or(DEFAULT_PERMISSION);

    Header {
        root,
        unmanaged,
        unmanaged_site,
        default_permission,
    }
}

/// The value of a key that may be written in several files, reporting every file that
/// disagrees with the first.
fn agree<T: Clone + PartialEq + std::fmt::Display>(
    files: &[(SourceFile, raw::Document)],
    get: impl Fn(&raw::Document) -> Option<&Spanned<T>>,
    key: &str,
    problems: &mut Problems,
) -> Option<Located<T>> {
    let mut first: Option<Located<T>> = None;
    for (file, document) in files {
        let Some(value) = get(document) else { continue };
        match &first {
            None => {
                first = Some(Located {
                    file: file.clone(),
                    value: value.clone(),
                });
            }
            Some(first) if first.value.value != value.value => problems.push(
                Problem::error(
                    Code::Conflict,
                    file,
                    format!(
                        "`{key}` is `{}` here but `{}` in `{}`",
                        value.value,
                        first.value.value,
                        first.file.display()
                    ),
                )
                .primary(value.span, "conflicting value")
                .also_at(&first.file, first.value.span, "first set here")
                .help(format!(
                    "write `{key}` in one file only, or the same in every file"
                )),
            ),
            Some(_) => {}
        }
    }
    first
}

fn parse_unmanaged(site: &Located<String>, problems: &mut Problems) -> Option<Unmanaged> {
    const CHOICES: [&str; 3] = ["report", "ignore", "delete"];
    match site.value.value.as_str() {
        "report" => Some(Unmanaged::Report),
        "ignore" => Some(Unmanaged::Ignore),
        "delete" => Some(Unmanaged::Delete),
        other => {
            problems.push(
                Problem::error(
                    Code::InvalidUnmanaged,
                    &site.file,
                    format!("`{other}` is not a policy for unmanaged territories"),
                )
                .primary(site.value.span, "not report, ignore or delete")
                .maybe_help(Some(suggest::closest(other, CHOICES).map_or_else(
                    || "use `report`, `ignore` or `delete`".to_owned(),
                    |close| format!("did you mean `{close}`?"),
                ))),
            );
            None
        }
    }
}
