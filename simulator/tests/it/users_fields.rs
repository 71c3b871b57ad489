//! Users, org and field metadata.

use serde_json::json;

use crate::harness::{ADMIN, Sim};

#[tokio::test]
async fn user_types_and_paging() {
    let sim = Sim::start().await;
    let all = sim.get("/crm/v8/users?type=AllUsers").await;
    assert_eq!(all.items("users").len(), 4);
    let active = sim
        .get("/crm/v8/users?type=ActiveUsers&per_page=1&page=2&")
        .await;
    assert_eq!(
        active.body["info"],
        json!({"per_page": 1, "count": 1, "page": 2, "more_records": false})
    );
    let current = sim.get("/crm/v8/users?type=CurrentUser").await;
    assert_eq!(current.items("users")[0]["id"], ADMIN);
    assert_eq!(current.items("users")[0]["full_name"], "Patricia Boyle");
    let bad = sim.get("/crm/v8/users?type=Martians").await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn org_and_fields() {
    let sim = Sim::start().await;
    let org = sim.get("/crm/v8/org").await;
    assert_eq!(org.body["org"][0]["company_name"], "Zylker");
    let fields = sim.get("/crm/v8/settings/fields?module=Deals").await;
    let stage = fields
        .items("fields")
        .iter()
        .find(|f| f["api_name"] == "Stage")
        .unwrap()
        .clone();
    assert_eq!(stage["data_type"], "picklist");
    assert_eq!(stage["pick_list_values"][1]["actual_value"], "Closed Won");
    assert_eq!(
        sim.get("/crm/v8/settings/fields").await.code(),
        "REQUIRED_PARAM_MISSING"
    );
    assert_eq!(
        sim.get("/crm/v8/settings/fields?module=Nope").await.code(),
        "INVALID_MODULE"
    );
}
