//! Users associated with territories.

use serde_json::json;

use crate::harness::{AUTO, DELETED, MANAGER, Sim};

#[tokio::test]
async fn add_list_and_remove_users() {
    let sim = Sim::start().await;
    let path = format!("/crm/v8/settings/territories/{AUTO}/users");
    assert_eq!(sim.get(&path).await.status, 204);
    let added = sim
        .put(
            &path,
            json!({"users": [{"id": MANAGER}, {"id": MANAGER}, {"id": DELETED}, {"id": "1"}]}),
        )
        .await;
    assert_eq!(added.status, 207);
    assert_eq!(
        added.codes("users"),
        ["SUCCESS", "DUPLICATE_DATA", "INVALID_DATA", "INVALID_DATA"]
    );
    assert_eq!(
        added.items("users")[2]["details"]["owner_status"],
        "deleted"
    );
    let listed = sim.get(&path).await;
    assert_eq!(listed.items("users")[0]["email"], "marco@zylker.example");
    assert_eq!(listed.body["info"]["count"], 1);
    let one = sim.get(&format!("{path}/{MANAGER}")).await;
    assert_eq!(one.items("users").len(), 1);
    let removed = sim.delete(&format!("{path}?ids={MANAGER},{DELETED}")).await;
    assert_eq!(removed.status, 207);
    assert_eq!(removed.codes("users"), ["SUCCESS", "INVALID_DATA"]);
    assert_eq!(
        removed.items("users")[1]["message"],
        "Given user is not a member of this territory."
    );
    let missing = sim.delete(&path).await;
    assert_eq!(missing.code(), "REQUIRED_PARAM_MISSING");
}

#[tokio::test]
async fn unknown_territory_and_disabled_feature() {
    let sim = Sim::start().await;
    let unknown = sim.get("/crm/v8/settings/territories/1/users").await;
    assert_eq!(unknown.status, 400);
    assert_eq!(
        unknown.items("users")[0]["details"],
        json!({"resource_path_index": 2})
    );
    let disabled = Sim::with(|s| s.flags.territories_enabled = false, Default::default()).await;
    let answer = disabled
        .put(
            &format!("/crm/v8/settings/territories/{AUTO}/users/{MANAGER}"),
            json!({}),
        )
        .await;
    assert_eq!(
        (answer.status, answer.code()),
        (403, "TERRITORY_NOT_ENABLED")
    );
}

#[tokio::test]
async fn users_per_territory_limit() {
    let sim = Sim::with(|s| s.limits.users_per_territory = 1, Default::default()).await;
    let path = format!("/crm/v8/settings/territories/{AUTO}/users");
    let answer = sim
        .put(
            &path,
            json!({"users": [{"id": MANAGER}, {"id": crate::harness::ADMIN}]}),
        )
        .await;
    assert_eq!(answer.codes("users"), ["SUCCESS", "LIMIT_EXCEEDED"]);
}

#[tokio::test]
async fn documented_nested_delete_answer_on_request() {
    let sim = Sim::with(
        |s| s.flags.nested_territory_user_delete = true,
        Default::default(),
    )
    .await;
    let path = format!("/crm/v8/settings/territories/{AUTO}/users");
    sim.put(&path, json!({"users": [{"id": MANAGER}]})).await;
    let removed = sim.delete(&format!("{path}?ids={MANAGER}")).await;
    assert_eq!(removed.status, 200);
    let inner = removed.body["users"][0].as_array().unwrap();
    assert_eq!(
        inner[0]["message"],
        "Given User Removed from the mentioned territory Successfully"
    );
}
