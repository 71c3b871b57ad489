//! Waves and batches: dependencies respected, no transient cycle, minimum batch count.

use std::collections::BTreeMap;

use territoryctl::model::{Desired, Unmanaged};
use territoryctl::plan::{Action, Operation, Phase, Plan, batch_count};

use super::assert_renderings;
use super::scenario::{Scenario, territory};

/// Replays the plan's moves wave by wave and checks that no subset of a wave's moves, applied
/// in any order, ever puts a territory under itself.
fn assert_no_transient_cycle(scenario: &Scenario, plan: &Plan) {
    let mut parents: BTreeMap<String, String> = scenario
        .live
        .territories
        .iter()
        .filter_map(|t| Some((t.id.clone(), t.parent.clone()?)))
        .collect();
    for wave in &plan.schedule {
        let moves: Vec<(String, String)> = wave
            .batches
            .iter()
            .flat_map(|batch| &batch.changes)
            .filter_map(|key| match &plan.change(key)?.action {
                Action::Update(update) => {
                    let (_, new) = update.parent_change()?;
                    Some((update.id.clone(), new.id()?.to_owned()))
                }
                _ => None,
            })
            .collect();
        for subset in 0..(1u32 << moves.len()) {
            let mut state = parents.clone();
            for (index, (id, parent)) in moves.iter().enumerate() {
                if subset & (1 << index) != 0 {
                    state.insert(id.clone(), parent.clone());
                }
            }
            for start in state.keys() {
                let mut current = start.clone();
                for _ in 0..=state.len() {
                    match state.get(&current) {
                        Some(parent) => current = parent.clone(),
                        None => break,
                    }
                    assert_ne!(
                        &current, start,
                        "a cycle through {start} in wave {}",
                        wave.number
                    );
                }
            }
        }
        for (id, parent) in moves {
            parents.insert(id, parent);
        }
    }
}

#[test]
fn swapping_a_parent_and_its_child_moves_the_child_out_first() {
    let mut scenario = Scenario::acme();
    // Live: Acme Corp > North America > United States. Desired: United States > North America.
    scenario.desired_territory("United States").parent = "Acme Corp".into();
    scenario.desired_territory("North America").parent = "United States".into();
    let plan = scenario.planned();
    let wave = |name: &str| {
        plan.change(&format!("update:{}", scenario.live_id(name)))
            .expect("moved")
            .wave
    };
    assert!(wave("United States") < wave("North America"));
    assert_no_transient_cycle(&scenario, &plan);
    assert_renderings!("swap", plan);
}

#[test]
fn a_deeper_swap_and_unrelated_updates_share_batches() {
    let mut scenario = Scenario::acme();
    // Europe goes under France, France under the root; Germany under North America (unrelated,
    // same wave as France's move); Canada renamed (fills the room of a PUT batch).
    scenario.desired_territory("France").parent = "Acme Corp".into();
    scenario.desired_territory("Europe").parent = "France".into();
    scenario.desired_territory("Germany").parent = "North America".into();
    scenario.desired_territory("Canada").description = Some("Eh".into());
    let plan = scenario.planned();
    assert_no_transient_cycle(&scenario, &plan);
    let put_waves: Vec<usize> = plan
        .schedule
        .iter()
        .filter(|wave| wave.phase == Phase::Update)
        .map(|wave| wave.batches.len())
        .collect();
    assert_eq!(put_waves, vec![1, 1], "two waves, one PUT each");
    assert_eq!(batch_count(&plan.schedule), 2);
}

/// `count` new territories: `top` under the root, then each level spread over the previous.
fn levels(sizes: &[usize]) -> Desired {
    let mut territories = Vec::new();
    let mut previous: Vec<String> = vec!["Acme Corp".into()];
    for (level, &size) in sizes.iter().enumerate() {
        let names: Vec<String> = (0..size)
            .map(|index| format!("L{}-{index:02}", level + 1))
            .collect();
        for (index, name) in names.iter().enumerate() {
            territories.push(territory(name, &previous[index % previous.len()]));
        }
        previous = names;
    }
    Desired {
        root: "Acme Corp".into(),
        root_origin: None,
        unmanaged: Unmanaged::Report,
        territories,
        assignments: Default::default(),
    }
}

#[test]
fn twenty_five_new_territories_over_three_levels_take_four_batches() {
    // 3 + 7 + 15: every territory of levels 1 and 2 has children, so each level is its own wave:
    // 1 + 1 + 2 batches.
    let desired = levels(&[3, 7, 15]);
    let mut scenario = Scenario::from_desired(desired.clone());
    scenario.live = super::scenario::live_of(&Desired {
        territories: Vec::new(),
        ..desired
    });
    scenario.policy.allow_empty = true;
    let plan = scenario.planned();
    assert_eq!(plan.summary.add, 25);
    assert_eq!(plan.schedule.len(), 3);
    assert_eq!(batch_count(&plan.schedule), 4);
    assert!(
        plan.schedule
            .iter()
            .flat_map(|wave| &wave.batches)
            .all(|batch| batch.operation == Operation::Create && batch.changes.len() <= 10)
    );
    assert_renderings!("create_25_over_3_levels", plan);
}

#[test]
fn leaves_wait_for_later_waves_to_fill_their_batches() {
    // 12 new top-level territories, the first with 8 new children. Level by level that would be
    // 2 + 1 = 3 batches; two childless top-level territories can go with the children: 2.
    let mut desired = levels(&[12]);
    for index in 0..8 {
        desired
            .territories
            .push(territory(&format!("Child {index}"), "L1-00"));
    }
    let mut scenario = Scenario::from_desired(desired.clone());
    scenario.live = super::scenario::live_of(&Desired {
        territories: Vec::new(),
        ..desired
    });
    scenario.policy.allow_empty = true;
    let plan = scenario.planned();
    assert_eq!(batch_count(&plan.schedule), 2);
    let parent = plan.change("create:l1-00").expect("created").wave;
    let child = plan.change("create:child 0").expect("created").wave;
    assert!(parent < child);
}

#[test]
fn a_full_restructure_uses_the_minimum_number_of_batches() {
    // Existing org of 3 levels; 11 renames, 2 moves in one wave, 4 creates over 2 levels, and
    // 3 deletions: PUT 13 items in one wave = 2 batches, creates 2 waves = 2, deletes 1.
    let base = levels(&[3, 6, 12]);
    let mut scenario = Scenario::from_desired(base);
    scenario.policy.max_change_percent = 100;
    scenario.desired.unmanaged = Unmanaged::Delete;
    for index in 0..11 {
        scenario.desired.territories[9 + index].description = Some(format!("team {index}"));
    }
    scenario.desired_territory("L2-00").parent = "L1-01".into();
    scenario.desired_territory("L2-01").parent = "L1-02".into();
    scenario
        .desired
        .territories
        .push(territory("New A", "Acme Corp"));
    scenario
        .desired
        .territories
        .push(territory("New B", "Acme Corp"));
    scenario
        .desired
        .territories
        .push(territory("New A1", "New A"));
    scenario
        .desired
        .territories
        .push(territory("New A2", "New A"));
    scenario.remove_desired("L3-11");
    scenario.remove_desired("L3-10");
    scenario.remove_desired("L3-09");
    let plan = scenario.planned();
    let per_phase = |phase: Phase| -> usize {
        plan.schedule
            .iter()
            .filter(|wave| wave.phase == phase)
            .map(|wave| wave.batches.len())
            .sum()
    };
    assert_eq!(per_phase(Phase::Create), 2);
    assert_eq!(per_phase(Phase::Update), 2);
    assert_eq!(per_phase(Phase::Delete), 1);
    assert_eq!(batch_count(&plan.schedule), 5);
    assert_no_transient_cycle(&scenario, &plan);
}

#[test]
fn the_markdown_draws_a_diagram_up_to_50_territories_and_folds_a_long_tree() {
    let markdown = |sizes: &[usize]| {
        let desired = levels(sizes);
        let mut scenario = Scenario::from_desired(desired.clone());
        scenario.live = super::scenario::live_of(&Desired {
            territories: Vec::new(),
            ..desired
        });
        scenario.policy.allow_empty = true;
        territoryctl::render::markdown(&scenario.planned())
    };
    // The root and 49 new territories: 50 nodes, drawn; the tree's 50 lines are folded.
    let drawn = markdown(&[7, 42]);
    assert_eq!(drawn.matches("```mermaid\n").count(), 1, "{drawn}");
    assert_eq!(drawn.matches("\"]:::create\n").count(), 49, "{drawn}");
    assert!(
        drawn.contains(
            "<details><summary>Affected territories (50)</summary>\n\n```text\nAcme Corp\n"
        )
    );
    assert!(!drawn.contains("**Affected territories**"));
    // One more: left out, and said so.
    let left_out = markdown(&[7, 43]);
    assert!(!left_out.contains("```mermaid"), "{left_out}");
    assert!(left_out.contains(
        "_No diagram: the affected tree has 51 territories, more than the 50 a diagram stays readable with._\n"
    ));
    // A short tree is shown as it is.
    let short = markdown(&[3, 4]);
    assert!(
        short.contains("**Affected territories**\n\n```text\nAcme Corp\n"),
        "{short}"
    );
}
