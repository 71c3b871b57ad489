//! Rules that take effect: `apply --run-rules` and `rules run` through the binary, against
//! the simulator, whose own rule evaluation decides where records go.

use serde_json::Value;
use zoho_crm_sim::state::{RuleJob, RuleScope, State};

use crate::records::{Org, without_times};

const RUN_RULES: &str = "/crm/{version}/settings/territories/actions/run_rules";
/// Accounts in examples/acme/org.json that Japan's rules concern.
const SEOUL: &str = "4150868000004522089"; // South Korea, Japan (rules, stale)
const OSAKA: &str = "4150868000004522093"; // Japan, no territory
const KYOTO: &str = "4150868000004522097"; // Japan, APAC (rules, from before Japan existed)
const BUSAN: &str = "4150868000004522101"; // South Korea, Japan (by hand)

fn acme_yaml() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/acme/territories.yaml"
    )
    .to_owned()
}

/// examples/acme with rule jobs that finish at once (their first poll sees them done).
fn quick(change: impl FnOnce(&mut State)) -> Org {
    Org::with(|state| {
        state.limits.rule_job_scheduled_secs = 0;
        state.limits.rule_job_running_secs = 0;
        change(state);
    })
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A rule run someone else started, ending `secs` from now.
fn foreign_job(state: &mut State, secs: i64) {
    let now = unix_now();
    let root = state.root().expect("a root").id.clone();
    state.rule_jobs.push(RuleJob {
        job_id: "4150868000009000001".into(),
        module: "Leads".into(),
        scope: RuleScope::Territories {
            ids: vec![root],
            include_child: true,
        },
        scheduled_by: state.org.current_user.clone(),
        scheduled_at: now,
        starts_at: now,
        ends_at: now + secs,
        finished: None,
        records_changed: 0,
    });
}

fn records(org: &Org) -> String {
    let run = org.run(&["records", "get", "Accounts", SEOUL, OSAKA, KYOTO, BUSAN]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    without_times(&run.stdout)
}

#[test]
fn apply_run_rules_moves_the_records_the_new_rules_catch_and_keeps_manual_ones() {
    // examples/acme/territories.yaml narrows Japan from `in [Japan, South Korea]` to `equal
    // Japan`, and creates, moves and re-rules other territories.
    let org = quick(|_| {});
    let before = records(&org);
    let yaml = acme_yaml();
    let run = org.run(&[
        "apply",
        &yaml,
        "--allow-delete",
        "--yes",
        "--run-rules",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    let runs = report["rule_runs"].as_array().expect("rule_runs");
    let modules: Vec<&str> = runs.iter().map(|r| r["module"].as_str().unwrap()).collect();
    assert_eq!(modules, ["accounts", "leads", "deals"]);
    assert!(runs.iter().all(|r| r["outcome"] == "completed"), "{runs:?}");
    assert!(
        runs[0]["territories"]
            .as_array()
            .unwrap()
            .contains(&Value::from("Japan"))
    );
    assert!(
        run.stderr.contains("rules: Accounts: job "),
        "{}",
        run.stderr
    );
    assert_eq!(org.counters().get("POST", RUN_RULES), 3);

    insta::assert_snapshot!("records_before", before);
    // Seoul left Japan (South Korea no longer caught); Osaka and Kyoto are in Japan by rules
    // (Kyoto's stale APAC is gone); Busan keeps Japan, assigned by hand.
    insta::assert_snapshot!("records_after", records(&org));
}

#[test]
fn apply_without_run_rules_leaves_existing_records_alone() {
    let org = quick(|_| {});
    let before = records(&org);
    let yaml = acme_yaml();
    let run = org.run(&["apply", &yaml, "--allow-delete", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("Rule runs"), "{}", run.stdout);
    assert_eq!(org.counters().get("POST", RUN_RULES), 0);
    assert_eq!(records(&org), before);
}

#[test]
fn apply_run_rules_in_markdown_and_text() {
    for (format, heading) in [
        ("markdown", "### Rule runs: 3 runs, 3 completed"),
        ("text", "Rule runs: 3 runs, 3 completed"),
    ] {
        let org = quick(|_| {});
        let yaml = acme_yaml();
        let run = org.run(&[
            "apply",
            &yaml,
            "--allow-delete",
            "--yes",
            "--run-rules",
            "--format",
            format,
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains(heading), "{}", run.stdout);
        // The shown plan ends with the rule runs as its last wave, before anything is sent.
        let wave = run
            .stdout
            .find("ast wave: rule runs")
            .expect("the planned rule-run wave");
        assert!(
            wave < run.stdout.find("Rule runs: 3 runs").expect("the report"),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.contains("rule runs** (3 requests")
                || run.stdout.contains("rule runs (3 requests"),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn rules_run_moves_records_of_the_named_territory() {
    let org = quick(|_| {});
    let run = org.run(&[
        "rules",
        "run",
        "--module",
        "accounts",
        "--territory",
        "apac",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("✓ rules Accounts for \"APAC\" (with children): job "),
        "{}",
        run.stdout
    );
    // Live rules (Japan still takes South Korea, but APAC does not let it through): Seoul
    // loses its stale Japan, Osaka and Kyoto get Japan, Busan keeps its manual one.
    insta::assert_snapshot!("records_after_rules_run", records(&org));
    assert_eq!(org.counters().get("POST", RUN_RULES), 1);
}

#[test]
fn a_failed_job_exits_5_with_what_to_do() {
    let org = quick(|state| state.flags.rule_runs_fail = true);
    let run = org.run(&[
        "rules",
        "run",
        "--module",
        "Accounts",
        "--territory",
        "Japan",
        "--format",
        "markdown",
    ]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stdout.contains("| Accounts | `Japan` | job "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("failed. *What to do:* Zoho's rule job failed"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_job_that_does_not_finish_in_time_exits_5() {
    let org = Org::with(|state| state.limits.rule_job_scheduled_secs = 3600);
    let run = org.run(&["rules", "run", "--module", "Deals", "--timeout", "2"]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stdout.contains("still SCHEDULED when the wait ran out"),
        "{}",
        run.stdout
    );
}

#[test]
fn already_scheduled_is_asked_again_once_the_running_job_ends() {
    let org = quick(|state| foreign_job(state, 2));
    let run = org.run(&[
        "rules",
        "run",
        "--module",
        "Accounts",
        "--territory",
        "Japan",
        "--timeout",
        "60",
    ]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("another rule run is still going"),
        "{}",
        run.stderr
    );
    assert!(org.counters().get("POST", RUN_RULES) >= 2);
}

#[test]
fn a_run_that_never_gets_to_start_exits_5() {
    let org = quick(|state| foreign_job(state, 3600));
    let run = org.run(&[
        "rules",
        "run",
        "--module",
        "Accounts",
        "--timeout",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["runs"][0]["outcome"], "not_started");
}

#[test]
fn disabled_deal_rules_and_a_missing_scope_are_explained() {
    let org = quick(|state| state.flags.deal_rules_enabled = false);
    let run = org.run(&["rules", "run", "--module", "Deals"]);
    assert_eq!(run.code, 5);
    assert!(
        run.stdout
            .contains("refused with FEATURE_NOT_ENABLED: Territory Deal Rule Disabled"),
        "{}",
        run.stdout
    );
    let token = org.server().mint_token(&[
        "ZohoCRM.settings.territories.READ",
        "ZohoCRM.settings.territories.CREATE",
    ]);
    let run = org.run_with_token(&token, &["rules", "run", "--module", "Accounts"]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("the token needs the scope ZohoCRM.settings.territories.ALL"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_unknown_territory_or_module_stops_before_any_run() {
    let org = quick(|_| {});
    let run = org.run(&["rules", "run", "--territory", "Japn"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("did you mean `Japan`?"),
        "{}",
        run.stderr
    );
    let run = org.run(&["rules", "run", "--module", "Contacts"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("unknown module `Contacts`"),
        "{}",
        run.stderr
    );
    assert_eq!(org.counters().get("POST", RUN_RULES), 0);
}

#[test]
fn run_rules_true_in_the_files_makes_apply_run_them() {
    let org = quick(|_| {});
    let directory = tempfile::tempdir().expect("a temporary directory");
    let yaml = std::fs::read_to_string(acme_yaml()).expect("the acme YAML");
    let path = directory.path().join("territories.yaml");
    std::fs::write(&path, format!("run_rules: true\n{yaml}")).expect("write");
    let path = path.to_str().expect("UTF-8").to_owned();
    let run = org.run(&["apply", &path, "--allow-delete", "--yes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Rule runs: 3 runs, 3 completed"),
        "{}",
        run.stdout
    );
    assert_eq!(org.counters().get("POST", RUN_RULES), 3);
    insta::assert_snapshot!("records_after", records(&org));
}

/// `plan --run-rules` shows the rule runs `apply --run-rules` would start as the last wave, in
/// every format, and sends nothing: a reviewer sees them before merge.
#[test]
fn plan_run_rules_shows_the_last_wave_in_every_format_and_runs_nothing() {
    let org = quick(|_| {});
    let text = org.run(&["plan", &acme_yaml(), "--run-rules"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    let wave = text
        .stdout
        .split_once("Last wave: rule runs")
        .map(|(_, wave)| wave)
        .unwrap_or_else(|| panic!("no rule-run wave:\n{}", text.stdout));
    assert!(wave.starts_with(" (3 requests"), "{wave}");
    assert!(
        wave.contains("Accounts rules of") && wave.contains("\"Japan\""),
        "{wave}"
    );

    let markdown = org.run(&["plan", &acme_yaml(), "--run-rules", "--format", "markdown"]);
    assert_eq!(markdown.code, 0, "{}", markdown.stderr);
    assert!(
        markdown
            .stdout
            .contains("**Last wave: rule runs** (3 requests, one at a time"),
        "{}",
        markdown.stdout
    );

    let json = org.run(&["plan", &acme_yaml(), "--run-rules", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let plan: Value = serde_json::from_str(&json.stdout).expect("a JSON plan");
    let accounts = plan["rule_runs"]["accounts"]
        .as_array()
        .unwrap_or_else(|| panic!("no rule_runs.accounts: {}", plan["rule_runs"]));
    assert!(accounts.iter().any(|name| name == "Japan"), "{accounts:?}");
    assert_eq!(
        plan["rule_runs"].as_object().map(serde_json::Map::len),
        Some(3)
    );

    let plain = org.run(&["plan", &acme_yaml()]);
    assert!(!plain.stdout.contains("rule runs"), "{}", plain.stdout);
    let plain = org.run(&["plan", &acme_yaml(), "--format", "json"]);
    let plan: Value = serde_json::from_str(&plain.stdout).expect("a JSON plan");
    assert!(plan.get("rule_runs").is_none(), "{plan}");
    assert_eq!(
        org.counters().get("POST", RUN_RULES),
        0,
        "plan runs nothing"
    );
}

#[test]
fn run_rules_true_in_the_files_makes_plan_show_the_wave() {
    let org = quick(|_| {});
    let directory = tempfile::tempdir().expect("a temporary directory");
    let yaml = std::fs::read_to_string(acme_yaml()).expect("the acme YAML");
    let path = directory.path().join("territories.yaml");
    std::fs::write(&path, format!("run_rules: true\n{yaml}")).expect("write");
    let run = org.run(&["plan", path.to_str().expect("UTF-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Last wave: rule runs (3 requests"),
        "{}",
        run.stdout
    );
}
