//! Territory membership through the client against the simulator: reads at the lower bound
//! (counts, then the cheaper of by territory and by user), and writes split at Zoho's limits
//! with per-user results.

use std::collections::BTreeSet;

use territoryctl::zoho::{ItemOutcome, ReadStrategy, count_pages, member_hint, read_costs};
use zoho_crm_sim::{Faults, State};

use super::harness::{Sim, add_territories};

const COUNT: &str = "/crm/{version}/settings/territories/actions/associated_users_count";
const TERRITORY_USERS: &str = "/crm/{version}/settings/territories/{id}/users";
const USER_TERRITORIES: &str = "/crm/{version}/users/{user_id}/territories";

/// An org of `territories` territories under the root and `users` active users (19-digit ids).
fn org(territories: usize, users: usize) -> State {
    let mut state = State::new_org("Acme Corp");
    state.limits.territories = territories + 10;
    add_territories(&mut state, territories);
    let template = state.users[0].clone();
    for index in 0..users {
        let mut user = template.clone();
        user.id = format!("41508680000{index:08}");
        user.email = format!("user{index}@acme.example");
        state.users.push(user);
    }
    state
}

fn user_ids(state: &State) -> Vec<String> {
    let mut ids: Vec<String> = state.users.iter().map(|user| user.id.clone()).collect();
    ids.sort();
    ids
}

fn territory_ids(state: &State) -> Vec<String> {
    state
        .territories
        .iter()
        .filter(|territory| territory.reporting_to.is_some())
        .map(|territory| territory.id.clone())
        .collect()
}

/// Puts user `u` in territory `t` whenever `member(t, u)`.
fn spread(state: &mut State, member: impl Fn(usize, usize) -> bool) {
    let users = user_ids(state);
    for (t, territory) in state
        .territories
        .iter_mut()
        .filter(|territory| territory.reporting_to.is_some())
        .enumerate()
    {
        territory.users = users
            .iter()
            .enumerate()
            .filter(|(u, _)| member(t, *u))
            .map(|(_, id)| id.clone())
            .collect();
    }
}

#[tokio::test]
async fn nothing_managed_reads_nothing() {
    let mut state = org(5, 3);
    spread(&mut state, |_, _| true);
    let mut sim = Sim::start(state).await;
    let client = sim.reader();
    let read = client.memberships(&BTreeSet::new(), &[]).await.unwrap();
    assert!(read.members.is_empty());
    assert_eq!(client.requests(), 0);
}

#[tokio::test]
async fn a_few_managed_territories_are_read_by_territory_at_the_lower_bound() {
    let mut state = org(40, 30);
    // Territory t has users t % 3 .. : some empty, some with a few.
    spread(&mut state, |t, u| t % 4 != 0 && u % 10 == t % 10);
    let territories = territory_ids(&state);
    let users = user_ids(&state);
    let managed: BTreeSet<String> = territories[..8].iter().cloned().collect();
    let expected = state.clone();
    let mut sim = Sim::start(state).await;
    let client = sim.reader();

    let read = sim.capture(client.memberships(&managed, &users).await.unwrap());

    assert_eq!(read.strategy, Some(ReadStrategy::ByTerritory));
    for id in &managed {
        let live = expected.territory(id).unwrap();
        let want: BTreeSet<String> = live.users.iter().cloned().collect();
        assert_eq!(read.members[id], want, "territory {id}");
    }
    // The lower bound: one page of counts, then one request per managed territory with users.
    let with_users = managed
        .iter()
        .filter(|id| !expected.territory(id).unwrap().users.is_empty())
        .count() as u64;
    let counters = sim.counters();
    assert_eq!(counters.get("GET", COUNT), 1);
    assert_eq!(counters.get("GET", TERRITORY_USERS), with_users);
    assert_eq!(counters.get("GET", USER_TERRITORIES), 0);
    assert_eq!(client.requests(), count_pages(30) + with_users);
}

#[tokio::test]
async fn every_territory_managed_and_few_users_are_read_by_user_at_the_lower_bound() {
    for (territories, users) in [(60, 12), (450, 25)] {
        let mut state = org(territories, users);
        spread(&mut state, |t, u| (t + u) % 5 == 0);
        let managed: BTreeSet<String> = territory_ids(&state).into_iter().collect();
        let users = user_ids(&state);
        let expected = state.clone();
        let mut sim = Sim::start(state).await;
        let client = sim.reader();

        let read = sim.capture(client.memberships(&managed, &users).await.unwrap());

        assert_eq!(read.strategy, Some(ReadStrategy::ByUser), "{territories}");
        for id in &managed {
            let want: BTreeSet<String> = expected
                .territory(id)
                .unwrap()
                .users
                .iter()
                .cloned()
                .collect();
            assert_eq!(read.members[id], want, "territory {id}");
        }
        let counts = client.member_counts().await.unwrap();
        let costs = read_costs(&counts, &managed, users.len());
        let counters = sim.counters();
        // Counted twice: by `memberships`, and once more just now.
        let pages = count_pages(counts.len());
        assert_eq!(counters.get("GET", COUNT), 2 * pages);
        // One request per user (nobody is in more than 200 territories), which the estimate
        // bounds from above and the other way exceeds.
        let by_user = users.len() as u64;
        assert_eq!(counters.get("GET", USER_TERRITORIES), by_user);
        assert_eq!(counters.get("GET", TERRITORY_USERS), 0);
        assert_eq!(client.requests(), 2 * pages + by_user);
        assert!(costs.by_user >= by_user && costs.by_territory > costs.by_user);
    }
}

#[tokio::test]
async fn by_user_still_finds_members_who_are_not_active() {
    let mut state = org(300, 4);
    spread(&mut state, |t, u| (t + u) % 2 == 0);
    // One member of the first territory is inactive: the active users do not list them.
    let first = territory_ids(&state)[0].clone();
    let inactive = state
        .territory(&first)
        .unwrap()
        .users
        .first()
        .unwrap()
        .clone();
    state
        .users
        .iter_mut()
        .find(|user| user.id == inactive)
        .unwrap()
        .status = "inactive".into();
    let managed: BTreeSet<String> = territory_ids(&state).into_iter().collect();
    let active: Vec<String> = state
        .users
        .iter()
        .filter(|user| user.status == "active")
        .map(|user| user.id.clone())
        .collect();
    let mut sim = Sim::start(state).await;
    let client = sim.reader();

    let read = sim.capture(client.memberships(&managed, &active).await.unwrap());

    assert_eq!(read.strategy, Some(ReadStrategy::ByUser));
    assert!(read.members[&first].contains(&inactive));
    assert!(read.emails[&inactive].ends_with("@acme.example"));
    // Every territory the inactive user is in is read once more by territory, and no other.
    assert_eq!(sim.counters().get("GET", TERRITORY_USERS), 150);
}

#[tokio::test]
async fn adds_go_100_a_request_and_a_member_already_is_done() {
    let state = org(1, 230);
    let territory = territory_ids(&state)[0].clone();
    let mut users = user_ids(&state);
    users.retain(|id| id.starts_with("41508680000"));
    let mut sim = Sim::start(state).await;
    sim.server()
        .update_state(|s| s.limits.users_per_territory = 1000);
    let client = sim.writer();
    let first = sim.capture(client.add_users(&territory, &users[..3]).await.unwrap());
    assert!(first.iter().all(|o| matches!(o, ItemOutcome::Done { .. })));

    let outcomes = sim.capture(client.add_users(&territory, &users).await.unwrap());

    assert_eq!(outcomes.len(), 230);
    for (outcome, user) in outcomes.iter().zip(&users) {
        assert!(
            matches!(outcome, ItemOutcome::Done { id, .. } if id == user),
            "{outcome:?}"
        );
    }
    // 3 ids, then 230 in three requests of at most 100.
    assert_eq!(sim.counters().get("PUT", TERRITORY_USERS), 4);
    let live = sim.server().state();
    assert_eq!(live.territory(&territory).unwrap().users.len(), 230);
}

#[tokio::test]
async fn removals_split_ids_at_500_characters_and_the_manager_is_refused_with_a_hint() {
    let mut state = org(1, 60);
    let territory = territory_ids(&state)[0].clone();
    spread(&mut state, |_, _| true);
    let mut users = user_ids(&state);
    users.retain(|id| id.starts_with("41508680000"));
    let manager = users[0].clone();
    state.territory_mut(&territory).unwrap().manager = Some(manager.clone());
    let mut sim = Sim::start(state).await;
    let client = sim.writer();

    let outcomes = sim.capture(client.remove_users(&territory, &users).await.unwrap());

    // 60 ids of 19 digits: 25, 25 and 10 a request.
    assert_eq!(sim.counters().get("DELETE", TERRITORY_USERS), 3);
    let ItemOutcome::Failed(refused) = &outcomes[0] else {
        panic!("the manager stays: {:?}", outcomes[0]);
    };
    assert_eq!(refused.code, "NOT_ALLOWED");
    assert!(member_hint(&refused.code, &refused.details).contains("change the manager first"));
    assert!(
        outcomes[1..]
            .iter()
            .all(|o| matches!(o, ItemOutcome::Done { .. }))
    );
    let live = sim.server().state();
    let left: Vec<&String> = live.territory(&territory).unwrap().users.iter().collect();
    // The admin (not in `users`) and the manager are left.
    assert!(left.contains(&&manager));
    assert_eq!(left.len(), 2);

    // Removing users who are no longer members is done, not failed: a rerun converges.
    let again = sim.capture(client.remove_users(&territory, &users[1..]).await.unwrap());
    assert!(again.iter().all(|o| matches!(o, ItemOutcome::Done { .. })));
}

#[tokio::test]
async fn refused_users_keep_zohos_code_and_say_what_to_do() {
    let mut state = org(1, 2);
    let territory = territory_ids(&state)[0].clone();
    let users = user_ids(&state);
    let inactive = users[1].clone();
    state
        .users
        .iter_mut()
        .find(|user| user.id == inactive)
        .unwrap()
        .status = "deleted".into();
    let mut sim = Sim::start(state).await;
    let client = sim.writer();
    let outcomes = sim.capture(
        client
            .add_users(&territory, &[users[2].clone(), inactive.clone()])
            .await
            .unwrap(),
    );
    assert!(matches!(&outcomes[0], ItemOutcome::Done { .. }));
    let ItemOutcome::Failed(error) = &outcomes[1] else {
        panic!("a deleted user is refused: {:?}", outcomes[1]);
    };
    assert_eq!(error.code, "INVALID_DATA");
    assert!(member_hint(&error.code, &error.details).contains("deleted"));
}

#[tokio::test]
async fn a_lost_answer_is_read_back_and_not_sent_twice() {
    let state = org(1, 5);
    let territory = territory_ids(&state)[0].clone();
    let mut users = user_ids(&state);
    users.retain(|id| id.starts_with("41508680000"));
    let mut sim = Sim::start(state).await;
    let client = sim.writer();
    sim.faults(Faults {
        seed: 1,
        lost_response_rate: 0.5,
        ..Faults::default()
    });
    let outcomes = sim.capture(client.add_users(&territory, &users).await.unwrap());
    sim.faults(Faults::default());
    let live = sim.server().state();
    let members = &live.territory(&territory).unwrap().users;
    for (outcome, user) in outcomes.iter().zip(&users) {
        match outcome {
            ItemOutcome::Done { .. } => assert!(members.contains(user)),
            ItemOutcome::Failed(error) => {
                assert_eq!(error.code, "NOT_APPLIED");
                assert!(!members.contains(user));
            }
            ItemOutcome::Unknown { .. } => {}
        }
    }
    assert_eq!(sim.counters().get("PUT", TERRITORY_USERS), 1);
}

#[tokio::test]
async fn users_not_active_are_told_with_their_status() {
    let mut state = org(1, 3);
    let ids = user_ids(&state);
    for (id, status) in [(&ids[1], "inactive"), (&ids[2], "deleted")] {
        state
            .users
            .iter_mut()
            .find(|user| &user.id == id)
            .unwrap()
            .status = status.into();
    }
    let mut sim = Sim::start(state).await;
    let client = sim.reader();
    let mut found = sim.capture(client.users_not_active().await.unwrap());
    found.sort_by(|a, b| a.id.cmp(&b.id));
    let statuses: Vec<(&str, &str)> = found
        .iter()
        .map(|user| (user.id.as_str(), user.status.as_str()))
        .collect();
    assert_eq!(
        statuses,
        [(ids[1].as_str(), "inactive"), (ids[2].as_str(), "deleted")]
    );
    assert!(found[0].email.ends_with("@acme.example"));
    assert_eq!(client.requests(), 1);
}
