//! `records get|assign|remove` end to end: the binary against the simulator, started in
//! process on a loopback port with examples/acme/org.json (or a state changed from it).

mod change;
mod codes;
mod get;
mod scripted;

use std::process::{Command, Stdio};

use zoho_crm_sim::{Counters, Faults, Server, Simulator, State};

/// Route templates as the simulator counts them.
pub(crate) const ASSIGN_BULK: &str = "/crm/{version}/{module}/actions/assign_territories";
pub(crate) const ASSIGN_ONE: &str =
    "/crm/{version}/{module}/{record_id}/actions/assign_territories";
pub(crate) const REMOVE_ONE: &str =
    "/crm/{version}/{module}/{record_id}/actions/remove_territories";
pub(crate) const JOBS: &str = "/crm/{version}/{module}/actions/get_feature_specific_info";

/// Ids in examples/acme/org.json.
pub(crate) const LONE_STAR: &str = "4150868000004522032"; // Accounts: United States (rules), US Central (by hand)
pub(crate) const GOLDEN_GATE: &str = "4150868000004522047"; // Accounts: Bay Area (by hand)
pub(crate) const KIWI_LOCKED: &str = "4150868000004522075"; // Accounts: locked
pub(crate) const THAMES_DEAL: &str = "4150868000004540005"; // Deals: UK and Ireland (by hand)
pub(crate) const LAGOS_LEAD: &str = "4150868000004550002"; // Leads
pub(crate) const DANA_CONTACT: &str = "4150868000004530011"; // Contacts: none

/// The simulator on its own runtime, so tests can run the binary synchronously.
pub(crate) struct Org {
    runtime: tokio::runtime::Runtime,
    server: Option<Server>,
    token: String,
}

/// One run of the binary.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Org {
    pub(crate) fn acme() -> Self {
        Self::with(|_| {})
    }

    /// examples/acme/org.json, changed by `change`.
    pub(crate) fn with(change: impl FnOnce(&mut State)) -> Self {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/acme/org.json");
        let mut state: State =
            serde_json::from_str(&std::fs::read_to_string(path).expect("the example org"))
                .expect("the example org loads");
        change(&mut state);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        let server = runtime
            .block_on(
                Simulator::new(state, Faults::default()).serve("127.0.0.1:0".parse().unwrap()),
            )
            .expect("the simulator starts on a loopback port");
        let token = server.access_token();
        Self {
            runtime,
            server: Some(server),
            token,
        }
    }

    pub(crate) fn server(&self) -> &Server {
        self.server.as_ref().expect("running")
    }

    /// Runs `territoryctl ARGS` against this org, without a terminal on stdin.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.run_with_token(&self.token, args)
    }

    pub(crate) fn run_with_token(&self, token: &str, args: &[&str]) -> Run {
        let base = self.server().base_url();
        let output = Command::new(env!("CARGO_BIN_EXE_territoryctl"))
            .args(args)
            .args(["--color", "never", "--api-domain", &base, "--accounts-url"])
            .arg(format!("{base}/oauth/v2/token"))
            .env("ZOHO_ACCESS_TOKEN", token)
            .env_remove("ZOHO_CLIENT_ID")
            .env_remove("ZOHO_CLIENT_SECRET")
            .env_remove("ZOHO_REFRESH_TOKEN")
            .stdin(Stdio::null())
            .output()
            .expect("territoryctl runs");
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(
            !run.stdout.contains(token) && !run.stderr.contains(token),
            "the token must never be shown"
        );
        run
    }

    pub(crate) fn counters(&self) -> Counters {
        self.server().counters()
    }

    /// The ids of a record's territories now.
    pub(crate) fn territories_of(&self, module: &str, record_id: &str) -> Vec<String> {
        self.server().state().records[module]
            .iter()
            .find(|record| record.id == record_id)
            .expect("the record")
            .territories
            .iter()
            .map(|territory| territory.id.clone())
            .collect()
    }

    /// A territory's id by name.
    pub(crate) fn id_of(&self, name: &str) -> String {
        self.server()
            .state()
            .territories
            .iter()
            .find(|territory| territory.name == name)
            .expect("the territory")
            .id
            .clone()
    }
}

impl Drop for Org {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }
}

/// Replaces ISO-8601 timestamps (`2025-05-12T14:03:11+00:00`) with `[TIME]`.
pub(crate) fn without_times(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let shape = "dddd-dd-ddTdd:dd:dd+dd:dd";
    let mut out = String::new();
    let mut index = 0;
    while index < chars.len() {
        let matches = chars.len() - index >= shape.len()
            && shape
                .chars()
                .zip(&chars[index..])
                .all(|(want, got)| match want {
                    'd' => got.is_ascii_digit(),
                    '+' => *got == '+' || *got == '-',
                    other => *got == other,
                });
        if matches {
            out.push_str("[TIME]");
            index += shape.len();
        } else {
            out.push(chars[index]);
            index += 1;
        }
    }
    out
}
