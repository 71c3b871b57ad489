//! `territoryctl sandbox serve`: the binary prints a base URL and a token that work.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use reqwest::Url;
use territoryctl::model::Permission;
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
        .create_territories(&[NewTerritory::new(
            "EMEA",
            territories[0].id.clone(),
            Permission::ReadOnly,
        )])
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
        .create_territories(&[NewTerritory::new("EMEA", root, Permission::ReadOnly)])
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

/// Runs the binary with only `env` as Zoho's environment, no terminal, no colour.
fn territoryctl(args: &[&str], env: &[(String, String)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_territoryctl"));
    command.args(args).env("NO_COLOR", "1").stdin(Stdio::null());
    for name in [
        "ZOHO_ACCESS_TOKEN",
        "ZOHO_CLIENT_ID",
        "ZOHO_CLIENT_SECRET",
        "ZOHO_REFRESH_TOKEN",
        "ZOHO_API_DOMAIN",
        "ZOHO_ACCOUNTS_URL",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().map(|(key, value)| (key, value)));
    command.output().unwrap()
}

/// The three lines `sandbox serve` prints, exported as printed, are all `export` needs: it
/// reads the served org (without reading them it would go to the US data centre and fail).
#[test]
fn the_variables_sandbox_serve_prints_are_read() {
    let state = state_file("variables");
    let (serving, pairs) = serve(&state, &["--read-only"]);
    let output = territoryctl(&["export"], &pairs);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("root: Acme Corp\n"), "{stdout}");

    // A flag wins over the variable: a dead loopback port is what is reached then.
    let output = territoryctl(&["export", "--api-domain", "http://127.0.0.1:9"], &pairs);
    assert_eq!(output.status.code(), Some(1));
    drop(serving);
    std::fs::remove_dir_all(state.parent().unwrap()).unwrap();
}

/// `--simulator` with a flag that names a Zoho host is refused (exit 1), not half-ignored;
/// the old spelling `--sandbox` is the same flag.
#[test]
fn the_simulator_flag_refuses_a_data_centre_or_an_api_domain() {
    let state = state_file("conflict");
    let state_arg = state.display().to_string();
    for (flag, extra) in [
        ("--simulator", ["--dc", "eu"]),
        ("--sandbox", ["--api-domain", "https://www.zohoapis.eu"]),
        (
            "--simulator",
            ["--accounts-url", "https://accounts.zoho.eu"],
        ),
    ] {
        let mut args = vec!["export", flag, &state_arg];
        args.extend(extra);
        let output = territoryctl(&args, &[]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "`--simulator` and `{}` both say where to connect",
                extra[0]
            )),
            "{stderr}"
        );
        assert!(output.stdout.is_empty());
    }
    // `--environment sandbox` is Zoho's sandbox org, a different thing: it needs credentials.
    let output = territoryctl(&["export", "--environment", "sandbox"], &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no Zoho credentials"));
    std::fs::remove_dir_all(state.parent().unwrap()).unwrap();
}

/// A command that writes says, on stderr, that `--simulator` keeps its changes in memory
/// (unlike `sandbox serve`), and `--simulator-persist` writes them back.
#[test]
fn apply_on_the_simulator_says_the_file_is_not_written_unless_persisted() {
    let state = state_file("note");
    let state_arg = state.display().to_string();
    let yaml = state.with_file_name("territories.yaml");
    std::fs::write(
        &yaml,
        "version: 1\nroot: Acme Corp\nterritories:\n  - name: EMEA\n    parent: Acme Corp\n",
    )
    .unwrap();
    let yaml_arg = yaml.display().to_string();
    let before = std::fs::read_to_string(&state).unwrap();

    let output = territoryctl(
        &["apply", &yaml_arg, "--yes", "--simulator", &state_arg],
        &[],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("note: `--simulator` changes a copy of")
            && stderr.contains("add `--simulator-persist` to keep the changes"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&state).unwrap(), before);

    let output = territoryctl(
        &[
            "apply",
            &yaml_arg,
            "--yes",
            "--simulator",
            &state_arg,
            "--simulator-persist",
        ],
        &[],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("note: `--simulator`"), "{stderr}");
    assert!(
        std::fs::read_to_string(&state)
            .unwrap()
            .contains("\"EMEA\"")
    );
    std::fs::remove_dir_all(state.parent().unwrap()).unwrap();
}

/// `validate --online` says the offline verdict and the online one, each once and truthfully:
/// no "valid." before an online failure.
#[test]
fn validate_online_says_each_verdict_once() {
    let root = env!("CARGO_MANIFEST_DIR");
    let org = format!("{root}/examples/acme/org.json");
    let output = territoryctl(
        &[
            "validate",
            "--online",
            &format!("{root}/examples/acme/territories.yaml"),
            "--simulator",
            &org,
        ],
        &[],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "31 territories under `Acme Corp`: offline checks passed (3 warnings).\n\
         Online checks passed: every manager, rule field and value fits the org: valid.\n"
    );

    let state = state_file("online");
    let yaml = state.with_file_name("territories.yaml");
    std::fs::write(
        &yaml,
        "version: 1\nroot: Acme Corp\nterritories:\n  - name: EMEA\n    parent: Acme Corp\n    manager: nobody@acme.example\n",
    )
    .unwrap();
    let output = territoryctl(
        &[
            "validate",
            "--online",
            &yaml.display().to_string(),
            "--simulator",
            &org,
        ],
        &[],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "1 territory under `Acme Corp`: offline checks passed.\n"
    );
    assert!(stderr.contains("nobody@acme.example"), "{stderr}");
    // The one code of the check, and a snippet of the line (from the text read at load).
    assert!(stderr.contains("resolve::unknown-manager"), "{stderr}");
    assert!(stderr.contains("manager: nobody@acme.example"), "{stderr}");
    assert!(!stdout.contains("valid."), "{stdout}");
    std::fs::remove_dir_all(state.parent().unwrap()).unwrap();
}
