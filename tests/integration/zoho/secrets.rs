//! No token, refresh token or client secret in any log line, error, Debug output or rendered
//! diagnostic. (Every other test here checks its own captured output on drop as well.)

use territoryctl::model::Permission;
use territoryctl::zoho::{Credentials, NewTerritory, ReadClient, Secret, WriteClient};

use super::harness::{READ_SCOPES, Sim};

#[tokio::test]
async fn secrets_never_reach_logs_errors_or_debug_output() {
    let mut sim = Sim::with_org().await;

    // A working refresh flow, logged.
    let credentials = sim.refresh_credentials();
    sim.capture(&credentials);
    let client = ReadClient::connect(sim.settings(), credentials).unwrap();
    sim.capture(&client);
    sim.capture(client.territories().await.unwrap());

    // A wrong client secret, a wrong refresh token, a wrong access token.
    let Credentials::Refresh {
        client_id,
        refresh_token,
        ..
    } = sim.refresh_credentials()
    else {
        unreachable!()
    };
    let wrong_secret = "wrong-client-secret-77a1";
    sim.remember_secret(wrong_secret);
    let bad_secret = Credentials::Refresh {
        client_id,
        client_secret: Secret::new(wrong_secret),
        refresh_token,
    };
    let error = ReadClient::connect(sim.settings(), bad_secret)
        .unwrap()
        .territories()
        .await
        .unwrap_err();
    let rendered = sim.capture_error(&error);
    assert!(rendered.contains("invalid_client"), "{rendered}");

    let wrong_token = "1000.0badc0de0badc0de0badc0de0badc0.0badc0de0badc0de0badc0de0badc0de";
    sim.remember_secret(wrong_token);
    let error = ReadClient::connect(
        sim.settings(),
        Credentials::AccessToken(Secret::new(wrong_token)),
    )
    .unwrap()
    .active_users()
    .await
    .unwrap_err();
    sim.capture_error(&error);

    // A scope refusal on a write.
    let read_only = sim.token_with(READ_SCOPES);
    let writer = WriteClient::connect(sim.settings(), read_only).unwrap();
    sim.capture(&writer);
    let root = sim.server().state().root().unwrap().id.clone();
    let error = writer
        .create_territories(&[NewTerritory::new("EMEA", root, Permission::ReadOnly)])
        .await
        .unwrap_err();
    sim.capture_error(&error);

    // And a panic message built from the credentials.
    let credentials = sim.full_token();
    let panic =
        std::panic::catch_unwind(|| panic!("credentials were {credentials:?}")).unwrap_err();
    sim.capture(panic.downcast_ref::<String>().cloned());

    let captured = sim.captured();
    assert!(
        captured
            .iter()
            .any(|line| line.starts_with("GET /crm/v8/settings/territories 200"))
    );
    assert!(captured.len() >= 10, "{captured:#?}");
    sim.assert_no_secret_leaked();
}
