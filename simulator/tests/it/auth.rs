//! Tokens, scopes, expiry and the refresh-token grant.

use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{ROOT, Sim, territory};

const READ_ONLY: &[&str] = &[
    "ZohoCRM.settings.territories.READ",
    "ZohoCRM.users.READ",
    "ZohoCRM.settings.fields.READ",
    "ZohoCRM.modules.READ",
    "ZohoCRM.org.READ",
];

#[tokio::test]
async fn missing_or_bad_token_is_invalid_token() {
    let sim = Sim::start().await;
    for token in [None, Some("1000.nope")] {
        let answer = sim
            .call_as(token, Method::GET, "/crm/v8/settings/territories", None)
            .await;
        assert_eq!((answer.status, answer.code()), (401, "INVALID_TOKEN"));
        assert_eq!(answer.body["message"], "invalid oauth token");
    }
}

#[tokio::test]
async fn read_only_token_reads_but_cannot_write() {
    let sim = Sim::start().await;
    let token = sim.server.mint_token(READ_ONLY);
    let read = sim
        .call_as(
            Some(&token),
            Method::GET,
            "/crm/v8/settings/territories",
            None,
        )
        .await;
    assert_eq!(read.status, 200);
    let record = sim
        .call_as(Some(&token), Method::GET, "/crm/v8/Accounts/1", None)
        .await;
    assert_eq!(record.status, 204);
    let body = json!({"territories": [territory("A", ROOT, json!({}))]});
    let write = sim
        .call_as(
            Some(&token),
            Method::POST,
            "/crm/v8/settings/territories",
            Some(body),
        )
        .await;
    assert_eq!((write.status, write.code()), (401, "OAUTH_SCOPE_MISMATCH"));
    assert!(sim.territory("A").is_none());
    let assign = sim
        .call_as(
            Some(&token),
            Method::POST,
            "/crm/v8/Accounts/actions/assign_territories",
            Some(json!({"data": []})),
        )
        .await;
    assert_eq!(assign.code(), "OAUTH_SCOPE_MISMATCH");
    let users_only = sim.server.mint_token(&["ZohoCRM.users.READ"]);
    let territories = sim
        .call_as(
            Some(&users_only),
            Method::GET,
            "/crm/v8/settings/territories",
            None,
        )
        .await;
    assert_eq!(territories.code(), "OAUTH_SCOPE_MISMATCH");
}

#[tokio::test]
async fn expired_tokens_are_invalid_and_refresh_gives_a_new_one() {
    let sim = Sim::with(
        |s| s.limits.access_token_lifetime_secs = 0,
        Default::default(),
    )
    .await;
    let expired = sim.get("/crm/v8/org").await;
    assert_eq!((expired.status, expired.code()), (401, "INVALID_TOKEN"));
    sim.server
        .update_state(|s| s.limits.access_token_lifetime_secs = 3600);
    let refresh = sim.server.add_client("client", "secret");
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", "client"),
        ("client_secret", "secret"),
        ("refresh_token", refresh.as_str()),
    ];
    let encoded = form
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let client = crate::harness::http_client();
    let token_url = sim.url("/oauth/v2/token");
    let by_body: Value = client
        .post(&token_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encoded.clone())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_body["api_domain"], sim.server.base_url());
    assert_eq!(by_body["expires_in"], 3600);
    assert_eq!(by_body["token_type"], "Bearer");
    let fresh = by_body["access_token"].as_str().unwrap();
    let ok = sim
        .call_as(Some(fresh), Method::GET, "/crm/v8/org", None)
        .await;
    assert_eq!(ok.status, 200);
    let by_query: Value = client
        .post(format!("{token_url}?{encoded}&"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(by_query["access_token"].is_string());
    let boundary = "----sim";
    let multipart: String = form
        .iter()
        .map(|(k, v)| {
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
        })
        .collect::<String>()
        + &format!("--{boundary}--\r\n");
    let by_multipart: Value = client
        .post(&token_url)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(multipart)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(by_multipart["access_token"].is_string(), "{by_multipart}");
}

#[tokio::test]
async fn bad_refresh_token_is_http_200_invalid_code() {
    let sim = Sim::start().await;
    sim.server.add_client("client", "secret");
    let response = crate::harness::http_client()
        .post(sim.url("/oauth/v2/token?grant_type=refresh_token&client_id=client&client_secret=secret&refresh_token=1000.wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"error": "invalid_code"}));
}
