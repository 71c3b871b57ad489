//! Why `apply` stops before sending anything.

use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

use crate::exit::ExitStatus;

/// A refusal or a failure before the first write.
#[derive(Debug, Diagnostic, Error)]
pub enum ApplyError {
    #[error("`apply` asks for confirmation, and there is no terminal to ask on (stdin is not one)")]
    #[diagnostic(
        code("apply::needs-confirmation"),
        help(
            "nothing was sent; review the plan above, then pass `--yes` to confirm without a \
             terminal: `territoryctl apply --yes`"
        )
    )]
    NeedsConfirmation,

    #[error("apply cancelled: nothing was changed")]
    #[diagnostic(
        code("apply::declined"),
        help("only `yes` confirms; run `territoryctl apply` again when ready")
    )]
    Declined,

    #[error("cannot read the plan file `{}`", path.display())]
    #[diagnostic(
        code("apply::read-plan"),
        help("give the file written by `territoryctl plan --out FILE`")
    )]
    ReadPlan {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The plan file was read but is not a plan of this version.
    #[error(transparent)]
    #[diagnostic(transparent)]
    PlanFile(#[from] crate::render::PlanFileError),

    #[error("the plan file `{}` names no desired state to check it against", path.display())]
    #[diagnostic(
        code("apply::no-desired-state"),
        help(
            "`apply` of a saved plan plans again from the desired state and applies only when that gives the saved plan: give the desired-state paths after the plan file, e.g. `territoryctl apply plan.json territories/`"
        )
    )]
    NoDesiredState { path: PathBuf },

    #[error("cannot read the answer from the terminal")]
    #[diagnostic(code("apply::read-answer"))]
    ReadAnswer(#[source] std::io::Error),
}

impl ApplyError {
    /// Exit 3 for the deletion rail and for a confirmation nobody could give, 1 otherwise.
    #[must_use]
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Self::NeedsConfirmation => ExitStatus::Refused,
            Self::Declined
            | Self::ReadPlan { .. }
            | Self::PlanFile(_)
            | Self::NoDesiredState { .. }
            | Self::ReadAnswer(_) => ExitStatus::Failure,
        }
    }
}
