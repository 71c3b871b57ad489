//! `policy:` through the binary: each check at each level in `validate`, errors failing
//! `plan` with every finding listed, warnings in the plan's pull-request comment.

use std::path::Path;
use std::process::Command;

use crate::records::Org;

/// Territories breaking every check once: `korea south` (no manager, depth 2, lower case,
/// three users, a leaf without rules under `Japan`'s) and `Japan`, whose rules are repeated
/// by `Osaka` (whose one user is its manager).
const TERRITORIES: &str = "territories:
  - name: Japan
    parent: Acme Corp
    manager: kenji.watanabe@acme.example
    rules:
      accounts: { field: Billing_Country, comparator: equal, value: Japan }
  - name: korea south
    parent: Japan
    manager: null
    users: [marco.rossi@acme.example, amy.chen@acme.example, james.okafor@acme.example]
  - name: Osaka
    parent: Japan
    manager: kenji.watanabe@acme.example
    users: [Kenji.Watanabe@acme.example]
    rules:
      accounts: { all: [ { field: Billing_Country, comparator: equal, value: Japan }, { field: Billing_City, comparator: equal, value: Osaka } ] }
";

fn write(dir: &Path, policy: &str) -> String {
    let path = dir.join("territories.yaml");
    std::fs::write(
        &path,
        format!("version: 1\nroot: Acme Corp\nunmanaged: ignore\npolicy:\n{policy}{TERRITORIES}"),
    )
    .unwrap();
    path.to_str().unwrap().to_owned()
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn validate(path: &str) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_territoryctl"))
        .args(["--color", "never", "validate", path])
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// Each check, the one territory it reports, and its code.
const CHECKS: &[(&str, &str, &str)] = &[
    (
        "manager_required: { level: LEVEL }",
        "policy::manager-required",
        "`korea south` has no manager",
    ),
    (
        "max_depth: { level: LEVEL, max: 1 }",
        "policy::max-depth",
        "`korea south` is 2 levels below the root",
    ),
    (
        "name_pattern: { level: LEVEL, pattern: \"^[A-Z]\" }",
        "policy::name-pattern",
        "`korea south` does not match the policy's name pattern `^[A-Z]`",
    ),
    (
        "max_users: { level: LEVEL, limit: 2 }",
        "policy::max-users",
        "`korea south` has 3 users, more than the policy's 2",
    ),
    (
        "leaf_rules_required: { level: LEVEL }",
        "policy::leaf-rules-required",
        "`korea south` has no territory below it and no rules",
    ),
    (
        "no_analysis_warnings: { level: LEVEL }",
        "policy::no-analysis-warnings",
        "the accounts rules of `Osaka` repeat",
    ),
];

#[test]
fn each_check_as_an_error_fails_validate_naming_the_territory() {
    for (check, code, message) in CHECKS {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            &format!("  {}\n", check.replace("LEVEL", "error")),
        );
        let run = validate(&path);
        assert_eq!(run.code, Some(1), "{check}: {}", run.stderr);
        // `Osaka` is two levels down too.
        let count = if *code == "policy::max-depth" {
            "2 findings"
        } else {
            "1 finding"
        };
        assert!(
            run.stderr
                .contains(&format!("the desired state breaks its policy ({count})")),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(&format!("[{code}] at {path}:")),
            "{check}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(message), "{check}: {}", run.stderr);
        assert_eq!(run.stdout, "", "no verdict when the policy fails");
    }
}

#[test]
fn each_check_as_a_warning_is_printed_and_validate_passes() {
    for (check, code, message) in CHECKS {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            &format!("  {}\n", check.replace("LEVEL", "warning")),
        );
        let run = validate(&path);
        assert_eq!(run.code, Some(0), "{check}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("warning[{code}] {path}:")),
            "{check}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(message), "{check}: {}", run.stderr);
        assert!(run.stdout.contains(": valid ("), "{}", run.stdout);
    }
}

#[test]
fn a_territory_that_passes_is_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "  max_depth: { level: error, max: 2 }\n  name_pattern: { level: error, pattern: \"^[A-Za-z ]+$\" }\n",
    );
    let run = validate(&path);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stderr.contains("policy::"), "{}", run.stderr);
}

#[test]
fn every_error_is_listed_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let policy: String = CHECKS
        .iter()
        .map(|(check, _, _)| format!("  {}\n", check.replace("LEVEL", "error")))
        .collect();
    let run = validate(&write(dir.path(), &policy));
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("breaks its policy (7 findings)"),
        "{}",
        run.stderr
    );
    for (_, code, _) in CHECKS {
        assert!(run.stderr.contains(code), "{code}: {}", run.stderr);
    }
}

#[test]
fn a_bad_level_or_pattern_is_a_located_config_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "  manager_required: { level: fatal }\n  name_pattern: { level: error, pattern: \"([\" }\n",
    );
    let run = validate(&path);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("policy::invalid-level"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`fatal` is not a policy level"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("policy::invalid-pattern"),
        "{}",
        run.stderr
    );
    let limit = write(dir.path(), "  max_users: { level: error, limit: 101 }\n");
    let run = validate(&limit);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("policy::invalid-limit"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`101` is not a user limit"),
        "{}",
        run.stderr
    );
    let missing = write(dir.path(), "  max_users: { level: error }\n");
    let run = validate(&missing);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("`policy.max_users` has no `limit`"),
        "{}",
        run.stderr
    );
    let unknown = write(dir.path(), "  managers_required: { level: error }\n");
    let run = validate(&unknown);
    assert!(run.stderr.contains("yaml::unknown-key"), "{}", run.stderr);
}

#[test]
fn plan_fails_on_an_error_and_shows_warnings_in_the_comment() {
    let org = Org::acme();
    let dir = tempfile::tempdir().unwrap();
    let failing = write(dir.path(), "  manager_required: { level: error }\n");
    let run = org.run(&["plan", &failing, "--format", "markdown"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.stdout, "", "no plan is shown");
    assert!(
        run.stderr.contains("[policy::manager-required]"),
        "{}",
        run.stderr
    );

    let warning = write(
        dir.path(),
        "  manager_required: { level: warning }\n  leaf_rules_required: { level: warning }\n",
    );
    let run = org.run(&["plan", &warning, "--format", "markdown"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let comment = run.stdout.replace(dir.path().to_str().unwrap(), "[DIR]");
    let warnings = &comment[comment.find("**Warnings**").expect("a Warnings block")..];
    let warnings = &warnings[..warnings.find("**Affected").unwrap_or(warnings.len())];
    insta::assert_snapshot!("plan_comment_warnings", warnings);
}

/// `Lima` lists two users and has a manager it does not list (three, as Zoho counts);
/// `Quito` lists its manager among two (two); `Bogota` has a manager and no `users:` (not
/// managed, never checked, whatever the limit).
const MEMBERS: &str = "version: 1
root: Acme Corp
unmanaged: ignore
policy:
  max_users: { level: LEVEL, limit: 2 }
territories:
  - name: Lima
    parent: Acme Corp
    manager: kenji.watanabe@acme.example
    users: [marco.rossi@acme.example, amy.chen@acme.example]
  - name: Quito
    parent: Acme Corp
    manager: priya.nair@acme.example
    users: [PRIYA.NAIR@acme.example, amy.chen@acme.example]
  - name: Bogota
    parent: Acme Corp
    manager: priya.nair@acme.example
";

#[test]
fn max_users_counts_the_manager_and_skips_territories_without_users() {
    let org = Org::acme();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("territories.yaml");
    let path = path.to_str().unwrap();

    std::fs::write(path, MEMBERS.replace("LEVEL", "error")).unwrap();
    let run = validate(path);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the desired state breaks its policy (1 finding)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "[policy::max-users] at {path}:10:13: `Lima` has 2 users and the manager, more than the policy's 2"
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("list 1 fewer"), "{}", run.stderr);
    assert!(!run.stderr.contains("`Quito`"), "{}", run.stderr);
    assert!(!run.stderr.contains("`Bogota`"), "{}", run.stderr);
    let plan = org.run(&["plan", path, "--format", "markdown"]);
    assert_eq!(plan.code, 1, "{}", plan.stdout);
    assert_eq!(plan.stdout, "", "no plan is shown");
    assert!(
        plan.stderr.contains("[policy::max-users]"),
        "{}",
        plan.stderr
    );

    std::fs::write(path, MEMBERS.replace("LEVEL", "warning")).unwrap();
    let run = validate(path);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("warning[policy::max-users] {path}:10:13")),
        "{}",
        run.stderr
    );
    let plan = org.run(&["plan", path, "--format", "markdown"]);
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    assert!(
        plan.stdout
            .contains("`Lima` has 2 users and the manager, more than the policy's 2"),
        "{}",
        plan.stdout
    );
    assert!(!plan.stdout.contains("`Quito` has"), "{}", plan.stdout);
}
