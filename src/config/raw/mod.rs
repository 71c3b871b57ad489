//! The desired-state YAML exactly as written: every key optional where a missing key can be
//! reported later with the others, spans on everything a diagnostic may point at.
//!
//! These types are also the source of the JSON Schema (their doc comments are its
//! descriptions), so they describe the language for users, not for this crate.
//! `validate` turns them into [`crate::model::Desired`]; nothing outside `config/` sees them.

mod schema;
mod value;

use schemars::JsonSchema;
use serde::Deserialize;

use super::span::{Spanned, SpannedMap};

use schema::{AssignmentsSchema, PermissionName, UnmanagedName};
pub(crate) use value::{Scalar, Value};

/// A territoryctl desired-state file: the territories of one Zoho CRM organisation.
///
/// A directory of such files is read as one: `territories` and `assignments` are concatenated,
/// and `version`, `root`, `unmanaged`, `defaults` and `run_rules` may each be written in one file only, or
/// must agree.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "territoryctl desired state")]
pub(crate) struct Document {
    /// The version of this file format. Always `1`.
    #[schemars(range(min = 1, max = 1))]
    pub(crate) version: Option<Spanned<u32>>,

    /// The name of the organisation's root territory. Zoho creates the root with the org; only
    /// its name can be changed. Top-level territories name it as their `parent`.
    #[schemars(length(min = 1, max = 50))]
    pub(crate) root: Option<Spanned<String>>,

    /// What `plan` does with live territories that no territory here matches: `report` lists
    /// them and changes nothing (the default), `ignore` leaves them out of the plan, `delete`
    /// plans their deletion.
    #[schemars(with = "Option<UnmanagedName>")]
    pub(crate) unmanaged: Option<Spanned<String>>,

    /// Values for keys a territory does not set.
    pub(crate) defaults: Option<Spanned<Defaults>>,

    /// Whether `apply` runs the territory rules of the territories it creates, moves or gives
    /// new rules, and waits for the jobs, as `apply --run-rules` does (default `false`). Zoho
    /// otherwise applies changed rules only to records created or edited afterwards.
    pub(crate) run_rules: Option<Spanned<bool>>,

    /// Every territory below the root, as a flat list; each names its parent.
    pub(crate) territories: Option<Spanned<Vec<Spanned<Territory>>>>,

    /// Manual territory assignments of records: module (`Accounts`, `Contacts`, `Deals`) ->
    /// record id -> territory names. For each listed record the names are the complete set of
    /// its manual territories; records not listed are left alone.
    #[schemars(with = "Option<AssignmentsSchema>")]
    pub(crate) assignments: Option<Spanned<Assignments>>,

    /// Checks of the desired state itself, each `error` (fails `validate` and `plan`, exit 1)
    /// or `warning` (shown, also in the plan's pull-request comment). In one file only.
    pub(crate) policy: Option<Spanned<Policy>>,
}

/// The policy checks; a check without a key is off.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Policy {
    /// Every territory has a `manager`.
    pub(crate) manager_required: Option<Spanned<PolicyCheck>>,
    /// No territory deeper than `max` below the root (top-level territories are at depth 1).
    pub(crate) max_depth: Option<Spanned<PolicyDepth>>,
    /// Every territory's name matches the regular expression `pattern` (Rust `regex` syntax;
    /// anchor it with `^...$` to match the whole name).
    pub(crate) name_pattern: Option<Spanned<PolicyPattern>>,
    /// No territory whose `users:` are managed has more than `limit` users, its manager
    /// counted (Zoho's own limit, 100, is always checked); territories without `users:` are
    /// not checked.
    pub(crate) max_users: Option<Spanned<PolicyMaxUsers>>,
    /// Every territory without children has rules for at least one module.
    pub(crate) leaf_rules_required: Option<Spanned<PolicyCheck>>,
    /// The rule analysis (`analysis::*` warnings) finds nothing.
    pub(crate) no_analysis_warnings: Option<Spanned<PolicyCheck>>,
}

/// A check with only a level.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyCheck {
    /// `error` or `warning`.
    #[schemars(required, with = "LevelName")]
    pub(crate) level: Option<Spanned<String>>,
}

/// `max_depth`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyDepth {
    /// `error` or `warning`.
    #[schemars(required, with = "LevelName")]
    pub(crate) level: Option<Spanned<String>>,
    /// The deepest level allowed.
    #[schemars(required, range(min = 1))]
    pub(crate) max: Option<Spanned<u32>>,
}

/// `max_users`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyMaxUsers {
    /// `error` or `warning`.
    #[schemars(required, with = "LevelName")]
    pub(crate) level: Option<Spanned<String>>,
    /// The most users a territory may have, its manager counted (at most Zoho's 100).
    #[schemars(required, range(min = 1, max = 100))]
    pub(crate) limit: Option<Spanned<u32>>,
}

/// `name_pattern`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PolicyPattern {
    /// `error` or `warning`.
    #[schemars(required, with = "LevelName")]
    pub(crate) level: Option<Spanned<String>>,
    /// A regular expression every name must match.
    #[schemars(required)]
    pub(crate) pattern: Option<Spanned<String>>,
}

/// How a policy finding counts.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "only describes the schema")]
pub(crate) enum LevelName {
    /// Fails `validate` and `plan` (exit 1), every finding listed.
    Error,
    /// Shown, and in the plan's pull-request comment.
    Warning,
}

/// Values applied to territories that do not set the key themselves.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Defaults {
    /// The permission of territories that do not set `permission`. Without this key it is
    /// `read_only`.
    #[schemars(with = "Option<PermissionName>")]
    pub(crate) permission: Option<Spanned<String>>,
}

/// One territory.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Territory {
    /// The territory's name: unique (case-insensitively), at most 50 characters, and none of
    /// the characters Zoho refuses: `` ^ ~ ` # % & + = [ ] { } | \ ; " ' < > , ``.
    #[schemars(required, length(min = 1, max = 50))]
    pub(crate) name: Option<Spanned<String>>,

    /// The parent territory's name; the root's name for a top-level territory.
    #[schemars(required, length(min = 1, max = 50))]
    pub(crate) parent: Option<Spanned<String>>,

    /// The manager's email address (an active CRM user). Absent or null: no manager.
    #[schemars(email)]
    pub(crate) manager: Option<Spanned<String>>,

    /// Access the territory's users get to its records. Absent: `defaults.permission`.
    #[schemars(with = "Option<PermissionName>")]
    pub(crate) permission: Option<Spanned<String>>,

    /// Free text, at most 250 characters. Absent, null or empty: no description.
    #[schemars(length(max = 250))]
    pub(crate) description: Option<Spanned<String>>,

    /// Names this territory had before. A live territory found under one of them is renamed,
    /// keeping its id, records and forecasts, instead of deleted and created again.
    pub(crate) previously: Option<Spanned<Vec<Spanned<String>>>>,

    /// Assignment rules: which records fall into this territory automatically.
    pub(crate) rules: Option<Spanned<Rules>>,

    /// The territory's users (its members), by the email addresses of their CRM users,
    /// matched case-insensitively; at most 100. Absent: the membership is not managed and
    /// stays as it is. Present: exactly these users, and the manager (Zoho makes a territory's
    /// manager one of its users, so the manager counts as listed whether written or not).
    #[schemars(length(max = 100))]
    pub(crate) users: Option<Spanned<Vec<Spanned<String>>>>,
}

/// Assignment rules per module; a module without a key has no rule.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Rules {
    /// The criteria for Accounts (`account_rule_criteria`).
    pub(crate) accounts: Option<Spanned<Criteria>>,
    /// The criteria for Leads (`lead_rule_criteria`).
    pub(crate) leads: Option<Spanned<Criteria>>,
    /// The criteria for Deals (`deal_rule_criteria`).
    pub(crate) deals: Option<Spanned<Criteria>>,
}

/// A criteria node: either one rule (`field`, `comparator`, `value`) or a group (`all` or
/// `any`) of two or more criteria.
///
/// One struct with every key optional, rather than an untagged enum, so that every key keeps
/// its span and a node mixing both forms is reported precisely by validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Criteria {
    pub(crate) field: Option<Spanned<String>>,
    pub(crate) comparator: Option<Spanned<String>>,
    pub(crate) value: Option<Spanned<Value>>,
    pub(crate) all: Option<Spanned<Vec<Spanned<Criteria>>>>,
    pub(crate) any: Option<Spanned<Vec<Spanned<Criteria>>>>,
}

/// `assignments`: module -> record id -> territory names, every key spanned.
pub(crate) type Assignments = SpannedMap<Spanned<SpannedMap<Spanned<NameList>>>>;

/// A list of territory names.
pub(crate) type NameList = Vec<Spanned<String>>;
