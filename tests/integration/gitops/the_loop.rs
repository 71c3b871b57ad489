//! The loop's steps run as the example workflows run them (the same commands and flags),
//! against the simulator started by `--sandbox` from a copy of examples/acme/org.json:
//! validate with annotations, plan to Markdown and a plan file, apply of the saved plan file
//! (refused as stale when the org changed after the plan), and the nightly drift check before
//! and after a change made by hand in the org.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch directory of its own for each test, removed when the test ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("territoryctl-gitops-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create a scratch directory");
        Self(path)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn str(&self, name: &str) -> String {
        self.path(name)
            .to_str()
            .expect("UTF-8 temp path")
            .to_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs territoryctl as a workflow step does: in GitHub Actions, without colour, and with
/// no Zoho credentials from the environment the tests happen to run in.
fn step(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_territoryctl"))
        .args(["--color", "never"])
        .args(args)
        .env("GITHUB_ACTIONS", "true")
        .env_remove("GITHUB_WORKSPACE")
        .env_remove("ZOHO_ACCESS_TOKEN")
        .env_remove("ZOHO_CLIENT_ID")
        .env_remove("ZOHO_CLIENT_SECRET")
        .env_remove("ZOHO_REFRESH_TOKEN")
        .output()
        .expect("run territoryctl")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// A copy of the acme org's simulator state, to change by hand without touching the example.
fn org_copy(scratch: &Scratch) -> String {
    std::fs::copy("examples/acme/org.json", scratch.path("org.json")).expect("copy org.json");
    scratch.str("org.json")
}

/// Changes a field of a territory in the simulator's state file, as an admin would in the
/// Zoho UI between two runs.
fn change_by_hand(state: &Path, territory: &str, field: &str, value: &str) {
    let mut org: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(state).expect("read state"))
            .expect("JSON state");
    let entry = org["territories"]
        .as_array_mut()
        .expect("territories")
        .iter_mut()
        .find(|entry| entry["name"] == territory)
        .expect("the territory is in the org");
    entry[field] = serde_json::Value::String(value.to_owned());
    std::fs::write(
        state,
        serde_json::to_string_pretty(&org).expect("serialise"),
    )
    .expect("write state");
}

#[test]
fn a_pull_request_is_validated_then_planned_to_markdown_and_a_plan_file() {
    let scratch = Scratch::new("pull-request");
    let org = org_copy(&scratch);

    // territories-plan.yml, step "Validate".
    let validate = step(&["validate", "examples/acme/territories.yaml"]);
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        text(&validate.stderr)
    );
    // The example's three rules that repeat their parent's (rule analysis) are warnings:
    // annotations on their lines, and the file is still valid.
    let stdout = text(&validate.stdout);
    let annotations: Vec<&str> = stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 3, "{stdout}");
    assert!(
        annotations.iter().all(|a| a
            .starts_with("::warning file=examples/acme/territories.yaml,line=")
            && a.contains("title=analysis%3A%3Arepeats-parent")),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("31 territories under `Acme Corp`: valid (3 warnings).\n"),
        "{stdout}"
    );

    // territories-plan.yml, step "Plan".
    let plan_file = scratch.str("plan.json");
    let plan = step(&[
        "plan",
        "examples/acme/territories.yaml",
        "--sandbox",
        &org,
        "--format",
        "markdown",
        "--out",
        &plan_file,
        "--detailed-exitcode",
    ]);
    assert_eq!(plan.status.code(), Some(2), "{}", text(&plan.stderr));
    let markdown = text(&plan.stdout);
    assert!(
        markdown.starts_with("### territoryctl plan for `Acme Corp`\n\n**Plan: 3 to add, 5 to change, 1 to move, 2 to delete"),
        "{markdown}"
    );
    assert!(
        markdown.len() < 65_536 - 200,
        "room for the marker and footer"
    );
    // The artifact: a versioned JSON plan file.
    let saved: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&plan_file).expect("the plan file is written"),
    )
    .expect("the plan file is JSON");
    assert_eq!(saved["format_version"], 1, "{saved}");
    let desired_hash = saved["binding"]["desired_hash"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(
        desired_hash.len(),
        64,
        "the plan file binds the desired state: {saved}"
    );
    // Planning never changes the org.
    assert_eq!(
        std::fs::read_to_string(&org).expect("state"),
        std::fs::read_to_string("examples/acme/org.json").expect("example state")
    );
}

#[test]
fn a_broken_change_fails_validation_with_annotations_and_is_not_planned() {
    let scratch = Scratch::new("broken");
    let broken = scratch.path("territories.yaml");
    let acme = std::fs::read_to_string("examples/acme/territories.yaml").expect("acme");
    std::fs::write(
        &broken,
        acme.replacen("parent: US West", "parent: US Wets", 1),
    )
    .expect("write");
    let validate = step(&["validate", broken.to_str().expect("UTF-8 path")]);
    assert_eq!(validate.status.code(), Some(1));
    let stdout = text(&validate.stdout);
    let annotations: Vec<&str> = stdout.lines().collect();
    assert_eq!(annotations.len(), 1, "{stdout}");
    assert!(
        annotations[0].starts_with(&format!(
            "::error file={},line=55,col=13,title=territory%3A%3Aunknown-parent::unknown parent `US Wets`",
            broken.display()
        )),
        "{stdout}"
    );
}

/// territories-plan.yml's "Plan" step: the Markdown plan and the plan file.
fn plan_to_file(org: &str, plan_file: &str) -> Output {
    step(&[
        "plan",
        "examples/acme/territories.yaml",
        "--sandbox",
        org,
        "--format",
        "markdown",
        "--out",
        plan_file,
        "--detailed-exitcode",
    ])
}

/// territories-apply.yml's "Apply" step, with the simulator's changes written back to its
/// state file as Zoho keeps them. The acme plan deletes the org's unmanaged territories, so
/// this is the step as it runs when a reviewer labelled the pull request
/// `territories:allow-delete`.
fn apply_file(org: &str, plan_file: &str) -> Output {
    step(&[
        "apply",
        plan_file,
        "--sandbox",
        org,
        "--sandbox-persist",
        "--yes",
        "--allow-delete",
        "--format",
        "markdown",
    ])
}

/// territories-drift.yml's "Check for drift" step (also the apply workflow's "Plan again").
fn drift_check(org: &str) -> Output {
    step(&[
        "plan",
        "examples/acme/territories.yaml",
        "--sandbox",
        org,
        "--format",
        "markdown",
        "--detailed-exitcode",
    ])
}

#[test]
fn the_reviewed_plan_is_applied_after_merge_then_drift_by_hand_is_caught() {
    let scratch = Scratch::new("loop");
    let org = org_copy(&scratch);
    let plan_file = scratch.str("plan.json");

    let plan = plan_to_file(&org, &plan_file);
    assert_eq!(plan.status.code(), Some(2), "{}", text(&plan.stderr));

    let apply = apply_file(&org, &plan_file);
    assert_eq!(apply.status.code(), Some(0), "{}", text(&apply.stderr));
    let report = text(&apply.stdout);
    assert!(
        report.contains(
            "### Apply: 17 done (3 created, 6 updated, 2 deleted, 4 assigned, 2 removed)."
        ),
        "{report}"
    );
    assert!(
        report.contains("| `+` | create `São Paulo` | `done (id "),
        "{report}"
    );

    // The nightly check on the org as apply left it: nothing to do.
    let clean = drift_check(&org);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stderr));

    // Someone edits a territory in the Zoho UI.
    change_by_hand(
        &scratch.path("org.json"),
        "North America",
        "description",
        "Changed in the Zoho UI.",
    );
    let drifted = drift_check(&org);
    assert_eq!(drifted.status.code(), Some(2), "{}", text(&drifted.stderr));
    let markdown = text(&drifted.stdout);
    assert!(
        markdown.contains("**Plan: 0 to add, 1 to change, 0 to move, 0 to delete.**"),
        "{markdown}"
    );
    // The change made by hand, and what applying the files would put back.
    assert!(
        markdown.contains(
            "```diff\n! ~ North America\n-     description: \"Changed in the Zoho UI.\"\n\
             +     description: \"Everything north of the Rio Grande, and Mexico.\"\n"
        ),
        "{markdown}"
    );
}

#[test]
fn a_plan_made_before_a_change_by_hand_is_refused_as_stale_and_nothing_is_applied() {
    let scratch = Scratch::new("stale");
    let org = org_copy(&scratch);
    let plan_file = scratch.str("plan.json");

    let plan = plan_to_file(&org, &plan_file);
    assert_eq!(plan.status.code(), Some(2), "{}", text(&plan.stderr));

    // Between review and merge, someone edits a territory the plan changes.
    change_by_hand(
        &scratch.path("org.json"),
        "Canada",
        "description",
        "Edited in the UI.",
    );
    let before = std::fs::read_to_string(&org).expect("state");

    let apply = apply_file(&org, &plan_file);
    assert_eq!(
        apply.status.code(),
        Some(4),
        "stale: {}",
        text(&apply.stderr)
    );
    let stderr = text(&apply.stderr);
    assert!(
        stderr.contains(
            "the saved plan is stale: 2 differences from what the desired state and the org give now"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("territory `Canada` (id 4150868000000500012) was changed"),
        "{stderr}"
    );
    // What differs, per change: a plan made now also puts the description back.
    assert!(
        stderr.contains(
            "change update:4150868000000500012 (`Canada`) differs from a plan made now: \
             action.fields: a plan made now also has {\"field\":\"description\""
        ),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&org).expect("state"),
        before,
        "a stale plan changes nothing"
    );

    // The workflow then plans again for a human: the new plan also undoes the edit.
    let replanned = drift_check(&org);
    assert_eq!(
        replanned.status.code(),
        Some(2),
        "{}",
        text(&replanned.stderr)
    );
    let markdown = text(&replanned.stdout);
    assert!(markdown.contains("Edited in the UI."), "{markdown}");
}
