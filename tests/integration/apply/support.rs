//! A simulator per test and a client pointed at it, with retries fast enough for fault runs.

use std::time::Duration;

use territoryctl::model::Permission;
use territoryctl::plan::{Action, Change, Create, TerritoryRef};
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
        .find(|territory| territory.name.eq_ignore_ascii_case(name))
}

/// A change creating `name` under `parent` in `wave`.
pub(crate) fn create(name: &str, parent: TerritoryRef, wave: usize) -> Change {
    Change {
        key: create_key(name),
        wave,
        depth: wave,
        action: Action::Create(Create {
            name: name.to_owned(),
            parent,
            manager: None,
            permission: Permission::ReadWriteDelete,
            description: None,
            rules: territoryctl::model::Rules::default(),
        }),
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
