//! `territoryctl plan` end to end: YAML in, the simulator as the org, the plan out.

use std::path::{Path, PathBuf};
use std::process::Command;

use zoho_crm_sim::State;

const DESIRED: &str = "version: 1
root: Acme Corp
territories:
  - name: East
    parent: Acme Corp
    manager: patricia.boyle@example.com
    permission: read_write_delete
  - name: New York
    parent: East
    permission: read_only
    description: The five boroughs
";

/// A temporary directory with the desired state and a fresh simulated org.
struct Workspace(PathBuf);

impl Workspace {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "territoryctl-plan-cli-{}-{name}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(dir.join("territories.yaml"), DESIRED).expect("write desired");
        let org = serde_json::to_string_pretty(&State::new_org("Acme Corp")).expect("state");
        std::fs::write(dir.join("org.json"), org).expect("write org");
        Self(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `territoryctl <command> <file>` without colour and without any Zoho credentials.
fn territoryctl(command: &str, file: &Path, extra: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_territoryctl"))
        .arg(command)
        .arg(file)
        .args(["--color", "never"])
        .args(extra)
        .env_remove("ZOHO_ACCESS_TOKEN")
        .env_remove("ZOHO_REFRESH_TOKEN")
        .env_remove("ZOHO_CLIENT_ID")
        .env_remove("ZOHO_CLIENT_SECRET")
        .env_remove("NO_COLOR")
        .output()
        .expect("territoryctl runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn plan(workspace: &Workspace, extra: &[&str]) -> (i32, String, String) {
    let org = workspace.path("org.json");
    let mut arguments = vec!["--sandbox", org.to_str().expect("a UTF-8 path")];
    arguments.extend_from_slice(extra);
    territoryctl("plan", &workspace.path("territories.yaml"), &arguments)
}

fn without_temp(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "[TEMP]")
}

#[test]
fn plan_against_the_simulator_prints_the_plan_and_exit_codes() {
    let workspace = Workspace::new("text");
    let (code, stdout, stderr) = plan(&workspace, &["--detailed-exitcode"]);
    assert_eq!(code, 2, "stderr: {stderr}");
    insta::assert_snapshot!("cli_plan_text", without_temp(&stdout, &workspace.0));
    let (code, _, _) = plan(&workspace, &[]);
    assert_eq!(code, 0);
}

#[test]
fn expect_no_changes_fails_with_exit_2_only_when_there_are_changes() {
    let workspace = Workspace::new("expect");
    let (code, stdout, stderr) = plan(&workspace, &["--expect-no-changes"]);
    assert_eq!(code, 2, "stdout: {stdout}");
    assert!(
        stdout.contains("Plan: 2 to add"),
        "the plan is still shown: {stdout}"
    );
    assert!(
        stderr.contains("error: the org does not match the desired state (Plan: 2 to add")
            && stderr.contains("`--expect-no-changes`"),
        "{stderr}"
    );

    std::fs::write(
        workspace.path("territories.yaml"),
        "version: 1\nroot: Acme Corp\nterritories: []\n",
    )
    .expect("write desired");
    let (code, stdout, stderr) = plan(&workspace, &["--expect-no-changes", "--allow-empty"]);
    assert_eq!(code, 0, "stdout: {stdout} stderr: {stderr}");
    assert!(stdout.contains("No changes."), "{stdout}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn plan_saves_the_plan_file_and_prints_markdown() {
    let workspace = Workspace::new("file");
    let out = workspace.path("plan.json");
    let (code, stdout, stderr) = plan(
        &workspace,
        &[
            "--format",
            "markdown",
            "--out",
            out.to_str().expect("UTF-8"),
        ],
    );
    assert_eq!(code, 0, "stderr: {stderr}");
    assert!(stdout.starts_with("### territoryctl plan for `Acme Corp`\n\n**Plan: 2 to add, 0 to change, 0 to move, 0 to delete.**"), "{stdout}");
    let saved = std::fs::read_to_string(&out).expect("the plan file");
    let plan = territoryctl::render::parse(&saved).expect("reads back");
    assert_eq!(plan.summary.add, 2);
    super::assert_valid_json(&plan);
    assert!(
        !saved.to_ascii_lowercase().contains("token"),
        "no secret in the file"
    );
}

#[test]
fn an_empty_desired_state_exits_3_with_its_message() {
    let workspace = Workspace::new("empty");
    std::fs::write(
        workspace.path("territories.yaml"),
        "version: 1\nroot: Acme Corp\nterritories: []\n",
    )
    .expect("write desired");
    let (code, stdout, stderr) = plan(&workspace, &[]);
    assert_eq!(code, 3, "stdout: {stdout} stderr: {stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("refusing to plan: the desired state has no territories"),
        "{stderr}"
    );
}

#[test]
fn plan_help() {
    let output = Command::new(env!("CARGO_BIN_EXE_territoryctl"))
        .args(["plan", "--help"])
        .output()
        .expect("territoryctl runs");
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8_lossy(&output.stdout);
    // Only the command's own part: the global connection flags belong to the client's tests.
    let own = help.split("\nConnection:").next().unwrap_or_default();
    insta::assert_snapshot!("cli_plan_help", own);
}

/// `plan` and `apply` parse the YAML while they connect and read the org; a broken desired
/// state must still be what they report, even when the credentials are missing too.
#[test]
fn a_broken_desired_state_is_reported_before_missing_credentials() {
    let workspace = Workspace::new("precedence");
    let run = |command: &str, file: &str| {
        let (code, _, stderr) = territoryctl(command, &workspace.path(file), &[]);
        (code, stderr)
    };
    std::fs::write(
        workspace.path("broken.yaml"),
        "version: 1\nroot: Acme Corp\nterritories:\n  - name: East\n    parent: Nowhere\n",
    )
    .expect("write broken");
    for command in ["plan", "apply"] {
        let (code, stderr) = run(command, "broken.yaml");
        assert_eq!(code, 1, "{command}: {stderr}");
        assert!(
            stderr.contains("territory::unknown-parent") && stderr.contains("broken.yaml:5:13"),
            "{command}: {stderr}"
        );
        assert!(!stderr.contains("credentials"), "{command}: {stderr}");

        let (code, stderr) = run(command, "territories.yaml");
        assert_eq!(code, 1, "{command}: {stderr}");
        assert!(
            stderr.contains("zoho::missing-credentials"),
            "{command}: {stderr}"
        );
    }
}
