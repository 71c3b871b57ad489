//! The pure-CPU figure: `plan::plan` (match, diff, order, batch) plus the text rendering, run
//! in this process on one thread, with the live org already loaded. Linux only: CPU time is
//! the thread's own (`/proc/thread-self/schedstat`), and peak memory is the rise of the
//! process's high-water mark (`VmHWM`, reset through `/proc/self/clear_refs`) above the
//! resident size before the work.

use std::path::Path;
use std::time::Duration;

use territoryctl::plan::{Policy, plan};
use territoryctl::render;
use territoryctl::zoho::{ACCESS_TOKEN_VAR, ConnectOptions, Connection, load_live};
use tokio::runtime::Runtime;
use zoho_crm_sim::{Faults, Simulator};

use super::harness;
use super::scenario::Scenario;

/// The cost of planning and rendering one scenario.
pub(crate) struct Cost {
    pub(crate) cpu: Duration,
    /// `None` when the kernel does not let the high-water mark be reset.
    pub(crate) peak_extra_kib: Option<u64>,
    pub(crate) changes: usize,
}

/// Loads the scenario's live org from a zero-latency simulator, then measures plan + render.
///
/// # Errors
/// The desired state does not load, the live org does not, or the plan is refused.
pub(crate) fn plan_and_render(
    runtime: &Runtime,
    scenario: &Scenario,
    scratch: &Path,
) -> Result<Cost, String> {
    let path = harness::write_desired(scenario, scratch)?;
    let desired = territoryctl::config::load(std::slice::from_ref(&path))
        .map_err(|report| report.to_string())?
        .desired;
    let live = runtime.block_on(async {
        let server = Simulator::new(scenario.live.clone(), Faults::default())
            .serve("127.0.0.1:0".parse().expect("a socket address"))
            .await
            .map_err(|error| error.to_string())?;
        let token = server.access_token();
        let options = ConnectOptions {
            api_domain: Some(server.base_url()),
            ..ConnectOptions::default()
        };
        let connection = Connection::open(options, |name| {
            (name == ACCESS_TOKEN_VAR).then(|| token.clone())
        })
        .await
        .map_err(|error| error.to_string())?;
        let client = connection
            .read_client()
            .map_err(|error| error.to_string())?;
        let live = load_live(&client, &desired)
            .await
            .map_err(|error| error.to_string());
        server.shutdown().await;
        live
    })?;

    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let rss_before = status_kib("VmRSS");
    let cpu_before = thread_cpu();
    let planned = plan(&desired, &live, &Policy::default()).map_err(|error| error.to_string())?;
    let text = render::text(&planned, false);
    let cpu_after = thread_cpu();
    let peak = status_kib("VmHWM");
    std::hint::black_box(&text);
    Ok(Cost {
        cpu: cpu_after.saturating_sub(cpu_before),
        peak_extra_kib: reset
            .then(|| {
                peak.zip(rss_before)
                    .map(|(peak, before)| peak.saturating_sub(before))
            })
            .flatten(),
        changes: planned.changes.len(),
    })
}

/// This thread's time on a CPU.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

fn status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
}
