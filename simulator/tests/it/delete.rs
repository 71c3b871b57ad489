//! Delete and transfer-and-delete.

use serde_json::json;

use crate::harness::{ACCOUNT, ROOT, Sim};

const PATH: &str = "/crm/v8/settings/territories";

#[tokio::test]
async fn bulk_delete_needs_ids_and_at_most_ten() {
    let sim = Sim::start().await;
    let missing = sim
        .delete(&format!("{PATH}?delete_previous_forecasts=false"))
        .await;
    assert_eq!(
        (missing.status, missing.code()),
        (400, "REQUIRED_PARAM_MISSING")
    );
    assert_eq!(missing.body["details"]["param_name"], "ids");
    let ids: Vec<String> = (1..=11).map(|i| i.to_string()).collect();
    let many = sim
        .delete(&format!(
            "{PATH}?ids={}&delete_previous_forecasts=false",
            ids.join(",")
        ))
        .await;
    assert_eq!((many.status, many.code()), (400, "INVALID_REQUEST"));
    let no_forecasts = sim.delete(&format!("{PATH}?ids=1")).await;
    assert_eq!(
        no_forecasts.body["details"]["param_name"],
        "delete_previous_forecasts"
    );
}

#[tokio::test]
async fn bulk_delete_refuses_root_parents_and_unknown_ids_per_item() {
    let sim = Sim::start().await;
    let parent = sim.create(ROOT, &["P"]).await.remove(0);
    let child = sim.create(&parent, &["C"]).await.remove(0);
    let leaf = sim.create(ROOT, &["Leaf"]).await.remove(0);
    let answer = sim
        .delete(&format!(
            "{PATH}?ids={ROOT},{parent},42,{leaf}&delete_previous_forecasts=true&"
        ))
        .await;
    assert_eq!(answer.status, 207);
    assert_eq!(
        answer.codes("territories"),
        ["NOT_ALLOWED", "NOT_ALLOWED", "INVALID_DATA", "SUCCESS"]
    );
    let items = answer.items("territories");
    assert_eq!(items[0]["message"], "Org Territory cannot be deleted");
    assert_eq!(
        items[1]["message"],
        "Territory can't be deleted as it's having child"
    );
    assert_eq!(items[1]["details"], json!({"id": parent}));
    assert_eq!(items[3]["message"], "Given Territory Removed Successfully");
    assert!(sim.territory("Leaf").is_none());
    assert!(sim.territory("C").is_some_and(|c| c.id == child));
}

#[tokio::test]
async fn delete_by_id_answers_top_level() {
    let sim = Sim::start().await;
    let parent = sim.create(ROOT, &["P"]).await.remove(0);
    sim.create(&parent, &["C"]).await;
    let refused = sim
        .delete(&format!("{PATH}/{parent}?delete_previous_forecasts=false"))
        .await;
    assert_eq!((refused.status, refused.code()), (400, "NOT_ALLOWED"));
    assert_eq!(refused.body["details"]["resource_path_index"], 2);
}

#[tokio::test]
async fn delete_removes_the_territory_from_records() {
    let sim = Sim::start().await;
    let id = sim.create(ROOT, &["T"]).await.remove(0);
    let assign = sim
        .post(
            "/crm/v8/Accounts/actions/assign_territories",
            json!({"data": [{"id": ACCOUNT, "Territories": [{"id": id}]}]}),
        )
        .await;
    assert_eq!(assign.status, 200);
    let deleted = sim
        .delete(&format!("{PATH}/{id}?delete_previous_forecasts=false"))
        .await;
    assert_eq!(deleted.codes("territories"), ["SUCCESS"]);
    let state = sim.server.state();
    assert!(
        state.records["Accounts"][0]
            .territories
            .iter()
            .all(|t| t.id != id)
    );
}

#[tokio::test]
async fn transfer_and_delete_moves_children_then_deletes() {
    let sim = Sim::start().await;
    let region = sim.create(ROOT, &["Region"]).await.remove(0);
    let old = sim.create(&region, &["Old"]).await.remove(0);
    sim.create(&old, &["Kid"]).await;
    // The root is above Old's parent, as the doc pages ask of a target.
    let new = ROOT.to_owned();
    let answer = sim
        .post(&format!("{PATH}/actions/transfer_and_delete"), json!({"territories": [{"id": old, "transfer_to_id": new, "delete_previous_forecasts": false}]}))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.items("territories")[0]["message"],
        "Territory Transferred And Deleted Successfully"
    );
    assert!(sim.territory("Old").is_none());
    assert_eq!(sim.territory("Kid").unwrap().reporting_to, Some(new));
}

#[tokio::test]
async fn transfer_rules() {
    let sim = Sim::start().await;
    let old = sim.create(ROOT, &["Old"]).await.remove(0);
    let kid = sim.create(&old, &["Kid"]).await.remove(0);
    let answer = sim
        .post(
            &format!("{PATH}/actions/transfer_and_delete"),
            json!({"territories": [
                {"id": old, "delete_previous_forecasts": false},
                {"id": old, "transfer_to_id": old, "delete_previous_forecasts": false},
                {"id": old, "transfer_to_id": kid, "delete_previous_forecasts": false},
                {"id": ROOT, "transfer_to_id": kid, "delete_previous_forecasts": false},
                {"id": "1", "transfer_to_id": kid, "delete_previous_forecasts": false},
            ]}),
        )
        .await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.codes("territories"),
        [
            "DEPENDENT_FIELD_MISSING",
            "INVALID_DATA",
            "INVALID_DATA",
            "NOT_ALLOWED",
            "INVALID_DATA"
        ]
    );
    assert_eq!(
        answer.items("territories")[0]["details"]["api_name"],
        "transfer_to_id"
    );
    let by_id = sim
        .post(
            &format!("{PATH}/{old}/actions/transfer_and_delete"),
            json!({"territories": [{"delete_previous_forecasts": true}]}),
        )
        .await;
    assert_eq!(
        by_id.items("territories")[0]["details"]["dependee"],
        json!({"resource_path_index": 2})
    );
}
