//! examples/acme/org.json is a state the simulator loads, and every criteria in it passes the
//! simulator's own rules unchanged (so it is what Zoho could hold).

use std::path::Path;

use serde_json::{Value, json};
use zoho_crm_sim::Simulator;

#[tokio::test]
async fn acme_org_loads_and_its_criteria_pass_the_rules() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/acme/org.json");
    let simulator = Simulator::from_file(&path, false).expect("examples/acme/org.json loads");
    let server = simulator
        .serve("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let before = server.state();
    assert_eq!(before.root().map(|t| t.name.as_str()), Some("Acme Corp"));
    assert!(before.users.iter().any(|u| u.status == "inactive"));
    let items: Vec<Value> = before
        .territories
        .iter()
        .filter(|t| t.reporting_to.is_some())
        .map(|t| {
            json!({
                "id": t.id,
                "permission_type": t.permission_type,
                "account_rule_criteria": t.account_rule_criteria,
                "lead_rule_criteria": t.lead_rule_criteria,
                "deal_rule_criteria": t.deal_rule_criteria,
                "manager": t.manager.as_ref().map(|id| json!({"id": id})),
            })
        })
        .collect();
    let client = crate::harness::http_client();
    for batch in items.chunks(10) {
        let response = client
            .put(format!("{}/crm/v8/settings/territories", server.base_url()))
            .header(
                "Authorization",
                format!("Zoho-oauthtoken {}", server.access_token()),
            )
            .body(json!({"territories": batch}).to_string())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "{body:#}");
    }
    let after = server.state();
    for (old, new) in before.territories.iter().zip(&after.territories) {
        assert_eq!(
            old.account_rule_criteria, new.account_rule_criteria,
            "{}",
            old.name
        );
        assert_eq!(
            old.lead_rule_criteria, new.lead_rule_criteria,
            "{}",
            old.name
        );
        assert_eq!(
            old.deal_rule_criteria, new.deal_rule_criteria,
            "{}",
            old.name
        );
    }
    server.shutdown().await;
}
