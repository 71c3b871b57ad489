//! One territory change per scenario.

use territoryctl::model::{Comparator, Permission, RuleValue, Scalar, Unmanaged};
use territoryctl::plan::{Action, FieldChange, Operation, TerritoryRef};
use territoryctl::render;

use super::assert_renderings;
use super::scenario::{Scenario, rule, territory, text};

#[test]
fn live_equal_to_desired_plans_no_changes() {
    let scenario = Scenario::acme();
    let plan = scenario.planned();
    assert!(!plan.has_changes(), "{:#?}", plan.changes);
    assert!(plan.schedule.is_empty());
    assert_eq!(render::text(&plan, false), "No changes.\n");
    assert_renderings!("no_changes", plan);
}

#[test]
fn create_one_territory() {
    let mut scenario = Scenario::acme();
    let mut mexico = territory("Mexico", "North America");
    mexico.manager = Some("amy.chen@acme.example".into());
    mexico.description = Some("Sales to Mexico".into());
    scenario.desired.territories.push(mexico);
    let plan = scenario.planned();
    assert_eq!(plan.summary.add, 1);
    let Action::Create(create) = &plan.changes[0].action else {
        panic!("expected a create: {:#?}", plan.changes);
    };
    assert_eq!(
        create.parent,
        TerritoryRef::Existing {
            id: scenario.live_id("North America"),
            name: "North America".into()
        }
    );
    assert_eq!(
        create.manager.as_ref().map(|m| m.id.as_str()),
        Some("2276164000000471003")
    );
    assert_renderings!("create", plan);
}

#[test]
fn create_a_subtree_refers_to_parents_known_after_apply() {
    let mut scenario = Scenario::acme();
    scenario
        .desired
        .territories
        .push(territory("Asia Pacific", "Acme Corp"));
    scenario
        .desired
        .territories
        .push(territory("Japan", "Asia Pacific"));
    scenario
        .desired
        .territories
        .push(territory("Tokyo", "Japan"));
    scenario
        .desired
        .territories
        .push(territory("Australia", "Asia Pacific"));
    let plan = scenario.planned();
    let tokyo = plan.change("create:tokyo").expect("Tokyo is created");
    let Action::Create(create) = &tokyo.action else {
        panic!("expected a create");
    };
    assert_eq!(
        create.parent,
        TerritoryRef::AfterApply {
            change: "create:japan".into(),
            name: "Japan".into()
        }
    );
    let wave = |key: &str| plan.change(key).expect("planned").wave;
    assert!(wave("create:asia pacific") < wave("create:japan"));
    assert!(wave("create:japan") < wave("create:tokyo"));
    assert_renderings!("create_subtree", plan);
}

#[test]
fn update_manager() {
    let mut scenario = Scenario::acme();
    scenario.desired_territory("Europe").manager = Some("amy.chen@acme.example".into());
    let plan = scenario.planned();
    assert_eq!(plan.summary.change, 1);
    assert_renderings!("update_manager", plan);
}

#[test]
fn update_permission() {
    let mut scenario = Scenario::acme();
    scenario.desired_territory("Europe").permission = Permission::ReadWriteDelete;
    let plan = scenario.planned();
    assert_renderings!("update_permission", plan);
}

#[test]
fn update_description_shows_a_word_diff() {
    let mut scenario = Scenario::acme();
    scenario.desired_territory("North America").description =
        Some("Everything north of the Rio Grande, Mexico and the Caribbean.".into());
    let plan = scenario.planned();
    let text = render::text(&plan, false);
    assert!(
        text.contains(
            "description: Everything north of the Rio Grande, {+Mexico +}and [-Mexico.-]{+the Caribbean.+}\n"
        ),
        "{text}"
    );
    assert_renderings!("update_description", plan);
}

#[test]
fn clearing_a_description_and_empty_descriptions() {
    let mut scenario = Scenario::acme();
    scenario.desired_territory("North America").description = None;
    // Zoho returns "" as often as null: that is no description too, and no change.
    scenario.live_territory("Canada").description = Some(String::new());
    let plan = scenario.planned();
    assert_eq!(plan.changes.len(), 1, "{:#?}", plan.changes);
    assert_renderings!("clear_description", plan);
}

#[test]
fn update_rules_shows_a_criteria_diff() {
    let mut scenario = Scenario::acme();
    scenario.desired_territory("North America").rules.accounts = Some(rule(
        "Billing_Country",
        Comparator::In,
        RuleValue::Many(vec![text("United States"), text("Canada"), text("Mexico")]),
    ));
    scenario.desired_territory("Canada").rules.leads = Some(rule(
        "Country",
        Comparator::Equal,
        RuleValue::One(text("Canada")),
    ));
    let plan = scenario.planned();
    assert_eq!(plan.summary.change, 2);
    assert_renderings!("update_rules", plan);
}

#[test]
fn echoed_criteria_do_not_show_a_diff() {
    let mut scenario = Scenario::acme();
    // Zoho echoes the group's rules in another order, the list reordered, the lookup by id
    // with its name, and a one-value list as a scalar.
    let echoed = territoryctl::model::Criteria::Group {
        operator: territoryctl::model::GroupOperator::And,
        items: vec![
            rule(
                "annual_revenue",
                Comparator::GreaterThan,
                RuleValue::Many(vec![Scalar::Text("1000000.00".into())]),
            ),
            rule(
                "Billing_Country",
                Comparator::In,
                RuleValue::Many(vec![text("Canada"), text("United States")]),
            ),
        ],
    };
    scenario.live_territory("North America").rules.accounts = Some(echoed);
    let plan = scenario.planned();
    assert!(!plan.has_changes(), "{:#?}", plan.changes);
}

#[test]
fn move_a_territory() {
    let mut scenario = Scenario::acme();
    scenario.desired_territory("Canada").parent = "Acme Corp".into();
    let plan = scenario.planned();
    assert_eq!(plan.summary.moves, 1);
    assert_eq!(plan.summary.change, 0);
    assert_renderings!("move", plan);
}

#[test]
fn rename_via_previously_keeps_the_territory() {
    let mut scenario = Scenario::acme();
    let germany_id = scenario.live_id("Germany");
    let renamed = scenario.desired_territory("Germany");
    renamed.name = "DACH".into();
    renamed.previously = vec!["Deutschland".into(), "Germany".into()];
    // The Deal listed under Germany now lists the territory by its new name.
    scenario
        .desired
        .assignments
        .get_mut(&territoryctl::model::Module::Deals)
        .and_then(|deals| deals.values_mut().next())
        .expect("the scenario assigns a deal")[0] = "DACH".into();
    let plan = scenario.planned();
    assert_eq!(plan.changes.len(), 1, "{:#?}", plan.changes);
    let Action::Update(update) = &plan.changes[0].action else {
        panic!("expected an update");
    };
    assert_eq!(update.id, germany_id);
    assert_eq!(
        update.fields,
        vec![FieldChange::Name {
            old: "Germany".into(),
            new: "DACH".into()
        }]
    );
    assert_eq!(plan.binding.free_names, vec!["DACH".to_owned()]);
    assert_renderings!("rename", plan);
}

#[test]
fn rename_the_root() {
    let mut scenario = Scenario::acme();
    scenario.desired.root = "Acme Inc".into();
    for territory in &mut scenario.desired.territories {
        if territory.parent == "Acme Corp" {
            territory.parent = "Acme Inc".into();
        }
    }
    let plan = scenario.planned();
    assert_eq!(plan.changes.len(), 1, "{:#?}", plan.changes);
    assert_renderings!("rename_root", plan);
}

#[test]
fn delete_a_leaf() {
    let mut scenario = Scenario::acme();
    scenario.desired.unmanaged = Unmanaged::Delete;
    scenario.add_live("431581000000799001", "Legacy Benelux", "Europe");
    let plan = scenario.planned();
    assert!(plan.contains_deletions);
    assert_eq!(plan.summary.delete, 1);
    assert_eq!(plan.schedule[0].batches[0].operation, Operation::Delete);
    assert_renderings!("delete_leaf", plan);
}

#[test]
fn delete_under_a_surviving_parent_moves_its_children_first() {
    let mut scenario = Scenario::acme();
    scenario.desired.unmanaged = Unmanaged::Delete;
    // Live: Acme Corp > EMEA > Europe; desired: Europe right under the root. EMEA's parent
    // survives, and Zoho may refuse it as a transfer target ("same as current parent
    // territory"): Europe moves by PUT, then EMEA, childless, goes by a plain DELETE.
    scenario.add_live("431581000000799002", "EMEA", "Acme Corp");
    scenario.live_territory("Europe").parent = Some("431581000000799002".into());
    let plan = scenario.planned();
    let delete = plan
        .change("delete:431581000000799002")
        .expect("EMEA is deleted");
    let Action::Delete(details) = &delete.action else {
        panic!("expected a delete");
    };
    assert_eq!(details.transfer_to, None);
    assert!(details.transferred_children.is_empty());
    let europe = plan
        .change(&format!("update:{}", scenario.live_id("Europe")))
        .expect("moved");
    assert!(europe.wave < delete.wave, "the move goes first");
    let operations: Vec<Vec<Operation>> = plan
        .schedule
        .iter()
        .map(|wave| wave.batches.iter().map(|batch| batch.operation).collect())
        .collect();
    assert_eq!(
        operations,
        [vec![Operation::Update], vec![Operation::Delete]]
    );
    assert_eq!(
        plan.depends_on("delete:431581000000799002"),
        [europe.key.as_str()]
    );
    assert_renderings!("delete_with_children", plan);
}

#[test]
fn delete_with_surviving_children_under_a_deleted_parent_transfers_them() {
    let mut scenario = Scenario::acme();
    scenario.desired.unmanaged = Unmanaged::Delete;
    // Live: Acme Corp > Old Region > EMEA > Europe; desired: Europe right under the root. Both
    // go; the root is above EMEA's deleted parent, so EMEA's transfer_and_delete carries
    // Europe up (no separate PUT), then Old Region, childless, goes by a plain DELETE.
    scenario.add_live("431581000000799001", "Old Region", "Acme Corp");
    scenario.add_live("431581000000799002", "EMEA", "Old Region");
    scenario.live_territory("Europe").parent = Some("431581000000799002".into());
    let plan = scenario.planned();
    let delete = plan
        .change("delete:431581000000799002")
        .expect("EMEA is deleted");
    let Action::Delete(details) = &delete.action else {
        panic!("expected a delete");
    };
    assert_eq!(
        details.transfer_to.as_ref().map(TerritoryRef::name),
        Some("Acme Corp")
    );
    assert_eq!(details.transferred_children, vec!["Europe".to_owned()]);
    let europe = plan
        .change(&format!("update:{}", scenario.live_id("Europe")))
        .expect("moved");
    assert_eq!(
        europe.wave, delete.wave,
        "the move happens with the transfer"
    );
    let operations: Vec<Vec<Operation>> = plan
        .schedule
        .iter()
        .map(|wave| wave.batches.iter().map(|batch| batch.operation).collect())
        .collect();
    assert_eq!(
        operations,
        [vec![Operation::TransferAndDelete], vec![Operation::Delete]]
    );
    assert_renderings!("delete_with_children_transfer", plan);
}

#[test]
fn deleted_subtrees_go_bottom_up() {
    let mut scenario = Scenario::acme();
    scenario.desired.unmanaged = Unmanaged::Delete;
    scenario.add_live("431581000000799003", "Old Region", "Acme Corp");
    scenario.add_live("431581000000799004", "Old Country", "Old Region");
    scenario.add_live("431581000000799005", "Old City", "Old Country");
    let plan = scenario.planned();
    let wave = |id: &str| plan.change(&format!("delete:{id}")).expect("deleted").wave;
    assert!(wave("431581000000799005") < wave("431581000000799004"));
    assert!(wave("431581000000799004") < wave("431581000000799003"));
    assert_eq!(
        plan.depends_on("delete:431581000000799003"),
        ["delete:431581000000799004"]
    );
    assert_renderings!("delete_subtree", plan);
}

#[test]
fn unmanaged_report_lists_and_ignore_hides() {
    let mut scenario = Scenario::acme();
    scenario.add_live("431581000000799006", "Partner Channel", "Acme Corp");
    let plan = scenario.planned();
    assert!(!plan.has_changes());
    assert_eq!(plan.unmanaged.len(), 1);
    assert!(render::text(&plan, false).contains("Partner Channel"));
    assert_renderings!("unmanaged_report", plan);

    scenario.desired.unmanaged = Unmanaged::Ignore;
    let plan = scenario.planned();
    assert!(plan.unmanaged.is_empty());
    assert_eq!(render::text(&plan, false), "No changes.\n");
}

#[test]
fn colour_only_when_asked() {
    let mut scenario = Scenario::acme();
    scenario.desired_territory("Europe").permission = Permission::ReadWriteDelete;
    scenario.desired_territory("Canada").parent = "Acme Corp".into();
    let plan = scenario.planned();
    assert!(!render::text(&plan, false).contains('\u{1b}'));
    let coloured = render::text(&plan, true);
    // One colour per kind of change, over the whole headline: symbol and name.
    assert!(
        coloured.contains("\n  \u{1b}[36m-> Canada\u{1b}[0m\n"),
        "{coloured}"
    );
    assert!(
        coloured.contains("\n  \u{1b}[33m~ Europe\u{1b}[0m\n"),
        "{coloured}"
    );
    // Needs attention, at the top, in the same colours.
    assert!(
        coloured.contains(
            "Needs attention (1 move, 1 permission change):\n  \u{1b}[36m! Move Canada: North America → Acme Corp\u{1b}[0m\n"
        ),
        "{coloured}"
    );
    assert!(!coloured.contains("wave:"), "{coloured}");
}

#[test]
fn unmanaged_territories_are_listed_under_the_renamed_root() {
    let mut scenario = Scenario::acme();
    scenario.add_live("431581000000799007", "Partner Channel", "Acme Corp");
    scenario.live_territory("Acme Corp").name = "Zylker".into();
    let plan = scenario.planned();
    assert_eq!(plan.unmanaged[0].parent, "Acme Corp");
    assert!(render::text(&plan, false).contains("  ? Partner Channel (under Acme Corp)\n"));
}
