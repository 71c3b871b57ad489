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

/// A rule run over examples/acme visibly moves records: with Japan narrowed to `equal Japan`
/// (what examples/acme/territories.yaml says), running Japan's rules takes the Korean account
/// out, brings two Japanese ones in, and leaves the manual assignment alone.
#[tokio::test]
async fn a_rule_run_on_acme_moves_its_japanese_and_korean_accounts() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/acme/org.json");
    let simulator = Simulator::from_file(&path, false).expect("examples/acme/org.json loads");
    let server = simulator
        .serve("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    server.set_clock(1_770_840_000);
    let japan = "4150868000000500023";
    let client = crate::harness::http_client();
    let token = format!("Zoho-oauthtoken {}", server.access_token());
    let url = |path: &str| format!("{}/crm/v8{path}", server.base_url());
    let narrowed = json!({"territories": [{"id": japan, "permission_type": "read_write_delete",
        "account_rule_criteria": {"field": {"api_name": "Billing_Country"}, "comparator": "equal", "value": "Japan"}}]});
    let response = client
        .put(url("/settings/territories"))
        .header("Authorization", &token)
        .body(narrowed.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let run = json!({"run_rules": {"module": {"api_name": "Accounts"}, "based_on": "territory",
        "territories": [{"id": japan}], "include_child": true}});
    let response = client
        .post(url("/settings/territories/actions/run_rules"))
        .header("Authorization", &token)
        .body(run.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    server.advance_clock(60);
    let territories = |record: &str| {
        let state = server.state();
        let record = state.records["Accounts"]
            .iter()
            .find(|r| r.id == record)
            .expect("an acme account")
            .clone();
        record
            .territories
            .iter()
            .map(|t| {
                let name = state.territory(&t.id).map_or("?", |t| t.name.as_str());
                format!("{name} {}", t.assigned)
            })
            .collect::<Vec<_>>()
    };
    // Any request settles the finished run.
    let _ = client
        .get(url("/org"))
        .header("Authorization", &token)
        .send()
        .await
        .unwrap();
    assert!(
        territories("4150868000004522089").is_empty(),
        "Seoul Semiconductor left Japan"
    );
    assert_eq!(territories("4150868000004522093"), ["Japan automatically"]);
    assert_eq!(territories("4150868000004522097"), ["Japan automatically"]);
    assert_eq!(territories("4150868000004522101"), ["Japan manually"]);
    // Outside Japan's scope nothing moved: Lone Star Logistics keeps its stale United States.
    assert_eq!(
        territories("4150868000004522032"),
        ["United States automatically", "US Central manually"]
    );
}
