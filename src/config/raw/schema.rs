//! Schema-only types: what the JSON Schema promises for keys that the parser reads as text
//! (so that validation can report a wrong value with a suggestion), and the hand-written
//! schemas of [`Criteria`] and `assignments`, which derive cannot express.

use std::borrow::Cow;

use schemars::{JsonSchema, SchemaGenerator, json_schema};

use super::Criteria;

/// `unmanaged` values.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "only describes the schema")]
pub(super) enum UnmanagedName {
    /// List live territories not described here; change nothing (the default).
    Report,
    /// Leave live territories not described here out of the plan.
    Ignore,
    /// Plan the deletion of live territories not described here.
    Delete,
}

/// A territory's permission over its records (`permission_type`).
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "only describes the schema")]
pub(super) enum PermissionName {
    /// Users of the territory can read its records.
    ReadOnly,
    /// Users of the territory can read, edit and delete its records.
    ReadWriteDelete,
}

/// `assignments`: module -> record id -> territory names.
pub(super) struct AssignmentsSchema;

impl JsonSchema for AssignmentsSchema {
    fn schema_name() -> Cow<'static, str> {
        "Assignments".into()
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> schemars::Schema {
        let records = |max: u32, module: &str| {
            json_schema!({
                "description": format!("{module} record id -> the names of its manual territories (at most {max})."),
                "type": "object",
                "propertyNames": { "pattern": "^[0-9]+$" },
                "additionalProperties": {
                    "type": "array",
                    "items": { "type": "string", "minLength": 1, "maxLength": 50 },
                    "maxItems": max,
                    "uniqueItems": true,
                },
            })
        };
        json_schema!({
            "type": "object",
            "properties": {
                "Accounts": records(10, "Accounts"),
                "Contacts": records(10, "Contacts"),
                "Deals": records(1, "Deals"),
            },
            "additionalProperties": false,
        })
    }
}

impl JsonSchema for Criteria {
    fn schema_name() -> Cow<'static, str> {
        "Criteria".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> schemars::Schema {
        let criteria = generator.subschema_for::<Self>();
        let group = |key: &str, description: &str| {
            json_schema!({
                "description": description,
                "type": "object",
                "properties": {
                    key: { "type": "array", "items": criteria.clone(), "minItems": 2 },
                },
                "required": [key],
                "additionalProperties": false,
            })
        };
        let comparators: Vec<&str> = crate::model::Comparator::ALL
            .iter()
            .map(|comparator| comparator.as_str())
            .collect();
        let scalar = json_schema!({
            "anyOf": [
                { "type": ["string", "number", "boolean"] },
                {
                    "description": "A lookup value: a user, owner or record by id.",
                    "type": "object",
                    "properties": {
                        "id": { "type": ["string", "integer"], "pattern": "^[0-9]+$" },
                        "name": { "type": "string" },
                    },
                    "required": ["id"],
                    "additionalProperties": false,
                },
            ],
        });
        json_schema!({
            "description": "One rule (`field`, `comparator`, `value`) or a group of two or more criteria joined by `all` (AND) or `any` (OR). At most 25 rules in one module's criteria.",
            "oneOf": [
                {
                    "description": "One comparison of a record field against a value.",
                    "type": "object",
                    "properties": {
                        "field": { "description": "The field's API name, e.g. `Billing_Country`.", "type": "string", "minLength": 1 },
                        "comparator": { "description": "How the field is compared: `between`/`not_between` take two values, `in`/`not_in` a list of 1 to 500, `include_*`/`exclude_*` 1 to 5 lookups, `less_*`/`greater_*` one value, the others one value or a list.", "enum": comparators },
                        "value": {
                            "description": "One value, or a list of values.",
                            "anyOf": [
                                scalar.clone(),
                                { "type": "array", "items": scalar, "minItems": 1, "maxItems": 500 },
                            ],
                        },
                    },
                    "required": ["field", "comparator", "value"],
                    "additionalProperties": false,
                },
                group("all", "All of the items must match (AND)."),
                group("any", "Any of the items must match (OR)."),
            ],
        })
    }
}
