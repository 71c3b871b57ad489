//! `plan`'s command-line behaviour once desired and live are loaded: formats, the plan file,
//! exit codes.

use clap::Parser;
use territoryctl::cli::PlanArgs;
use territoryctl::commands::Color;
use territoryctl::commands::plan::show_plan;
use territoryctl::exit::ExitStatus;
use territoryctl::model::Permission;
use territoryctl::render;

use super::scenario::{Scenario, territory};

#[derive(Parser)]
struct Command {
    #[command(flatten)]
    args: PlanArgs,
}

fn args(flags: &[&str]) -> PlanArgs {
    let argv = std::iter::once("plan").chain(flags.iter().copied());
    Command::try_parse_from(argv).expect("valid flags").args
}

fn run(scenario: &Scenario, flags: &[&str]) -> (Result<ExitStatus, ExitStatus>, String) {
    let mut stdout = Vec::new();
    let status = show_plan(
        &scenario.desired,
        &scenario.live,
        &args(flags),
        Color(false),
        &mut stdout,
        &mut Vec::new(),
    )
    .map_err(|error| error.exit_status());
    (status, String::from_utf8(stdout).expect("UTF-8 output"))
}

#[test]
fn detailed_exitcode_reports_changes_with_2() {
    let mut scenario = Scenario::acme();
    assert_eq!(
        run(&scenario, &["--detailed-exitcode"]).0,
        Ok(ExitStatus::Success)
    );
    scenario.desired_territory("Europe").permission = Permission::ReadWriteDelete;
    let (status, stdout) = run(&scenario, &["--detailed-exitcode"]);
    assert_eq!(status, Ok(ExitStatus::Changes));
    assert_eq!(status.map(ExitStatus::code), Ok(2));
    assert!(stdout.ends_with("Plan: 0 to add, 1 to change, 0 to move, 0 to delete.\n"));
    assert_eq!(run(&scenario, &[]).0, Ok(ExitStatus::Success));
}

#[test]
fn a_safety_rail_exits_3() {
    let mut scenario = Scenario::acme();
    scenario.desired.territories.clear();
    scenario.desired.assignments.clear();
    let (status, stdout) = run(&scenario, &[]);
    assert_eq!(status.map_err(ExitStatus::code), Err(3));
    assert!(stdout.is_empty());
    assert_eq!(
        run(&scenario, &["--allow-empty"]).0,
        Ok(ExitStatus::Success)
    );
}

#[test]
fn formats_and_the_saved_plan_file() {
    let mut scenario = Scenario::acme();
    scenario
        .desired
        .territories
        .push(territory("Mexico", "North America"));
    let directory = std::env::temp_dir().join(format!("territoryctl-plan-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("temp dir");
    let file = directory.join("plan.json");
    let file_arg = file.to_str().expect("UTF-8 path");
    let (status, stdout) = run(&scenario, &["--format", "markdown", "--out", file_arg]);
    assert_eq!(status, Ok(ExitStatus::Success));
    assert!(
        stdout.starts_with("### territoryctl plan for `Acme Corp`\n"),
        "{stdout}"
    );
    let saved = std::fs::read_to_string(&file).expect("the plan file is written");
    let plan = render::parse(&saved).expect("the plan file reads back");
    assert_eq!(plan.summary.add, 1);
    let (_, json) = run(&scenario, &["--format", "json"]);
    assert_eq!(json, saved);
    let _ = std::fs::remove_dir_all(&directory);
}

#[test]
fn the_change_threshold_is_a_flag() {
    assert_eq!(args(&[]).max_change_percent, 30);
    assert_eq!(args(&["--max-change-percent", "55"]).max_change_percent, 55);
    assert!(Command::try_parse_from(["plan", "--max-change-percent", "101"]).is_err());
}

#[test]
fn a_huge_plan_is_cut_to_fit_a_comment() {
    let mut scenario = Scenario::acme();
    scenario.policy.allow_empty = true;
    for index in 0..400 {
        let mut new = territory(&format!("Team {index:03}"), "Europe");
        new.description = Some(format!("{index} {}", "a long description ".repeat(12)));
        scenario.desired.territories.push(new);
    }
    let plan = scenario.planned();
    let full = render::text(&plan, false);
    assert!(full.len() > render::MAX_COMMENT_LEN);
    let markdown = render::markdown(&plan);
    assert!(
        markdown.len() <= render::MAX_COMMENT_LEN,
        "{}",
        markdown.len()
    );
    assert!(markdown.starts_with("### territoryctl plan for `Acme Corp`\n\n**Plan: 400 to add,"));
    assert!(markdown.contains("The plan was cut to fit a GitHub comment"));
    assert_eq!(
        markdown.matches("```").count() % 2,
        0,
        "every fence is closed"
    );
    assert_eq!(
        markdown.matches("<details>").count(),
        markdown.matches("</details>").count()
    );
}
