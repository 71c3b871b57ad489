//! The desired-state YAML exactly as written: every key optional where a missing key can be
//! reported later with the others, spans on everything a diagnostic may point at.
//!
//! These types are also the source of the JSON Schema (their doc comments are its
//! descriptions), so they describe the language for users, not for this crate.
//! `validate` turns them into [`crate::model::Desired`]; nothing outside `config/` sees them.

use std::borrow::Cow;

use schemars::{JsonSchema, SchemaGenerator, json_schema};
use serde::Deserialize;

use super::span::{Spanned, SpannedMap};

/// A territoryctl desired-state file: the territories of one Zoho CRM organisation.
///
/// A directory of such files is read as one: `territories` and `assignments` are concatenated,
/// and `version`, `root`, `unmanaged` and `defaults` may each be written in one file only, or
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

    /// Every territory below the root, as a flat list; each names its parent.
    pub(crate) territories: Option<Spanned<Vec<Spanned<Territory>>>>,

    /// Manual territory assignments of records: module (`Accounts`, `Contacts`, `Deals`) ->
    /// record id -> territory names. For each listed record the names are the complete set of
    /// its manual territories; records not listed are left alone.
    #[schemars(with = "Option<AssignmentsSchema>")]
    pub(crate) assignments: Option<Spanned<Assignments>>,
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
    /// The territory's name: unique (case-insensitively), at most 50 characters, none of
    /// `^ ~ ` # % & + = [ ] { } | \ ; " ' < > ,`.
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

/// The value side of a rule: one value or a list of values.
#[derive(Debug)]
pub(crate) enum Value {
    One(Scalar),
    Many(Vec<Spanned<Scalar>>),
}

/// One value in a rule.
#[derive(Debug, PartialEq)]
pub(crate) enum Scalar {
    Text(String),
    /// The number as its decimal text.
    Number(String),
    Bool(bool),
    /// `{ id: "...", name: "..." }`: a user, owner or other record.
    Lookup {
        id: String,
        name: Option<String>,
    },
    Null,
}

/// `assignments`: module -> record id -> territory names, every key spanned.
pub(crate) type Assignments = SpannedMap<Spanned<SpannedMap<Spanned<NameList>>>>;

/// A list of territory names.
pub(crate) type NameList = Vec<Spanned<String>>;

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl<'de> serde::de::Visitor<'de> for ValueVisitor {
            type Value = Value;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a value, a list of values or a `{ id }` lookup")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<Scalar>>()? {
                    items.push(item);
                }
                Ok(Value::Many(items))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                ScalarVisitor.visit_map(map).map(Value::One)
            }

            fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Self::Value, E> {
                Ok(Value::One(Scalar::Bool(value)))
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Self::Value, E> {
                Ok(Value::One(Scalar::Number(value.to_string())))
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
                Ok(Value::One(Scalar::Number(value.to_string())))
            }

            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Self::Value, E> {
                Ok(Value::One(Scalar::Number(value.to_string())))
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(Value::One(Scalar::Text(value.to_owned())))
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(Value::One(Scalar::Null))
            }

            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(Value::One(Scalar::Null))
            }
        }

        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ScalarVisitor;

impl<'de> serde::de::Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a text, number, boolean or `{ id }` lookup")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error as _;
        let mut id = None;
        let mut name = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "id" => id = Some(map.next_value::<LookupId>()?.0),
                "name" => name = map.next_value::<Option<String>>()?,
                _ => return Err(A::Error::unknown_field(&key, &["id", "name"])),
            }
        }
        let id = id.ok_or_else(|| A::Error::missing_field("id"))?;
        Ok(Scalar::Lookup { id, name })
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _seq: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error as _;
        Err(A::Error::invalid_type(
            serde::de::Unexpected::Seq,
            &"a single value (lists do not nest)",
        ))
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(value))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Number(value.to_string()))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Scalar::Number(value.to_string()))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Number(value.to_string()))
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(value.to_owned()))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A lookup id: Zoho ids are 64-bit numbers; written quoted or not, they are kept as text.
struct LookupId(String);

impl<'de> Deserialize<'de> for LookupId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;

        impl serde::de::Visitor<'_> for IdVisitor {
            type Value = LookupId;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a record id")
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
                Ok(LookupId(value.to_string()))
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(LookupId(value.to_owned()))
            }
        }

        deserializer.deserialize_any(IdVisitor)
    }
}

// ---- Schema-only types: what the JSON Schema promises for keys validation reads as text. ----

/// `unmanaged` values.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[expect(dead_code, reason = "only describes the schema")]
enum UnmanagedName {
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
enum PermissionName {
    /// Users of the territory can read its records.
    ReadOnly,
    /// Users of the territory can read, edit and delete its records.
    ReadWriteDelete,
}

/// `assignments`: module -> record id -> territory names.
struct AssignmentsSchema;

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
