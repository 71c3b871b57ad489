//! The admin endpoints outside `/crm/`: dump and replace the org, mint tokens.

use serde_json::{Value, json};

use crate::harness::{ROOT, Sim};

#[tokio::test]
async fn state_can_be_dumped_and_replaced_out_of_band() {
    let sim = Sim::start().await;
    let client = reqwest::Client::new();
    let mut state: Value = client
        .get(sim.url("/__admin/state"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["org"]["company_name"], "Zylker");
    state["territories"][0]["name"] = json!("Renamed In The UI");
    let replaced = client
        .put(sim.url("/__admin/state"))
        .body(state.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(replaced.status().as_u16(), 200);
    let root = sim
        .get(&format!("/crm/v8/settings/territories/{ROOT}"))
        .await;
    assert_eq!(root.body["territories"][0]["name"], "Renamed In The UI");
    state["territories"][1]["reporting_to"] = Value::Null;
    let refused = client
        .put(sim.url("/__admin/state"))
        .body(state.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 400);
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("exactly one root"),
        "{body}"
    );
}

#[tokio::test]
async fn tokens_can_be_minted_with_scopes() {
    let sim = Sim::start().await;
    let minted: Value = reqwest::Client::new()
        .post(sim.url("/__admin/tokens"))
        .body(json!({"scopes": ["ZohoCRM.org.READ"]}).to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = minted["access_token"].as_str().unwrap();
    let org = sim
        .call_as(Some(token), reqwest::Method::GET, "/crm/v8/org", None)
        .await;
    assert_eq!(org.status, 200);
    let users = sim
        .call_as(Some(token), reqwest::Method::GET, "/crm/v8/users", None)
        .await;
    assert_eq!(users.code(), "OAUTH_SCOPE_MISMATCH");
}
