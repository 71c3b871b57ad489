//! The process exit codes, one place for all of them (README "Exit codes" lists the same).

use std::process::ExitCode;

/// What the process tells its caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Success; for `plan`, no changes.
    Success,
    /// An error: bad input, a refused API call, a lost connection.
    Failure,
    /// `plan --detailed-exitcode` found changes.
    Changes,
    /// A safety rail refused the plan.
    Refused,
    /// A saved plan no longer matches the org.
    Stale,
    /// `apply` finished, but some changes failed.
    ApplyFailed,
}

impl ExitStatus {
    #[must_use]
    pub fn code(self) -> u8 {
        match self {
            Self::Success => 0,
            Self::Failure => 1,
            Self::Changes => 2,
            Self::Refused => 3,
            Self::Stale => 4,
            Self::ApplyFailed => 5,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(status.code())
    }
}
