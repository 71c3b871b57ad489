//! Membership end to end through the binary (#17 "Done when"): examples/acme, with members,
//! through validate, plan (text, markdown, json), apply to the simulator, plan again (`No
//! changes.`), export, and plan of the export (`No changes.`).

use std::path::Path;

use crate::apply::support::territoryctl;
use zoho_crm_sim::Simulator;

fn acme(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/acme")
        .join(file)
        .display()
        .to_string()
}

fn filters() -> Vec<(String, &'static str)> {
    vec![
        (r"in \d+\.\d+s".to_owned(), "in [ELAPSED]s"),
        (r"127\.0\.0\.1:\d+".to_owned(), "127.0.0.1:[PORT]"),
        (regex_escape(env!("CARGO_MANIFEST_DIR")), "[REPO]"),
    ]
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acme_with_members_validates_plans_applies_converges_and_exports() {
    let server = Simulator::from_file(Path::new(&acme("org.json")), false)
        .unwrap()
        .serve("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let yaml = acme("territories.yaml");
    let validate = territoryctl(&server, &["validate", &yaml]).await;
    assert_eq!(validate.code, 0, "{}", validate.rendered());
    for format in ["text", "markdown", "json"] {
        let plan = territoryctl(&server, &["plan", &yaml, "--format", format]).await;
        assert_eq!(plan.code, 0, "{}", plan.rendered());
        let filters = filters();
        let filters: Vec<(&str, &str)> = filters.iter().map(|(a, b)| (a.as_str(), *b)).collect();
        insta::with_settings!({filters => filters, snapshot_suffix => format}, {
            insta::assert_snapshot!(plan.stdout);
        });
    }
    let apply = territoryctl(&server, &["apply", &yaml, "--yes", "--allow-delete"]).await;
    assert_eq!(apply.code, 0, "{}", apply.rendered());
    let again = territoryctl(&server, &["plan", &yaml, "--detailed-exitcode"]).await;
    assert_eq!(again.code, 0, "{}", again.rendered());
    assert!(again.stdout.contains("No changes."), "{}", again.stdout);
    // The org holds the members: Priya moved from Japan to the new Southeast Asia, Canada's
    // new manager replaced the old one among its users.
    let state = server.state();
    let members = |name: &str| -> Vec<String> {
        let territory = state
            .territories
            .iter()
            .find(|t| t.name == name)
            .expect(name);
        let mut emails: Vec<String> = territory
            .users
            .iter()
            .map(|id| state.user(id).expect("a user").email.clone())
            .collect();
        emails.sort();
        emails
    };
    assert_eq!(members("Japan"), ["kenji.watanabe@acme.example"]);
    assert_eq!(
        members("Southeast Asia"),
        ["kenji.watanabe@acme.example", "priya.nair@acme.example"]
    );
    assert_eq!(members("Canada"), ["amy.chen@acme.example"]);
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("export.yaml");
    let export = territoryctl(&server, &["export", "--out", &out.display().to_string()]).await;
    assert_eq!(export.code, 0, "{}", export.rendered());
    let exported = std::fs::read_to_string(&out).unwrap();
    assert!(
        exported.contains("    users:\n      - amy.chen@acme.example\n"),
        "{exported}"
    );
    let replan = territoryctl(
        &server,
        &["plan", &out.display().to_string(), "--detailed-exitcode"],
    )
    .await;
    assert_eq!(replan.code, 0, "{}", replan.rendered());
    assert!(replan.stdout.contains("No changes."), "{}", replan.stdout);
}

/// Emptying a territory of its members is refused (exit 3, nothing sent) unless
/// `--allow-member-removal`; then the manager is cleared before the old manager leaves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_every_member_of_a_territory_needs_allow_member_removal() {
    let server = Simulator::from_file(Path::new(&acme("org.json")), false)
        .unwrap()
        .serve("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let text = std::fs::read_to_string(acme("territories.yaml")).unwrap();
    let emptied = text.replacen(
        "  - name: Japan\n    parent: APAC\n    manager: kenji.watanabe@acme.example\n    users: []\n",
        "  - name: Japan\n    parent: APAC\n    users: []\n",
        1,
    );
    assert_ne!(emptied, text);
    let scratch = tempfile::tempdir().unwrap();
    let yaml = scratch.path().join("territories.yaml");
    std::fs::write(&yaml, emptied).unwrap();
    let yaml = yaml.display().to_string();

    let refused = territoryctl(&server, &["apply", &yaml, "--yes", "--allow-delete"]).await;
    assert_eq!(refused.code, 3, "{}", refused.rendered());
    assert!(
        refused
            .stderr
            .contains("refusing to apply: the plan removes every member of `Japan`"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("apply::removes-all-members"));
    assert_eq!(server.counters().writes, 0);

    let allowed = territoryctl(
        &server,
        &[
            "apply",
            &yaml,
            "--yes",
            "--allow-delete",
            "--allow-member-removal",
        ],
    )
    .await;
    assert_eq!(allowed.code, 0, "{}", allowed.rendered());
    let state = server.state();
    let japan = state
        .territories
        .iter()
        .find(|t| t.name == "Japan")
        .unwrap();
    assert!(
        japan.users.is_empty() && japan.manager.is_none(),
        "{japan:?}"
    );
}

/// `validate --online`: a listed user who is not an active user is an error at the email,
/// saying whether the user is inactive or unknown (then with "did you mean").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validate_online_names_inactive_and_misspelt_users() {
    let server = Simulator::from_file(Path::new(&acme("org.json")), false)
        .unwrap()
        .serve("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let text = std::fs::read_to_string(acme("territories.yaml")).unwrap();
    let broken = text.replacen(
        "    users: [marco.rossi@acme.example, amy.chen@acme.example]\n",
        "    users: [marco.rossi@acme.example, amy.chen@acme.exmple, daniel.weber@acme.example]\n",
        1,
    );
    assert_ne!(broken, text);
    let scratch = tempfile::tempdir().unwrap();
    let yaml = scratch.path().join("territories.yaml");
    std::fs::write(&yaml, broken).unwrap();
    let output = territoryctl(
        &server,
        &["validate", "--online", &yaml.display().to_string()],
    )
    .await;
    assert_eq!(output.code, 1, "{}", output.rendered());
    let scratch_path = scratch.path().display().to_string();
    insta::with_settings!({filters => vec![(regex_escape(&scratch_path).as_str(), "[SCRATCH]")]}, {
        insta::assert_snapshot!(output.rendered());
    });
}

/// The offline checks of `users:`, each at its place with a code and a hint.
#[test]
fn validate_reports_bad_users_with_place_code_and_hint() {
    let scratch = tempfile::tempdir().unwrap();
    let yaml = scratch.path().join("t.yaml");
    std::fs::write(
        &yaml,
        "version: 1\nroot: Acme Corp\nterritories:\n  - name: East\n    parent: Acme Corp\n    users: [Pat@acme.example, not-an-email, pat@ACME.example]\n",
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_territoryctl"))
        .args(["validate", &yaml.display().to_string()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let scratch_path = scratch.path().display().to_string();
    insta::with_settings!({filters => vec![(regex_escape(&scratch_path).as_str(), "[SCRATCH]")]}, {
        insta::assert_snapshot!(stderr);
    });
}
