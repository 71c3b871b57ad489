//! The scale benchmark's request counts at the smallest sizes: territoryctl makes exactly the
//! lower bound of requests the API allows, and the naive script one per territory and per
//! change. Counts only, never times. The benchmark's own modules are compiled in here, so the
//! test and `cargo bench --bench scale` measure the same way.

#[path = "../../../benches/scale/child.rs"]
#[allow(dead_code, reason = "shared with the benchmark, which uses all of it")]
mod child;
#[path = "../../../benches/scale/harness.rs"]
#[allow(dead_code, reason = "shared with the benchmark, which uses all of it")]
mod harness;
#[path = "../../../benches/scale/naive.rs"]
mod naive;
#[path = "../../../benches/scale/org.rs"]
#[allow(dead_code, reason = "shared with the benchmark, which uses all of it")]
mod org;
#[path = "../../../benches/scale/scenario.rs"]
#[allow(dead_code, reason = "shared with the benchmark, which uses all of it")]
mod scenario;

use std::path::Path;

use org::{Org, Shape};
use scenario::{NAMES, Scenario};

const CONCURRENCY: usize = 4;

fn org(territories: usize) -> Org {
    Org::generate(Shape {
        territories,
        fan_out: 10,
        users: 20,
        seed: 7,
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// Runs territoryctl for `name` at `territories` and returns (requests, lower bound).
fn territoryctl(runtime: &tokio::runtime::Runtime, territories: usize, name: &str) -> (u64, usize) {
    let org = org(territories);
    let scenario = Scenario::build(name, &org).expect("a known scenario");
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let measured = harness::territoryctl(
        runtime,
        Path::new(env!("CARGO_BIN_EXE_territoryctl")),
        &scenario,
        harness::faults(0, CONCURRENCY),
        CONCURRENCY,
        scratch.path(),
    )
    .expect("the run starts");
    assert!(
        measured.run.success,
        "{name} at {territories} failed: {}",
        measured.run.stderr
    );
    assert_eq!(
        measured.territories_after,
        harness::expected_after(&scenario),
        "{name} at {territories} left the org with the wrong number of territories"
    );
    if name == "plan-unchanged" {
        assert!(
            measured.run.stdout.contains("No changes."),
            "{}",
            measured.run.stdout
        );
    }
    (
        measured.counters.total,
        scenario.read_lower_bound() + scenario.write_lower_bound(),
    )
}

#[test]
fn every_scenario_at_100_territories_makes_exactly_the_lower_bound_of_requests() {
    let runtime = runtime();
    let counts: Vec<(&str, u64, usize)> = NAMES
        .iter()
        .map(|name| {
            let (requests, lower) = territoryctl(&runtime, 100, name);
            (*name, requests, lower)
        })
        .collect();
    assert_eq!(
        counts,
        vec![
            // 1 territory page + users + org + Accounts and Leads fields.
            ("plan-unchanged", 5, 5),
            ("plan-10pct", 5, 5),
            // Export reads the Deals fields too, and every territory's users: one page of
            // counts, then each of the 20 users' territories (fewer than 99 territories).
            ("export", 27, 27),
            // 99 creates in two waves: 10 top-level (1 batch) + 89 below (9 batches).
            ("apply-create-all", 15, 15),
            ("apply-reparent", 6, 6),
            // 11 deletes: 10 leaves (1 batch), then their parent (1 batch).
            ("apply-delete-subtree", 7, 7),
            // A top-level territory goes, its 9 children stay: they move by PUT (1 batch),
            // then a plain DELETE (1 batch).
            ("apply-delete-keep-children", 7, 7),
            // Membership managed: the plan's 5, one page of counts, 20 users' territories.
            ("plan-members", 26, 26),
            // And one PUT and one DELETE of users for each of the 9 changed territories.
            ("apply-members", 44, 44),
            // The plan's 5, then 1,000 accounts (10 per territory) in 5 pages
            // of 200: ceil(1,000 / 200).
            ("plan-impact", 10, 10),
        ]
    );
}

#[test]
fn plans_and_applies_at_450_territories_make_exactly_the_lower_bound_of_requests() {
    let runtime = runtime();
    // Three territory pages.
    assert_eq!(territoryctl(&runtime, 450, "plan-unchanged"), (7, 7));
    // With membership: three pages of counts (449 territories have users), then the 20
    // users' territories, one page each: the lower bound, not 449 reads by territory.
    assert_eq!(territoryctl(&runtime, 450, "plan-members"), (30, 30));
    assert_eq!(territoryctl(&runtime, 450, "plan-10pct"), (7, 7));
    // Waves of 10, 100 and 339 creates: 1 + 10 + 34 batches after 5 reads.
    assert_eq!(territoryctl(&runtime, 450, "apply-create-all"), (50, 50));
    // 100 + 10 + 1 deletes, deepest first: 10 + 1 + 1 batches after 7 reads.
    assert_eq!(
        territoryctl(&runtime, 450, "apply-delete-subtree"),
        (19, 19)
    );
    // 10 children move by PUT (1 batch), then their old parent goes (1 batch), after 7 reads.
    assert_eq!(
        territoryctl(&runtime, 450, "apply-delete-keep-children"),
        (9, 9)
    );
}

#[test]
fn the_naive_script_sends_one_request_per_territory_read_and_per_change() {
    let runtime = runtime();
    let org = org(100);
    let naive = |name: &str| {
        let scenario = Scenario::build(name, &org).expect("a known scenario");
        let (_, counters) = harness::naive(&runtime, &org, &scenario, harness::faults(0, 100), 100)
            .expect("the naive script runs");
        (counters.total, counters.writes)
    };
    // 100 territories by id + users + org + two field modules.
    assert_eq!(naive("plan-unchanged"), (104, 0));
    // And for an export, every territory's users by territory.
    assert_eq!(naive("export"), (205, 0));
    // The root by id + users + org + fields, then 99 creates one by one.
    assert_eq!(naive("apply-create-all"), (104, 99));
    assert_eq!(naive("apply-reparent"), (114, 10));
    assert_eq!(naive("apply-delete-subtree"), (115, 11));
}
