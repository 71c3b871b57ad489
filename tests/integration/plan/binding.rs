//! The plan file: determinism, the schema, and refusal of a stale plan.

use territoryctl::model::{Permission, UserRef};
use territoryctl::plan::{Policy, StaleItem, check_fresh, same_desired, verify};
use territoryctl::render;

use super::scenario::{Scenario, territory};

fn changed_scenario() -> Scenario {
    let mut scenario = Scenario::acme();
    scenario.desired_territory("Europe").permission = Permission::ReadWriteDelete;
    scenario.desired_territory("Canada").parent = "Acme Corp".into();
    scenario
        .desired
        .territories
        .push(territory("Mexico", "North America"));
    scenario
}

#[test]
fn the_same_input_renders_byte_identical_output() {
    let scenario = changed_scenario();
    let (first, second) = (scenario.planned(), scenario.planned());
    assert_eq!(render::json(&first), render::json(&second));
    assert_eq!(render::text(&first, true), render::text(&second, true));
    assert_eq!(render::markdown(&first), render::markdown(&second));

    // The order of territories in the files does not matter either.
    let mut reordered = changed_scenario();
    reordered.desired.territories.reverse();
    assert_eq!(render::json(&reordered.planned()), render::json(&first));
}

#[test]
fn the_committed_schema_matches_the_types() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/plan.schema.json");
    let generated = render::schema_json();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write schema/plan.schema.json");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/plan.schema.json is out of date; run the tests with UPDATE_SCHEMA=1 to rewrite it"
    );
}

#[test]
fn a_plan_made_against_a_changed_org_is_stale() {
    let mut scenario = changed_scenario();
    let plan = scenario.planned();
    assert!(check_fresh(&plan, &scenario.live).is_ok());
    assert!(same_desired(&plan, &scenario.desired));

    // Someone changes a territory the plan does not touch: still fresh.
    scenario.live_territory("Germany").description = Some("edited by hand".into());
    assert!(check_fresh(&plan, &scenario.live).is_ok());

    // ...one it moves, one that parents a new territory, and someone creates "Mexico".
    scenario.live_territory("Canada").manager = Some(UserRef {
        id: "2276164000000471003".into(),
        name: None,
    });
    scenario.live_territory("North America").modified_time = Some("2026-01-01T00:00:00Z".into());
    scenario.add_live("431581000000799100", "mexico", "Acme Corp");
    let stale = check_fresh(&plan, &scenario.live).expect_err("stale");
    let canada = scenario.live_id("Canada");
    let north_america = scenario.live_id("North America");
    assert_eq!(
        stale.changes,
        vec![
            StaleItem::Changed {
                id: north_america,
                name: "North America".into()
            },
            StaleItem::Changed {
                id: canada,
                name: "Canada".into()
            },
            StaleItem::NameTaken {
                name: "Mexico".into()
            },
        ]
    );
    assert_eq!(
        stale.to_string(),
        "the saved plan is stale: 3 differences from what the desired state and the org give now"
    );
}

#[test]
fn a_deleted_territory_and_changed_record_make_a_plan_stale() {
    let mut scenario = Scenario::acme();
    scenario
        .desired
        .territories
        .push(territory("Benelux", "Europe"));
    scenario
        .desired
        .assignments
        .get_mut(&territoryctl::model::Module::Accounts)
        .and_then(|records| records.values_mut().next())
        .expect("listed")
        .push("Benelux".into());
    let plan = scenario.planned();
    let europe = scenario.live_id("Europe");
    scenario
        .live
        .territories
        .retain(|territory| territory.id != europe);
    scenario
        .live
        .records
        .values_mut()
        .flat_map(|records| records.values_mut())
        .for_each(|record| record.territories.clear());
    let stale = check_fresh(&plan, &scenario.live).expect_err("stale");
    let messages: Vec<String> = stale.changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![
            format!("territory `Europe` (id {europe}) no longer exists"),
            "the territories of record Accounts 4150868000004522032 were changed".to_owned(),
        ]
    );
}

/// A case-only rename keeps the territory's own name, which is not "taken" by the territory
/// itself: the saved plan is fresh, and a plan made again accepts it.
#[test]
fn a_saved_plan_with_a_case_only_rename_is_not_stale() {
    let mut scenario = Scenario::acme();
    scenario.desired_territory("Canada").name = "CANADA".into();
    let plan = scenario.planned();
    assert!(
        plan.changes.iter().any(|change| change.title() == "CANADA"),
        "the plan renames Canada: {:?}",
        plan.changes
    );
    assert!(plan.binding.free_names.is_empty(), "{:?}", plan.binding);
    assert!(check_fresh(&plan, &scenario.live).is_ok());
    let verified = verify(&plan, &scenario.desired, &scenario.live, &Policy::default())
        .unwrap_or_else(|_| panic!("a fresh plan verifies"));
    assert_eq!(verified.plan.changes, plan.changes);
    assert!(verified.done.is_empty());
}

/// The binding covers what a plan relies on beyond what it changes: the children of what it
/// deletes, and the users it makes managers.
#[test]
fn a_new_child_of_a_deleted_territory_and_a_gone_manager_make_a_plan_stale() {
    let mut scenario = Scenario::acme();
    scenario.remove_desired("Germany");
    scenario.desired.unmanaged = territoryctl::model::Unmanaged::Delete;
    scenario.desired_territory("France").manager = Some("amy.chen@acme.example".into());
    let plan = scenario.planned();
    assert!(check_fresh(&plan, &scenario.live).is_ok());
    let germany = scenario.live_id("Germany");
    scenario.add_live("431581000000799200", "Berlin", "Germany");
    scenario
        .live
        .users
        .retain(|user| user.email != "amy.chen@acme.example");
    let stale = check_fresh(&plan, &scenario.live).expect_err("stale");
    let messages: Vec<String> = stale.changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec![
            format!(
                "territory `Germany` (id {germany}), which the plan deletes, has children it had \
                 not when the plan was made: `Berlin` (id 431581000000799200)"
            ),
            "user `amy.chen@acme.example` (id 2276164000000471003), whom the plan makes a \
             manager, is no longer an active user"
                .to_owned(),
        ]
    );
}

#[test]
fn the_plan_file_holds_no_secret_and_rejects_other_versions() {
    let plan = changed_scenario().planned();
    let json = render::json(&plan);
    assert!(json.contains("\"format_version\": 1"));
    let other = json.replace("\"format_version\": 1", "\"format_version\": 2");
    let error = render::parse(&other).expect_err("version 2 is refused");
    assert_eq!(
        error.to_string(),
        "the plan file has format_version 2; this territoryctl reads version 1"
    );
}

/// After a partial apply, the saved plan less what the org shows done is what a plan made now
/// gives: a create that was done, and the change that referred to it "after apply" now refers
/// to its id. A change by someone else is still a difference.
#[test]
fn a_partly_applied_saved_plan_verifies_and_someone_elses_change_does_not() {
    let mut scenario = changed_scenario();
    scenario
        .desired
        .territories
        .push(territory("Monterrey", "Mexico"));
    let saved = scenario.planned();
    let keys: Vec<&str> = saved
        .changes
        .iter()
        .map(|change| change.key.as_str())
        .collect();
    assert!(keys.contains(&"create:mexico") && keys.contains(&"create:monterrey"));

    // The first apply created Mexico, then stopped.
    scenario.add_live("431581000000799300", "Mexico", "North America");
    let policy = Policy {
        max_change_percent: 100,
        ..Policy::default()
    };
    let verified = verify(&saved, &scenario.desired, &scenario.live, &policy)
        .unwrap_or_else(|_| panic!("the rest of the same plan verifies"));
    assert_eq!(verified.done, vec!["create:mexico".to_owned()]);
    assert_eq!(verified.plan.changes.len(), saved.changes.len() - 1);
    let monterrey = verified
        .plan
        .change("create:monterrey")
        .expect("still to do");
    match &monterrey.action {
        territoryctl::plan::Action::Create(create) => assert_eq!(
            create.parent.id(),
            Some("431581000000799300"),
            "the created parent is referred to by its id now"
        ),
        other => panic!("a create: {other:?}"),
    }

    // Someone else edits a territory the plan relies on: stale.
    scenario.live_territory("Europe").description = Some("edited by hand".into());
    let Err(territoryctl::plan::Rejected::Stale(stale)) =
        verify(&saved, &scenario.desired, &scenario.live, &policy)
    else {
        panic!("someone else's change is stale");
    };
    let messages: Vec<String> = stale.changes.iter().map(ToString::to_string).collect();
    assert!(
        messages
            .iter()
            .any(|message| message.contains("(`Europe`) differs from a plan made now")),
        "{messages:?}"
    );
}
