//! Each safety rail, with its own message.

use territoryctl::model::{Desired, Unmanaged};
use territoryctl::plan::{PlanError, Refusal};

use super::scenario::{Scenario, territory};

fn refusal(scenario: &Scenario) -> Refusal {
    match scenario.plan() {
        Err(PlanError::Refused(refusal)) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// An org of `count` territories under the root, all in the desired state.
fn wide(count: usize) -> Scenario {
    let territories = (0..count)
        .map(|index| territory(&format!("Team {index:02}"), "Acme Corp"))
        .collect();
    Scenario::from_desired(Desired {
        root: "Acme Corp".into(),
        root_origin: None,
        unmanaged: Unmanaged::Report,
        territories,
        assignments: Default::default(),
    })
}

#[test]
fn an_empty_desired_state_is_refused_unless_allowed() {
    let mut scenario = Scenario::acme();
    scenario.desired.territories.clear();
    scenario.desired.assignments.clear();
    let refusal = refusal(&scenario);
    assert_eq!(refusal, Refusal::EmptyDesired);
    assert_eq!(
        refusal.to_string(),
        "refusing to plan: the desired state has no territories"
    );
    scenario.policy.allow_empty = true;
    let plan = scenario.planned();
    assert!(!plan.has_changes(), "report mode deletes nothing");
    assert_eq!(plan.unmanaged.len(), 6);
}

#[test]
fn a_live_read_without_a_root_is_always_refused() {
    let mut scenario = Scenario::acme();
    scenario.live.territories.clear();
    scenario.policy.allow_empty = true;
    assert_eq!(refusal(&scenario), Refusal::EmptyLive);
}

#[test]
fn a_live_read_far_smaller_than_desired_is_refused_unless_allowed() {
    let mut scenario = wide(20);
    // Only the root and one territory came back.
    scenario.live.territories.truncate(2);
    let refusal = refusal(&scenario);
    assert_eq!(
        refusal,
        Refusal::SmallLive {
            live: 1,
            desired: 20
        }
    );
    assert_eq!(
        refusal.to_string(),
        "refusing to plan: the live org has only 1 territories below the root, but the desired state has 20; the read may be incomplete"
    );
    scenario.policy.allow_empty = true;
    assert_eq!(scenario.planned().summary.add, 19);
}

#[test]
fn changing_more_than_the_threshold_is_refused_unless_raised() {
    let mut scenario = wide(12);
    // 13 territories with the root; 30% of 13 is 3.9: four updates are too many.
    for index in 0..3 {
        scenario.desired.territories[index].description = Some("new".into());
    }
    assert_eq!(scenario.planned().summary.change, 3);
    scenario.desired.territories[3].description = Some("new".into());
    let refusal = refusal(&scenario);
    assert_eq!(
        refusal,
        Refusal::TooManyChanges {
            touched: 4,
            existing: 13,
            percent: 31,
            max: 30
        }
    );
    assert_eq!(
        refusal.to_string(),
        "refusing to plan: 4 of the org's 13 territories would be updated or deleted (31%), more than the 30% allowed"
    );
    scenario.policy.max_change_percent = 31;
    assert_eq!(scenario.planned().summary.change, 4);
}

#[test]
fn small_orgs_are_not_held_to_the_threshold() {
    let mut scenario = Scenario::acme();
    for territory in &mut scenario.desired.territories {
        territory.description = Some("all new".into());
    }
    assert_eq!(scenario.planned().summary.change, 6);
}
