//! A plan a safety rail refuses is still shown whole, in every format, with the refusal at its
//! top, and exits 3 (issue #21, point 1); deletes that look like renames say so (point 5).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of examples/acme (territories.yaml and org.json) in a temporary directory, the YAML
/// changed by `edit`.
struct Acme {
    dir: tempfile::TempDir,
}

impl Acme {
    fn new(edit: impl FnOnce(String) -> String) -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
        let yaml = std::fs::read_to_string(example.join("territories.yaml")).expect("the example");
        std::fs::write(dir.path().join("territories.yaml"), edit(yaml)).expect("write YAML");
        std::fs::copy(example.join("org.json"), dir.path().join("org.json")).expect("copy org");
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `territoryctl <command> territories.yaml --simulator org.json --color never <extra>`.
    fn run(&self, command: &str, extra: &[&str]) -> (i32, String, String) {
        let output = Command::new(env!("CARGO_BIN_EXE_territoryctl"))
            .arg(command)
            .arg(self.path("territories.yaml"))
            .arg("--simulator")
            .arg(self.path("org.json"))
            .args(["--color", "never"])
            .args(extra)
            .env_remove("NO_COLOR")
            .env_remove("ZOHO_ACCESS_TOKEN")
            .output()
            .expect("territoryctl runs");
        let text = |bytes: Vec<u8>| {
            String::from_utf8(bytes)
                .expect("UTF-8")
                .replace(&self.dir.path().display().to_string(), "[TEMP]")
        };
        (
            output.status.code().unwrap_or(-1),
            text(output.stdout),
            text(output.stderr),
        )
    }
}

/// The acme plan touches 8 of the org's 31 territories (26%).
const OVER: &[&str] = &["--max-change-percent", "10"];

#[test]
fn a_plan_over_the_change_threshold_is_shown_whole_with_the_refusal_first_then_exits_3() {
    let acme = Acme::new(|yaml| yaml);
    let (code, allowed, _) = acme.run("plan", &["--max-change-percent", "26"]);
    assert_eq!(code, 0);

    let (code, text, stderr) = acme.run("plan", OVER);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        text.starts_with(
            "Refused (plan::too-many-changes): refusing to plan: 8 of the org's 31 territories \
             would be updated or deleted (26%), more than the 10% allowed\n  help: "
        ),
        "{text}"
    );
    // The whole plan, as it would be shown if allowed, follows the refusal.
    let (_, plan) = text
        .split_once("refused (exit 3).\n\n")
        .expect("the refusal's end");
    assert_eq!(plan, allowed);
    // The error is still said on stderr, as for every refusal.
    assert!(stderr.contains("plan::too-many-changes"), "{stderr}");

    let (code, markdown, _) = acme.run("plan", &[OVER, &["--format", "markdown"]].concat());
    assert_eq!(code, 3);
    insta::assert_snapshot!("refused_markdown_head", head(&markdown, 24));
    assert!(
        markdown.contains("<details><summary>Deleted (2)</summary>"),
        "{markdown}"
    );

    let out = acme.path("plan.json");
    let out_arg = out.to_str().expect("a UTF-8 path");
    let (code, json, _) = acme.run(
        "plan",
        &[OVER, &["--format", "json", "--out", out_arg]].concat(),
    );
    assert_eq!(code, 3);
    assert!(json.starts_with("{\n  \"refused\": {\n    \"code\": \"plan::too-many-changes\""));
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(value["changes"].as_array().map(Vec::len), Some(17));
    assert_matches_schema(&value);
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("the plan file")).expect("JSON");
    assert!(
        file["refused"] == value["refused"] && file["changes"] == value["changes"],
        "the plan file is the plan shown"
    );
    // The file is an expectation like any other: applied with the rail lifted, it goes
    // through (the rail is decided from the plan made again, never from `refused`).
    let (code, _, stderr) = Command::new(env!("CARGO_BIN_EXE_territoryctl"))
        .arg("apply")
        .arg(&out)
        .arg(acme.path("territories.yaml"))
        .arg("--simulator")
        .arg(acme.path("org.json"))
        .args(["--yes", "--allow-delete", "--max-change-percent", "26"])
        .output()
        .map(|output| {
            (
                output.status.code().unwrap_or(-1),
                (),
                String::from_utf8_lossy(&output.stderr).into_owned(),
            )
        })
        .expect("territoryctl runs");
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn apply_shows_a_plan_refused_for_its_deletions_with_the_refusal_first_and_sends_nothing() {
    let acme = Acme::new(|yaml| yaml);
    let before = std::fs::read(acme.path("org.json")).expect("the org");
    let (code, stdout, stderr) = acme.run("apply", &["--yes", "--simulator-persist"]);
    assert_eq!(code, 3, "{stderr}");
    insta::assert_snapshot!("refused_apply_text_head", head(&stdout, 16));
    assert!(
        stdout.contains("Plan: 3 to add, 5 to change, 1 to move, 2 to delete"),
        "{stdout}"
    );
    assert!(stderr.contains("apply::deletions-not-allowed"), "{stderr}");
    assert_eq!(
        std::fs::read(acme.path("org.json")).expect("the org"),
        before
    );
}

#[test]
fn a_rename_without_previously_is_named_in_every_rendering() {
    let acme = Acme::new(|yaml| yaml.replace("    previously: [TX]\n", ""));
    let (code, text, stderr) = acme.run("plan", &[]);
    assert_eq!(code, 0, "{stderr}");
    let hint = "did you rename TX to Texas (both under US Central)? add previously: [TX] to Texas \
                to keep its id, forecasts and records";
    assert!(text.contains(&format!("  ! Rename? {hint}\n")), "{text}");
    assert!(
        text.contains("Needs attention (3 deletions, 1 possible rename,"),
        "{text}"
    );

    let (_, markdown, _) = acme.run("plan", &["--format", "markdown"]);
    assert!(
        markdown.contains(
            "- **Rename?** did you rename `TX` to `Texas` (both under `US Central`)? add \
             `previously: [TX]` to `Texas` to keep its id, forecasts and records\n"
        ),
        "{markdown}"
    );

    let (_, json, _) = acme.run("plan", &["--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(
        value["rename_hints"],
        serde_json::json!([{ "deleted": "TX", "created": "Texas", "parent": "US Central" }])
    );
    assert_matches_schema(&value);

    // A real delete and create (another parent) is no rename.
    let acme = Acme::new(|yaml| {
        yaml.replace("    previously: [TX]\n", "").replace(
            "  - name: Texas\n    parent: US Central",
            "  - name: Texas\n    parent: US West",
        )
    });
    let (_, text, _) = acme.run("plan", &[]);
    assert!(!text.contains("Rename?"), "{text}");
    // Nor one with another manager.
    let acme = Acme::new(|yaml| {
        yaml.replace("    previously: [TX]\n", "").replace(
            "  - name: Texas\n    parent: US Central\n    manager: lucia.fernandez@acme.example",
            "  - name: Texas\n    parent: US Central\n    manager: amy.chen@acme.example",
        )
    });
    let (code, text, stderr) = acme.run("plan", &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(text.contains("+ Texas"), "{text}");
    assert!(!text.contains("Rename?"), "{text}");
}

/// schema/plan.schema.json describes the notes too (`refused`, `rename_hints`).
fn assert_matches_schema(value: &serde_json::Value) {
    let errors: Vec<String> = super::SCHEMA
        .iter_errors(value)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let schema: serde_json::Value =
        serde_json::from_str(&territoryctl::render::schema_json()).expect("JSON");
    for key in ["refused", "rename_hints"] {
        assert!(
            schema["properties"].get(key).is_some(),
            "{key} is not described"
        );
    }
}

fn head(text: &str, lines: usize) -> String {
    text.lines().take(lines).collect::<Vec<_>>().join("\n")
}
