//! The official Zoho CRM Node SDK runs against the simulator (tests/sdk/contract.mjs).

use std::path::Path;

use crate::harness::{AUTO, Sim, run_contract};

#[tokio::test]
async fn official_node_sdk_parses_every_answer() {
    let sdk = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk");
    assert!(
        sdk.join("node_modules/@zohocrm/nodejs-sdk-8.0").is_dir(),
        "the Node SDK is not installed: run `npm ci --prefix simulator/tests/sdk` (scripts/test.sh does)"
    );
    let sim = Sim::start().await;
    // `node` must be on PATH (Node 20 is required for the SDK contract test).
    run_contract(&sim, "node".into(), sdk.join("contract.mjs"), &[]).await;
    // The SDK's calls left the org as Zoho would have: the territories gone, the record back
    // to its automatic territory only.
    let state = sim.server.state();
    assert!(
        state
            .territories
            .iter()
            .all(|t| !["EMEA", "DACH", "Germany"].contains(&t.name.as_str()))
    );
    let territories: Vec<_> = state.records["Accounts"][0]
        .territories
        .iter()
        .map(|t| t.id.clone())
        .collect();
    assert_eq!(territories, [AUTO]);
    let counters = sim.server.counters();
    assert_eq!(
        counters.get(
            "POST",
            "/crm/{version}/settings/territories/actions/transfer_and_delete"
        ),
        1
    );
}
