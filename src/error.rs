//! The top-level error: one transparent variant per layer, converted only here.

use miette::Diagnostic;
use thiserror::Error;

use crate::exit::ExitStatus;

#[derive(Debug, Diagnostic, Error)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] crate::config::ConfigReport),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Export(#[from] crate::export::ExportError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Remote(#[from] crate::zoho::RemoteError),

    #[error("cannot start the async runtime")]
    #[diagnostic(code(io::runtime))]
    Runtime(#[source] std::io::Error),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Plan(#[from] crate::plan::PlanError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Stale(#[from] crate::plan::Stale),

    #[error(transparent)]
    #[diagnostic(transparent)]
    PlanFile(#[from] crate::render::PlanFileError),

    #[error("cannot write the plan file `{}`", path.display())]
    #[diagnostic(
        code("plan::write-file"),
        help("check that the directory exists and is writable")
    )]
    WritePlan {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Apply(#[from] crate::apply::ApplyError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Records(#[from] crate::records::RecordsError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Policy(#[from] crate::policy::PolicyReport),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Membership(#[from] crate::membership::MembershipRefusal),

    #[error("cannot write to standard output")]
    #[diagnostic(code(io::stdout))]
    Stdout(#[source] std::io::Error),
}

impl Error {
    /// The exit status this error ends the process with.
    #[must_use]
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Self::Plan(error) if error.is_refusal() => ExitStatus::Refused,
            Self::Stale(_) => ExitStatus::Stale,
            Self::Records(crate::records::RecordsError::NeedsConfirmation { .. }) => {
                ExitStatus::Refused
            }
            Self::Apply(error) => error.exit_status(),
            Self::Membership(_) => ExitStatus::Refused,
            Self::Config(_)
            | Self::Export(_)
            | Self::Remote(_)
            | Self::Runtime(_)
            | Self::Plan(_)
            | Self::PlanFile(_)
            | Self::WritePlan { .. }
            | Self::Records(_)
            | Self::Policy(_)
            | Self::Stdout(_) => ExitStatus::Failure,
        }
    }
}
