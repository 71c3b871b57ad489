//! Zoho's official Python SDK runs against the simulator (tests/sdk-python/contract.py), the
//! second official contract client beside the Node SDK.

use std::path::Path;

use crate::harness::{AUTO, Sim, run_contract};

/// The `Amount` field of Deals in the test org (harness::org).
const AMOUNT_FIELD: &str = "5725767000000000030";

#[tokio::test]
async fn official_python_sdk_parses_every_answer() {
    let sdk = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk-python");
    let python = sdk.join(".venv/bin/python");
    assert!(
        python.is_file(),
        "the Python SDK is not installed: run `python3 -m venv simulator/tests/sdk-python/.venv` \
         and `simulator/tests/sdk-python/.venv/bin/pip install -r simulator/tests/sdk-python/requirements.txt` \
         (scripts/test.sh does)"
    );
    let sim = Sim::start().await;
    run_contract(
        &sim,
        python,
        sdk.join("contract.py"),
        &[("SIM_AMOUNT_FIELD_ID", AMOUNT_FIELD)],
    )
    .await;
    // The SDK's calls left the org as Zoho would have: the tree gone, the root and the
    // territory the test org starts with kept, the record back to its automatic territory,
    // and no memberships left behind.
    let state = sim.server.state();
    let names: Vec<&str> = state.territories.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Zylker", "Auto"]);
    assert!(state.territories.iter().all(|t| t.users.is_empty()));
    let territories: Vec<_> = state.records["Accounts"][0]
        .territories
        .iter()
        .map(|t| t.id.clone())
        .collect();
    assert_eq!(territories, [AUTO]);
    let counters = sim.server.counters();
    for (method, route, calls) in [
        (
            "POST",
            "/crm/{version}/settings/territories/actions/transfer_and_delete",
            1,
        ),
        ("DELETE", "/crm/{version}/settings/territories", 2),
        ("DELETE", "/crm/{version}/settings/territories/{id}", 1),
        ("PUT", "/crm/{version}/settings/territories", 1),
        (
            "GET",
            "/crm/{version}/settings/territories/actions/associated_users_count",
            1,
        ),
        ("GET", "/crm/{version}/users/{user_id}/territories", 1),
    ] {
        assert_eq!(counters.get(method, route), calls, "{method} {route}");
    }
}
