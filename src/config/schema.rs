//! The JSON Schema of the desired-state language, generated from [`raw::Document`] so that the
//! committed `schema/territories.schema.json` cannot drift from what the parser accepts.

use super::raw;

/// Where the schema is published in the repository, relative to its root.
pub const SCHEMA_PATH: &str = "schema/territories.schema.json";

/// The schema as pretty-printed JSON (without a final newline: `territoryctl schema` prints
/// it as a line, and the committed file is that output).
#[must_use]
pub fn schema_json() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<raw::Document>();
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}
