//! What became of one planned change: the executor's answer per change, and what the report
//! shows.

use serde::Serialize;

/// The result of one change of the plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Outcome {
    /// Zoho applied it. `id` is the territory or record it applied to (the new id for a create).
    Done {
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
    },
    /// Zoho accepted it and scheduled the work in the background (202 `SCHEDULED`): offloaded
    /// record assignments. `state` is the job's last known state when `--wait` polled it.
    Scheduled {
        job_id: String,
        state: Option<String>,
    },
    /// Zoho refused it, or it was found not applied.
    Failed(Failure),
    /// Not sent, because something it depends on did not happen.
    Skipped { because: String },
    /// Sent, but whether Zoho applied it could not be told.
    Unknown { reason: String },
}

impl Outcome {
    /// Whether the change took effect (or is scheduled to): what its dependants need.
    #[must_use]
    pub fn succeeded(&self) -> bool {
        matches!(self, Self::Done { .. } | Self::Scheduled { .. })
    }

    /// The word the report lists the change under.
    #[must_use]
    pub fn label(&self) -> &'static str {
        match self {
            Self::Done { .. } => "done",
            Self::Scheduled { .. } => "scheduled",
            Self::Failed(_) => "failed",
            Self::Skipped { .. } => "skipped",
            Self::Unknown { .. } => "unknown",
        }
    }
}

/// A refused change: Zoho's code and message, and what the user can do about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// Zoho's code (`DUPLICATE_DATA`, `INTERNAL_ERROR`, ...), or territoryctl's own for a
    /// request that failed as a whole (`zoho::gave-up`, ...).
    pub code: String,
    pub message: String,
    /// What to do about it, in one line.
    pub hint: String,
}

impl Failure {
    /// A failure with the hint that fits Zoho's `code`.
    #[must_use]
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        let code = code.into();
        let hint = hint(&code).to_owned();
        Self {
            code,
            message: message.into(),
            hint,
        }
    }
}

// The codes come from Zoho's error catalogue (zoho-api.md section 4) and the client's own
// `NOT_APPLIED`; anything else gets the general advice.
fn hint(code: &str) -> &'static str {
    match code {
        "NOT_APPLIED"
        | "INTERNAL_ERROR"
        | "INTERNAL_SERVER_ERROR"
        | "zoho::gave-up"
        | "zoho::unconfirmed-write"
        | "TOO_MANY_REQUESTS" => {
            "a transient failure; run `territoryctl apply` again to retry what remains"
        }
        "DUPLICATE_DATA" => {
            "a territory with this name exists already (names are unique, case-insensitively): \
             run `territoryctl plan` to see it, and rename one or list the old name under `previously`"
        }
        "LIMIT_EXCEEDED" => {
            "a Zoho limit was reached (territories in the org, rules per criteria, or territories \
             per record): remove something or ask Zoho support to raise the limit"
        }
        "NOT_ALLOWED" => {
            "Zoho does not allow this change (the root, a territory with children, a cycle, or a \
             disabled module): run `territoryctl plan` and adjust the desired state"
        }
        "INVALID_DATA" | "MANDATORY_NOT_FOUND" | "DEPENDENT_FIELD_MISSING" => {
            "Zoho rejected a value: check the field named in the message, then run `territoryctl plan`"
        }
        "NO_PERMISSION" | "PERMISSION_DENIED" | "AUTHORIZATION_FAILED" => {
            "the user behind the token lacks the permission: use an administrator's token"
        }
        "RECORD_LOCKED" => {
            "the record is locked (an approval or a review): unlock it and run apply again"
        }
        "JOB_FAILED" => {
            "Zoho could not finish the background job: run `territoryctl plan` to see the \
             record's territories now, then apply again"
        }
        "ALREADY_SCHEDULED" => {
            "a territory job for this record is still running: wait for it, then run apply again"
        }
        _ => "run `territoryctl plan` to see what the org looks like now, then apply again",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_follow_the_code() {
        assert!(
            Failure::new("DUPLICATE_DATA", "x")
                .hint
                .contains("previously")
        );
        assert!(Failure::new("INTERNAL_ERROR", "x").hint.contains("again"));
        assert!(
            Failure::new("SOMETHING_NEW", "x")
                .hint
                .contains("territoryctl plan")
        );
    }

    /// Every code Zoho documents gets its group's own hint, never the general one.
    #[test]
    fn every_known_code_has_its_groups_hint() {
        let groups: [&[&str]; 10] = [
            &[
                "NOT_APPLIED",
                "INTERNAL_ERROR",
                "INTERNAL_SERVER_ERROR",
                "zoho::gave-up",
                "zoho::unconfirmed-write",
                "TOO_MANY_REQUESTS",
            ],
            &["DUPLICATE_DATA"],
            &["LIMIT_EXCEEDED"],
            &["NOT_ALLOWED"],
            &[
                "INVALID_DATA",
                "MANDATORY_NOT_FOUND",
                "DEPENDENT_FIELD_MISSING",
            ],
            &["NO_PERMISSION", "PERMISSION_DENIED", "AUTHORIZATION_FAILED"],
            &["RECORD_LOCKED"],
            &["JOB_FAILED"],
            &["ALREADY_SCHEDULED"],
            &["SOMETHING_NEW"],
        ];
        let general = hint("SOMETHING_NEW");
        let mut seen = Vec::new();
        for group in groups {
            let first = hint(group[0]);
            for code in group {
                assert_eq!(hint(code), first, "{code}");
            }
            assert!(!seen.contains(&first), "{group:?} shares a hint");
            if group[0] != "SOMETHING_NEW" {
                assert_ne!(first, general, "{group:?}");
            }
            seen.push(first);
        }
        assert!(hint("TOO_MANY_REQUESTS").contains("transient"));
    }

    #[test]
    fn only_done_and_scheduled_let_dependants_go_on() {
        assert!(Outcome::Done { id: None }.succeeded());
        assert!(
            Outcome::Scheduled {
                job_id: "1".into(),
                state: None
            }
            .succeeded()
        );
        assert!(!Outcome::Unknown { reason: "x".into() }.succeeded());
        assert!(
            !Outcome::Skipped {
                because: "x".into()
            }
            .succeeded()
        );
        assert!(!Outcome::Failed(Failure::new("X", "y")).succeeded());
    }
}
