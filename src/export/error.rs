//! Why an export failed.

use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

/// An export that could not be made or written. Nothing is written when one is returned,
/// except where said ([`ExportError::Rename`]).
#[derive(Debug, Diagnostic, Error)]
pub enum ExportError {
    #[error("the live org has no root territory, so there is nothing to export")]
    #[diagnostic(
        code("export::no-root"),
        help(
            "every Zoho org with territories enabled has a root territory; check the connection's org"
        )
    )]
    NoRoot,

    #[error("`{name}` is not a module with territories")]
    #[diagnostic(
        code("export::unknown-module"),
        help(
            "`--with-assignments` takes `Accounts`, `Contacts`, `Deals` (or `Leads`) and then record ids"
        )
    )]
    UnknownModule { name: String },

    #[error("`--with-assignments {module}` names no record ids")]
    #[diagnostic(
        code("export::missing-record-ids"),
        help(
            "write a module and then its record ids, e.g. `--with-assignments Accounts 4150868000004522032`"
        )
    )]
    MissingRecordIds { module: String },

    #[error("refusing to overwrite {}", list(.paths))]
    #[diagnostic(
        code("export::file-exists"),
        help("pass `--force` to overwrite, or choose another `--out`")
    )]
    Exists { paths: Vec<PathBuf> },

    #[error(
        "{} holds YAML files this export would not write: {}",
        .directory.display(),
        list(.paths)
    )]
    #[diagnostic(
        code("export::stale-files"),
        help(
            "a directory is loaded as one desired state, so old files would be merged with the \
             export; remove them or export into an empty directory"
        )
    )]
    StaleFiles {
        directory: PathBuf,
        paths: Vec<PathBuf>,
    },

    #[error("`{}` is not a directory", .path.display())]
    #[diagnostic(
        code("export::not-a-directory"),
        help("`--split-by top-level` writes one file per top-level territory into a directory")
    )]
    NotADirectory { path: PathBuf },

    #[error("cannot write {}", .path.display())]
    #[diagnostic(code("export::write"))]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(
        "cannot move {} into place; already written: {}",
        .path.display(),
        list(.written)
    )]
    #[diagnostic(
        code("export::rename"),
        help("the files already written are complete; run the export again with `--force`")
    )]
    Rename {
        path: PathBuf,
        written: Vec<PathBuf>,
        #[source]
        source: std::io::Error,
    },
}

fn list(paths: &[PathBuf]) -> String {
    if paths.is_empty() {
        return "none".to_owned();
    }
    paths
        .iter()
        .map(|path| format!("`{}`", path.display()))
        .collect::<Vec<_>>()
        .join(", ")
}
