//! Territory membership from both sides: the manager-is-a-member rule, the refusals, the
//! per-territory limit, `associated_users_count` and `/users/{id}/territories`.

use serde_json::json;

use crate::harness::{ADMIN, DELETED, INACTIVE, MANAGER, ROOT, Sim, territory};

const PATH: &str = "/crm/v8/settings/territories";

#[tokio::test]
async fn a_territorys_manager_is_one_of_its_users_and_cannot_be_removed() {
    let sim = Sim::start().await;
    let answer = sim
        .post(
            PATH,
            json!({"territories": [territory("Sales", ROOT, json!({"manager": {"id": MANAGER}}))]}),
        )
        .await;
    assert_eq!(answer.codes("territories"), ["SUCCESS"]);
    let id = sim.territory("Sales").expect("created").id;
    let users = sim.get(&format!("{PATH}/{id}/users")).await;
    assert_eq!(users.items("users")[0]["id"], MANAGER);
    let refused = sim
        .delete(&format!("{PATH}/{id}/users?ids={MANAGER}"))
        .await;
    assert_eq!(refused.codes("users"), ["NOT_ALLOWED"]);
    assert_eq!(sim.territory("Sales").expect("kept").users, [MANAGER]);
    // Once the manager changes, the old one may be removed.
    let changed = sim
        .put(
            PATH,
            json!({"territories": [{"id": id, "manager": null, "permission_type": "read_only"}]}),
        )
        .await;
    assert_eq!(changed.codes("territories"), ["SUCCESS"]);
    let removed = sim.delete(&format!("{PATH}/{id}/users/{MANAGER}")).await;
    assert_eq!(removed.codes("users"), ["SUCCESS"]);
}

#[tokio::test]
async fn inactive_and_deleted_users_are_refused_and_the_limit_is_told() {
    let sim = Sim::with(|s| s.limits.users_per_territory = 1, Default::default()).await;
    let id = sim.create(ROOT, &["Sales"]).await.remove(0);
    let answer = sim
        .put(
            &format!("{PATH}/{id}/users"),
            json!({"users": [{"id": INACTIVE}, {"id": DELETED}, {"id": MANAGER}, {"id": ADMIN}]}),
        )
        .await;
    assert_eq!(
        answer.codes("users"),
        ["INVALID_DATA", "INVALID_DATA", "SUCCESS", "LIMIT_EXCEEDED"]
    );
    let items = answer.items("users");
    assert_eq!(items[0]["details"]["owner_status"], "inactive");
    assert_eq!(items[1]["details"]["owner_status"], "deleted");
    assert_eq!(items[3]["details"]["limit"], 1);
    assert_eq!(
        items[3]["message"],
        "Maximum Users Limit reached for a territory"
    );
    assert_eq!(sim.territory("Sales").expect("kept").users, [MANAGER]);
}

#[tokio::test]
async fn associated_users_count_is_paged_in_zohos_envelope() {
    let sim = Sim::start().await;
    let count = format!("{PATH}/actions/associated_users_count");
    assert_eq!(sim.get(&count).await.status, 204);
    let ids = sim.create(ROOT, &["A", "B", "C"]).await;
    for (id, users) in [(&ids[0], vec![MANAGER, ADMIN]), (&ids[1], vec![MANAGER])] {
        let body: Vec<_> = users.iter().map(|u| json!({"id": u})).collect();
        let added = sim
            .put(&format!("{PATH}/{id}/users"), json!({"users": body}))
            .await;
        assert_eq!(added.status, 200, "{}", added.body);
    }
    let first = sim.get(&format!("{count}?per_page=1")).await;
    assert_eq!(
        first.body,
        json!({"associated_users_count": [{"count": 2, "territory": {"id": ids[0], "name": "A"}}],
               "info": {"per_page": 1, "count": 1, "page": 1, "more_records": true}})
    );
    let second = sim.get(&format!("{count}?per_page=1&page=2")).await;
    assert_eq!(
        second.body["associated_users_count"][0],
        json!({"count": 1, "territory": {"id": ids[1], "name": "B"}})
    );
    assert_eq!(second.body["info"]["more_records"], false);
}

#[tokio::test]
async fn a_users_territories_are_read_associated_and_removed() {
    let sim = Sim::start().await;
    let ids = sim.create(ROOT, &["A", "B"]).await;
    let path = format!("/crm/v8/users/{MANAGER}/territories");
    assert_eq!(sim.get(&path).await.status, 204);
    let added = sim
        .put(
            &path,
            json!({"territories": [{"id": ids[0]}, {"id": ids[1]}, {"id": ids[0]}, {"id": "1"}]}),
        )
        .await;
    assert_eq!(
        (added.status, added.codes("territories")),
        (
            207,
            vec!["SUCCESS", "SUCCESS", "DUPLICATE_DATA", "INVALID_DATA"]
        )
    );
    let items = added.items("territories");
    assert_eq!(
        items[0]["message"],
        "Territory associated to the user successfully"
    );
    assert_eq!(items[0]["details"]["id"], ids[0]);
    assert_eq!(
        items[2]["message"],
        "Territory already associated with the user"
    );
    assert_eq!(items[3]["message"], "Invalid Territory Id");
    let listed = sim.get(&path).await;
    assert_eq!(
        listed.body["territories"][0],
        json!({"id": ids[0], "Name": "A", "Manager": {"Name": null, "id": null},
               "Reporting_To": {"Name": "Zylker", "id": ROOT}})
    );
    assert_eq!(listed.body["info"]["count"], 2);
    let one = sim.get(&format!("{path}/{}", ids[1])).await;
    assert_eq!(one.body["territories"][0]["Name"], "B");
    // The same membership seen from the territory.
    let users = sim.get(&format!("{PATH}/{}/users", ids[1])).await;
    assert_eq!(users.items("users")[0]["id"], MANAGER);
    let removed = sim.delete(&format!("{path}?ids={}", ids[0])).await;
    assert_eq!(
        removed.items("territories")[0]["message"],
        "Territory removed from the user successfully"
    );
    let removed_one = sim.delete(&format!("{path}/{}", ids[1])).await;
    assert_eq!(removed_one.codes("territories"), ["SUCCESS"]);
    assert_eq!(sim.get(&path).await.status, 204);
    let state = sim.server.state();
    assert!(state.territories.iter().all(|t| t.users.is_empty()));
}

#[tokio::test]
async fn the_tokens_own_user_cannot_change_their_territories() {
    let sim = Sim::start().await;
    let id = sim.create(ROOT, &["A"]).await.remove(0);
    let answer = sim
        .put(
            &format!("/crm/v8/users/{ADMIN}/territories"),
            json!({"territories": [{"id": id}]}),
        )
        .await;
    assert_eq!((answer.status, answer.code()), (403, "NOT_ALLOWED"));
    let unknown = sim.get("/crm/v8/users/1/territories").await;
    assert_eq!((unknown.status, unknown.code()), (400, "INVALID_DATA"));
}

/// Users that exist and are active, `n` of them, with 19-digit ids.
fn many_users(state: &mut zoho_crm_sim::State, n: usize) -> Vec<String> {
    let template = state.users[0].clone();
    (0..n)
        .map(|i| {
            let mut user = template.clone();
            user.id = format!("57257670000{i:08}");
            user.email = format!("user{i}@zylker.example");
            state.users.push(user.clone());
            user.id
        })
        .collect()
}

#[tokio::test]
async fn more_than_100_users_in_one_call_is_limit_exceeded_and_adds_none() {
    let mut ids = Vec::new();
    let sim = Sim::with(|s| ids = many_users(s, 101), Default::default()).await;
    let territory = sim.create(ROOT, &["Sales"]).await.remove(0);
    let body: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
    let refused = sim
        .put(&format!("{PATH}/{territory}/users"), json!({"users": body}))
        .await;
    assert_eq!((refused.status, refused.code()), (400, "LIMIT_EXCEEDED"));
    assert_eq!(refused.body["details"]["limit"], 100);
    assert!(sim.territory("Sales").expect("kept").users.is_empty());
    // At the limit, all go in.
    let accepted = sim
        .put(
            &format!("{PATH}/{territory}/users"),
            json!({"users": body[..100]}),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert_eq!(sim.territory("Sales").expect("kept").users.len(), 100);
}

#[tokio::test]
async fn territory_users_page_at_20_unless_asked_and_ids_are_at_most_500_characters() {
    let mut ids = Vec::new();
    let sim = Sim::with(|s| ids = many_users(s, 30), Default::default()).await;
    let territory = sim.create(ROOT, &["Sales"]).await.remove(0);
    let body: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
    let path = format!("{PATH}/{territory}/users");
    sim.put(&path, json!({"users": body})).await;
    let first = sim.get(&path).await;
    assert_eq!(
        first.body["info"],
        json!({"per_page": 20, "count": 20, "page": 1, "more_records": true})
    );
    let all = sim.get(&format!("{path}?per_page=200")).await;
    assert_eq!(all.body["info"]["count"], 30);
    assert_eq!(all.body["info"]["more_records"], false);

    // 26 ids of 19 digits and their commas make 519 characters: refused, nothing removed.
    let long = ids[..26].join(",");
    assert!(long.len() > 500);
    let refused = sim.delete(&format!("{path}?ids={long}")).await;
    assert_eq!((refused.status, refused.code()), (400, "INVALID_DATA"));
    assert_eq!(refused.body["details"]["param_name"], "ids");
    assert_eq!(sim.territory("Sales").expect("kept").users.len(), 30);
    let short = ids[..25].join(",");
    assert!(short.len() <= 500);
    let removed = sim.delete(&format!("{path}?ids={short}")).await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert_eq!(sim.territory("Sales").expect("kept").users.len(), 5);
}

#[tokio::test]
async fn a_new_manager_joins_the_users_and_the_old_one_stays() {
    let sim = Sim::start().await;
    let created = sim
        .post(
            PATH,
            json!({"territories": [territory("Sales", ROOT, json!({"manager": {"id": MANAGER}}))]}),
        )
        .await;
    assert_eq!(created.codes("territories"), ["SUCCESS"]);
    let id = sim.territory("Sales").expect("created").id;
    let changed = sim
        .put(
            PATH,
            json!({"territories": [{"id": id, "manager": {"id": ADMIN}, "permission_type": "read_only"}]}),
        )
        .await;
    assert_eq!(changed.codes("territories"), ["SUCCESS"]);
    assert_eq!(
        sim.territory("Sales").expect("kept").users,
        [MANAGER, ADMIN]
    );
    // The old manager is an ordinary member now, and may go.
    let removed = sim
        .delete(&format!("{PATH}/{id}/users?ids={MANAGER}"))
        .await;
    assert_eq!(removed.codes("users"), ["SUCCESS"]);
    let refused = sim.delete(&format!("{PATH}/{id}/users?ids={ADMIN}")).await;
    assert_eq!(refused.codes("users"), ["NOT_ALLOWED"]);
}
