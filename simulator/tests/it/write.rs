//! Create and update: every rule with the request that breaks it.

use serde_json::json;

use crate::harness::{INACTIVE, MANAGER, ROOT, Sim, territory};

const PATH: &str = "/crm/v8/settings/territories";

#[tokio::test]
async fn create_answers_201_with_ids_and_content_type() {
    let sim = Sim::start().await;
    let answer = sim.post(PATH, json!({"territories": [territory("EMEA", ROOT, json!({"manager": {"id": MANAGER}, "description": "Europe"}))]})).await;
    assert_eq!(answer.status, 201);
    assert_eq!(
        answer.content_type.as_deref(),
        Some("application/json;charset=UTF-8")
    );
    let item = &answer.items("territories")[0];
    assert_eq!(item["code"], "SUCCESS");
    assert_eq!(item["message"], "Territory Created Successfully");
    let id = item["details"]["id"].as_str().unwrap();
    let created = sim.territory("EMEA").unwrap();
    assert_eq!(created.id, id);
    assert_eq!(created.manager.as_deref(), Some(MANAGER));
    assert_eq!(created.reporting_to.as_deref(), Some(ROOT));
}

#[tokio::test]
async fn more_than_ten_items_is_refused() {
    let sim = Sim::start().await;
    let items: Vec<_> = (0..11)
        .map(|i| territory(&format!("T{i}"), ROOT, json!({})))
        .collect();
    let answer = sim.post(PATH, json!({"territories": items})).await;
    assert_eq!((answer.status, answer.code()), (400, "LIMIT_EXCEEDED"));
    assert_eq!(answer.body["details"]["limit"], 10);
    assert!(sim.territory("T0").is_none());
}

#[tokio::test]
async fn missing_territories_key_is_mandatory_not_found() {
    let sim = Sim::start().await;
    let answer = sim.post(PATH, json!({"data": []})).await;
    assert_eq!((answer.status, answer.code()), (400, "MANDATORY_NOT_FOUND"));
}

#[tokio::test]
async fn name_rules() {
    let sim = Sim::start().await;
    let long = "x".repeat(51);
    let answer = sim
        .post(PATH, json!({"territories": [territory(&long, ROOT, json!({})), territory("A&B", ROOT, json!({})), {"reporting_to": {"id": ROOT}, "permission_type": "read_only"}]}))
        .await;
    assert_eq!(answer.status, 400);
    let items = answer.items("territories");
    assert_eq!(items[0]["code"], "INVALID_DATA");
    assert_eq!(items[0]["details"]["maximum_length"], 50);
    assert_eq!(items[0]["details"]["json_path"], "$.territories[0].name");
    assert_eq!(items[1]["code"], "INVALID_DATA");
    assert_eq!(items[1]["details"]["api_name"], "name");
    assert_eq!(items[2]["code"], "MANDATORY_NOT_FOUND");
    assert_eq!(items[2]["details"]["api_name"], "name");
}

#[tokio::test]
async fn duplicate_names_in_org_and_in_request_case_insensitive() {
    let sim = Sim::start().await;
    sim.create(ROOT, &["Europe"]).await;
    let answer = sim
        .post(PATH, json!({"territories": [territory("EUROPE", ROOT, json!({})), territory("Asia", ROOT, json!({})), territory("asia", ROOT, json!({}))]}))
        .await;
    assert_eq!(answer.status, 400);
    let items = answer.items("territories");
    assert_eq!(items[0]["message"], "Given Territory name already exists");
    assert_eq!(items[1]["message"], "Duplicate Territory Name Found");
    assert_eq!(answer.codes("territories"), ["DUPLICATE_DATA"; 3]);
    // A root named like the org also counts.
    let root = sim
        .post(
            PATH,
            json!({"territories": [territory("zylker", ROOT, json!({}))]}),
        )
        .await;
    assert_eq!(root.codes("territories"), ["DUPLICATE_DATA"]);
}

#[tokio::test]
async fn mixed_results_answer_207_in_request_order() {
    let sim = Sim::start().await;
    let answer = sim
        .post(PATH, json!({"territories": [territory("Good", ROOT, json!({})), territory("Bad", "1", json!({}))]}))
        .await;
    assert_eq!(answer.status, 207);
    assert_eq!(answer.codes("territories"), ["SUCCESS", "INVALID_DATA"]);
    assert_eq!(
        answer.items("territories")[1]["details"]["api_name"],
        "reporting_to"
    );
    assert!(sim.territory("Good").is_some());
    assert!(sim.territory("Bad").is_none());
}

#[tokio::test]
async fn manager_must_be_an_active_user() {
    let sim = Sim::start().await;
    let answer = sim
        .post(
            PATH,
            json!({"territories": [
                territory("A", ROOT, json!({"manager": {"id": INACTIVE}})),
                territory("B", ROOT, json!({"manager": {"id": "42"}})),
            ]}),
        )
        .await;
    assert_eq!(answer.codes("territories"), ["NOT_ALLOWED", "INVALID_DATA"]);
    assert_eq!(answer.items("territories")[0]["message"], "Inactive User");
    assert_eq!(
        answer.items("territories")[1]["details"]["api_name"],
        "manager"
    );
}

#[tokio::test]
async fn permission_type_must_be_known() {
    let sim = Sim::start().await;
    let answer = sim
        .post(
            PATH,
            json!({"territories": [territory("A", ROOT, json!({"permission_type": "admin"}))]}),
        )
        .await;
    assert_eq!(answer.codes("territories"), ["INVALID_DATA"]);
    assert_eq!(
        answer.items("territories")[0]["details"]["supported_values"],
        json!(["read_only", "read_write_delete"])
    );
}

#[tokio::test]
async fn org_territory_limit() {
    let sim = Sim::with(|s| s.limits.territories = 3, Default::default()).await;
    let answer = sim
        .post(PATH, json!({"territories": [territory("A", ROOT, json!({})), territory("B", ROOT, json!({}))]}))
        .await;
    assert_eq!(answer.status, 207);
    assert_eq!(answer.codes("territories"), ["SUCCESS", "LIMIT_EXCEEDED"]);
    assert_eq!(answer.items("territories")[1]["details"]["limit"], 3);
    assert_eq!(
        answer.items("territories")[1]["message"],
        "Territory Limit reached"
    );
}

#[tokio::test]
async fn update_is_partial_and_null_clears() {
    let sim = Sim::start().await;
    sim.post(PATH, json!({"territories": [territory("A", ROOT, json!({"manager": {"id": MANAGER}, "description": "d"}))]})).await;
    let id = sim.territory("A").unwrap().id;
    let answer = sim
        .put(
            PATH,
            json!({"territories": [{"id": id, "description": null, "permission_type": "read_only"}]}),
        )
        .await;
    assert_eq!(
        (answer.status, answer.codes("territories")),
        (200, vec!["SUCCESS"])
    );
    assert_eq!(
        answer.items("territories")[0]["message"],
        "Territory Updated Successfully"
    );
    let after = sim.territory("A").unwrap();
    assert_eq!(after.description, None);
    assert_eq!(
        after.manager.as_deref(),
        Some(MANAGER),
        "keys not sent are untouched"
    );
    let cleared = sim
        .put(
            &format!("{PATH}/{id}"),
            json!({"territories": [{"manager": null, "permission_type": "read_only"}]}),
        )
        .await;
    assert_eq!(cleared.status, 200);
    assert_eq!(sim.territory("A").unwrap().manager, None);
}

#[tokio::test]
async fn update_needs_an_id_and_a_known_one() {
    let sim = Sim::start().await;
    let answer = sim
        .put(
            PATH,
            json!({"territories": [{"name": "X"}, {"id": "1", "name": "Y"}]}),
        )
        .await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.codes("territories"),
        ["MANDATORY_NOT_FOUND", "INVALID_DATA"]
    );
    let by_id = sim
        .put(
            &format!("{PATH}/1"),
            json!({"territories": [{"name": "Y"}]}),
        )
        .await;
    assert_eq!((by_id.status, by_id.code()), (400, "INVALID_DATA"));
    assert_eq!(by_id.body["details"]["resource_path_index"], 2);
}

#[tokio::test]
async fn cyclic_reporting_to_is_not_allowed() {
    let sim = Sim::start().await;
    let parent = sim.create(ROOT, &["Parent"]).await.remove(0);
    let child = sim.create(&parent, &["Child"]).await.remove(0);
    let answer = sim.put(PATH, json!({"territories": [{"id": parent, "reporting_to": {"id": child}}, {"id": child, "reporting_to": {"id": child}}]})).await;
    assert_eq!(answer.codes("territories"), ["NOT_ALLOWED", "NOT_ALLOWED"]);
    assert_eq!(
        answer.items("territories")[0]["details"]["api_name"],
        "reporting_to"
    );
    assert_eq!(
        sim.territory("Parent").unwrap().reporting_to.as_deref(),
        Some(ROOT)
    );
}

#[tokio::test]
async fn root_can_only_be_renamed() {
    let sim = Sim::start().await;
    let refused = sim
        .put(
            PATH,
            json!({"territories": [{"id": ROOT, "description": "mine"}]}),
        )
        .await;
    assert_eq!(refused.codes("territories"), ["NOT_ALLOWED"]);
    let renamed = sim
        .put(
            PATH,
            json!({"territories": [{"id": ROOT, "name": "Zylker Inc"}]}),
        )
        .await;
    assert_eq!(renamed.codes("territories"), ["SUCCESS"]);
    assert!(
        sim.territory("Zylker Inc")
            .is_some_and(|t| t.reporting_to.is_none())
    );
}

#[tokio::test]
async fn by_id_update_takes_exactly_one_item() {
    let sim = Sim::start().await;
    let id = sim.create(ROOT, &["A"]).await.remove(0);
    let answer = sim
        .put(
            &format!("{PATH}/{id}"),
            json!({"territories": [{"name": "B"}, {"name": "C"}]}),
        )
        .await;
    assert_eq!((answer.status, answer.code()), (400, "LIMIT_EXCEEDED"));
}

#[tokio::test]
async fn unknown_keys_are_invalid() {
    let sim = Sim::start().await;
    let answer = sim
        .post(
            PATH,
            json!({"territories": [territory("A", ROOT, json!({"api_name": "A"}))]}),
        )
        .await;
    assert_eq!(answer.codes("territories"), ["INVALID_DATA"]);
    assert_eq!(
        answer.items("territories")[0]["details"]["api_name"],
        "api_name"
    );
}

#[tokio::test]
async fn disabled_territory_management_is_feature_not_enabled() {
    let sim = Sim::with(|s| s.flags.territories_enabled = false, Default::default()).await;
    let answer = sim.get(PATH).await;
    assert_eq!((answer.status, answer.code()), (400, "FEATURE_NOT_ENABLED"));
}

#[tokio::test]
async fn update_needs_permission_type_as_the_update_page_says() {
    let sim = Sim::start().await;
    let id = sim.create(ROOT, &["A"]).await.remove(0);
    let answer = sim
        .put(
            PATH,
            json!({"territories": [{"id": id, "description": "x"}]}),
        )
        .await;
    assert_eq!(
        (answer.status, answer.codes("territories")),
        (400, vec!["MANDATORY_NOT_FOUND"])
    );
    assert_eq!(
        answer.items("territories")[0]["details"]["api_name"],
        "permission_type"
    );
    // The root takes its own permission_type along with a rename.
    let root = sim.put(PATH, json!({"territories": [{"id": ROOT, "name": "Zylker Group", "permission_type": "read_only"}]})).await;
    assert_eq!(root.codes("territories"), ["SUCCESS"]);
    let relaxed = Sim::with(
        |s| s.flags.permission_type_optional_on_update = true,
        Default::default(),
    )
    .await;
    let id = relaxed.create(ROOT, &["A"]).await.remove(0);
    let answer = relaxed
        .put(
            PATH,
            json!({"territories": [{"id": id, "description": "x"}]}),
        )
        .await;
    assert_eq!(answer.codes("territories"), ["SUCCESS"]);
}

#[tokio::test]
async fn wrong_method_is_invalid_request_method() {
    let sim = Sim::start().await;
    let answer = sim
        .call(reqwest::Method::PATCH, PATH, Some(json!({})))
        .await;
    assert_eq!(
        (answer.status, answer.code()),
        (400, "INVALID_REQUEST_METHOD")
    );
}
