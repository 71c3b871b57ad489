//! The mismatches with Zoho's documentation that issue #18 lists, each with the request that
//! showed it.

use reqwest::Method;
use serde_json::json;

use crate::harness::{ACCOUNT, MANAGER, ROOT, Sim, territory};

const PATH: &str = "/crm/v8/settings/territories";

/// #18.1: territory writes with the feature off answer 403, as the Update Territories seed
/// page documents: TERRITORY_NOT_ENABLED when it was never on, TERRITORY_DISABLED when it was
/// switched off. Reads keep FEATURE_NOT_ENABLED (zoho-api.md section 4).
#[tokio::test]
async fn writes_with_territories_off_answer_the_seed_pages_403_codes() {
    let never = Sim::with(|s| s.flags.territories_enabled = false, Default::default()).await;
    let off = Sim::with(|s| s.flags.territories_disabled = true, Default::default()).await;
    for (sim, code, message) in [
        (
            &never,
            "TERRITORY_NOT_ENABLED",
            "the territory feature is not enabled",
        ),
        (
            &off,
            "TERRITORY_DISABLED",
            "the territory feature is disabled",
        ),
    ] {
        let create = sim
            .post(
                PATH,
                json!({"territories": [territory("A", ROOT, json!({}))]}),
            )
            .await;
        let update = sim
            .put(
                PATH,
                json!({"territories": [{"id": ROOT, "name": "Z", "permission_type": "read_only"}]}),
            )
            .await;
        let delete = sim
            .delete(&format!(
                "{PATH}?ids={ROOT}&delete_previous_forecasts=false"
            ))
            .await;
        for answer in [create, update, delete] {
            assert_eq!(
                (answer.status, answer.code()),
                (403, code),
                "{}",
                answer.body
            );
            assert_eq!(answer.body["message"], message);
        }
        let read = sim.get(PATH).await;
        assert_eq!((read.status, read.code()), (400, "FEATURE_NOT_ENABLED"));
    }
    assert!(never.territory("A").is_none() && off.territory("A").is_none());
}

/// #18.2: a rule on a record lookup echoes the record's name, as user lookups echo the user's.
#[tokio::test]
async fn a_record_lookup_rule_echoes_the_records_name() {
    let sim = Sim::with(
        |s| {
            let deals = s.fields.get_mut("Deals").expect("Deals fields");
            let mut account = deals[0].clone();
            account.id = "5725767000000099001".to_owned();
            account.api_name = "Account_Name".to_owned();
            account.field_label = "Account Name".to_owned();
            account.data_type = "lookup".to_owned();
            deals.push(account);
        },
        Default::default(),
    )
    .await;
    let rule = json!({"field": {"api_name": "Account_Name"}, "comparator": "equal", "value": {"id": ACCOUNT}});
    let answer = sim
        .post(
            PATH,
            json!({"territories": [territory("Labs", ROOT, json!({"deal_rule_criteria": rule}))]}),
        )
        .await;
    assert_eq!(answer.codes("territories"), ["SUCCESS"], "{}", answer.body);
    let id = sim.territory("Labs").expect("created").id;
    let read = sim
        .get(&format!("{PATH}/{id}?include=deal_rule_criteria"))
        .await;
    assert_eq!(
        read.body["territories"][0]["deal_rule_criteria"]["value"],
        json!({"id": ACCOUNT, "name": "Zylker Labs"})
    );
}

/// #18.4: the official Python SDK sends ids as JSON numbers, the criteria field id included.
#[tokio::test]
async fn numeric_ids_are_taken_in_criteria_too() {
    let sim = Sim::start().await;
    let fields = sim.get("/crm/v8/settings/fields?module=Accounts").await;
    let country = fields.body["fields"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["api_name"] == "Billing_Country"))
        .expect("Billing_Country")["id"]
        .as_str()
        .expect("a string id")
        .parse::<u64>()
        .expect("a numeric id");
    let manager: u64 = MANAGER.parse().expect("numeric");
    let owner = json!({"field": {"api_name": "Owner", "id": null}, "comparator": "equal", "value": {"id": manager}});
    let rule = json!({"group_operator": "AND", "group": [
        {"field": {"api_name": "Billing_Country", "id": country}, "comparator": "equal", "value": "Germany"},
        owner,
    ]});
    let answer = sim
        .post(
            PATH,
            json!({"territories": [territory("DE", ROOT, json!({"account_rule_criteria": rule}))]}),
        )
        .await;
    assert_eq!(answer.codes("territories"), ["SUCCESS"], "{}", answer.body);
    let read = sim
        .get(&format!(
            "{PATH}/{}?include=account_rule_criteria",
            sim.territory("DE").expect("created").id
        ))
        .await;
    let group = &read.body["territories"][0]["account_rule_criteria"]["group"];
    assert_eq!(group[0]["field"]["id"], country.to_string());
    assert_eq!(
        group[1]["value"],
        json!({"id": MANAGER, "name": "Marco Rossi"})
    );
}

/// #18.5: Python's spelling of a boolean, as the official Python SDK sends it.
#[tokio::test]
async fn python_booleans_delete() {
    let sim = Sim::start().await;
    let ids = sim.create(ROOT, &["A", "B"]).await;
    let bulk = sim
        .delete(&format!(
            "{PATH}?ids={}&delete_previous_forecasts=False",
            ids[0]
        ))
        .await;
    assert_eq!(bulk.codes("territories"), ["SUCCESS"], "{}", bulk.body);
    let one = sim
        .delete(&format!("{PATH}/{}?delete_previous_forecasts=True", ids[1]))
        .await;
    assert_eq!(one.codes("territories"), ["SUCCESS"], "{}", one.body);
    let nonsense = sim
        .delete(&format!("{PATH}/{}?delete_previous_forecasts=no", ids[1]))
        .await;
    assert_eq!(nonsense.code(), "INVALID_DATA");
    assert!(sim.territory("A").is_none() && sim.territory("B").is_none());
}

/// #18.6: a URL Zoho does not know under `/settings/` is 404 INVALID_URL_PATTERN, not a
/// record of a module called `settings`.
#[tokio::test]
async fn unknown_settings_paths_are_invalid_url_pattern() {
    let sim = Sim::start().await;
    for path in [
        "/crm/v8/settings",
        "/crm/v8/settings/territoriez",
        "/crm/v8/settings/modules",
        "/crm/v8/settings/territories/x/y/z",
    ] {
        for method in [Method::GET, Method::POST] {
            let answer = sim.call(method.clone(), path, Some(json!({}))).await;
            assert_eq!(
                (answer.status, answer.code()),
                (404, "INVALID_URL_PATTERN"),
                "{method} {path}: {}",
                answer.body
            );
        }
    }
}

/// Creates Region under the root, Old under Region, Kid under Old, and Side beside Old;
/// returns their ids.
async fn tree(sim: &Sim) -> [String; 4] {
    let region = sim.create(ROOT, &["Region"]).await.remove(0);
    let mut level = sim.create(&region, &["Old", "Side"]).await;
    let side = level.remove(1);
    let old = level.remove(0);
    let kid = sim.create(&old, &["Kid"]).await.remove(0);
    [region, old, kid, side]
}

async fn transfer(sim: &Sim, id: &str, to: Option<&str>) -> crate::harness::Answer {
    let mut item = json!({"id": id, "delete_previous_forecasts": false});
    if let Some(to) = to {
        item["transfer_to_id"] = json!(to);
    }
    sim.post(
        &format!("{PATH}/actions/transfer_and_delete"),
        json!({"territories": [item]}),
    )
    .await
}

/// #18.3 and #18.8: the target of a transfer is higher in the hierarchy than the deleted
/// territory's parent: not a sibling, not the parent itself, not below.
#[tokio::test]
async fn transfer_targets_follow_the_hierarchy_rules_of_the_doc_pages() {
    let sim = Sim::start().await;
    let [region, old, _kid, side] = tree(&sim).await;
    for (target, message) in [
        (
            side.as_str(),
            "Transfer_to_id is not at a higher heirarchy than current parent territory",
        ),
        (
            region.as_str(),
            "Transfer_to_id is same as current parent territory",
        ),
    ] {
        let answer = transfer(&sim, &old, Some(target)).await;
        assert_eq!(
            answer.codes("territories"),
            ["INVALID_DATA"],
            "{}",
            answer.body
        );
        assert_eq!(answer.items("territories")[0]["message"], message);
    }
    assert!(sim.territory("Old").is_some());
    let answer = transfer(&sim, &old, Some(ROOT)).await;
    assert_eq!(answer.codes("territories"), ["SUCCESS"], "{}", answer.body);
    assert_eq!(
        sim.territory("Kid").and_then(|k| k.reporting_to),
        Some(ROOT.to_owned())
    );
}

/// The other reading of "current parent territory" (the deleted territory itself), behind a
/// flag: the parent is then a valid target, a sibling still is not.
#[tokio::test]
async fn transfer_to_the_parent_behind_a_flag() {
    let sim = Sim::with(
        |s| s.flags.transfer_to_parent_allowed = true,
        Default::default(),
    )
    .await;
    let [region, old, _kid, side] = tree(&sim).await;
    let sibling = transfer(&sim, &old, Some(&side)).await;
    assert_eq!(sibling.codes("territories"), ["INVALID_DATA"]);
    let parent = transfer(&sim, &old, Some(&region)).await;
    assert_eq!(parent.codes("territories"), ["SUCCESS"], "{}", parent.body);
    assert_eq!(
        sim.territory("Kid").and_then(|k| k.reporting_to),
        Some(region)
    );
}

/// #18.8: the doc pages mark `transfer_to_id` mandatory; only the OpenAPI file lets a
/// territory without children omit it (`flags.transfer_target_optional`).
#[tokio::test]
async fn a_transfer_item_needs_a_target_unless_the_openapi_reading_is_asked_for() {
    let sim = Sim::start().await;
    let leaf = sim.create(ROOT, &["Leaf"]).await.remove(0);
    let answer = transfer(&sim, &leaf, None).await;
    assert_eq!(answer.codes("territories"), ["MANDATORY_NOT_FOUND"]);
    assert_eq!(
        answer.items("territories")[0]["details"]["api_name"],
        "transfer_to_id"
    );
    assert!(sim.territory("Leaf").is_some());
    let relaxed = Sim::with(
        |s| s.flags.transfer_target_optional = true,
        Default::default(),
    )
    .await;
    let leaf = relaxed.create(ROOT, &["Leaf"]).await.remove(0);
    let answer = transfer(&relaxed, &leaf, None).await;
    assert_eq!(answer.codes("territories"), ["SUCCESS"]);
    assert!(relaxed.territory("Leaf").is_none());
}
