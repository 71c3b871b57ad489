//! A simulator per test and a client pointed at it, with retries fast enough for fault runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use territoryctl::model::Permission;
use territoryctl::plan::{
    Action, BATCH_SIZE, Batch, Change, Create, Operation, Phase, TerritoryRef, Wave,
};
use territoryctl::zoho::{Credentials, RetryPolicy, Secret, Settings, WriteClient};
use zoho_crm_sim::state::{State, Territory};
use zoho_crm_sim::{Faults, Server, Simulator};

/// Serves `state` with `faults` on a free loopback port.
pub(crate) async fn serve(state: State, faults: Faults) -> Server {
    Simulator::new(state, faults)
        .serve("127.0.0.1:0".parse().unwrap())
        .await
        .expect("the simulator binds a loopback port")
}

/// A client for `server` whose retries wait milliseconds, not seconds.
pub(crate) fn client(server: &Server) -> WriteClient {
    let url = reqwest::Url::parse(&server.base_url()).unwrap();
    let token_url = url.join("/oauth/v2/token").unwrap();
    let mut settings = Settings::for_url(url, token_url).unwrap();
    settings.retry = RetryPolicy {
        max_attempts: 8,
        max_total: Duration::from_secs(30),
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(20),
        request_timeout: Duration::from_secs(10),
    };
    WriteClient::connect(
        settings,
        Credentials::AccessToken(Secret::new(server.access_token())),
    )
    .unwrap()
}

/// The live territory named `name` (case-insensitively), if any.
pub(crate) fn territory<'a>(state: &'a State, name: &str) -> Option<&'a Territory> {
    state
        .territories
        .iter()
        .map(Box::as_ref)
        .find(|territory| territory.name.eq_ignore_ascii_case(name))
}

/// A change creating `name` under `parent` in `wave`.
pub(crate) fn create(name: &str, parent: TerritoryRef, wave: usize) -> Change {
    Change {
        key: create_key(name),
        wave,
        depth: wave,
        path: Vec::new(),
        action: Action::Create(Box::new(Create {
            fields: territoryctl::model::Fields::new(name, parent, Permission::ReadWriteDelete),
        })),
    }
}

pub(crate) fn create_key(name: &str) -> String {
    format!("create:{}", name.to_lowercase())
}

/// A reference to the territory created by the change for `name`.
pub(crate) fn after_apply(name: &str) -> TerritoryRef {
    TerritoryRef::AfterApply {
        change: create_key(name),
        name: name.to_owned(),
    }
}

/// A reference to an existing territory of `state`.
pub(crate) fn existing(state: &State, name: &str) -> TerritoryRef {
    let territory = territory(state, name).expect("the territory exists");
    TerritoryRef::Existing {
        id: territory.id.clone(),
        name: territory.name.clone(),
    }
}

/// Change keys per call and module.
type KeysByCall = BTreeMap<Operation, Vec<String>>;

/// The schedule for hand-made `changes`: one wave per `wave` number, one batch per call (and
/// module), ten changes at most, in the given order. Real plans get theirs from `plan()`.
pub(crate) fn schedule(changes: &[Change]) -> Vec<Wave> {
    let mut waves: BTreeMap<usize, KeysByCall> = BTreeMap::new();
    for change in changes {
        let kind = match &change.action {
            Action::Create(_) => Operation::Create,
            Action::Update(_) => Operation::Update,
            Action::Delete(delete) if delete.transfer_to.is_some() => Operation::TransferAndDelete,
            Action::Delete(_) => Operation::Delete,
            Action::Remove(records) => Operation::RemoveTerritories(records.module),
            Action::Assign(records) => Operation::AssignTerritories(records.module),
        };
        waves
            .entry(change.wave)
            .or_default()
            .entry(kind)
            .or_default()
            .push(change.key.clone());
    }
    waves
        .into_iter()
        .map(|(number, kinds)| Wave {
            number,
            phase: Phase::Create,
            batches: kinds
                .into_iter()
                .flat_map(|(operation, keys)| {
                    keys.chunks(BATCH_SIZE)
                        .map(|chunk| Batch {
                            operation,
                            changes: chunk.to_vec(),
                        })
                        .collect::<Vec<_>>()
                })
                .collect(),
        })
        .collect()
}

fn acme(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/acme")
        .join(file)
}

/// The acme example's simulated org (examples/acme/org.json), in memory.
pub(crate) async fn acme_org() -> Server {
    Simulator::from_file(&acme("org.json"), false)
        .expect("the acme org loads")
        .serve("127.0.0.1:0".parse().unwrap())
        .await
        .expect("the simulator binds a loopback port")
}

/// What one run of the binary did.
pub(crate) struct Output {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Output {
    /// Exit code, stdout and stderr together, as a snapshot shows them.
    pub(crate) fn rendered(&self) -> String {
        self.to_string()
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit code: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `territoryctl args... --api-domain <server>` with a token for `server`, no terminal
/// and no colour. One request at a time, so progress lines come in a fixed order.
pub(crate) async fn territoryctl(server: &Server, args: &[&str]) -> Output {
    let mut argv: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    argv.extend([
        "--api-domain".into(),
        server.base_url(),
        "--concurrency".into(),
        "1".into(),
    ]);
    let token = server.access_token();
    tokio::task::spawn_blocking(move || {
        let output = Command::new(env!("CARGO_BIN_EXE_territoryctl"))
            .args(&argv)
            .env("ZOHO_ACCESS_TOKEN", token)
            .env_remove("ZOHO_CLIENT_ID")
            .env_remove("ZOHO_CLIENT_SECRET")
            .env_remove("ZOHO_REFRESH_TOKEN")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("the binary runs");
        Output {
            code: output.status.code().expect("an exit code"),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
        }
    })
    .await
    .expect("the binary's task")
}
