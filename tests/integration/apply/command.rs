//! `territoryctl apply` as users run it: the binary against the simulator, exit codes, output.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use territoryctl::plan::{self, Policy};
use territoryctl::zoho::load_live;
use zoho_crm_sim::{Server, Simulator};

use super::support::{acme_org, client, territoryctl};

fn acme(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/acme")
        .join(file)
}

/// A directory of this test process for files a test writes.
fn scratch(name: &str) -> PathBuf {
    let directory =
        std::env::temp_dir().join(format!("territoryctl-apply-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("a temporary directory");
    directory
}

fn yaml() -> String {
    acme("territories.yaml").display().to_string()
}

fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"in \d+\.\d+s", "in [ELAPSED]s"),
        (r#""elapsed_ms": \d+"#, r#""elapsed_ms": "[ELAPSED]""#),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
    ]
}

/// The org is full (Zoho's territory limit) and one record is locked: both creates fail, the
/// new territory's child is skipped, the locked record's assignment fails, the rest is done.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partial_failure_is_reported_in_every_format_and_exits_5() {
    for format in ["text", "markdown", "json"] {
        let server = acme_org().await;
        server.update_state(|state| {
            state.limits.territories = state.territories.len();
            for record in state.records.values_mut().flatten() {
                if record.id == "4150868000004522047" {
                    record.locked = true;
                }
            }
        });

        let output = territoryctl(
            &server,
            &[
                "apply",
                &yaml(),
                "--yes",
                "--allow-delete",
                "--format",
                format,
            ],
        )
        .await;

        assert_eq!(output.code, 5, "{}", output.rendered());
        insta::with_settings!({filters => filters(), snapshot_suffix => format}, {
            insta::assert_snapshot!(output.rendered());
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_terminal_and_without_yes_nothing_is_sent() {
    let server = acme_org().await;
    let output = territoryctl(&server, &["apply", &yaml(), "--allow-delete"]).await;
    // A confirmation nobody could give is a refusal (3), like the other rails, not an error.
    assert_eq!(output.code, 3, "{}", output.rendered());
    assert!(
        output
            .stderr
            .contains("`apply` asks for confirmation, and there is no terminal to ask on"),
        "{}",
        output.stderr
    );
    assert!(output.stderr.contains("pass `--yes`"), "{}", output.stderr);
    assert_eq!(server.counters().writes, 0);
}

/// `apply 2>&1 | tee log` on a terminal: stdin is the terminal, stdout and stderr a pipe. The
/// question is asked (and answered `no` here) instead of refused for want of a terminal.
/// `script` (util-linux) gives the command a pseudo-terminal as stdin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_stderr_piped_the_question_is_still_asked_on_the_terminal() {
    let server = acme_org().await;
    let token = server.access_token();
    let command = format!(
        "'{}' apply '{}' --allow-delete --api-domain {} 2>&1 | cat",
        env!("CARGO_BIN_EXE_territoryctl"),
        yaml(),
        server.base_url()
    );
    let output = tokio::task::spawn_blocking(move || {
        let mut child = Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .env("ZOHO_ACCESS_TOKEN", token)
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("`script` (util-linux) runs");
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("stdin");
        let _ = stdin.write_all(b"no\n");
        drop(stdin);
        child.wait_with_output().expect("script finishes")
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("Apply these changes to the org? Only `yes` is accepted"),
        "{text}"
    );
    assert!(
        text.contains("apply cancelled: nothing was changed"),
        "{text}"
    );
    assert!(!text.contains("no terminal to ask on"), "{text}");
    assert_eq!(server.counters().writes, 0);
}

/// A plan file is recognised by what it holds, not by its name: an artifact saved as `plan`
/// is applied as the saved plan it is (before, it was read as YAML: "unknown key
/// format_version").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_plan_without_the_json_extension_is_applied_as_a_plan() {
    let file = scratch("no-extension").join("plan");
    let server = acme_org().await;
    save_plan(&server, &file).await;
    let applied = territoryctl(
        &server,
        &[
            "apply",
            &file.display().to_string(),
            &yaml(),
            "--yes",
            "--allow-delete",
        ],
    )
    .await;
    assert_eq!(applied.code, 0, "{}", applied.rendered());
    assert!(
        !applied.stderr.contains("format_version"),
        "{}",
        applied.stderr
    );
    let again = territoryctl(&server, &["apply", &yaml(), "--yes", "--allow-delete"]).await;
    assert!(again.stdout.ends_with("No changes.\n"), "{}", again.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletions_need_allow_delete() {
    // The acme example says `unmanaged: delete`, and its org has two territories it does not
    // name.
    let path = yaml();
    let server = acme_org().await;

    let refused = territoryctl(&server, &["apply", &path, "--yes"]).await;

    assert_eq!(refused.code, 3, "{}", refused.rendered());
    assert!(
        refused
            .stderr
            .contains("the plan deletes 2 territories: `Inside Sales`, `Legacy Partners`"),
        "{}",
        refused.stderr
    );
    assert_eq!(server.counters().writes, 0, "nothing was sent");

    let allowed = territoryctl(&server, &["apply", &path, "--yes", "--allow-delete"]).await;
    assert_eq!(allowed.code, 0, "{}", allowed.rendered());
    let state = server.state();
    assert!(
        !state
            .territories
            .iter()
            .any(|territory| territory.name == "Legacy Partners")
    );
    let again = territoryctl(&server, &["apply", &path, "--yes", "--allow-delete"]).await;
    assert_eq!(again.code, 0);
    assert!(again.stdout.ends_with("No changes.\n"), "{}", again.stdout);
}

/// Saves the plan for the acme example against `server`'s org, as `plan --out` does.
async fn save_plan(server: &Server, path: &Path) {
    let desired = territoryctl::config::load(&[acme("territories.yaml")])
        .unwrap()
        .desired;
    let live = load_live(&client(server), &desired).await.unwrap();
    let plan = plan::plan(&desired, &live, &Policy::default()).unwrap();
    std::fs::write(path, territoryctl::render::json(&plan)).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_plan_is_refused_with_4_once_the_org_changed_and_applied_while_fresh() {
    let file = scratch("saved").join("plan.json");
    let file_arg = file.display().to_string();

    let server = acme_org().await;
    save_plan(&server, &file).await;
    // Someone creates a territory by the name the plan gives a new one.
    server.update_state(|state| {
        let mut brazil = state.root().unwrap().clone();
        brazil.reporting_to = Some(brazil.id.clone());
        brazil.id = state.allocate_id();
        brazil.name = "BRAZIL".into();
        brazil.api_name = "BRAZIL".into();
        state.add_territory(brazil);
    });
    let stale = territoryctl(
        &server,
        &["apply", &file_arg, &yaml(), "--yes", "--allow-delete"],
    )
    .await;
    assert_eq!(stale.code, 4, "{}", stale.rendered());
    assert!(stale.stderr.contains("Brazil"), "{}", stale.stderr);
    assert_eq!(server.counters().writes, 0);

    let server = acme_org().await;
    save_plan(&server, &file).await;
    let fresh = territoryctl(
        &server,
        &["apply", &file_arg, &yaml(), "--yes", "--allow-delete"],
    )
    .await;
    assert_eq!(fresh.code, 0, "{}", fresh.rendered());
    let again = territoryctl(&server, &["apply", &yaml(), "--yes", "--allow-delete"]).await;
    assert!(again.stdout.ends_with("No changes.\n"), "{}", again.stdout);
}

/// Issue 8's adoption loop on the real thing: apply examples/acme to its org through the
/// binary, export the result, and plan the export: the export is the committed snapshot and
/// plans to no changes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exporting_the_applied_acme_org_gives_the_snapshot_and_plans_to_no_changes() {
    let server = acme_org().await;
    let applied = territoryctl(&server, &["apply", &yaml(), "--yes", "--allow-delete"]).await;
    assert_eq!(applied.code, 0, "{}", applied.rendered());

    let exported = territoryctl(&server, &["export"]).await;
    assert_eq!(exported.code, 0, "{}", exported.rendered());
    insta::assert_snapshot!(exported.stdout);

    let file = scratch("export").join("exported.yaml");
    std::fs::write(&file, &exported.stdout).expect("write the export");
    let planned = territoryctl(&server, &["plan", &file.display().to_string()]).await;
    assert_eq!(planned.code, 0, "{}", planned.rendered());
    assert_eq!(planned.stdout, "No changes.\n");
}

/// Zoho's org-wide territory limit answered to a create: the creates not yet sent are
/// skipped with one reason instead of being sent to fail the same way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_org_territory_limit_stops_the_creates_not_yet_sent() {
    let mut state = zoho_crm_sim::State::new_org("Acme Corp");
    // A hundred territories the desired state ignores, so that 25 creates pass the rails.
    for n in 0..100 {
        let mut existing = state.root().unwrap().clone();
        existing.reporting_to = Some(existing.id.clone());
        existing.id = state.allocate_id();
        existing.name = format!("Existing {n:03}");
        existing.api_name = existing.name.replace(' ', "_");
        state.add_territory(existing);
    }
    // Room for one more.
    state.limits.territories = state.territories.len() + 1;
    let server = Simulator::new(state, zoho_crm_sim::Faults::default())
        .serve("127.0.0.1:0".parse().unwrap())
        .await
        .expect("the simulator binds a loopback port");
    let mut yaml = String::from("version: 1\nroot: Acme Corp\nunmanaged: ignore\nterritories:\n");
    for n in 0..25 {
        yaml.push_str(&format!(
            "  - {{ name: Region {n:02}, parent: Acme Corp }}\n"
        ));
    }
    let file = scratch("limit").join("territories.yaml");
    std::fs::write(&file, yaml).unwrap();

    let output = territoryctl(&server, &["apply", &file.display().to_string(), "--yes"]).await;

    assert_eq!(output.code, 5, "{}", output.rendered());
    // One batch of ten was sent (one created, nine refused); the other fifteen were not.
    assert_eq!(
        server
            .counters()
            .get("POST", "/crm/{version}/settings/territories"),
        1,
        "{}",
        output.rendered()
    );
    assert!(
        output
            .stdout
            .contains("1 done (1 created), 9 failed, 15 skipped."),
        "{}",
        output.stdout
    );
    assert_eq!(
        output
            .stdout
            .matches("skipped because the org reached Zoho's territory limit")
            .count(),
        15,
        "{}",
        output.stdout
    );
}

/// The drift check: with `unmanaged: report` (what `export` writes), a territory created in
/// the Zoho UI makes `plan --expect-no-changes` fail (exit 2), naming it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expect_no_changes_fails_on_a_territory_made_in_the_ui_under_report() {
    let server = acme_org().await;
    let exported = territoryctl(&server, &["export"]).await;
    assert_eq!(exported.code, 0, "{}", exported.rendered());
    assert!(exported.stdout.contains("unmanaged: report"));
    let file = scratch("drift").join("territories.yaml");
    std::fs::write(&file, &exported.stdout).unwrap();
    let file_arg = file.display().to_string();

    let clean = territoryctl(&server, &["plan", &file_arg, "--expect-no-changes"]).await;
    assert_eq!(clean.code, 0, "{}", clean.rendered());

    server.update_state(|state| {
        let mut made = state.root().unwrap().clone();
        made.reporting_to = Some(made.id.clone());
        made.id = state.allocate_id();
        made.name = "Made In The UI".into();
        made.api_name = "Made_In_The_UI".into();
        state.add_territory(made);
    });
    let drift = territoryctl(&server, &["plan", &file_arg, "--expect-no-changes"]).await;
    assert_eq!(drift.code, 2, "{}", drift.rendered());
    assert!(
        drift.stderr.contains(
            "error: the org has 1 territory the desired state does not name (`Made In The UI`)"
        ),
        "{}",
        drift.stderr
    );
    // `--detailed-exitcode` is about what `apply` would change: nothing.
    let detailed = territoryctl(&server, &["plan", &file_arg, "--detailed-exitcode"]).await;
    assert_eq!(detailed.code, 0, "{}", detailed.rendered());
}

/// `run` writes what `apply` says besides its report to the stderr it is given: the note
/// that `--simulator` changes a copy, and (without a terminal, where bars would draw on the
/// process's own) a progress line per batch. stdout holds the plan and the report.
#[test]
fn apply_writes_its_notes_and_progress_lines_to_the_stderr_it_is_given() {
    use clap::Parser as _;
    use std::io::IsTerminal as _;
    let org = acme("org.json").display().to_string();
    let cli = territoryctl::cli::Cli::try_parse_from([
        "territoryctl",
        "apply",
        &yaml(),
        "--simulator",
        &org,
        "--allow-delete",
        "--yes",
    ])
    .expect("valid command line");
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let status = territoryctl::app::run(
        cli,
        territoryctl::commands::Color(false),
        &mut stdout,
        &mut stderr,
    )
    .expect("apply succeeds");
    assert_eq!(status, territoryctl::exit::ExitStatus::Success);
    let (stdout, stderr) = (
        String::from_utf8(stdout).expect("utf-8"),
        String::from_utf8(stderr).expect("utf-8"),
    );
    assert!(
        stderr.contains("note: `--simulator` changes a copy of `"),
        "{stderr}"
    );
    if !std::io::stderr().is_terminal() {
        assert!(stderr.contains("wave 1/"), "{stderr}");
        assert!(!stdout.contains("wave 1/"), "{stdout}");
    }
    assert!(!stdout.contains("note: `--simulator`"), "{stdout}");
    assert!(stdout.contains("territor"), "the plan and report: {stdout}");
}
