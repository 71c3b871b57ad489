//! Reading territories: paging, 204s, `ids`, `include`, `filters`, children.

use serde_json::json;

use crate::harness::{AUTO, ROOT, Sim};

const PATH: &str = "/crm/v8/settings/territories";

#[tokio::test]
async fn pages_carry_info_with_the_page_count() {
    let sim = Sim::start().await;
    sim.create(ROOT, &["A", "B", "C"]).await;
    let first = sim.get(&format!("{PATH}?page=1&per_page=2&")).await;
    assert_eq!(first.status, 200);
    assert_eq!(
        first.body["info"],
        json!({"per_page": 2, "count": 2, "page": 1, "more_records": true})
    );
    let last = sim.get(&format!("{PATH}?page=3&per_page=2")).await;
    assert_eq!(last.body["info"]["count"], 1);
    assert_eq!(last.body["info"]["more_records"], false);
    let beyond = sim.get(&format!("{PATH}?page=4&per_page=2")).await;
    assert_eq!(
        (beyond.status, beyond.body.clone()),
        (204, serde_json::Value::Null)
    );
    let too_big = sim.get(&format!("{PATH}?per_page=201")).await;
    assert_eq!(too_big.status, 400);
}

#[tokio::test]
async fn list_shows_the_root_and_hides_criteria_unless_included() {
    let sim = Sim::start().await;
    let answer = sim.get(PATH).await;
    let root = answer
        .items("territories")
        .iter()
        .find(|t| t["id"] == ROOT)
        .unwrap()
        .clone();
    assert_eq!(root["reporting_to"], serde_json::Value::Null);
    assert_eq!(root["description"], "Organization Parent Territory");
    assert!(root.get("account_rule_criteria").is_none());
    let included = sim
        .get(&format!(
            "{PATH}?include=account_rule_criteria,lead_rule_criteria,deal_rule_criteria"
        ))
        .await;
    assert!(
        included.items("territories")[0]
            .get("deal_rule_criteria")
            .is_some()
    );
}

#[tokio::test]
async fn get_one_is_204_for_an_unknown_id_and_has_no_info() {
    let sim = Sim::start().await;
    assert_eq!(sim.get(&format!("{PATH}/123")).await.status, 204);
    let known = sim.get(&format!("{PATH}/{AUTO}")).await;
    assert_eq!(known.items("territories").len(), 1);
    assert!(known.body.get("info").is_none());
    assert_eq!(
        known.body["territories"][0]["reporting_to"],
        json!({"name": "Zylker", "id": ROOT})
    );
}

#[tokio::test]
async fn ids_answers_without_info() {
    let sim = Sim::start().await;
    let answer = sim.get(&format!("{PATH}?ids={ROOT},{AUTO},999")).await;
    assert_eq!(answer.items("territories").len(), 2);
    assert!(answer.body.get("info").is_none());
    assert_eq!(sim.get(&format!("{PATH}?ids=999")).await.status, 204);
}

#[tokio::test]
async fn filters_on_name_parent_and_manager() {
    let sim = Sim::start().await;
    let parent = sim.create(ROOT, &["North"]).await.remove(0);
    sim.create(&parent, &["North East", "North West"]).await;
    let filter = |value: serde_json::Value| format!("{PATH}?filters={}", value);
    let by_parent = sim.get(&filter(json!({"field": {"api_name": "reporting_to.id"}, "comparator": "equal", "value": parent}))).await;
    assert_eq!(by_parent.items("territories").len(), 2);
    let by_name = sim
        .get(&filter(
            json!({"field": {"api_name": "name"}, "comparator": "starts_with", "value": "north "}),
        ))
        .await;
    assert_eq!(by_name.items("territories").len(), 2);
    let none = sim
        .get(&filter(
            json!({"field": {"api_name": "manager.id"}, "comparator": "equal", "value": "1"}),
        ))
        .await;
    assert_eq!(none.status, 204);
    let unsupported = sim
        .get(&filter(
            json!({"field": {"api_name": "description"}, "comparator": "equal", "value": "x"}),
        ))
        .await;
    assert_eq!(
        (unsupported.status, unsupported.code()),
        (400, "INVALID_DATA")
    );
    assert_eq!(
        unsupported.body["message"],
        "The given api_name(description) is not supported"
    );
    assert_eq!(unsupported.body["details"]["param_name"], "filters");
}

#[tokio::test]
async fn children_are_direct_only() {
    let sim = Sim::start().await;
    let parent = sim.create(ROOT, &["P"]).await.remove(0);
    let child = sim.create(&parent, &["C"]).await.remove(0);
    sim.create(&child, &["G"]).await;
    let answer = sim
        .get(&format!("{PATH}/{parent}/__child_territories"))
        .await;
    let names: Vec<_> = answer
        .items("territories")
        .iter()
        .map(|t| t["name"].clone())
        .collect();
    assert_eq!(names, [json!("C")]);
    assert_eq!(
        sim.get(&format!("{PATH}/{AUTO}/__child_territories"))
            .await
            .status,
        204
    );
    let bad = sim.get(&format!("{PATH}/1/__child_territories")).await;
    assert_eq!(
        (
            bad.status,
            bad.body["details"]["resource_path_index"].clone()
        ),
        (400, json!(2))
    );
}

#[tokio::test]
async fn older_versions_answer_and_unknown_ones_do_not() {
    let sim = Sim::start().await;
    assert_eq!(sim.get("/crm/v6/settings/territories").await.status, 200);
    assert_eq!(sim.get("/crm/v7/settings/territories").await.status, 200);
    let v9 = sim.get("/crm/v9/settings/territories").await;
    assert_eq!((v9.status, v9.code()), (404, "INVALID_URL_PATTERN"));
}
