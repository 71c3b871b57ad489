//! Tokens: refresh before expiry and on INVALID_TOKEN, wrong credentials, scopes, plain http.

use reqwest::Url;
use territoryctl::model::Permission;
use territoryctl::zoho::{
    Credentials, NewTerritory, ReadClient, RemoteError, Secret, Settings, WriteClient,
};

use super::harness::{LIST_TERRITORIES, READ_SCOPES, Sim, TOKEN};

#[tokio::test]
async fn a_token_is_refreshed_once_and_reused_while_fresh() {
    let mut sim = Sim::with_org().await;
    let credentials = sim.refresh_credentials();
    let client = ReadClient::connect(sim.settings(), credentials).unwrap();
    for _ in 0..3 {
        sim.capture(client.territories().await.unwrap());
    }
    assert_eq!(sim.counters().get("POST", TOKEN), 1);
    assert_eq!(sim.counters().get("GET", LIST_TERRITORIES), 3);
    let token_lines: Vec<String> = sim
        .captured()
        .into_iter()
        .filter(|line| line.starts_with("POST /oauth/v2/token 200"))
        .collect();
    assert_eq!(
        token_lines.len(),
        1,
        "the refresh shows in the -v log, path only"
    );
}

#[tokio::test]
async fn a_token_near_expiry_is_refreshed_before_use() {
    let mut sim = Sim::with_org().await;
    // Tokens that live 60 s are always within the five-minute renewal margin.
    sim.server()
        .update_state(|state| state.limits.access_token_lifetime_secs = 60);
    let credentials = sim.refresh_credentials();
    let client = ReadClient::connect(sim.settings(), credentials).unwrap();
    for _ in 0..3 {
        sim.capture(client.territories().await.unwrap());
    }
    assert_eq!(sim.counters().get("POST", TOKEN), 3);
    assert_eq!(
        sim.counters().get("GET", LIST_TERRITORIES),
        3,
        "no request was refused"
    );
}

#[tokio::test]
async fn invalid_token_refreshes_once_and_goes_on() {
    let mut sim = Sim::with_org().await;
    let credentials = sim.refresh_credentials();
    let client = ReadClient::connect(sim.settings(), credentials).unwrap();
    sim.capture(client.territories().await.unwrap());

    // Zoho revokes the token the client holds: its next request is refused with INVALID_TOKEN.
    let server = sim.server.as_ref().unwrap();
    server.revoke_tokens();
    server.reset_counters();

    sim.capture(client.territories().await.unwrap());
    assert_eq!(sim.counters().get("POST", TOKEN), 1, "one refresh");
    assert_eq!(
        sim.counters().get("GET", LIST_TERRITORIES),
        2,
        "the refused request and its repeat"
    );
    assert!(sim.captured().iter().any(|line| line.contains(" 401 ")));
}

#[tokio::test]
async fn a_wrong_refresh_token_is_a_clear_error() {
    let mut sim = Sim::with_org().await;
    let Credentials::Refresh {
        client_id,
        client_secret,
        ..
    } = sim.refresh_credentials()
    else {
        unreachable!()
    };
    let wrong = "1000.0123456789abcdef0123456789abcdef";
    sim.remember_secret(wrong);
    let credentials = Credentials::Refresh {
        client_id,
        client_secret,
        refresh_token: Secret::new(wrong),
    };
    let client = ReadClient::connect(sim.settings(), credentials).unwrap();

    let error = client.territories().await.unwrap_err();

    let rendered = sim.capture_error(&error);
    assert!(
        matches!(&error, RemoteError::RefreshRejected { error, .. } if error == "invalid_code"),
        "{rendered}"
    );
    assert!(rendered.contains("zoho::wrong-credentials"), "{rendered}");
    assert!(
        rendered.contains("ZOHO_REFRESH_TOKEN is wrong"),
        "{rendered}"
    );
    assert_eq!(
        sim.counters().get("GET", LIST_TERRITORIES),
        0,
        "no API call without a token"
    );
}

#[tokio::test]
async fn a_wrong_access_token_is_a_clear_error() {
    let mut sim = Sim::with_org().await;
    let wrong = "1000.deadbeefdeadbeefdeadbeefdeadbeef.deadbeefdeadbeefdeadbeefdeadbeef";
    sim.remember_secret(wrong);
    let client =
        ReadClient::connect(sim.settings(), Credentials::AccessToken(Secret::new(wrong))).unwrap();

    let error = client.territories().await.unwrap_err();

    let rendered = sim.capture_error(&error);
    assert!(
        matches!(
            error,
            RemoteError::InvalidToken {
                can_refresh: false,
                ..
            }
        ),
        "{rendered}"
    );
    assert!(
        rendered.contains("ZOHO_ACCESS_TOKEN is wrong or expired"),
        "{rendered}"
    );
    assert_eq!(client.requests(), 1, "a static token is not tried twice");
}

#[tokio::test]
async fn a_read_only_token_loads_but_cannot_write() {
    let mut sim = Sim::with_org().await;
    let credentials = sim.token_with(READ_SCOPES);
    let client = WriteClient::connect(sim.settings(), credentials).unwrap();
    let territories = sim.capture(client.territories().await.unwrap());
    let root = territories[0].id.clone();

    let error = client
        .create_territories(&[NewTerritory::new("EMEA", root, Permission::ReadOnly)])
        .await
        .unwrap_err();

    let rendered = sim.capture_error(&error);
    assert!(
        matches!(error, RemoteError::ScopeMismatch { .. }),
        "{rendered}"
    );
    assert!(
        rendered.contains("ZohoCRM.settings.territories.CREATE"),
        "{rendered}"
    );
    assert!(rendered.contains("zoho::scope-mismatch"), "{rendered}");
    assert_eq!(sim.counters().writes, 1, "refused, not retried");
    assert_eq!(
        sim.server().state().territories.len(),
        1,
        "nothing was created"
    );
}

#[tokio::test]
async fn plain_http_to_another_host_is_refused_before_any_request() {
    let sim = Sim::with_org().await;
    let error = Settings::for_url(
        Url::parse("http://crm.example.com").unwrap(),
        Url::parse("https://accounts.zoho.com/oauth/v2/token").unwrap(),
    )
    .unwrap_err();
    let rendered = sim.capture_error(&error);
    assert!(rendered.contains("refusing plain http"), "{rendered}");

    // Settings edited afterwards are checked again when a client is made.
    let mut settings = sim.settings();
    settings.api_domain = Url::parse("http://10.1.2.3:8080").unwrap();
    let error =
        ReadClient::connect(settings, Credentials::AccessToken(Secret::new("x"))).unwrap_err();
    sim.capture_error(&error);
    assert!(matches!(error, RemoteError::InsecureUrl { .. }));
}
