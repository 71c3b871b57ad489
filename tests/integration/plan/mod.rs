//! `plan` scenarios: live built from desired, one thing changed, all three renderings
//! snapshotted; plus the schedule, the safety rails, the plan file and its schema.

mod binding;
mod changes;
mod cli;
mod command;
mod converge;
mod hostile;
mod records;
mod refused;
mod roundtrip;
mod safety;
mod scenario;
mod schedule;

use std::sync::LazyLock;

use territoryctl::plan::Plan;
use territoryctl::render;

static SCHEMA: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
    let schema: serde_json::Value =
        serde_json::from_str(&render::schema_json()).expect("the generated schema is JSON");
    jsonschema::validator_for(&schema).expect("the generated schema is a valid JSON Schema")
});

/// Asserts that the JSON rendering of `plan` validates against schema/plan.schema.json.
pub(crate) fn assert_valid_json(plan: &Plan) {
    let json = render::json(plan);
    let instance: serde_json::Value = serde_json::from_str(&json).expect("the rendering is JSON");
    let errors: Vec<String> = SCHEMA
        .iter_errors(&instance)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the plan JSON violates the schema: {errors:#?}"
    );
}

/// Snapshots the text, Markdown and JSON renderings of `plan` as `<name>_text`, ...; checks
/// that the JSON validates against the schema and reads back as the same plan.
macro_rules! assert_renderings {
    ($name:literal, $plan:expr) => {{
        let plan = &$plan;
        insta::assert_snapshot!(
            concat!($name, "_text"),
            territoryctl::render::text(plan, false)
        );
        insta::assert_snapshot!(
            concat!($name, "_markdown"),
            territoryctl::render::markdown(plan)
        );
        let json = territoryctl::render::json(plan);
        insta::assert_snapshot!(concat!($name, "_json"), json);
        $crate::plan::assert_valid_json(plan);
        assert_eq!(
            &territoryctl::render::parse(&json).expect("the plan file reads back"),
            plan
        );
    }};
}
pub(crate) use assert_renderings;
