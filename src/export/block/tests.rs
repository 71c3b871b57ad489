use serde_json::Value;

use super::*;

/// Writes `description:` inside a territory-like mapping and parses it back.
fn round_trip(text: &str) -> (String, Value) {
    let mut lines = Lines::default();
    lines.line(0, "territories:");
    lines.line(2, "- name: X");
    write_string(&mut lines, 4, "description", text);
    lines.line(4, "parent: Root");
    lines.blank();
    lines.line(2, "- name: Z");
    let document = lines.into_text();
    let value = serde_saphyr::from_str::<Value>(&document)
        .unwrap_or_else(|error| panic!("cannot parse {document:?}: {error}"));
    (document, value)
}

fn assert_round_trips(text: &str) -> String {
    let (document, value) = round_trip(text);
    assert_eq!(
        value["territories"][0]["description"],
        Value::String(text.to_owned()),
        "{document}"
    );
    assert_eq!(
        value["territories"][0]["parent"],
        Value::String("Root".into())
    );
    assert_eq!(value["territories"][1]["name"], Value::String("Z".into()));
    document
}

#[test]
fn a_trailing_newline_is_clipped_and_its_absence_stripped() {
    let with = assert_round_trips("First line.\nSecond line.\n");
    assert!(with.contains("description: |\n      First line.\n      Second line.\n"));
    let without = assert_round_trips("First line.\nSecond line.");
    assert!(without.contains("description: |-\n      First line.\n"));
}

#[test]
fn leading_spaces_get_an_indentation_indicator() {
    let document = assert_round_trips("  indented first\nsecond\n");
    assert!(document.contains("description: |2\n"), "{document}");
    assert_round_trips("   \nafter a line of spaces");
    assert_round_trips("\n\n  after empty lines");
}

#[test]
fn inner_blank_lines_trailing_spaces_and_comment_marks_survive() {
    assert_round_trips("a\n\n\nb");
    assert_round_trips("ends with spaces   \nnext");
    assert_round_trips("# not a comment\n- not a list\nkey: not a map\n");
    assert_round_trips("\nstarts with a newline");
    assert_round_trips("Zürich\n日本語 🎉\n");
}

#[test]
fn what_a_block_cannot_hold_is_double_quoted() {
    for text in [
        "two trailing\n\n",
        "\n",
        "\n\n",
        "tab\tinside\nx",
        "cr\r\nlf",
        "bell\u{7}\nx",
    ] {
        assert_eq!(literal_block(text), None, "{text:?}");
        let document = assert_round_trips(text);
        assert!(document.contains("description: \""), "{document}");
    }
}

#[test]
fn single_lines_and_the_empty_description_are_scalars() {
    assert_eq!(literal_block("one line"), None);
    let document = assert_round_trips("");
    assert!(document.contains("description: \"\"\n"), "{document}");
    let document = assert_round_trips("Everything north of the Rio Grande, and Mexico.");
    assert!(
        document.contains("description: Everything north"),
        "{document}"
    );
    assert_round_trips(&"long description ".repeat(15));
}
