//! The executor on hand-made plans: batches, id substitution, dependants, cancellation.

use std::collections::BTreeMap;
use std::time::Duration;

use territoryctl::apply::{
    self, BatchDone, Cancel, Options, Outcome, Progress, Report, Silent, Wait,
};
use territoryctl::exit::ExitStatus;
use territoryctl::model::Module;
use territoryctl::plan::{Action, Change, Delete, RecordTerritories, TerritoryRef};
use zoho_crm_sim::Faults;
use zoho_crm_sim::state::{Record, State};

use super::support::{after_apply, client, create, existing, schedule, serve, territory};

/// Twelve regions under the root, three countries under the first, one under the second.
fn new_subtree(state: &State) -> Vec<Change> {
    let root = existing(state, "Acme Corp");
    let mut changes: Vec<Change> = (1..=12)
        .map(|n| create(&format!("Region {n:02}"), root.clone(), 1))
        .collect();
    for country in ["Alpha", "Beta", "Gamma"] {
        changes.push(create(country, after_apply("Region 01"), 2));
    }
    changes.push(create("Delta", after_apply("Region 02"), 2));
    changes
}

async fn run(server: &zoho_crm_sim::Server, changes: &[Change]) -> apply::Execution {
    apply::execute(
        &client(server),
        changes,
        &schedule(changes),
        &Options::default(),
        &mut Silent,
        &Cancel::new(),
    )
    .await
}

#[tokio::test]
async fn a_new_subtree_goes_out_in_one_request_per_batch_with_parents_ids_filled_in() {
    let state = State::new_org("Acme Corp");
    let changes = new_subtree(&state);
    let server = serve(state, Faults::default()).await;

    let execution = run(&server, &changes).await;

    let batches: usize = schedule(&changes)
        .iter()
        .map(|wave| wave.batches.len())
        .sum();
    assert_eq!(batches, 3, "12 regions in two batches, 4 countries in one");
    assert_eq!(execution.batches, 3);
    assert_eq!(server.counters().writes, 3, "one write request per batch");
    let report = Report::new(&changes, &execution);
    assert_eq!(report.summary.done, 16, "{report:#?}");
    assert_eq!(report.exit_status(), ExitStatus::Success);

    let live = server.state();
    let region = territory(&live, "Region 01").expect("created");
    let alpha = territory(&live, "Alpha").expect("created");
    assert_eq!(alpha.reporting_to.as_deref(), Some(region.id.as_str()));
    let Outcome::Done { id: Some(id) } = &execution.outcomes["create:alpha"] else {
        panic!("{:?}", execution.outcomes["create:alpha"]);
    };
    assert_eq!(id, &alpha.id, "the report carries the id Zoho gave");
}

/// Someone creates `TEXAS` in the Zoho UI after the plan was made: the create of `Texas`
/// fails, its children are skipped, everything else goes on.
fn partial_failure_plan(state: &State) -> Vec<Change> {
    let root = existing(state, "Acme Corp");
    vec![
        create("Europe", root.clone(), 1),
        create("Texas", root, 1),
        create("Austin", after_apply("Texas"), 2),
        create("Dallas", after_apply("Texas"), 2),
        create("France", after_apply("Europe"), 2),
        create("Paris", after_apply("France"), 3),
        create("Round Rock", after_apply("Austin"), 3),
    ]
}

fn add_territory(state: &mut State, name: &str) {
    let mut copy = state.root().expect("a root").clone();
    copy.reporting_to = Some(copy.id.clone());
    copy.id = state.allocate_id();
    copy.name = name.to_owned();
    copy.api_name = name.to_owned();
    state.add_territory(copy);
}

#[tokio::test]
async fn a_failed_create_skips_its_subtree_and_the_rest_goes_on() {
    let state = State::new_org("Acme Corp");
    let changes = partial_failure_plan(&state);
    let server = serve(state, Faults::default()).await;
    server.update_state(|state| add_territory(state, "TEXAS"));

    let execution = run(&server, &changes).await;
    let report = Report::new(&changes, &execution);

    let status = |key: &str| execution.outcomes[key].label();
    assert_eq!(status("create:europe"), "done");
    assert_eq!(status("create:france"), "done");
    assert_eq!(status("create:paris"), "done");
    assert_eq!(status("create:texas"), "failed");
    assert_eq!(status("create:austin"), "skipped");
    assert_eq!(status("create:dallas"), "skipped");
    assert_eq!(status("create:round rock"), "skipped");
    assert_eq!(report.exit_status(), ExitStatus::ApplyFailed);
    assert_eq!(
        server.counters().writes,
        3,
        "one create per wave, nothing sent for skipped"
    );

    let live = server.state();
    assert!(territory(&live, "Austin").is_none());
    assert!(territory(&live, "Paris").is_some());
    let texases = live
        .territories
        .iter()
        .filter(|territory| territory.name.eq_ignore_ascii_case("texas"))
        .count();
    assert_eq!(texases, 1, "no duplicate was created");

    let mut text = Vec::new();
    report.write_text(&mut text).unwrap();
    let mut markdown = Vec::new();
    report.write_markdown(&mut markdown).unwrap();
    let mut json = Vec::new();
    report.write_json(&mut json).unwrap();
    let rendered = format!(
        "exit code: {}\n--- text\n{}--- markdown\n{}--- json\n{}",
        report.exit_status().code(),
        String::from_utf8(text).unwrap(),
        String::from_utf8(markdown).unwrap(),
        String::from_utf8(json).unwrap(),
    );
    insta::with_settings!({filters => vec![
        (r"in \d+\.\d+s", "in [ELAPSED]s"),
        (r#""elapsed_ms": \d+"#, r#""elapsed_ms": "[ELAPSED]""#),
    ]}, {
        insta::assert_snapshot!(rendered);
    });
}

/// Cancels as soon as the first batch is done.
struct CancelAfterFirstBatch(Cancel);

impl Progress for CancelAfterFirstBatch {
    fn wave_started(&mut self, _: usize, _: usize, _: usize) {}
    fn batch_done(&mut self, _: &BatchDone) {
        self.0.cancel();
    }
    fn wave_finished(&mut self, _: usize) {}
}

#[tokio::test]
async fn ctrl_c_lets_the_batch_in_flight_finish_and_launches_nothing_after() {
    let state = State::new_org("Acme Corp");
    let root = existing(&state, "Acme Corp");
    let changes = vec![
        create("Europe", root, 1),
        create("France", after_apply("Europe"), 2),
    ];
    let server = serve(state, Faults::default()).await;
    let cancel = Cancel::new();
    let mut progress = CancelAfterFirstBatch(cancel.clone());

    let execution = apply::execute(
        &client(&server),
        &changes,
        &schedule(&changes),
        &Options::default(),
        &mut progress,
        &cancel,
    )
    .await;

    assert!(execution.interrupted);
    assert_eq!(execution.outcomes["create:europe"].label(), "done");
    assert_eq!(
        execution.outcomes["create:france"],
        Outcome::Skipped {
            because: "apply was interrupted before it was sent".into()
        }
    );
    assert_eq!(server.counters().writes, 1);
    assert_eq!(
        Report::new(&changes, &execution).exit_status(),
        ExitStatus::ApplyFailed
    );
}

#[tokio::test]
async fn a_territory_whose_child_was_not_deleted_is_not_deleted() {
    let mut state = State::new_org("Acme Corp");
    add_territory(&mut state, "Old Region");
    let region_id = territory(&state, "Old Region").unwrap().id.clone();
    add_territory(&mut state, "Old Country");
    let country = state.territories.last_mut().unwrap();
    country.reporting_to = Some(region_id.clone());
    let country_id = country.id.clone();
    let root = existing(&state, "Acme Corp");
    let region = existing(&state, "Old Region");
    let delete = |id: &str, name: &str, parent: TerritoryRef, wave| Change {
        key: format!("delete:{id}"),
        wave,
        depth: 3 - wave,
        path: Vec::new(),
        action: Action::Delete(Delete {
            id: id.to_owned(),
            name: name.to_owned(),
            parent,
            transfer_to: None,
            transferred_children: Vec::new(),
        }),
    };
    let changes = vec![
        delete(&country_id, "Old Country", region, 1),
        delete(&region_id, "Old Region", root, 2),
    ];
    let server = serve(state, Faults::default()).await;
    // Someone adds a city under the country after the plan: Zoho refuses to delete a parent.
    server.update_state(|state| {
        add_territory(state, "New City");
        state.territories.last_mut().unwrap().reporting_to = Some(country_id.clone());
    });

    let execution = run(&server, &changes).await;

    assert_eq!(
        execution.outcomes[&format!("delete:{country_id}")].label(),
        "failed"
    );
    assert_eq!(
        execution.outcomes[&format!("delete:{region_id}")],
        Outcome::Skipped {
            because: "its child `Old Country` was not deleted".into()
        }
    );
    assert!(
        territory(&server.state(), "Old Region").is_some(),
        "not deleted"
    );
}

fn assign(record_id: &str, territories: Vec<TerritoryRef>, wave: usize) -> Change {
    Change {
        key: format!("assign:Accounts:{record_id}"),
        wave,
        depth: 0,
        path: Vec::new(),
        action: Action::Assign(RecordTerritories {
            module: Module::Accounts,
            record_id: record_id.to_owned(),
            territories,
            automatic: Vec::new(),
        }),
    }
}

fn add_record(state: &mut State, id: &str, locked: bool) {
    state
        .records
        .entry("Accounts".to_owned())
        .or_default()
        .push(Record {
            id: id.to_owned(),
            fields: BTreeMap::new(),
            territories: Vec::new(),
            locked,
        });
}

#[tokio::test]
async fn offloaded_assignments_are_scheduled_and_wait_follows_their_jobs() {
    let mut state = State::new_org("Acme Corp");
    state.flags.offload_parent_territory = true;
    add_record(&mut state, "4150868000004522032", false);
    add_record(&mut state, "4150868000004522099", true);
    let root = existing(&state, "Acme Corp");
    let changes = vec![
        create("Texas", root, 1),
        assign("4150868000004522032", vec![after_apply("Texas")], 2),
        assign("4150868000004522099", vec![after_apply("Texas")], 2),
    ];
    let server = serve(state, Faults::default()).await;
    let client = client(&server);

    let mut execution = apply::execute(
        &client,
        &changes,
        &schedule(&changes),
        &Options::default(),
        &mut Silent,
        &Cancel::new(),
    )
    .await;

    let Outcome::Scheduled {
        job_id,
        state: None,
    } = execution.outcomes["assign:Accounts:4150868000004522032"].clone()
    else {
        panic!("{:?}", execution.outcomes);
    };
    let Outcome::Failed(failure) = &execution.outcomes["assign:Accounts:4150868000004522099"]
    else {
        panic!("{:?}", execution.outcomes);
    };
    assert_eq!(failure.code, "RECORD_LOCKED");
    assert_eq!(
        server.counters().writes,
        2,
        "one create, one assign batch for both records"
    );
    let live = server.state();
    let texas = territory(&live, "Texas").unwrap();
    let record = &live.records["Accounts"][0];
    assert_eq!(
        record.territories[0].id, texas.id,
        "the new territory's id was substituted"
    );

    apply::wait_for_jobs(
        &client,
        &changes,
        &mut execution.outcomes,
        &Wait {
            timeout: Duration::from_secs(5),
            interval: Duration::from_millis(10),
        },
    )
    .await;
    assert_eq!(
        execution.outcomes["assign:Accounts:4150868000004522032"],
        Outcome::Scheduled {
            job_id,
            state: Some("COMPLETED".into())
        }
    );
    let report = Report::new(&changes, &execution);
    assert_eq!(
        (
            report.summary.done,
            report.summary.scheduled,
            report.summary.failed
        ),
        (1, 1, 1)
    );
}

/// `Spain` moves from `Old Europe` to `EMEA`, then `Old Europe` (now childless) is deleted.
fn move_then_delete_old_parent(state: &State) -> Vec<Change> {
    use territoryctl::model::Permission;
    use territoryctl::plan::{FieldChange, Update};
    let spain = existing(state, "Spain");
    let TerritoryRef::Existing { id, .. } = &spain else {
        unreachable!()
    };
    vec![
        Change {
            key: format!("update:{id}"),
            wave: 1,
            depth: 2,
            path: Vec::new(),
            action: Action::Update(Update {
                id: id.clone(),
                name: "Spain".into(),
                fields: vec![FieldChange::Parent {
                    old: existing(state, "Old Europe"),
                    new: existing(state, "EMEA"),
                    by_transfer_of: None,
                }],
                // Sent, unchanged, because Zoho requires it in every update item.
                permission: Some(Permission::ReadWriteDelete),
            }),
        },
        Change {
            key: "delete:old-europe".into(),
            wave: 2,
            depth: 1,
            path: Vec::new(),
            action: Action::Delete(Delete {
                id: territory(state, "Old Europe").unwrap().id.clone(),
                name: "Old Europe".into(),
                parent: existing(state, "Acme Corp"),
                transfer_to: None,
                transferred_children: Vec::new(),
            }),
        },
    ]
}

#[tokio::test]
async fn a_move_answered_500_is_found_not_applied_sent_again_and_its_dependant_follows() {
    let mut state = State::new_org("Acme Corp");
    let root = state.root().unwrap().clone();
    let add = |state: &mut State, name: &str, parent: &str| {
        let mut territory = root.clone();
        territory.id = state.allocate_id();
        territory.name = name.into();
        territory.api_name = name.replace(' ', "_");
        territory.reporting_to = Some(parent.to_owned());
        territory.permission_type = "read_write_delete".into();
        let id = territory.id.clone();
        state.add_territory(territory);
        id
    };
    let old_europe = add(&mut state, "Old Europe", &root.id);
    add(&mut state, "EMEA", &root.id);
    add(&mut state, "Spain", &old_europe);
    let changes = move_then_delete_old_parent(&state);
    let server = serve(state, Faults::default()).await;
    // Seed 5: the first request (the move) is answered 500 and not applied; the reads that
    // check it are retried until one gets through.
    server.set_faults(Faults {
        seed: 5,
        error_rate: 0.5,
        ..Faults::default()
    });

    let execution = run(&server, &changes).await;

    // Read back, the move shows nothing applied: it is sent again (not left "unknown"
    // because the permission it carries unchanged matched), and then the deletion can go.
    assert_eq!(
        execution.outcomes[&changes[0].key],
        Outcome::Done { id: None },
        "{:?}",
        execution.outcomes
    );
    assert!(
        matches!(
            execution.outcomes["delete:old-europe"],
            Outcome::Done { .. }
        ),
        "{:?}",
        execution.outcomes
    );
    assert_eq!(
        server.counters().writes,
        3,
        "the move twice (500, then applied), the deletion once"
    );
    let live = server.state();
    assert!(territory(&live, "Old Europe").is_none());
    assert_eq!(
        territory(&live, "Spain").unwrap().reporting_to.as_deref(),
        Some(territory(&live, "EMEA").unwrap().id.as_str())
    );
}

/// `Old Country` (under `Old Region`) is deleted by `transfer_and_delete`, which hands `City`
/// to the root; the simulator fails every batch item (INTERNAL_ERROR: not applied).
#[tokio::test]
async fn a_deletion_that_keeps_failing_is_sent_again_only_so_often_and_the_move_it_carries_is_skipped()
 {
    use territoryctl::model::Permission;
    use territoryctl::plan::{FieldChange, Update};
    let mut state = State::new_org("Acme Corp");
    add_territory(&mut state, "Old Region");
    add_territory(&mut state, "Old Country");
    add_territory(&mut state, "City");
    let id = |state: &State, name: &str| territory(state, name).unwrap().id.clone();
    let (region_id, country_id, city_id) = (
        id(&state, "Old Region"),
        id(&state, "Old Country"),
        id(&state, "City"),
    );
    for territory in &mut state.territories {
        if territory.id == country_id {
            territory.reporting_to = Some(region_id.clone());
        } else if territory.id == city_id {
            territory.reporting_to = Some(country_id.clone());
        }
    }
    let root = existing(&state, "Acme Corp");
    let delete = Change {
        key: format!("delete:{country_id}"),
        wave: 1,
        depth: 2,
        path: Vec::new(),
        action: Action::Delete(Delete {
            id: country_id.clone(),
            name: "Old Country".into(),
            parent: existing(&state, "Old Region"),
            transfer_to: Some(root.clone()),
            transferred_children: vec!["City".into()],
        }),
    };
    let carried = Change {
        key: format!("update:{city_id}"),
        wave: 1,
        depth: 3,
        path: Vec::new(),
        action: Action::Update(Update {
            id: city_id.clone(),
            name: "City".into(),
            fields: vec![FieldChange::Parent {
                old: existing(&state, "Old Country"),
                new: root,
                by_transfer_of: Some(delete.key.clone()),
            }],
            permission: Some(Permission::ReadWriteDelete),
        }),
    };
    let changes = vec![delete, carried];
    let server = serve(
        state,
        Faults {
            item_failure_rate: 1.0,
            ..Faults::default()
        },
    )
    .await;
    let options = Options::default();

    // Only the deletion is in a batch: the move goes with it.
    let execution = tokio::time::timeout(
        Duration::from_secs(20),
        apply::execute(
            &client(&server),
            &changes,
            &schedule(&changes[..1]),
            &options,
            &mut Silent,
            &Cancel::new(),
        ),
    )
    .await
    .expect("the deletion is sent again a bounded number of times");

    assert_eq!(
        server.counters().writes,
        1 + options.resends as u64,
        "sent once, then again as often as --resends allows"
    );
    assert_eq!(execution.outcomes[&changes[0].key].label(), "failed");
    assert_eq!(
        execution.outcomes[&changes[1].key],
        Outcome::Skipped {
            because: "the deletion of `Old Country`, which moves it, was not done".into()
        }
    );
    assert_eq!(
        territory(&server.state(), "City").unwrap().reporting_to,
        Some(country_id)
    );
}

/// Adding a user whom Zoho refuses (inactive) fails with Zoho's code and a hint about the
/// member, not the general one.
#[tokio::test]
async fn a_refused_user_fails_with_a_hint_about_the_member() {
    use territoryctl::model::Permission;
    use territoryctl::plan::{Batch, FieldChange, Manager, Operation, Phase, Update, Wave};
    let mut state = State::new_org("Acme Corp");
    add_territory(&mut state, "Sales");
    state.users.push(zoho_crm_sim::state::User {
        id: "431581000000900001".into(),
        first_name: Some("Ina".into()),
        last_name: "Active".into(),
        email: "ina@acme.example".into(),
        status: "inactive".into(),
        role: None,
        profile: None,
        zuid: None,
    });
    let sales = territory(&state, "Sales").unwrap().id.clone();
    let add = Change {
        key: format!("update:{sales}"),
        wave: 1,
        depth: 1,
        path: Vec::new(),
        action: Action::Update(Update {
            id: sales.clone(),
            name: "Sales".into(),
            fields: vec![FieldChange::Users {
                old: Vec::new(),
                new: vec![Manager {
                    id: "431581000000900001".into(),
                    email: Some("ina@acme.example".into()),
                    name: None,
                }],
            }],
            permission: Some(Permission::ReadWriteDelete),
        }),
    };
    let schedule = vec![Wave {
        number: 1,
        phase: Phase::AddUsers,
        batches: vec![Batch {
            operation: Operation::AddUsers,
            changes: vec![add.key.clone()],
        }],
    }];
    let server = serve(state, Faults::default()).await;

    let changes = [add];
    let execution = apply::execute(
        &client(&server),
        &changes,
        &schedule,
        &Options::default(),
        &mut Silent,
        &Cancel::new(),
    )
    .await;

    let Outcome::Failed(failure) = &execution.outcomes[&changes[0].key] else {
        panic!("{:?}", execution.outcomes);
    };
    assert_eq!(failure.code, "INVALID_DATA");
    assert_eq!(
        failure.hint,
        "the user is not active in Zoho: activate them, or remove them from `users:`"
    );
}
