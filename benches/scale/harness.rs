//! One measured run: a fresh simulator with the scenario's live org and the chosen faults,
//! then territoryctl (a child process) or the naive script against it, counted.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tokio::runtime::Runtime;
use zoho_crm_sim::{Counters, Faults, Server, Simulator};

use super::child::{self, Run};
use super::naive;
use super::org::Org;
use super::scenario::{Command, Scenario, Write};

/// The simulator's faults for a benchmark: latency on every request and a concurrency limit.
#[must_use]
pub(crate) fn faults(latency_ms: u64, concurrency: usize) -> Faults {
    Faults {
        latency_ms,
        concurrency_limit: Some(concurrency),
        ..Faults::default()
    }
}

/// territoryctl's run and the requests it made.
pub(crate) struct Measured {
    pub(crate) run: Run,
    pub(crate) counters: Counters,
    /// Territories in the org afterwards.
    pub(crate) territories_after: usize,
}

impl Measured {
    /// Requests under `/crm/` that read.
    #[must_use]
    pub(crate) fn reads(&self) -> u64 {
        self.counters.total - self.counters.writes
    }
}

async fn start(scenario: &Scenario, faults: Faults) -> Result<Server, String> {
    Simulator::new(scenario.live.clone(), faults)
        .serve("127.0.0.1:0".parse().expect("a socket address"))
        .await
        .map_err(|error| format!("cannot start the simulator: {error}"))
}

/// Runs territoryctl's command for `scenario` against a fresh simulator.
///
/// # Errors
/// The simulator or the binary cannot start, or the scratch directory cannot be written.
pub(crate) fn territoryctl(
    runtime: &Runtime,
    binary: &Path,
    scenario: &Scenario,
    faults: Faults,
    concurrency: usize,
    scratch: &Path,
) -> Result<Measured, String> {
    let server = runtime.block_on(start(scenario, faults))?;
    let desired = write_desired(scenario, scratch)?;
    let mut args: Vec<String> = match scenario.command {
        Command::Plan => vec!["plan".into(), desired.display().to_string()],
        Command::Apply => vec![
            "apply".into(),
            desired.display().to_string(),
            "--yes".into(),
            "--allow-empty".into(),
            "--allow-delete".into(),
        ],
        Command::Export => vec![
            "export".into(),
            "--out".into(),
            scratch.join("export.yaml").display().to_string(),
            "--force".into(),
        ],
    };
    if scenario.impact_records > 0 {
        args.extend([
            "--impact".into(),
            "Accounts".into(),
            // Above the records, so the preview is never cut short.
            "--impact-max-records".into(),
            (scenario.impact_records * 2).to_string(),
        ]);
    }
    args.extend([
        "--api-domain".into(),
        server.base_url(),
        "--concurrency".into(),
        concurrency.to_string(),
    ]);
    // The child runs on this thread while the simulator serves from the runtime's workers.
    let run = child::run(binary, &args, &server.access_token(), scratch);
    let counters = server.counters();
    let territories_after = server.state().territories.len();
    runtime.block_on(server.shutdown());
    Ok(Measured {
        run: run?,
        counters,
        territories_after,
    })
}

/// The naive script's wall time and requests for `scenario`, against a fresh simulator.
///
/// # Errors
/// The simulator cannot start, or a request fails.
pub(crate) fn naive(
    runtime: &Runtime,
    org: &Org,
    scenario: &Scenario,
    faults: Faults,
    concurrency: usize,
) -> Result<(Duration, Counters), String> {
    runtime.block_on(async {
        let server = start(scenario, faults).await?;
        let started = Instant::now();
        let result = naive::run(
            scenario,
            org,
            &server.base_url(),
            &server.access_token(),
            concurrency,
        )
        .await;
        let wall = started.elapsed();
        let counters = server.counters();
        server.shutdown().await;
        result.map(|()| (wall, counters))
    })
}

/// Writes the scenario's desired-state files into a fresh `desired/` directory of `scratch`
/// and returns the directory.
///
/// # Errors
/// The directory cannot be written.
pub(crate) fn write_desired(scenario: &Scenario, scratch: &Path) -> Result<PathBuf, String> {
    let directory = scratch.join("desired");
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory)
        .map_err(|error| format!("cannot create {}: {error}", directory.display()))?;
    for (number, text) in scenario.desired.iter().enumerate() {
        let path = directory.join(format!("part-{number:03}.yaml"));
        std::fs::write(&path, text)
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    }
    Ok(directory)
}

/// Territories the org should have once the scenario's changes are made.
#[must_use]
pub(crate) fn expected_after(scenario: &Scenario) -> usize {
    let mut count = scenario.live.territories.len();
    for write in scenario.waves.iter().flatten() {
        match write {
            Write::Create(_) => count += 1,
            Write::Delete(_) => count -= 1,
            Write::Reparent(..) => {}
        }
    }
    count
}
