//! scripts/changelog-section.sh, which gives a GitHub release its notes: the section of
//! CHANGELOG.md named after the tag, and an error for a tag without one.

use std::process::{Command, Output};

fn section(version: &str, file: &str) -> Output {
    Command::new("sh")
        .arg("scripts/changelog-section.sh")
        .arg(version)
        .arg(file)
        .output()
        .expect("sh runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

const CHANGELOG: &str = "# Changelog

Intro text.

## [Unreleased]

### Fixed

- Something not yet released.

## [1.1.0] - 2027-02-01

### Added

- A feature.

  With a second paragraph.


### Fixed

- A bug.

## [1.0.0] - 2027-01-01

- The first.

[Unreleased]: https://example.com/compare/v1.1.0...HEAD
[1.1.0]: https://example.com/compare/v1.0.0...v1.1.0
[1.0.0]: https://example.com/releases/tag/v1.0.0
";

#[test]
fn a_release_gets_the_section_of_its_tag_and_nothing_else() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("CHANGELOG.md");
    std::fs::write(&file, CHANGELOG).expect("write");
    let file = file.to_str().expect("UTF-8 path");

    let output = section("v1.1.0", file);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        text(&output.stdout),
        "### Added\n\n- A feature.\n\n  With a second paragraph.\n\n\n### Fixed\n\n- A bug.\n"
    );
    // Without the `v`, and the last section without the link definitions after it.
    let output = section("1.0.0", file);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(text(&output.stdout), "- The first.\n");
}

#[test]
fn a_tag_without_a_section_or_with_an_empty_one_is_an_error() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("CHANGELOG.md");
    std::fs::write(
        &file,
        "# Changelog\n\n## [2.0.0] - 2027-03-01\n\n## [1.0.0]\n\n- x\n",
    )
    .expect("write");
    let file = file.to_str().expect("UTF-8 path");
    for version in ["v1.2.0", "v2.0.0", "1.0"] {
        let output = section(version, file);
        assert_eq!(output.status.code(), Some(1), "{version}: {output:?}");
        assert_eq!(text(&output.stdout), "");
        let wanted = version.trim_start_matches('v');
        assert_eq!(
            text(&output.stderr),
            format!(
                "{file} has no notes for {wanted}: add a `## [{wanted}] - YYYY-MM-DD` section\n"
            )
        );
    }
    let output = section("v1.0.0", file);
    assert_eq!(text(&output.stdout), "- x\n");
}

#[test]
fn the_changelog_has_an_unreleased_section_and_notes_for_this_version() {
    let changelog = std::fs::read_to_string("CHANGELOG.md").expect("CHANGELOG.md exists");
    assert!(changelog.contains("\n## [Unreleased]\n"), "{changelog}");
    let output = section(env!("CARGO_PKG_VERSION"), "CHANGELOG.md");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        text(&output.stdout).contains("### Added\n"),
        "{}",
        text(&output.stdout)
    );
}
