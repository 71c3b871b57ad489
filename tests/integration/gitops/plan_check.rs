//! The first step of territories-plan.yml, run as GitHub runs it (`bash -e`) with a stub `gh`:
//! it decides whether the pull request changes territory files, so that the required check
//! finishes at once on other pull requests and never passes a territory change unplanned.

use std::path::Path;
use std::process::{Command, Output};

fn changes_script() -> String {
    let text = std::fs::read_to_string("examples/github-actions/territories-plan.yml")
        .expect("read the plan workflow");
    let workflow: serde_json::Value = serde_saphyr::from_str(&text).expect("YAML");
    let step = &workflow["jobs"]["plan"]["steps"][0];
    assert_eq!(step["id"], "changes");
    step["run"].as_str().expect("a run script").to_owned()
}

struct Step {
    output: Output,
    outputs: String,
    gh_arguments: String,
}

/// Runs the step with `gh api` answering `listing` (the jq-filtered file names), or failing.
fn run(dir: &Path, listing: Option<&str>, from_fork: bool) -> Step {
    let stubs = dir.join("stubs");
    std::fs::create_dir_all(&stubs).expect("mkdir");
    let gh = stubs.join("gh");
    let arguments = dir.join("gh-arguments");
    let body = match listing {
        Some(listing) => {
            std::fs::write(dir.join("listing"), listing).expect("write");
            format!("cat '{}'\n", dir.join("listing").display())
        }
        None => "echo 'gh: HTTP 502' >&2\nexit 1\n".to_owned(),
    };
    std::fs::write(
        &gh,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n{body}",
            arguments.display()
        ),
    )
    .expect("write gh");
    assert!(
        Command::new("chmod")
            .arg("755")
            .arg(&gh)
            .status()
            .expect("chmod")
            .success()
    );
    let outputs = dir.join("outputs");
    let summary = dir.join("summary");
    let _ = std::fs::remove_file(&outputs);
    let mut path = stubs.into_os_string();
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    let output = Command::new("bash")
        .arg("-e")
        .arg("-c")
        .arg(changes_script())
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_REPOSITORY", "acme/crm")
        .env("GH_TOKEN", "not-a-token")
        .env("PR", "42")
        .env("FROM_FORK", if from_fork { "true" } else { "false" })
        .env("TERRITORIES", "territories/")
        .output()
        .expect("bash runs");
    Step {
        output,
        outputs: std::fs::read_to_string(&outputs).unwrap_or_default(),
        gh_arguments: std::fs::read_to_string(&arguments).unwrap_or_default(),
    }
}

#[test]
fn a_pull_request_without_territory_changes_passes_at_once() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let step = run(dir.path(), Some("README.md\nsrc/territories/x.rs\n"), false);
    assert_eq!(step.output.status.code(), Some(0), "{:?}", step.output);
    assert_eq!(step.outputs, "territories=false\n");
    assert!(
        step.gh_arguments
            .starts_with("api\n--paginate\nrepos/acme/crm/pulls/42/files\n"),
        "{}",
        step.gh_arguments
    );
    // A fork's pull request that does not touch the territories passes too.
    let step = run(dir.path(), Some("docs/x.md\n"), true);
    assert_eq!(step.output.status.code(), Some(0), "{:?}", step.output);
    assert_eq!(step.outputs, "territories=false\n");
}

#[test]
fn a_territory_change_is_planned_even_when_a_file_moves_out() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let step = run(
        dir.path(),
        Some("README.md\nterritories/emea.yaml\n"),
        false,
    );
    assert_eq!(step.output.status.code(), Some(0), "{:?}", step.output);
    assert_eq!(step.outputs, "territories=true\n");
    // A file moved out of territories/ is listed under its new name and, by the jq filter,
    // under its previous one.
    assert!(step.gh_arguments.contains(".previous_filename"));
    let step = run(
        dir.path(),
        Some("old/emea.yaml\nterritories/emea.yaml\n"),
        false,
    );
    assert_eq!(step.outputs, "territories=true\n");
}

#[test]
fn a_fork_changing_territories_fails_the_check() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let step = run(dir.path(), Some("territories/emea.yaml\n"), true);
    assert_eq!(step.output.status.code(), Some(1), "{:?}", step.output);
    assert_eq!(step.outputs, "");
    assert!(
        String::from_utf8_lossy(&step.output.stdout)
            .contains("::error::This pull request from a fork changes territories/"),
        "{:?}",
        step.output
    );
}

#[test]
fn an_unread_or_truncated_file_list_never_passes_unplanned() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let step = run(dir.path(), None, false);
    assert_eq!(step.output.status.code(), Some(1), "{:?}", step.output);
    assert_eq!(step.outputs, "");

    // 3,000 files (the API's limit) and none under territories/: planned anyway.
    let listing: String = (0..3000).map(|n| format!("src/file{n}.rs\n")).collect();
    let step = run(dir.path(), Some(&listing), false);
    assert_eq!(step.output.status.code(), Some(0), "{:?}", step.output);
    assert_eq!(step.outputs, "territories=true\n");
}
