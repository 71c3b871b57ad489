//! Every example under examples/ validates, without warnings, and starts with the
//! yaml-language-server modeline that points editors at the schema.

use std::path::PathBuf;

fn example_directories() -> Vec<PathBuf> {
    let mut directories: Vec<PathBuf> = std::fs::read_dir("examples")
        .expect("examples/ exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.is_dir())
        // CI examples (docs/gitops.md), not desired states: tested in tests/integration/gitops.
        .filter(|path| !path.ends_with("github-actions") && !path.ends_with("gitlab-ci"))
        .collect();
    directories.sort();
    directories
}

#[test]
fn every_example_validates_without_warnings() {
    let directories = example_directories();
    assert!(
        directories
            .iter()
            .any(|directory| directory.ends_with("minimal"))
    );
    for directory in directories {
        match territoryctl::config::load(std::slice::from_ref(&directory)) {
            Ok(loaded) => {
                assert!(
                    !loaded.desired.territories.is_empty(),
                    "{}",
                    directory.display()
                );
                assert!(
                    loaded.warnings.is_empty(),
                    "{}: {:?}",
                    directory.display(),
                    loaded.warnings
                );
            }
            Err(report) => panic!(
                "{} is invalid:\n{}",
                directory.display(),
                super::render(&report)
            ),
        }
    }
}

#[test]
fn every_example_file_points_at_the_schema() {
    for directory in example_directories() {
        for entry in std::fs::read_dir(&directory).expect("readable example") {
            let path = entry.expect("readable entry").path();
            if path
                .extension()
                .is_none_or(|ext| ext != "yaml" && ext != "yml")
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("UTF-8 example");
            assert_eq!(
                text.lines().next(),
                Some("# yaml-language-server: $schema=../../schema/territories.schema.json"),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn the_minimal_example_means_what_it_says() {
    let loaded = territoryctl::config::load(&[PathBuf::from("examples/minimal")]).expect("valid");
    let desired = loaded.desired;
    assert_eq!(desired.root, "Acme Corp");
    let names: Vec<&str> = desired
        .territories
        .iter()
        .map(|territory| territory.name.as_str())
        .collect();
    assert_eq!(names, ["East", "West"]);
    let west = desired.territory("west").expect("found case-insensitively");
    assert_eq!(
        west.permission,
        territoryctl::model::Permission::ReadOnly,
        "the default"
    );
    assert_eq!(west.manager, None);
    assert_eq!(
        west.description.as_deref(),
        Some("Everything west of the Rockies")
    );
}
