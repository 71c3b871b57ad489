//! Record assignments: only manual territories are managed; automatic ones are shown, never
//! removed; a listed record's names are the full set of its manual territories.

use territoryctl::model::{AssignedHow, Module, RecordTerritory};
use territoryctl::plan::{Action, Phase, PlanError, Problem, TerritoryRef};

use super::assert_renderings;
use super::scenario::{ACCOUNT, DEAL, Scenario, territory};

fn automatic(scenario: &Scenario, name: &str) -> RecordTerritory {
    RecordTerritory {
        id: scenario.live_id(name),
        name: name.to_owned(),
        how: AssignedHow::Automatically,
        assigned_by: None,
        assigned_time: None,
    }
}

fn manual(scenario: &Scenario, name: &str) -> RecordTerritory {
    RecordTerritory {
        how: AssignedHow::Manually,
        ..automatic(scenario, name)
    }
}

#[test]
fn assign_and_remove_leave_automatic_territories_alone() {
    let mut scenario = Scenario::acme();
    // The account also sits in North America by rule, and in Canada by hand (not listed: goes).
    let extra = [
        automatic(&scenario, "North America"),
        manual(&scenario, "Canada"),
    ];
    let record = scenario
        .live
        .records
        .get_mut(&Module::Accounts)
        .and_then(|records| records.get_mut(ACCOUNT))
        .expect("the scenario has the account");
    record.territories.extend(extra);
    // ...and it should be in a new territory as well.
    scenario
        .desired
        .territories
        .push(territory("Quebec", "Canada"));
    scenario
        .desired
        .assignments
        .get_mut(&Module::Accounts)
        .and_then(|records| records.get_mut(ACCOUNT))
        .expect("listed")
        .push("Quebec".into());
    let plan = scenario.planned();
    let remove = plan
        .change(&format!("remove:Accounts:{ACCOUNT}"))
        .expect("a removal");
    let assign = plan
        .change(&format!("assign:Accounts:{ACCOUNT}"))
        .expect("an assignment");
    let (Action::Remove(removed), Action::Assign(assigned)) = (&remove.action, &assign.action)
    else {
        panic!("expected a removal and an assignment");
    };
    let names =
        |refs: &[TerritoryRef]| refs.iter().map(|r| r.name().to_owned()).collect::<Vec<_>>();
    assert_eq!(names(&removed.territories), vec!["Canada"]);
    assert_eq!(names(&assigned.territories), vec!["Quebec"]);
    assert!(matches!(
        assigned.territories[0],
        TerritoryRef::AfterApply { .. }
    ));
    assert_eq!(removed.automatic, vec!["North America"]);
    assert!(remove.wave < assign.wave, "removals go before assignments");
    assert_eq!(plan.summary.record_assignments, 1);
    assert_eq!(plan.summary.record_removals, 1);
    assert_renderings!("records_assign_remove", plan);
}

#[test]
fn a_deal_is_reassigned_by_removal_then_assignment() {
    let mut scenario = Scenario::acme();
    scenario
        .desired
        .assignments
        .get_mut(&Module::Deals)
        .and_then(|records| records.get_mut(DEAL))
        .expect("listed")[0] = "France".into();
    let plan = scenario.planned();
    let phases: Vec<Phase> = plan.schedule.iter().map(|wave| wave.phase).collect();
    assert_eq!(phases, vec![Phase::RemoveRecords, Phase::AssignRecords]);
    assert_renderings!("records_deal_reassigned", plan);
}

#[test]
fn limits_and_unknown_records_are_reported_together() {
    let mut scenario = Scenario::acme();
    // The Deal already has a territory by rule: listing one more exceeds Deals' limit of one.
    let rule_assigned = automatic(&scenario, "Europe");
    scenario
        .live
        .records
        .get_mut(&Module::Deals)
        .and_then(|records| records.get_mut(DEAL))
        .expect("the deal")
        .territories
        .push(rule_assigned);
    scenario
        .desired
        .assignments
        .get_mut(&Module::Accounts)
        .expect("accounts")
        .insert("999".into(), vec!["Canada".into()]);
    let Err(PlanError::Mismatch { problems }) = scenario.plan() else {
        panic!("expected problems");
    };
    assert_eq!(
        problems,
        vec![
            Problem::UnknownRecord {
                module: Module::Accounts,
                record_id: "999".into()
            },
            Problem::RecordLimit {
                module: Module::Deals,
                record_id: DEAL.into(),
                count: 2,
                automatic: 1
            },
        ]
    );
}

#[test]
fn an_unknown_manager_is_an_error_naming_the_territory() {
    let mut scenario = Scenario::acme();
    scenario.desired_territory("Canada").manager = Some("nobody@acme.example".into());
    let Err(error) = scenario.plan() else {
        panic!("expected an error");
    };
    assert!(!error.is_refusal());
    let PlanError::Mismatch { problems } = error else {
        panic!("expected a mismatch");
    };
    assert_eq!(
        problems[0].to_string(),
        "territory `Canada`: manager `nobody@acme.example` is not an active user of the org"
    );
}
