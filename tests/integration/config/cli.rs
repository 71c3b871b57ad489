//! `territoryctl validate` and `territoryctl schema` as a user runs them: exit code, stdout
//! and stderr together.

use std::process::{Command, Output};

fn territoryctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_territoryctl"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("run territoryctl")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

#[test]
fn validate_accepts_the_minimal_example() {
    let output = territoryctl(&["validate", "examples/minimal"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        text(&output.stdout),
        "2 territories under `Acme Corp`: valid.\n"
    );
    assert_eq!(text(&output.stderr), "");
}

#[test]
fn validate_reports_an_error_on_stderr_and_exits_1() {
    let output = territoryctl(&[
        "--color",
        "never",
        "validate",
        "tests/fixtures/invalid/unknown-parent.yaml",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "");
    insta::assert_snapshot!(text(&output.stderr), @r"
      × the desired state has 1 error

    Error: territory::unknown-parent

      × unknown parent `Sout`
       ╭─[tests/fixtures/invalid/unknown-parent.yaml:8:13]
     7 │   - name: Texas
     8 │     parent: Sout
       ·             ──┬─
       ·               ╰── no territory has this name
       ╰────
      help: did you mean `South`?
    ");
}

#[test]
fn validate_prints_warnings_but_succeeds() {
    let output = territoryctl(&["--color", "never", "validate", "tests/fixtures/warnings"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        text(&output.stdout),
        "1 territory under `Acme Corp`: valid (1 warning).\n"
    );
    insta::assert_snapshot!(text(&output.stderr), @r"
    territory::previously-self

      ⚠ `East` lists its own name under `previously`
       ╭─[tests/fixtures/warnings/territories.yaml:8:18]
     5 │ territories:
     6 │   - name: East
       ·           ──┬─
       ·             ╰── named here
     7 │     parent: Acme Corp
     8 │     previously: [East, Eastern Region]
       ·                  ──┬─
       ·                    ╰── the territory's current name
       ╰────
      help: remove it from `previously`; it has no effect
    ");
}

#[test]
fn validate_of_a_missing_path_says_so_in_one_line() {
    let output = territoryctl(&["--color", "never", "validate", "nowhere.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(text(&output.stderr), @r"
      × the desired state has 1 error

    Error: file::not-found

      × `nowhere.yaml` does not exist
      help: give a desired-state file or a directory of them
    ");
}

#[test]
fn schema_prints_the_committed_json_schema() {
    let output = territoryctl(&["schema"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = text(&output.stdout);
    let schema: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(schema["title"], "territoryctl desired state");
    let committed =
        std::fs::read_to_string(territoryctl::config::SCHEMA_PATH).expect("committed schema");
    assert_eq!(stdout.trim_end(), committed.trim_end());
}

#[test]
fn validate_help() {
    let output = territoryctl(&["validate", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(text(&output.stdout));
}

/// Issue #21, point 7: unknown keys and wrong types no longer hide the other problems of
/// their file, nor those of the other files: every problem of both files, in file order.
#[test]
fn validate_reports_unknown_keys_and_wrong_types_with_every_other_problem_of_every_file() {
    let output = territoryctl(&["--color", "never", "validate", "tests/fixtures/structural"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "");
    insta::assert_snapshot!(text(&output.stderr));
}
