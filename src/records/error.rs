//! What stops a `records` command before or instead of its per-record results.

use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

use crate::model::Module;

/// An error of the `records` commands. Per-record refusals by Zoho are not errors: they are
/// results (exit code 5).
#[derive(Debug, Diagnostic, Error)]
pub enum RecordsError {
    #[error("unknown module `{given}`")]
    #[diagnostic(
        code("records::unknown-module"),
        help("{}", module_help(.given))
    )]
    UnknownModule { given: String },

    #[error("`{given}` is not a record id: Zoho's record ids are numbers")]
    #[diagnostic(
        code("records::bad-record-id"),
        help("copy the id from the record's URL in Zoho CRM, e.g. 4150868000004318009")
    )]
    BadRecordId { given: String },

    #[error("no territory is named {}", list(.names))]
    #[diagnostic(code("records::unknown-territory"), help("{}", unknown_help(.suggestions)))]
    UnknownTerritories {
        names: Vec<String>,
        /// "`Sout`: did you mean `South`?" lines, for the names with a close match.
        suggestions: Vec<String>,
    },

    #[error("cannot read `{}`", path.display())]
    #[diagnostic(code("records::read-file"))]
    ReadFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("`{}` has {} bad row{}:\n{}", path.display(), problems.len(), if problems.len() == 1 { "" } else { "s" }, problems.join("\n"))]
    #[diagnostic(
        code("records::bad-csv"),
        help(
            "the file needs the header `module,record_id,territory` and one record-territory pair per line; nothing was changed"
        )
    )]
    BadCsv {
        path: PathBuf,
        problems: Vec<String>,
    },

    #[error("nothing to do: no record given")]
    #[diagnostic(
        code("records::nothing-to-do"),
        help("name records after the module, or give `--from-file FILE.csv`")
    )]
    NothingToDo,

    #[error("refusing to change the territories of {count} records without confirmation")]
    #[diagnostic(
        code("records::needs-confirmation"),
        help(
            "more than 10 records change and there is no terminal to ask on: check the records and add `--yes`"
        )
    )]
    NeedsConfirmation { count: usize },

    #[error("cancelled: nothing was changed")]
    #[diagnostic(code("records::cancelled"))]
    Cancelled,

    #[error("{} of the {module} records asked for {} not exist: {}", ids.len(), if ids.len() == 1 { "does" } else { "do" }, ids.join(", "))]
    #[diagnostic(
        code("records::no-such-record"),
        help("check the ids: the rest are shown above")
    )]
    MissingRecords { module: Module, ids: Vec<String> },
}

impl RecordsError {
    /// The names not found among `known` territory names, each with "did you mean" where one is
    /// close.
    pub(crate) fn unknown_territories<'a>(
        names: Vec<String>,
        known: impl Iterator<Item = &'a str> + Clone,
    ) -> Self {
        let suggestions = names
            .iter()
            .filter_map(|name| {
                crate::suggest::closest(name, known.clone())
                    .map(|close| format!("`{name}`: did you mean `{close}`?"))
            })
            .collect();
        Self::UnknownTerritories { names, suggestions }
    }
}

fn list(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn module_help(given: &str) -> String {
    let modules = Module::ALL.iter().map(|module| module.api_name());
    let mut help =
        String::from("territories belong to records of Accounts, Contacts, Deals or Leads");
    if let Some(close) = crate::suggest::closest(given.trim(), modules) {
        help.push_str(&format!("; did you mean `{close}`?"));
    }
    help
}

fn unknown_help(suggestions: &[String]) -> String {
    let mut help = String::from(
        "territory names are compared case-insensitively, as Zoho compares them; nothing was changed",
    );
    for suggestion in suggestions {
        help.push('\n');
        help.push_str(suggestion);
    }
    help
}
