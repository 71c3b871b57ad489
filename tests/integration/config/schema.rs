//! schema/territories.schema.json is generated from the parser's own types; this test fails
//! when the committed file drifts. `UPDATE_SCHEMA=1 cargo test` rewrites it.

use territoryctl::config::{SCHEMA_PATH, schema_json};

#[test]
fn the_committed_schema_matches_the_generated_one() {
    let generated = schema_json() + "\n";
    if std::env::var_os("UPDATE_SCHEMA").is_some_and(|value| value == "1") {
        std::fs::write(SCHEMA_PATH, &generated).expect("write the schema");
        return;
    }
    let committed = std::fs::read_to_string(SCHEMA_PATH).unwrap_or_default();
    assert!(
        committed == generated,
        "{SCHEMA_PATH} is out of date: run `UPDATE_SCHEMA=1 cargo test schema` and commit it"
    );
}

#[test]
fn the_schema_describes_the_language() {
    let schema: serde_json::Value = serde_json::from_str(&schema_json()).expect("valid JSON");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["additionalProperties"], false);
    let keys: Vec<&str> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "assignments",
            "defaults",
            "policy",
            "root",
            "run_rules",
            "territories",
            "unmanaged",
            "version"
        ]
    );
    let territory = &schema["definitions"]["Territory"];
    assert_eq!(territory["required"], serde_json::json!(["name", "parent"]));
    assert_eq!(territory["additionalProperties"], false);
    let comparators =
        &schema["definitions"]["Criteria"]["oneOf"][0]["properties"]["comparator"]["enum"];
    assert_eq!(comparators.as_array().map(Vec::len), Some(20));
}
