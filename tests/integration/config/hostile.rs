//! Names and texts with characters that do not show as themselves are refused, each with a
//! located `territory::hidden-character`, and the diagnostics show them escaped.

use std::path::PathBuf;

use super::{codes, render};

/// Each as a YAML double-quoted scalar (YAML's own escapes), and the field it goes in.
const HOSTILE: &[(&str, &str)] = &[
    ("name", r#""Sales\n  - delete Strategic Accounts""#),
    ("name", r#""East\e[2J\e[31mred""#),
    ("name", r#""Nul\0here""#),
    ("name", r#""Bell\a""#),
    ("name", r#""Evil\u202Egnp.exe""#),
    ("name", r#""Zero\u200Bwidth""#),
    ("name", r#""Isolate\u2066x\u2069""#),
    ("name", r#""Line\u2028sep""#),
    ("previously", r#"["Old\u200Dname"]"#),
    ("parent", r#""Root\u202E""#),
    ("manager", r#""pat\u200B@acme.example""#),
    ("description", r#""fine\nlines, but \e[2J is not""#),
    ("description", r#""flipped \u202E text""#),
];

fn file_with(field: &str, value: &str) -> String {
    let (name, extra) = match field {
        "name" => (value.to_owned(), String::new()),
        _ => ("Plain".to_owned(), format!("    {field}: {value}\n")),
    };
    let parent = if field == "parent" {
        ""
    } else {
        "    parent: Root\n"
    };
    format!("version: 1\nroot: Root\nterritories:\n  - name: {name}\n{parent}{extra}")
}

#[test]
fn every_hostile_text_is_refused_with_a_located_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    for (index, (field, value)) in HOSTILE.iter().enumerate() {
        let path: PathBuf = dir.path().join(format!("hostile-{index}.yaml"));
        std::fs::write(&path, file_with(field, value)).unwrap();
        let report = territoryctl::config::load(std::slice::from_ref(&path))
            .expect_err("a hidden character must be refused");
        assert_eq!(
            codes(&report),
            ["territory::hidden-character"],
            "{field}: {value}\n{}",
            render(&report)
        );
        let rendered = render(&report);
        assert!(
            !rendered
                .chars()
                .any(|c| territoryctl::escape::is_hidden(c) && c != '\n'),
            "a raw hidden character reached the diagnostic: {rendered:?}"
        );
        // The line of the problem is named, as for every located diagnostic.
        assert!(
            rendered.contains(&format!("hostile-{index}.yaml:")),
            "{rendered}"
        );
    }
}

#[test]
fn a_forged_line_shows_escaped_in_the_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forged.yaml");
    std::fs::write(&path, file_with("name", HOSTILE[0].1)).unwrap();
    let report = territoryctl::config::load(std::slice::from_ref(&path)).unwrap_err();
    let message = report.errors[0].to_string();
    assert_eq!(
        message,
        "the name `Sales\\n  - delete Strategic Accounts` holds U+000A (a line break)"
    );
    assert!(
        !render(&report)
            .lines()
            .any(|line| line.trim_start().starts_with("- delete"))
    );
}

#[test]
fn a_raw_bidi_override_in_the_file_never_reaches_the_snippet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("raw.yaml");
    std::fs::write(
        &path,
        "version: 1\nroot: Root\nterritories:\n  - name: Evil\u{202E}gnp\n    parent: Root\n",
    )
    .unwrap();
    let report = territoryctl::config::load(std::slice::from_ref(&path)).unwrap_err();
    assert_eq!(codes(&report), ["territory::hidden-character"]);
    let rendered = render(&report);
    assert!(!rendered.contains('\u{202E}'), "{rendered}");
    assert!(rendered.contains("Evil\\u{202e}gnp"), "{rendered}");
}

#[test]
fn multi_line_descriptions_stay_valid() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ok.yaml");
    std::fs::write(
        &path,
        "version: 1\nroot: Root\nterritories:\n  - name: West\n    parent: Root\n    description: |\n      California.\n      \tOregon.\n",
    )
    .unwrap();
    territoryctl::config::load(&[path]).expect("line feeds and tabs are fine in a description");
}
