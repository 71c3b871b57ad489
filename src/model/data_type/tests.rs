use super::*;

#[test]
fn the_table_answers_every_shared_case() {
    let cases = shared_cases();
    let mut wrong = Vec::new();
    for (data_type, comparator, accepted) in &cases {
        let comparator = Comparator::parse(comparator).expect("a comparator Zoho knows");
        if DataType::parse(data_type).takes(comparator) != *accepted {
            wrong.push(format!("{data_type} {} {accepted}", comparator.as_str()));
        }
    }
    assert!(wrong.is_empty(), "the table disagrees with: {wrong:?}");
}

#[test]
fn the_shared_cases_cover_every_known_type_and_comparator() {
    let cases = shared_cases();
    for data_type in DataType::KNOWN {
        // GUESS-only spelling the simulator does not know; see its variant.
        if *data_type == DataType::Long {
            continue;
        }
        for comparator in Comparator::ALL {
            let listed = cases
                .iter()
                .filter(|(t, c, _)| t == data_type.as_str() && c == comparator.as_str())
                .count();
            assert_eq!(listed, 1, "{data_type} {}", comparator.as_str());
        }
    }
}

#[test]
fn types_round_trip_in_zoho_spelling() {
    for data_type in DataType::KNOWN {
        assert_eq!(&DataType::parse(data_type.as_str()), data_type);
    }
    assert_eq!(
        serde_json::to_value(DataType::MultiSelectPicklist).unwrap(),
        "multiselectpicklist"
    );
    let unknown = DataType::parse("rollup_summary");
    assert_eq!(unknown, DataType::Other("rollup_summary".into()));
    assert_eq!(unknown.to_string(), "rollup_summary");
    assert_eq!(serde_json::to_value(&unknown).unwrap(), "rollup_summary");
    // An unknown type is left to Zoho: every comparator, every value.
    assert_eq!(unknown.comparators(), None);
    assert!(unknown.takes(Comparator::Like));
    assert!(unknown.accepts(Comparator::Equal, &Scalar::Bool(true)));
    assert_eq!(unknown.kind(), FieldKind::Text);
}

#[test]
fn lookups_take_a_name_only_with_the_text_comparators() {
    let lookup = DataType::OwnerLookup;
    let name = Scalar::Text("Patricia".into());
    assert!(lookup.accepts(Comparator::Contains, &name));
    assert!(lookup.accepts(Comparator::StartsWith, &name));
    assert!(!lookup.accepts(Comparator::Equal, &name));
    assert!(!DataType::MultiUserLookup.accepts(Comparator::Equal, &name));
    assert_eq!(
        lookup.expected_value(Comparator::Equal),
        "a lookup `{ id: \"...\" }`"
    );
}

#[test]
fn numbers_and_kinds() {
    let numeric: Vec<&str> = DataType::KNOWN
        .iter()
        .filter(|t| t.is_numeric())
        .map(DataType::as_str)
        .collect();
    assert_eq!(
        numeric,
        [
            "integer", "bigint", "long", "double", "currency", "decimal", "percent"
        ]
    );
    assert_eq!(DataType::Picklist.kind(), FieldKind::Text);
    assert_eq!(
        DataType::MultiSelectPicklist.kind(),
        FieldKind::MultiPicklist
    );
    assert_eq!(DataType::ImageUpload.kind(), FieldKind::Never);
    assert_eq!(
        DataType::FileUpload.comparators_help().as_deref(),
        Some("fileupload fields cannot be used in criteria")
    );
    assert_eq!(
        DataType::Boolean.comparators_help().as_deref(),
        Some("boolean fields take: equal, not_equal")
    );
}
