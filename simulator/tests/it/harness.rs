//! A running simulator over a small test org, and a tiny HTTP client for it.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Value, json};
use zoho_crm_sim::state::{Field, NamedRef, Record, RecordTerritory, User};
use zoho_crm_sim::{Faults, Server, Simulator, State};

pub(crate) const ROOT: &str = "5725767000000500001";
pub(crate) const ADMIN: &str = "5725767000000411001";
pub(crate) const MANAGER: &str = "5725767000000411002";
pub(crate) const INACTIVE: &str = "5725767000000411003";
pub(crate) const DELETED: &str = "5725767000000411004";
pub(crate) const ACCOUNT: &str = "5725767000000900001";
pub(crate) const LOCKED_ACCOUNT: &str = "5725767000000900002";
pub(crate) const DEAL: &str = "5725767000000900003";
pub(crate) const LEAD: &str = "5725767000000900004";
pub(crate) const CONTACT: &str = "5725767000000900005";
/// A territory assigned to [`ACCOUNT`] automatically (by rules).
pub(crate) const AUTO: &str = "5725767000000500002";

fn user(id: &str, first: &str, last: &str, status: &str) -> User {
    User {
        id: id.to_owned(),
        first_name: Some(first.to_owned()),
        last_name: last.to_owned(),
        email: format!("{}@zylker.example", first.to_lowercase()),
        status: status.to_owned(),
        role: Some(NamedRef {
            name: "Manager".to_owned(),
            id: "5725767000000031152".to_owned(),
        }),
        profile: Some(NamedRef {
            name: "Standard".to_owned(),
            id: "5725767000000031158".to_owned(),
        }),
        zuid: Some(format!("6001{}", &id[15..])),
    }
}

fn field(id: u32, api_name: &str, data_type: &str, picklist: &[&str]) -> Field {
    Field {
        id: format!("57257670000000{id:05}"),
        api_name: api_name.to_owned(),
        field_label: api_name.replace('_', " "),
        data_type: data_type.to_owned(),
        pick_list_values: picklist.iter().map(|s| (*s).to_owned()).collect(),
        custom_field: false,
        length: None,
    }
}

fn record(id: &str, name_key: &str, name: &str) -> Record {
    Record {
        id: id.to_owned(),
        fields: BTreeMap::from([(name_key.to_owned(), json!(name))]),
        territories: Vec::new(),
        locked: false,
    }
}

/// The test org: a root, one territory (`AUTO`), four users (admin, manager, inactive,
/// deleted), fields for the four modules, and one record per module.
pub(crate) fn org() -> State {
    let mut state = State::new_org("Zylker");
    state.users.push(user(MANAGER, "Marco", "Rossi", "active"));
    state.users.push(user(INACTIVE, "Ivy", "Idle", "inactive"));
    state.users.push(user(DELETED, "Dora", "Gone", "deleted"));
    let mut auto = (*state.territories[0]).clone();
    auto.id = AUTO.to_owned();
    auto.name = "Auto".to_owned();
    auto.api_name = "Auto".to_owned();
    auto.reporting_to = Some(ROOT.to_owned());
    auto.description = None;
    state.add_territory(auto);
    state.fields.insert(
        "Accounts".to_owned(),
        vec![
            field(1, "Account_Name", "text", &[]),
            field(2, "Billing_Country", "text", &[]),
            field(3, "Billing_City", "text", &[]),
            field(
                4,
                "Industry",
                "picklist",
                &["Banking", "Retail", "Technology"],
            ),
            field(5, "Annual_Revenue", "currency", &[]),
            field(6, "Employees", "integer", &[]),
            field(7, "Owner", "ownerlookup", &[]),
            field(8, "Logo", "imageupload", &[]),
            field(9, "Is_Partner", "boolean", &[]),
            field(10, "Founded", "date", &[]),
        ],
    );
    state.fields.insert(
        "Leads".to_owned(),
        vec![
            field(20, "Country", "text", &[]),
            field(21, "Lead_Source", "picklist", &["Web", "Partner"]),
        ],
    );
    state.fields.insert(
        "Deals".to_owned(),
        vec![
            field(30, "Amount", "currency", &[]),
            field(
                31,
                "Stage",
                "picklist",
                &["Qualification", "Closed Won", "Closed Lost"],
            ),
        ],
    );
    state.fields.insert(
        "Contacts".to_owned(),
        vec![field(40, "Mailing_Country", "text", &[])],
    );
    let mut account = record(ACCOUNT, "Account_Name", "Zylker Labs");
    account.territories.push(RecordTerritory {
        id: AUTO.to_owned(),
        assigned: "automatically".to_owned(),
        assigned_by: None,
        assigned_time: "2024-01-01T00:00:00+00:00".to_owned(),
    });
    let mut locked = record(LOCKED_ACCOUNT, "Account_Name", "Locked Inc");
    locked.locked = true;
    state
        .records
        .insert("Accounts".to_owned(), vec![account, locked]);
    state.records.insert(
        "Deals".to_owned(),
        vec![record(DEAL, "Deal_Name", "Big deal")],
    );
    state
        .records
        .insert("Leads".to_owned(), vec![record(LEAD, "Last_Name", "Lead")]);
    state.records.insert(
        "Contacts".to_owned(),
        vec![record(CONTACT, "Last_Name", "Contact")],
    );
    state
}

/// A simulator serving [`org`] (optionally changed first), with a full-scope token.
pub(crate) struct Sim {
    pub(crate) server: Server,
    pub(crate) token: String,
    client: reqwest::Client,
}

/// An answer: HTTP status, the content type, and the body as JSON (`Null` when empty).
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Value,
}

impl Answer {
    /// The per-item results under `key`.
    pub(crate) fn items(&self, key: &str) -> &Vec<Value> {
        self.body[key]
            .as_array()
            .unwrap_or_else(|| panic!("no `{key}` array in {}", self.body))
    }

    /// The codes of the per-item results under `key`, in order.
    pub(crate) fn codes(&self, key: &str) -> Vec<&str> {
        self.items(key)
            .iter()
            .map(|item| item["code"].as_str().unwrap_or("?"))
            .collect()
    }

    pub(crate) fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("?")
    }
}

impl Sim {
    pub(crate) async fn start() -> Sim {
        Sim::with(|_| {}, Faults::default()).await
    }

    pub(crate) async fn with(change: impl FnOnce(&mut State), faults: Faults) -> Sim {
        let mut state = org();
        change(&mut state);
        let server = Simulator::new(state, faults)
            .serve("127.0.0.1:0".parse().expect("loopback address"))
            .await
            .expect("the simulator starts");
        let token = server.access_token();
        Sim {
            server,
            token,
            client: http_client(),
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    /// Sends a request with the simulator's full-scope token.
    pub(crate) async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let token = self.token.clone();
        self.call_as(Some(&token), method, path, body).await
    }

    pub(crate) async fn try_call_as(
        &self,
        token: Option<&str>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Answer, reqwest::Error> {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.header("Authorization", format!("Zoho-oauthtoken {token}"));
        }
        // Like the official SDK: JSON bodies without a Content-Type.
        if let Some(body) = body {
            request = request.body(body.to_string());
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let bytes = response.bytes().await?;
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).expect("the body is JSON")
        };
        Ok(Answer {
            status,
            content_type,
            body,
        })
    }

    pub(crate) async fn call_as(
        &self,
        token: Option<&str>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        self.try_call_as(token, method, path, body)
            .await
            .expect("the request completes")
    }

    pub(crate) async fn get(&self, path: &str) -> Answer {
        self.call(Method::GET, path, None).await
    }

    pub(crate) async fn post(&self, path: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(body)).await
    }

    pub(crate) async fn put(&self, path: &str, body: Value) -> Answer {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub(crate) async fn delete(&self, path: &str) -> Answer {
        self.call(Method::DELETE, path, None).await
    }

    /// Creates territories under `parent` and returns their ids.
    pub(crate) async fn create(&self, parent: &str, names: &[&str]) -> Vec<String> {
        let items: Vec<Value> = names
            .iter()
            .map(|name| json!({"name": name, "reporting_to": {"id": parent}, "permission_type": "read_only"}))
            .collect();
        let answer = self
            .post(
                "/crm/v8/settings/territories",
                json!({"territories": items}),
            )
            .await;
        assert_eq!(answer.status, 201, "{}", answer.body);
        answer
            .items("territories")
            .iter()
            .map(|i| i["details"]["id"].as_str().unwrap().to_owned())
            .collect()
    }

    /// The ids of the territory named `name`, from the simulator's state.
    pub(crate) fn territory(&self, name: &str) -> Option<zoho_crm_sim::state::Territory> {
        self.server
            .state()
            .territories
            .into_iter()
            .map(|territory| *territory)
            .find(|t| t.name == name)
    }
}

/// `{"name", "reporting_to", "permission_type"}` plus `extra`.
pub(crate) fn territory(name: &str, parent: &str, extra: Value) -> Value {
    let mut item =
        json!({"name": name, "reporting_to": {"id": parent}, "permission_type": "read_only"});
    if let (Some(item), Value::Object(extra)) = (item.as_object_mut(), extra) {
        item.extend(extra);
    }
    item
}

/// An HTTP client for talking to the simulator.
///
/// In a workspace build, reqwest's features are unified with territoryctl's
/// `rustls-no-provider`, and a client then needs a process-wide rustls crypto provider even
/// for plain http; installing ring's here keeps these tests independent of how they are built.
pub(crate) fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// Runs an official SDK's contract script (`program script`) against `sim`, with the token,
/// the simulator's address and the test org's ids in the environment (plus `extra`), and
/// returns its stdout once it has exited 0 and printed "checks passed".
pub(crate) async fn run_contract(
    sim: &Sim,
    program: std::path::PathBuf,
    script: std::path::PathBuf,
    extra: &[(&'static str, &'static str)],
) -> String {
    let base = sim.server.base_url();
    let token = sim.token.clone();
    let extra = extra.to_vec();
    let shown = format!("{} {}", program.display(), script.display());
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(program)
            .arg(script)
            .env("ZOHO_API_DOMAIN", base)
            .env("ZOHO_ACCESS_TOKEN", token)
            .env("SIM_ROOT_ID", ROOT)
            .env("SIM_USER_ID", MANAGER)
            .env("SIM_ACCOUNT_ID", ACCOUNT)
            .envs(extra)
            .output()
    })
    .await
    .expect("the contract task completes")
    .unwrap_or_else(|error| panic!("`{shown}` runs: {error}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the SDK contract `{shown}` failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("checks passed"), "{stdout}");
    stdout
}
