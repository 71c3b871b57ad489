//! `territoryctl validate` in GitHub Actions (`GITHUB_ACTIONS=true`): every problem also as a
//! workflow command on stdout, pointing at its file, line and column.

use std::process::{Command, Output};

/// Runs territoryctl with `GITHUB_ACTIONS` set to `github_actions` (or unset), and no
/// `GITHUB_WORKSPACE`, whatever the environment the tests run in.
fn validate(path: &str, github_actions: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_territoryctl"));
    command
        .args(["--color", "never", "validate", path])
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_WORKSPACE");
    if let Some(value) = github_actions {
        command.env("GITHUB_ACTIONS", value);
    }
    command.output().expect("run territoryctl")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

#[test]
fn errors_become_annotations_on_stdout_and_the_report_stays_on_stderr() {
    let output = validate("tests/fixtures/invalid/unknown-parent.yaml", Some("true"));
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stdout),
        "::error file=tests/fixtures/invalid/unknown-parent.yaml,line=8,col=13,\
         title=territory%3A%3Aunknown-parent::unknown parent `Sout`%0Ahelp: did you mean `South`?\n"
    );
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("[tests/fixtures/invalid/unknown-parent.yaml:8:13]"),
        "{stderr}"
    );
}

#[test]
fn every_error_of_a_file_is_annotated_in_file_order() {
    let output = validate("tests/fixtures/invalid/many-problems.yaml", Some("true"));
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    let positions: Vec<&str> = stdout
        .lines()
        .map(|line| {
            assert!(line.starts_with("::error file=tests/fixtures/invalid/many-problems.yaml,"));
            let start = line.find("line=").expect("a line");
            let end = line.find(",title=").expect("a title");
            &line[start..end]
        })
        .collect();
    assert_eq!(
        positions,
        [
            "line=5,col=12",
            "line=11,col=14",
            "line=12,col=18",
            "line=15,col=17",
            "line=16,col=11",
            "line=18,col=11",
            "line=19,col=13",
            "line=25,col=51",
            "line=26,col=18",
            "line=27,col=63",
            "line=31,col=3",
            "line=34,col=37",
            "line=35,col=29",
        ]
    );
    // A `%` in a message is escaped, so that the runner does not read it as an escape.
    assert!(stdout.contains("Zoho refuses ^ ~ ` # %25 & + = [ ] { } | \\ ; \" ' < > , in names"));
}

#[test]
fn the_other_file_of_a_duplicate_gets_a_notice() {
    let output = validate("tests/fixtures/invalid/split-files", Some("true"));
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(stdout.contains(
        "::error file=tests/fixtures/invalid/split-files/europe.yaml,line=7,col=11,\
         title=territory%3A%3Aduplicate-name::territory `TEXAS` is declared twice"
    ));
    assert!(stdout.contains(
        "::notice file=tests/fixtures/invalid/split-files/americas.yaml,line=7,col=11,\
         title=territory%3A%3Aduplicate-name::first declared here in \
         `tests/fixtures/invalid/split-files/americas.yaml`\n"
    ));
}

#[test]
fn a_problem_without_a_position_is_annotated_on_the_run() {
    let output = validate("tests/fixtures/invalid/missing-root.yaml", Some("true"));
    assert_eq!(output.status.code(), Some(1));
    let first = text(&output.stdout).lines().next().map(str::to_owned);
    assert_eq!(
        first.as_deref(),
        Some(
            "::error title=document%3A%3Amissing-root::`tests/fixtures/invalid/missing-root.yaml`: \
             no file sets `root`%0Ahelp: add `root: <the name of the org's root territory>`"
        )
    );
}

#[test]
fn warnings_become_warning_annotations_before_the_result() {
    let output = validate("tests/fixtures/warnings", Some("true"));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        text(&output.stdout),
        "::warning file=tests/fixtures/warnings/territories.yaml,line=8,col=18,\
         title=territory%3A%3Apreviously-self::`East` lists its own name under `previously`\
         %0Ahelp: remove it from `previously`; it has no effect\n\
         1 territory under `Acme Corp`: valid (1 warning).\n"
    );
}

#[test]
fn outside_github_actions_stdout_holds_no_annotation() {
    for github_actions in [None, Some("false")] {
        let output = validate("tests/fixtures/invalid/unknown-parent.yaml", github_actions);
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(text(&output.stdout), "");
    }
}
