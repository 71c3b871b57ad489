//! Field data types as criteria see them: which comparators each takes.

/// Comparators Zoho knows at all.
pub(crate) const ALL_COMPARATORS: &[&str] = &[
    "equal",
    "not_equal",
    "like",
    "not_like",
    "starts_with",
    "ends_with",
    "contains",
    "not_contains",
    "less_than",
    "less_equal",
    "greater_than",
    "greater_equal",
    "between",
    "not_between",
    "in",
    "not_in",
    "include_all",
    "include_any",
    "exclude_all",
    "exclude_any",
];

// Text-like fields and picklists: the update-territories seed page's six ("Text, Picklist,
// Lookup: equal, not_equal, contains, not_contains, starts_with, ends_with") and `in`/`not_in`.
// GUESS: the seed page does not name `in`/`not_in`; zoho-api.md section 3 gives them to
// "picklist, text" by name. `like`/`not_like`, named only by section 3's "text-like" row, are
// refused: the seed page wins. The expected answers are shared with territoryctl's tests in
// ../tests/fixtures/comparators.json.
const TEXT: &[&str] = &[
    "equal",
    "not_equal",
    "contains",
    "not_contains",
    "starts_with",
    "ends_with",
    "in",
    "not_in",
];
const NUMBER: &[&str] = &[
    "equal",
    "not_equal",
    "less_than",
    "less_equal",
    "greater_than",
    "greater_equal",
    "between",
    "not_between",
    "in",
    "not_in",
];
const DATE: &[&str] = &[
    "equal",
    "not_equal",
    "less_than",
    "less_equal",
    "greater_than",
    "greater_equal",
    "between",
    "not_between",
];
const BOOLEAN: &[&str] = &["equal", "not_equal"];
// The seed page lists the six text comparators for lookups too.
const LOOKUP: &[&str] = &[
    "equal",
    "not_equal",
    "contains",
    "not_contains",
    "starts_with",
    "ends_with",
];
// Section 3: `equal`/`not_equal` apply to all data types, and the four set comparators.
const MULTI_LOOKUP: &[&str] = &[
    "equal",
    "not_equal",
    "include_all",
    "include_any",
    "exclude_all",
    "exclude_any",
];
// GUESS: neither source lists a multi-select picklist's comparators. `equal`/`not_equal`
// (section 3: all types), `in`/`not_in` (section 3: "combine in/equal arrays") and
// `contains`/`not_contains`; not `starts_with`/`ends_with`/`like` over several values.
const MULTI_PICKLIST: &[&str] = &[
    "equal",
    "not_equal",
    "contains",
    "not_contains",
    "in",
    "not_in",
];

/// Most values in one array value (OAS).
pub(crate) const MAX_VALUES: usize = 500;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Picklist,
    MultiPicklist,
    Number { integer: bool },
    Date,
    DateTime,
    Boolean,
    Lookup { user: bool },
    MultiLookup,
    Unsupported,
}

pub(crate) fn kind(data_type: &str) -> Kind {
    match data_type {
        "picklist" => Kind::Picklist,
        "multiselectpicklist" => Kind::MultiPicklist,
        "integer" | "bigint" => Kind::Number { integer: true },
        "double" | "currency" | "decimal" | "percent" => Kind::Number { integer: false },
        "date" => Kind::Date,
        "datetime" => Kind::DateTime,
        "boolean" => Kind::Boolean,
        "lookup" => Kind::Lookup { user: false },
        "ownerlookup" | "userlookup" => Kind::Lookup { user: true },
        "multiselectlookup" | "multiuserlookup" => Kind::MultiLookup,
        "fileupload" | "imageupload" => Kind::Unsupported,
        _ => Kind::Text,
    }
}

pub(crate) fn comparators(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Text | Kind::Picklist => TEXT,
        Kind::MultiPicklist => MULTI_PICKLIST,
        Kind::Number { .. } => NUMBER,
        Kind::Date | Kind::DateTime => DATE,
        Kind::Boolean => BOOLEAN,
        Kind::Lookup { .. } => LOOKUP,
        Kind::MultiLookup => MULTI_LOOKUP,
        Kind::Unsupported => &[],
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::ALL_COMPARATORS;
    use crate::state::{Field, State};

    /// The cases territoryctl's tests check its own table against.
    fn shared_cases() -> Vec<(String, String, bool)> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/comparators.json"
        );
        let text = std::fs::read_to_string(path).expect("the shared comparator cases");
        let file: Value = serde_json::from_str(&text).expect("JSON");
        serde_json::from_value(file["cases"].clone()).expect("[data_type, comparator, bool]")
    }

    /// Every shared case through the criteria validation of a territory write: a placeholder
    /// value fits any type, so only the field's type and the comparator are judged.
    #[test]
    fn criteria_validation_answers_every_shared_case() {
        let cases = shared_cases();
        assert!(cases.len() > 400, "{} cases", cases.len());
        let mut wrong = Vec::new();
        for (data_type, comparator, accepted) in cases {
            assert!(
                ALL_COMPARATORS.contains(&comparator.as_str()),
                "{comparator}"
            );
            let mut state = State::new_org("Acme");
            state.fields.insert(
                "Accounts".to_owned(),
                vec![Field {
                    id: "91".to_owned(),
                    api_name: "F".to_owned(),
                    field_label: "F".to_owned(),
                    data_type: data_type.clone(),
                    pick_list_values: Vec::new(),
                    custom_field: false,
                    length: None,
                }],
            );
            let criteria =
                json!({"field": {"api_name": "F"}, "comparator": comparator, "value": "${EMPTY}"});
            let answer = crate::rules::criteria::validate(
                &state,
                "Accounts",
                &criteria,
                "$.territories[0].account_rule_criteria",
                "account_rule_criteria",
            );
            let refusal_is_the_comparator = |code: &str, details: &Value| {
                (code == "DEPENDENT_MISMATCH" && details["api_name"] == "comparator")
                    || code == "NOT_SUPPORTED"
            };
            let ok = match &answer {
                Ok(_) => accepted,
                Err(outcome) => {
                    !accepted && refusal_is_the_comparator(&outcome.code, &outcome.details)
                }
            };
            if !ok {
                wrong.push(format!(
                    "{data_type} {comparator}: {:?}",
                    answer.map_err(|outcome| outcome.code)
                ));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}
