//! Every file (or directory) in tests/fixtures/invalid/ fails validation with the codes its
//! first line names (`# expect: code, code`), and its rendered report is snapshotted.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{codes, render};

const CORPUS: &str = "tests/fixtures/invalid";

/// The corpus entries that hold YAML: `*.yaml` files and directories of them, sorted.
fn entries() -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(CORPUS)
        .expect("the corpus directory exists")
        .map(|entry| entry.expect("readable corpus entry").path())
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "yaml") || first_yaml(path).is_some()
        })
        .collect();
    entries.sort();
    entries
}

fn first_yaml(directory: &Path) -> Option<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(directory)
        .ok()?
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files.into_iter().next()
}

/// The codes named on the entry's first line.
fn expected_codes(entry: &Path) -> BTreeSet<String> {
    let file = if entry.is_dir() {
        first_yaml(entry).expect("a YAML file")
    } else {
        entry.to_owned()
    };
    let bytes = std::fs::read(&file).expect("readable fixture");
    let first_line = bytes
        .split(|&byte| byte == b'\n')
        .next()
        .unwrap_or_default();
    let first_line = std::str::from_utf8(first_line).expect("the first line is ASCII");
    let codes = first_line
        .strip_prefix("# expect: ")
        .unwrap_or_else(|| panic!("{} must start with `# expect: <code>`", file.display()));
    codes
        .split(',')
        .map(|code| code.trim().to_owned())
        .collect()
}

#[test]
fn the_corpus_is_large_enough() {
    assert!(
        entries().len() >= 30,
        "only {} invalid fixtures",
        entries().len()
    );
}

#[test]
fn every_invalid_fixture_fails_with_its_codes_and_rendered_report() {
    for entry in entries() {
        let report = match territoryctl::config::load(std::slice::from_ref(&entry)) {
            Ok(_) => panic!(
                "{} validated, but it is in the invalid corpus",
                entry.display()
            ),
            Err(report) => report,
        };
        let found: BTreeSet<String> = codes(&report).into_iter().map(str::to_owned).collect();
        assert_eq!(
            found,
            expected_codes(&entry),
            "codes of {}",
            entry.display()
        );
        let name = entry
            .file_stem()
            .and_then(|stem| stem.to_str())
            .expect("UTF-8 name");
        insta::assert_snapshot!(name, render(&report));
    }
}

#[test]
fn the_many_problems_fixture_reports_them_all_at_once() {
    let report = territoryctl::config::load(&[PathBuf::from(CORPUS).join("many-problems.yaml")])
        .expect_err("invalid");
    assert_eq!(report.error_count(), 13);
}
