//! Records: reading their territories, assign and remove, offloaded jobs.

use serde_json::{Value, json};

use crate::harness::{ACCOUNT, ADMIN, AUTO, CONTACT, DEAL, LEAD, LOCKED_ACCOUNT, ROOT, Sim};

fn body(record: &str, territories: &[&str]) -> Value {
    let territories: Vec<Value> = territories.iter().map(|id| json!({"id": id})).collect();
    json!({"data": [{"id": record, "Territories": territories}]})
}

#[tokio::test]
async fn assign_then_read_with_metadata() {
    let sim = Sim::start().await;
    let id = sim.create(ROOT, &["South"]).await.remove(0);
    let answer = sim
        .post(
            "/crm/v8/Accounts/actions/assign_territories",
            body(ACCOUNT, &[&id]),
        )
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.items("data")[0]["message"],
        "the territories data updated successfully"
    );
    assert_eq!(answer.items("data")[0]["details"], json!({"id": ACCOUNT}));
    let record = sim.get(&format!("/crm/v8/Accounts/{ACCOUNT}")).await;
    let territories = record.body["data"][0]["Territories"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(territories.len(), 2);
    assert_eq!(territories[0]["$assigned"], "automatically");
    assert_eq!(territories[0]["$assigned_by"], Value::Null);
    assert_eq!(territories[1]["Name"], "South");
    assert_eq!(territories[1]["$assigned"], "manually");
    assert_eq!(
        territories[1]["$assigned_by"],
        json!({"name": "Patricia Boyle", "id": ADMIN})
    );
    assert!(territories[1]["$assigned_time"].as_str().is_some());
    assert_eq!(sim.get("/crm/v8/Accounts/1").await.status, 204);
}

#[tokio::test]
async fn list_by_ids_needs_fields() {
    let sim = Sim::start().await;
    let missing = sim.get(&format!("/crm/v8/Accounts?ids={ACCOUNT}")).await;
    assert_eq!(missing.body["details"]["param_name"], "fields");
    let answer = sim
        .get(&format!(
            "/crm/v8/Accounts?ids={ACCOUNT},{LOCKED_ACCOUNT}&fields=Territories&"
        ))
        .await;
    assert_eq!(answer.items("data").len(), 2);
    assert!(answer.items("data")[0].get("Account_Name").is_none());
    assert_eq!(answer.body["info"]["count"], 2);
}

#[tokio::test]
async fn deals_take_one_territory_others_ten() {
    let sim = Sim::start().await;
    let mut ids = sim
        .create(ROOT, &["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"])
        .await;
    ids.extend(sim.create(ROOT, &["K"]).await);
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let deal = sim
        .post(
            "/crm/v8/Deals/actions/assign_territories",
            body(DEAL, &ids[..2]),
        )
        .await;
    assert_eq!(
        (deal.status, deal.codes("data")),
        (400, vec!["LIMIT_EXCEEDED"])
    );
    assert_eq!(
        deal.items("data")[0]["details"],
        json!({"api_name": "Territories", "json_path": "$.data[0].Territories", "limit": 1})
    );
    let contact = sim
        .post(
            "/crm/v8/Contacts/actions/assign_territories",
            body(CONTACT, &ids[..10]),
        )
        .await;
    assert_eq!(contact.codes("data"), ["SUCCESS"]);
    let more = sim
        .post(
            "/crm/v8/Contacts/actions/assign_territories",
            body(CONTACT, &ids[10..]),
        )
        .await;
    assert_eq!(more.items("data")[0]["details"]["limit"], 10);
}

#[tokio::test]
async fn leads_answer_territory_not_enabled() {
    let sim = Sim::start().await;
    let answer = sim
        .post(
            "/crm/v8/Leads/actions/assign_territories",
            body(LEAD, &[AUTO]),
        )
        .await;
    assert_eq!(
        (answer.status, answer.code()),
        (403, "TERRITORY_NOT_ENABLED")
    );
    let remove = sim
        .post(
            "/crm/v8/Leads/actions/remove_territories",
            body(LEAD, &[AUTO]),
        )
        .await;
    assert_eq!(remove.status, 403);
}

#[tokio::test]
async fn removing_system_assigned_or_unassigned_territories() {
    let sim = Sim::start().await;
    let id = sim.create(ROOT, &["X"]).await.remove(0);
    let auto = sim
        .post(
            "/crm/v8/Accounts/actions/remove_territories",
            body(ACCOUNT, &[AUTO]),
        )
        .await;
    assert_eq!(
        (auto.status, auto.codes("data")),
        (403, vec!["NOT_ALLOWED"])
    );
    let unassigned = sim
        .post(
            "/crm/v8/Accounts/actions/remove_territories",
            body(ACCOUNT, &[&id]),
        )
        .await;
    assert_eq!(
        (unassigned.status, unassigned.codes("data")),
        (400, vec!["INVALID_DATA"])
    );
    assert_eq!(
        unassigned.items("data")[0]["message"],
        "the id given seems to be invalid"
    );
    sim.post(
        "/crm/v8/Accounts/actions/assign_territories",
        body(ACCOUNT, &[&id]),
    )
    .await;
    let removed = sim
        .post(
            &format!("/crm/v8/Accounts/{ACCOUNT}/actions/remove_territories"),
            json!({"data": [{"Territories": [{"id": id}]}]}),
        )
        .await;
    assert_eq!(removed.codes("data"), ["SUCCESS"]);
    assert_eq!(
        sim.server.state().records["Accounts"][0].territories.len(),
        1
    );
}

#[tokio::test]
async fn duplicate_already_used_locked_and_unknown() {
    let sim = Sim::start().await;
    let id = sim.create(ROOT, &["X"]).await.remove(0);
    let answer = sim
        .post(
            "/crm/v8/Accounts/actions/assign_territories",
            json!({"data": [
                {"id": ACCOUNT, "Territories": [{"id": AUTO}]},
                {"id": ACCOUNT, "Territories": [{"id": id}, {"id": id}]},
                {"id": LOCKED_ACCOUNT, "Territories": [{"id": id}]},
                {"id": "1", "Territories": [{"id": id}]},
                {"id": ACCOUNT, "Territories": [{"id": "2"}]},
                {"id": ACCOUNT, "Territories": []},
                {"Territories": [{"id": id}]},
            ]}),
        )
        .await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.codes("data"),
        [
            "DUPLICATE_DATA",
            "ALREADY_USED",
            "RECORD_LOCKED",
            "INVALID_DATA",
            "INVALID_DATA",
            "MANDATORY_NOT_FOUND",
            "MANDATORY_NOT_FOUND"
        ]
    );
    let items = answer.items("data");
    assert_eq!(
        items[1]["details"]["exists_in"]["json_path"],
        "$.data[1].Territories[0].id"
    );
    assert_eq!(
        items[2]["details"],
        json!({"id": LOCKED_ACCOUNT, "action": "record_locking"})
    );
    assert_eq!(
        items[3]["message"],
        "The record Id given seems to be invalid"
    );
}

#[tokio::test]
async fn mixed_assign_is_207_and_more_than_ten_records_refused() {
    let sim = Sim::start().await;
    let id = sim.create(ROOT, &["X"]).await.remove(0);
    let mixed = sim
        .post(
            "/crm/v8/Accounts/actions/assign_territories",
            json!({"data": [
                {"id": ACCOUNT, "Territories": [{"id": id}]},
                {"id": LOCKED_ACCOUNT, "Territories": [{"id": id}]},
            ]}),
        )
        .await;
    assert_eq!(
        (mixed.status, mixed.codes("data")),
        (207, vec!["SUCCESS", "RECORD_LOCKED"])
    );
    let records: Vec<Value> = (0..11)
        .map(|_| json!({"id": ACCOUNT, "Territories": [{"id": id}]}))
        .collect();
    let many = sim
        .post(
            "/crm/v8/Accounts/actions/assign_territories",
            json!({"data": records}),
        )
        .await;
    assert_eq!((many.status, many.code()), (400, "LIMIT_EXCEEDED"));
}

#[tokio::test]
async fn modules_outside_the_four_are_refused() {
    let sim = Sim::start().await;
    let tasks = sim
        .post(
            "/crm/v8/Tasks/actions/assign_territories",
            body("1", &[AUTO]),
        )
        .await;
    assert_eq!((tasks.status, tasks.code()), (400, "NOT_SUPPORTED"));
    let unknown = sim.get("/crm/v8/Widgets/1").await;
    assert_eq!((unknown.status, unknown.code()), (400, "INVALID_MODULE"));
}

#[tokio::test]
async fn offloaded_org_schedules_jobs() {
    let sim = Sim::with(
        |s| s.flags.offload_parent_territory = true,
        Default::default(),
    )
    .await;
    let id = sim.create(ROOT, &["X"]).await.remove(0);
    let answer = sim
        .post(
            "/crm/v8/Accounts/actions/assign_territories",
            body(ACCOUNT, &[&id]),
        )
        .await;
    assert_eq!(answer.status, 202);
    let item = &answer.items("data")[0];
    assert_eq!(item["code"], "SUCCESS");
    assert_eq!(
        item["message"],
        "Territory assignment process scheduled successfully"
    );
    let job = item["details"]["job_id"].as_str().unwrap().to_owned();
    let info = sim.get(&format!("/crm/v8/Accounts/actions/get_feature_specific_info?features=territory_scheduled_jobs&ids={ACCOUNT}")).await;
    assert_eq!(info.status, 200);
    let jobs = &info.body["data"][0]["territory_scheduled_jobs"];
    assert_eq!(jobs[0]["job_id"], job.as_str());
    assert_eq!(jobs[0]["source"], "manual_territory_assignment");
    let none = sim.get(&format!("/crm/v8/Accounts/{LOCKED_ACCOUNT}/actions/get_feature_specific_info?features=territory_scheduled_jobs")).await;
    assert_eq!(none.status, 204);
}
