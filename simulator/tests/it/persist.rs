//! The state file: loaded at start, written back atomically, left alone when read-only.

use serde_json::json;
use zoho_crm_sim::{Simulator, State};

use crate::harness::{ROOT, org, territory};

async fn create_one(server: &zoho_crm_sim::Server) {
    let response = crate::harness::http_client()
        .post(format!("{}/crm/v8/settings/territories", server.base_url()))
        .header(
            "Authorization",
            format!("Zoho-oauthtoken {}", server.access_token()),
        )
        .body(json!({"territories": [territory("Saved", ROOT, json!({}))]}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
}

#[tokio::test]
async fn changes_are_written_back_and_reload() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("org.json");
    std::fs::write(&path, serde_json::to_string(&org()).unwrap()).unwrap();
    let server = Simulator::from_file(&path, true)
        .unwrap()
        .serve("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    create_one(&server).await;
    server.shutdown().await;
    let saved: State = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(saved.territories.iter().any(|t| t.name == "Saved"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left behind");
    assert!(Simulator::from_file(&path, false).is_ok());
}

#[tokio::test]
async fn read_only_never_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("org.json");
    let original = serde_json::to_string(&org()).unwrap();
    std::fs::write(&path, &original).unwrap();
    let server = Simulator::from_file(&path, false)
        .unwrap()
        .serve("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    create_one(&server).await;
    assert!(server.state().territories.iter().any(|t| t.name == "Saved"));
    server.shutdown().await;
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
}

#[test]
fn bad_state_files_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("org.json");
    std::fs::write(&path, "{\"org\": 1}").unwrap();
    let error = Simulator::from_file(&path, false).unwrap_err().to_string();
    assert!(error.contains("not a valid simulator state"), "{error}");
    let mut two_roots = org();
    two_roots.territories[1].reporting_to = None;
    std::fs::write(&path, serde_json::to_string(&two_roots).unwrap()).unwrap();
    let error = Simulator::from_file(&path, false).unwrap_err().to_string();
    assert!(error.contains("exactly one root"), "{error}");
}
