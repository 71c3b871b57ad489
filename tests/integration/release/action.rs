//! The shape of what GitHub runs and actionlint does not check: the setup action's metadata
//! (action.yml), every action pinned by commit, the release workflow's permissions and
//! platforms agreeing with the install script, and the plan workflow's required check never
//! left pending.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{path}: {error}"));
    serde_saphyr::from_str(&text).unwrap_or_else(|error| panic!("{path} is not YAML: {error}"))
}

fn workflow_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [".github/workflows", "examples/github-actions"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|error| panic!("{dir}: {error}"))
            .map(|entry| entry.expect("a directory entry").path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "yml"))
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

/// The tag the templates install: the one this version of territoryctl is released as.
fn release_tag() -> String {
    format!("v{}", env!("CARGO_PKG_VERSION"))
}

#[test]
fn the_setup_action_is_a_composite_action_that_runs_the_install_script() {
    let action = yaml("action.yml");
    assert!(action["name"].as_str().is_some_and(|name| !name.is_empty()));
    assert!(
        action["description"]
            .as_str()
            .is_some_and(|description| !description.is_empty())
    );
    assert_eq!(action["runs"]["using"], "composite");
    assert_eq!(action["inputs"]["version"]["required"], true);
    let inputs: Vec<&str> = action["inputs"]
        .as_object()
        .expect("inputs")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(inputs, ["repository", "version"]);

    let steps = action["runs"]["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 1);
    let step = &steps[0];
    // A composite action's run step must name its shell.
    assert_eq!(step["shell"], "bash");
    assert_eq!(step["id"], "install");
    let run = step["run"].as_str().expect("a run step");
    assert!(
        run.contains("sh \"$GITHUB_ACTION_PATH/scripts/install.sh\""),
        "{run}"
    );
    assert!(std::path::Path::new("scripts/install.sh").is_file());
    assert!(run.contains(">> \"$GITHUB_PATH\""), "{run}");
    assert!(run.contains("bin-dir=$bin_dir"), "{run}");
    let env = step["env"].as_object().expect("env");
    assert_eq!(env["TERRITORYCTL_VERSION"], "${{ inputs.version }}");
    assert_eq!(env["TERRITORYCTL_REPOSITORY"], "${{ inputs.repository }}");
    assert_eq!(
        env["TERRITORYCTL_INSTALL_ROOT"],
        "${{ runner.temp }}/territoryctl"
    );
    assert_eq!(
        action["outputs"]["bin-dir"]["value"],
        "${{ steps.install.outputs.bin-dir }}"
    );

    // Every `${{ inputs.X }}` is declared.
    let text = std::fs::read_to_string("action.yml").expect("read");
    for (at, _) in text.match_indices("inputs.") {
        let name: String = text[at + "inputs.".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert!(inputs.contains(&name.as_str()), "undeclared input `{name}`");
    }
}

#[test]
fn every_action_is_pinned_by_commit_with_its_tag_in_a_comment() {
    let mut files = workflow_files();
    files.push(PathBuf::from("action.yml"));
    let mut pins: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut setup_uses = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read");
        for (number, line) in text.lines().enumerate() {
            let Some(at) = line.find("uses: ") else {
                continue;
            };
            if line.trim_start().starts_with('#') {
                continue;
            }
            let place = format!("{}:{}", file.display(), number + 1);
            let reference = line[at + "uses: ".len()..]
                .split_whitespace()
                .next()
                .expect("a reference");
            let (action, version) = reference.split_once('@').expect("action@ref");
            if action == "your-org/territoryctl" {
                // The setup action of the release these templates ship with (its commit is not
                // known before the release exists).
                assert_eq!(version, release_tag(), "{place}");
                setup_uses += 1;
                continue;
            }
            assert!(
                version.len() == 40 && version.bytes().all(|byte| byte.is_ascii_hexdigit()),
                "{place}: `{reference}` is not pinned by a full commit SHA"
            );
            let tag = line
                .split_once(" # ")
                .map(|(_, comment)| comment.trim())
                .unwrap_or_else(|| panic!("{place}: no `# vX.Y.Z` comment after the SHA"));
            assert!(
                tag.starts_with('v') && tag[1..].split('.').count() == 3,
                "{place}: the comment `{tag}` is not a full version tag"
            );
            // One tag, one commit, in every file.
            let previous = pins.insert((action.to_owned(), tag.to_owned()), version.to_owned());
            assert!(
                previous.is_none_or(|previous| previous == version),
                "{place}: {action} {tag} is pinned to two commits"
            );
        }
    }
    // Every example job that runs territoryctl installs it with the setup action.
    assert_eq!(setup_uses, 4);
    assert!(pins.contains_key(&("actions/checkout".to_owned(), "v7.0.1".to_owned())));
}

#[test]
fn the_templates_install_the_release_of_this_version() {
    let tag = release_tag();
    for file in workflow_files() {
        let text = std::fs::read_to_string(&file).expect("read");
        if text.contains("your-org/territoryctl@") {
            assert!(
                text.contains(&format!("with:\n          version: {tag}\n")),
                "{}: the setup action's `version` is not {tag}",
                file.display()
            );
        }
    }
    let gitlab = yaml("examples/gitlab-ci/.gitlab-ci.yml");
    assert_eq!(gitlab["variables"]["TERRITORYCTL_VERSION"], tag.as_str());
    let before: Vec<&str> = gitlab["default"]["before_script"]
        .as_array()
        .expect("before_script")
        .iter()
        .map(|line| line.as_str().expect("a line"))
        .collect();
    assert!(
        before.iter().any(|line| line
            .contains("/$TERRITORYCTL_REPOSITORY/$TERRITORYCTL_VERSION/scripts/install.sh")),
        "{before:?}"
    );
    assert!(
        before
            .iter()
            .any(|line| line.ends_with("sh /tmp/install-territoryctl.sh")),
        "{before:?}"
    );
}

#[test]
fn the_release_builds_every_platform_the_install_script_knows_with_least_privilege() {
    let release = yaml(".github/workflows/release.yml");
    assert_eq!(
        release["on"]["push"]["tags"],
        serde_json::json!(["v*"]),
        "released on v* tags"
    );
    assert_eq!(
        release["permissions"],
        serde_json::json!({"contents": "read"})
    );
    let jobs = release["jobs"].as_object().expect("jobs");
    let mut writers = BTreeMap::new();
    for (name, job) in jobs {
        if let Some(permissions) = job.get("permissions") {
            for (scope, level) in permissions.as_object().expect("a mapping") {
                if level == "write" {
                    writers.insert(scope.clone(), name.clone());
                }
            }
        }
    }
    assert_eq!(
        writers,
        BTreeMap::from([
            ("contents".to_owned(), "release".to_owned()),
            ("packages".to_owned(), "image".to_owned()),
        ])
    );

    let targets: Vec<&str> = jobs["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("a matrix")
        .iter()
        .map(|entry| entry["target"].as_str().expect("a target"))
        .collect();
    assert_eq!(
        targets,
        [
            "x86_64-unknown-linux-musl",
            "aarch64-unknown-linux-musl",
            "aarch64-apple-darwin",
            "x86_64-apple-darwin",
            "x86_64-pc-windows-msvc"
        ]
    );
    // Each target the install script can pick is built, under the name it downloads.
    let script = std::fs::read_to_string("scripts/install.sh").expect("read");
    for target in &targets {
        let (arch, rest) = target.split_once('-').expect("arch-rest");
        let picked = format!("echo \"$arch-{rest}\"");
        let fixed = format!("echo \"{target}\"");
        assert!(
            script.contains(&picked) || script.contains(&fixed),
            "install.sh cannot pick {target} ({arch})"
        );
    }
    assert!(script.contains("asset=\"territoryctl-$tag-$target.$archive_ext\""));
    let workflow = std::fs::read_to_string(".github/workflows/release.yml").expect("read");
    assert!(workflow.contains("name=\"territoryctl-$GITHUB_REF_NAME-$TARGET\""));
    assert!(workflow.contains("sha256sum territoryctl-* > SHA256SUMS"));
    assert!(workflow.contains("sh scripts/changelog-section.sh \"$GITHUB_REF_NAME\" > notes.md"));
}

#[test]
fn the_required_plan_check_runs_on_every_pull_request() {
    let plan = yaml("examples/github-actions/territories-plan.yml");
    // No `paths:` filter: a workflow skipped by one leaves a required check pending.
    // The label events: `territories:allow-large-change` plans again with the rail lifted.
    assert_eq!(
        plan["on"],
        serde_json::json!({"pull_request": {
            "branches": ["main"],
            "types": ["opened", "synchronize", "reopened", "labeled", "unlabeled"]
        }})
    );
    let job = &plan["jobs"]["plan"];
    assert_eq!(job["name"], "territories-plan");
    assert!(job.get("if").is_none(), "the job itself always runs");
    let steps = job["steps"].as_array().expect("steps");
    assert_eq!(steps[0]["id"], "changes");
    for step in &steps[1..] {
        let condition = step["if"]
            .as_str()
            .unwrap_or_else(|| panic!("step {step} runs even when no territory file changed"));
        assert!(
            condition.contains("steps.changes.outputs.territories == 'true'"),
            "{condition}"
        );
    }
    let docs = std::fs::read_to_string("docs/gitops.md").expect("read");
    assert!(
        docs.contains("the `territories-plan` check"),
        "docs/gitops.md"
    );
}
