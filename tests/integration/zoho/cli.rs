//! `territoryctl sandbox serve`: the binary prints a base URL and a token that work.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use reqwest::Url;
use territoryctl::model::{Permission, Rules};
use territoryctl::zoho::{Credentials, ItemOutcome, NewTerritory, Secret, Settings, WriteClient};
use zoho_crm_sim::State;

/// Kills the server on drop, so a failing assertion leaves no process behind.
struct Serving(Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn state_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("territoryctl-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("org.json");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&State::new_org("Acme Corp")).unwrap(),
    )
    .unwrap();
    path
}

/// Starts `sandbox serve` and reads its three `KEY=value` lines.
fn serve(state: &PathBuf, extra: &[&str]) -> (Serving, Vec<(String, String)>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_territoryctl"))
        .args(["sandbox", "serve", "--state"])
        .arg(state)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let serving = Serving(child);
    let pairs = (0..3)
        .map(|_| {
            let line = lines.next().unwrap().unwrap();
            let (key, value) = line.split_once('=').unwrap();
            (key.to_owned(), value.to_owned())
        })
        .collect();
    (serving, pairs)
}

async fn create_one(pairs: &[(String, String)]) {
    let value = |key: &str| pairs.iter().find(|(k, _)| k == key).unwrap().1.clone();
    let base = Url::parse(&value("ZOHO_API_DOMAIN")).unwrap();
    assert_eq!(base.host_str(), Some("127.0.0.1"));
    let settings =
        Settings::for_url(base, Url::parse(&value("ZOHO_ACCOUNTS_URL")).unwrap()).unwrap();
    let client = WriteClient::connect(
        settings,
        Credentials::AccessToken(Secret::new(value("ZOHO_ACCESS_TOKEN"))),
    )
    .unwrap();
    let territories = client.territories().await.unwrap();
    assert_eq!(territories.len(), 1);
    let outcomes = client
        .create_territories(&[NewTerritory {
            name: "EMEA".into(),
            parent_id: territories[0].id.clone(),
            manager_id: None,
            permission: Permission::ReadOnly,
            description: None,
            rules: Rules::default(),
        }])
        .await
        .unwrap();
    assert!(
        matches!(outcomes[0], ItemOutcome::Done { .. }),
        "{outcomes:?}"
    );
}

#[tokio::test]
async fn sandbox_serve_prints_a_working_url_and_token_and_persists_changes() {
    let state = state_file("persist");
    let (serving, pairs) = serve(&state, &[]);
    let keys: Vec<&str> = pairs.iter().map(|(key, _)| key.as_str()).collect();
    assert_eq!(
        keys,
        ["ZOHO_API_DOMAIN", "ZOHO_ACCOUNTS_URL", "ZOHO_ACCESS_TOKEN"]
    );
    create_one(&pairs).await;
    drop(serving);
    let saved: State = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert!(
        saved
            .territories
            .iter()
            .any(|territory| territory.name == "EMEA")
    );
    std::fs::remove_dir_all(state.parent().unwrap()).unwrap();
}

#[tokio::test]
async fn sandbox_serve_read_only_leaves_the_file_alone() {
    let state = state_file("read-only");
    let before = std::fs::read_to_string(&state).unwrap();
    let (serving, pairs) = serve(&state, &["--read-only"]);
    create_one(&pairs).await;
    drop(serving);
    assert_eq!(std::fs::read_to_string(&state).unwrap(), before);
    std::fs::remove_dir_all(state.parent().unwrap()).unwrap();
}

#[tokio::test]
async fn the_sandbox_flag_starts_the_simulator_in_process_without_writing_its_file() {
    use territoryctl::zoho::{ConnectOptions, Connection};
    let state = state_file("flag");
    let before = std::fs::read_to_string(&state).unwrap();
    let options = ConnectOptions {
        sandbox: Some(state.clone()),
        ..ConnectOptions::default()
    };
    // No credentials in the environment: the simulator's own token is used.
    let connection = Connection::open(options, |_| None).await.unwrap();
    assert_eq!(
        connection.settings.api_domain.host_str(),
        Some("127.0.0.1"),
        "loopback only"
    );
    let client = connection.write_client().unwrap();
    let root = client.territories().await.unwrap()[0].id.clone();
    let outcomes = client
        .create_territories(&[NewTerritory {
            name: "EMEA".into(),
            parent_id: root,
            manager_id: None,
            permission: Permission::ReadOnly,
            description: None,
            rules: Rules::default(),
        }])
        .await
        .unwrap();
    assert!(
        matches!(outcomes[0], ItemOutcome::Done { .. }),
        "{outcomes:?}"
    );
    assert_eq!(client.territories().await.unwrap().len(), 2);
    drop(connection);
    assert_eq!(std::fs::read_to_string(&state).unwrap(), before);
    std::fs::remove_dir_all(state.parent().unwrap()).unwrap();
}
