//! `territoryctl export --sandbox STATE` end to end: the command loads the simulated org over
//! HTTP, writes the YAML; the YAML loads through `config::load`, and the live state loaded for
//! it the way `plan` loads it shows no difference.

use std::path::Path;

use clap::Parser;
use serde_json::json;
use territoryctl::app::run;
use territoryctl::cli::Cli;
use territoryctl::commands::Color;
use territoryctl::model::Desired;
use territoryctl::zoho::{ConnectOptions, Connection, load_live};
use zoho_crm_sim::State;

use super::equivalence::{assert_plan_has_no_changes, differences};
use super::support::export_sandbox;

/// A simulated org with a few levels, unicode, multi-line descriptions, criteria on all
/// three modules; `with_problems` adds a manager who is no longer active and a criteria on a
/// field the metadata does not have.
fn state(with_problems: bool) -> State {
    let mut state = State::new_org("Acme Corp");
    let mut former = state.users[0].clone();
    former.id = "5725767000000411099".to_owned();
    former.email = "former@example.com".to_owned();
    former.status = "inactive".to_owned();
    state.users.push(former);
    let admin = state.users[0].id.clone();
    // Without `Billing_Code`, the criteria that names it is on a deleted field.
    let mut accounts = vec![json!(
        {"id": "5725767000000002001", "api_name": "Billing_Country", "field_label": "Billing Country", "data_type": "text"}
    )];
    if !with_problems {
        accounts.push(json!(
            {"id": "5725767000000002002", "api_name": "Billing_Code", "field_label": "Billing Code", "data_type": "text"}
        ));
    }
    for (module, fields) in [
        ("Accounts", json!(accounts)),
        (
            "Leads",
            json!([
                {"id": "5725767000000002101", "api_name": "Lead_Source", "field_label": "Lead Source", "data_type": "picklist", "pick_list_values": ["Partner", "Web"]},
            ]),
        ),
        (
            "Deals",
            json!([
                {"id": "5725767000000002201", "api_name": "Amount", "field_label": "Amount", "data_type": "currency"},
                {"id": "5725767000000002202", "api_name": "Probability", "field_label": "Probability (%)", "data_type": "integer"},
            ]),
        ),
    ] {
        state.fields.insert(
            module.to_owned(),
            serde_json::from_value(fields).expect("field metadata"),
        );
    }
    let root = state.root().expect("a root").clone();
    let mut territories: Vec<String> = Vec::new();
    for (name, parent, manager, permission, description, accounts, leads, deals) in [
        (
            "EMEA",
            root.id.clone(),
            Some(admin.clone()),
            "read_write_delete",
            Some("Europe, the Middle East and Africa.\nRun from London.\n"),
            Some(json!({"group_operator": "OR", "group": [
                {"comparator": "in", "field": {"api_name": "Billing_Country"}, "value": ["Germany", "France"]},
                {"comparator": "equal", "field": {"api_name": "Billing_Country"}, "value": "yes"}
            ]})),
            Some(
                json!({"comparator": "not_equal", "field": {"api_name": "Lead_Source"}, "value": "Partner"}),
            ),
            None,
        ),
        (
            "Zürich – Nord",
            String::new(),
            Some(if with_problems {
                "5725767000000411099".to_owned()
            } else {
                admin.clone()
            }),
            "read_only",
            Some("  indented\nsecond line"),
            None,
            None,
            Some(json!({"group_operator": "AND", "group": [
                {"comparator": "between", "field": {"api_name": "Amount"}, "value": ["1000", "5000"]},
                {"comparator": "greater_equal", "field": {"api_name": "Probability"}, "value": 50}
            ]})),
        ),
        (
            "São Paulo: Centro",
            root.id.clone(),
            None,
            "read_write_delete",
            Some("null"),
            Some(
                json!({"comparator": "starts_with", "field": {"api_name": "Billing_Code"}, "value": "007"}),
            ),
            None,
            None,
        ),
    ] {
        let mut territory = root.clone();
        territory.id = state.allocate_id();
        territory.name = name.to_owned();
        territory.api_name = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        // An empty parent means "the territory created just before".
        territory.reporting_to = Some(if parent.is_empty() {
            territories.last().cloned().expect("a previous territory")
        } else {
            parent
        });
        territory.manager = manager;
        territory.permission_type = permission.to_owned();
        territory.description = description.map(str::to_owned);
        territory.account_rule_criteria = accounts;
        territory.lead_rule_criteria = leads;
        territory.deal_rule_criteria = deals;
        territories.push(territory.id.clone());
        state.add_territory(territory);
    }
    state
}

fn load_for(desired: &Desired, state_file: &Path) -> territoryctl::model::Live {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let options = ConnectOptions {
            sandbox: Some(state_file.to_path_buf()),
            ..ConnectOptions::default()
        };
        let connection = Connection::open(options, |_| None)
            .await
            .expect("the simulator starts");
        let client = connection.read_client().expect("a read client");
        load_live(&client, desired).await.expect("the org loads")
    })
}

/// Runs `territoryctl export --sandbox STATE --out FILE` and returns the YAML and the state
/// file (in `directory`).
fn export_command(state: &State, directory: &Path) -> (String, std::path::PathBuf) {
    let state_file = directory.join("org.json");
    std::fs::write(
        &state_file,
        serde_json::to_string_pretty(state).expect("state serialises"),
    )
    .expect("write state");
    let out = directory.join("territories.yaml");
    let (stdout, _) = export_sandbox(&state_file, &out, "export succeeds");
    assert!(stdout.is_empty());
    (std::fs::read_to_string(&out).expect("written"), state_file)
}

fn load_yaml(directory: &Path) -> Desired {
    load_with_sources(directory).desired
}

fn load_with_sources(directory: &Path) -> territoryctl::config::Loaded {
    territoryctl::config::load(&[directory.join("territories.yaml")]).expect("the export loads")
}

#[test]
fn export_from_the_simulator_then_plan_shows_no_changes() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let (text, state_file) = export_command(&state(false), directory.path());
    // Below the header, nothing needed a comment.
    let body = text.split_once("\nterritories:\n").expect("territories").1;
    assert!(!body.contains('#'), "{text}");
    let loaded = load_with_sources(directory.path());
    let desired = loaded.desired;
    assert_eq!(desired.territories.len(), 3);
    let live = load_for(&desired, &state_file);
    assert_eq!(differences(&desired, &live), Vec::<String>::new(), "{text}");
    // What `plan` checks against the org before planning (managers, fields, value types).
    if let Err(report) = territoryctl::config::online::check(&desired, &loaded.sources, &live) {
        panic!("the export does not resolve against the org: {report:?}\n{text}");
    }
    assert_plan_has_no_changes(&desired, &live, "simulator");

    // And the `plan` command itself, as a user runs it right after the export.
    let cli = Cli::try_parse_from([
        "territoryctl",
        "plan",
        directory
            .path()
            .join("territories.yaml")
            .to_str()
            .expect("utf-8 path"),
        "--sandbox",
        state_file.to_str().expect("utf-8 path"),
        "--detailed-exitcode",
    ])
    .expect("valid command line");
    let mut stdout = Vec::new();
    let status = run(cli, Color(false), &mut stdout, &mut Vec::new()).expect("plan succeeds");
    let stdout = String::from_utf8(stdout).expect("utf-8");
    assert_eq!(status, territoryctl::exit::ExitStatus::Success, "{stdout}");
    assert_eq!(stdout.trim_end(), "No changes.");
}

#[test]
fn export_from_the_simulator_comments_out_what_it_cannot_express() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let (text, state_file) = export_command(&state(true), directory.path());
    assert!(
        text.contains(
            "    # manager: Patricia Boyle (id 5725767000000411099) is not an active user\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "# accounts: { field: Billing_Code, comparator: starts_with, value: \"007\" }"
        ),
        "{text}"
    );
    assert!(
        text.contains("  - name: Zürich – Nord\n    parent: EMEA\n"),
        "{text}"
    );
    let desired = load_yaml(directory.path());
    let live = load_for(&desired, &state_file);
    assert_eq!(differences(&desired, &live), Vec::<String>::new(), "{text}");
}

/// One org loader, two scopes: `export` reads an org whose Leads module is turned off (Zoho
/// answers `INVALID_MODULE` for its fields) as one without Leads fields, while `plan`'s load
/// of a desired state with Leads rules fails on it. What was written is said on the stderr
/// passed to `run`, and stdout stays empty.
#[test]
fn export_reads_an_org_without_leads_and_plan_does_not() {
    let mut org = state(false);
    org.fields.remove("Leads");
    let directory = tempfile::tempdir().expect("temporary directory");
    let state_file = directory.path().join("org.json");
    std::fs::write(
        &state_file,
        serde_json::to_string_pretty(&org).expect("state serialises"),
    )
    .expect("write state");
    let out = directory.path().join("territories.yaml");
    let (stdout, stderr) = export_sandbox(&state_file, &out, "export succeeds without Leads");
    let stderr = String::from_utf8(stderr).expect("utf-8");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("Exported 3 territories under `Acme Corp` to `"),
        "{stderr}"
    );
    let desired = load_yaml(directory.path());
    assert!(
        desired.territories.iter().any(|territory| territory
            .rules
            .iter()
            .any(|(module, _)| module == territoryctl::model::RuleModule::Leads)),
        "the export keeps the Leads rules"
    );
    let options = ConnectOptions {
        sandbox: Some(state_file),
        ..ConnectOptions::default()
    };
    let failure = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let connection = Connection::open(options, |_| None)
                .await
                .expect("the simulator starts");
            let client = connection.read_client().expect("a read client");
            load_live(&client, &desired).await
        })
        .expect_err("plan's load needs the Leads fields its rules use");
    assert!(
        format!("{failure:?}").contains("INVALID_MODULE"),
        "{failure:?}"
    );
}
