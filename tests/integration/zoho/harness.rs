//! A simulator on a loopback port plus clients whose every log line and error is captured, so
//! each test can end by checking that none of its secrets showed anywhere.

use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Url;
use territoryctl::zoho::{
    Credentials, ReadClient, RemoteError, RequestLog, RetryPolicy, Secret, Settings, WriteClient,
};
use zoho_crm_sim::{Faults, Server, Simulator, State};

/// Route templates as the simulator counts them.
pub(crate) const LIST_TERRITORIES: &str = "/crm/{version}/settings/territories";
pub(crate) const TOKEN: &str = "/oauth/v2/token";

/// Every scope a read-only token for plan needs.
pub(crate) const READ_SCOPES: &[&str] = &[
    "ZohoCRM.settings.territories.READ",
    "ZohoCRM.settings.fields.READ",
    "ZohoCRM.users.READ",
    "ZohoCRM.org.READ",
    "ZohoCRM.modules.READ",
];

pub(crate) struct Sim {
    pub(crate) server: Option<Server>,
    captured: Arc<Mutex<Vec<String>>>,
    secrets: Vec<String>,
}

impl Sim {
    pub(crate) async fn start(state: State) -> Self {
        let server = Simulator::new(state, Faults::default())
            .serve("127.0.0.1:0".parse().unwrap())
            .await
            .expect("the simulator starts on a loopback port");
        Self {
            server: Some(server),
            captured: Arc::default(),
            secrets: Vec::new(),
        }
    }

    pub(crate) async fn with_org() -> Self {
        Self::start(State::new_org("Acme Corp")).await
    }

    pub(crate) fn server(&self) -> &Server {
        self.server.as_ref().expect("running")
    }

    pub(crate) fn base_url(&self) -> String {
        self.server().base_url()
    }

    /// Settings for this simulator with quick retries, capturing every request log line.
    pub(crate) fn settings(&self) -> Settings {
        let base = Url::parse(&self.base_url()).unwrap();
        let token_url = base.join("/oauth/v2/token").unwrap();
        let mut settings = Settings::for_url(base, token_url).unwrap();
        settings.retry = RetryPolicy {
            max_attempts: 8,
            max_total: Duration::from_secs(30),
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(50),
            request_timeout: Duration::from_secs(10),
        };
        let captured = self.captured.clone();
        settings.logger = Some(Arc::new(move |line: &RequestLog| {
            captured.lock().unwrap().push(line.to_string());
        }));
        settings
    }

    /// A token with every scope, remembered as a secret.
    pub(crate) fn full_token(&mut self) -> Credentials {
        let token = self.server().access_token();
        self.secrets.push(token.clone());
        Credentials::AccessToken(Secret::new(token))
    }

    /// A token with exactly `scopes`, remembered as a secret.
    pub(crate) fn token_with(&mut self, scopes: &[&str]) -> Credentials {
        let token = self.server().mint_token(scopes);
        self.secrets.push(token.clone());
        Credentials::AccessToken(Secret::new(token))
    }

    /// A registered OAuth client's refresh-token credentials, remembered as secrets.
    pub(crate) fn refresh_credentials(&mut self) -> Credentials {
        let client_secret = "test-client-secret-5f1c9a".to_owned();
        let refresh_token = self.server().add_client("1000.TESTCLIENT", &client_secret);
        self.secrets.push(client_secret.clone());
        self.secrets.push(refresh_token.clone());
        Credentials::Refresh {
            client_id: "1000.TESTCLIENT".into(),
            client_secret: Secret::new(client_secret),
            refresh_token: Secret::new(refresh_token),
        }
    }

    pub(crate) fn remember_secret(&mut self, secret: &str) {
        self.secrets.push(secret.to_owned());
    }

    pub(crate) fn reader(&mut self) -> ReadClient {
        let credentials = self.full_token();
        ReadClient::connect(self.settings(), credentials).unwrap()
    }

    pub(crate) fn writer(&mut self) -> WriteClient {
        let credentials = self.full_token();
        WriteClient::connect(self.settings(), credentials).unwrap()
    }

    /// Keeps `value`'s Debug output (and, for errors, the full miette rendering) for the
    /// secret check, and hands the value back.
    pub(crate) fn capture<T: Debug>(&self, value: T) -> T {
        self.captured.lock().unwrap().push(format!("{value:?}"));
        value
    }

    pub(crate) fn capture_error(&self, error: &RemoteError) -> String {
        let mut rendered = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(200)
            .render_report(&mut rendered, error)
            .unwrap();
        let mut captured = self.captured.lock().unwrap();
        captured.push(format!("{error:?}"));
        captured.push(error.to_string());
        captured.push(rendered.clone());
        rendered
    }

    pub(crate) fn captured(&self) -> Vec<String> {
        self.captured.lock().unwrap().clone()
    }

    pub(crate) fn counters(&self) -> zoho_crm_sim::Counters {
        self.server().counters()
    }

    pub(crate) fn faults(&self, faults: Faults) {
        self.server().set_faults(faults);
    }

    /// Fails when any secret this test used appears in anything captured.
    pub(crate) fn assert_no_secret_leaked(&self) {
        let captured = self.captured();
        assert!(
            !captured.is_empty(),
            "nothing was captured: the check would prove nothing"
        );
        for secret in &self.secrets {
            for text in &captured {
                assert!(
                    !text.contains(secret.as_str()),
                    "a secret leaked into captured output: {}",
                    text.replace(secret.as_str(), "<THE SECRET>")
                );
            }
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        // Every test's output is checked for its secrets, so a leak anywhere fails the test
        // that caused it.
        if !std::thread::panicking() && !self.captured().is_empty() {
            self.assert_no_secret_leaked();
        }
    }
}

/// `n` territories under the root, in the simulator's own state format.
pub(crate) fn add_territories(state: &mut State, n: usize) {
    let root = state.root().expect("a root").clone();
    for index in 0..n {
        let mut territory = root.clone();
        territory.id = state.allocate_id();
        territory.name = format!("Territory {index:04}");
        territory.api_name = format!("Territory_{index:04}");
        territory.reporting_to = Some(root.id.clone());
        territory.permission_type = "read_write_delete".into();
        territory.description = None;
        state.add_territory(territory);
    }
}
