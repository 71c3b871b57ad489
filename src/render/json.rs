//! The JSON rendering, which is also the saved plan file, and its JSON Schema.

use miette::Diagnostic;
use thiserror::Error;

use serde::Serialize;

use super::notes::{Notes, Refused, RenameHint};
use crate::plan::{FORMAT_VERSION, Plan};

/// The plan as pretty-printed JSON with a trailing newline. Key order is fixed by the types and
/// maps are `BTreeMap`s, so the same plan gives the same bytes.
#[must_use]
pub fn json(plan: &Plan) -> String {
    json_with(plan, &Notes::default())
}

/// The plan with its notes around it: `refused` first (when a safety rail refused the plan),
/// then the plan's own keys, then `rename_hints` (when there are some), then the `impact`
/// preview and the `warnings` of rule analysis and policy (shown on stdout, left out of the
/// plan file: [`Notes::for_plan_file`]). All are for readers: `apply` of the file ignores them
/// and decides every rail from the plan it makes again.
#[must_use]
pub fn json_with(plan: &Plan, notes: &Notes) -> String {
    #[derive(Serialize)]
    struct WithNotes<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        refused: Option<&'a Refused>,
        #[serde(flatten)]
        plan: &'a Plan,
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        rename_hints: &'a [RenameHint],
        #[serde(skip_serializing_if = "Option::is_none")]
        impact: Option<crate::impact::render::ImpactJson<'a>>,
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        warnings: &'a [crate::analysis::report::Warning],
    }
    let document = WithNotes {
        refused: notes.refusal.as_ref(),
        plan,
        rename_hints: &notes.renames,
        impact: notes
            .impact
            .as_ref()
            .map(crate::impact::render::ImpactJson::of),
        warnings: &notes.warnings,
    };
    // Serialising plain data (strings, numbers, maps with string keys) cannot fail.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

// The plan file as `json_with` writes it, for its schema: the plan's own keys, and the notes a
// reader may find beside them. Title and description are the plan's.
#[derive(schemars::JsonSchema)]
#[schemars(
    title = "Plan",
    description = "Everything `plan` found, and everything `apply` needs to carry it out."
)]
#[expect(
    dead_code,
    reason = "described, never built: `json_with` writes the same keys"
)]
struct PlanFile {
    /// Present when a safety rail refused the plan (`plan` exits 3): why, and what lets it
    /// through. The plan is still the whole plan. For readers only: `apply` decides every rail
    /// again from the plan it makes.
    refused: Option<Refused>,
    #[serde(flatten)]
    plan: Plan,
    /// Deleted territories that look renamed to a created one (same parent and attributes):
    /// add `previously: [deleted]` to the created one to keep the territory. For readers.
    #[serde(default)]
    rename_hints: Vec<RenameHint>,
}

/// The JSON Schema of the plan file (schema/plan.schema.json), generated from the same types.
#[must_use]
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(PlanFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Why a saved plan could not be read.
#[derive(Debug, Diagnostic, Error)]
pub enum PlanFileError {
    #[error("the plan file is not valid: {0}")]
    #[diagnostic(
        code("plan::file-invalid"),
        help(
            "a plan file is written by `territoryctl plan --format json --out FILE`; make a new one"
        )
    )]
    Invalid(#[source] serde_json::Error),

    #[error(
        "the plan file has format_version {found}; this territoryctl reads version {FORMAT_VERSION}"
    )]
    #[diagnostic(
        code("plan::file-version"),
        help("make the plan again with this version of territoryctl")
    )]
    Version { found: u64 },
}

/// Reads a saved plan.
///
/// # Errors
/// [`PlanFileError::Version`] for another format version, [`PlanFileError::Invalid`] for text
/// that is not a plan.
pub fn parse(text: &str) -> Result<Plan, PlanFileError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(PlanFileError::Invalid)?;
    let found = value
        .get("format_version")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    if found != u64::from(FORMAT_VERSION) {
        return Err(PlanFileError::Version { found });
    }
    serde_json::from_value(value).map_err(PlanFileError::Invalid)
}
