//! Why `plan` can fail: a safety rail refused, or the desired state does not fit the live org.

use miette::Diagnostic;
use thiserror::Error;

use super::safety::Refusal;
use crate::model::Module;

/// Everything that stops a plan from being made.
#[derive(Debug, Diagnostic, Error)]
pub enum PlanError {
    /// A safety rail refused the plan (exit code 3).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Refused(#[from] Refusal),

    /// Things the desired state names that the live org does not have, all of them at once.
    #[error("the desired state does not fit the live org ({} problem{})", problems.len(), if problems.len() == 1 { "" } else { "s" })]
    #[diagnostic(
        code("plan::live-mismatch"),
        help("fix the desired state, or the org, and run `plan` again")
    )]
    Mismatch {
        #[related]
        problems: Vec<Problem>,
    },

    /// The moves cannot be ordered without a transient cycle. Validation rules out a cyclic
    /// desired hierarchy, and an acyclic one can always be ordered, so this means a bug.
    #[error("cannot order the moves of {} without forming a cycle", names.join(", "))]
    #[diagnostic(
        code("plan::move-cycle"),
        help("this is a bug in territoryctl; please report it with the desired state")
    )]
    MoveCycle { names: Vec<String> },
}

impl PlanError {
    pub(crate) fn from_problems(problems: Vec<Problem>) -> Self {
        Self::Mismatch { problems }
    }

    /// Whether a safety rail refused the plan (exit code 3) rather than an error (exit code 1).
    #[must_use]
    pub fn is_refusal(&self) -> bool {
        matches!(self, Self::Refused(_))
    }
}

/// One thing the desired state names that the live org does not have.
#[derive(Clone, Debug, Diagnostic, Error, PartialEq, Eq)]
pub enum Problem {
    /// The same problem as the online check's (`config::online`, which `plan` runs first),
    /// with its code: found here too when the plan is made without it (`apply`, a library
    /// caller).
    #[error("territory `{territory}`: manager `{email}` is not an active user of the org")]
    #[diagnostic(
        code("resolve::unknown-manager"),
        help("use the email of an active user (Setup > Users), or remove `manager`")
    )]
    UnknownManager { territory: String, email: String },

    #[error("territory `{territory}`: user `{email}` is not an active user of the org")]
    #[diagnostic(
        code("plan::unknown-user"),
        help(
            "use the email of an active user (Setup > Users), or remove it from `users`; `territoryctl validate --online` shows them all"
        )
    )]
    UnknownUser { territory: String, email: String },

    #[error("assignments: {module} record `{record_id}` does not exist in the org")]
    #[diagnostic(
        code("plan::unknown-record"),
        help("check the record id under `assignments.{module}`, or remove the entry")
    )]
    UnknownRecord { module: Module, record_id: String },

    #[error(
        "assignments: {module} record `{record_id}` would have {count} territories ({automatic} of them assigned automatically by rules), more than Zoho allows"
    )]
    #[diagnostic(
        code("plan::record-limit"),
        help(
            "a Deal can have 1 territory and other records 10; automatic territories count too, so list fewer territories"
        )
    )]
    RecordLimit {
        module: Module,
        record_id: String,
        count: usize,
        automatic: usize,
    },
}
