//! `cargo bench --bench scale -- [options]`: territoryctl's requests, wall time, CPU time and
//! peak memory on generated orgs of up to 20,000 territories, against the lower bound the API
//! allows and against a naive script, with the simulator injecting latency and a concurrency
//! limit. Prints Markdown tables (stdout) and progress (stderr). Linux only (`/proc`, GNU
//! `time`).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark's output is its report"
)]

mod child;
mod cpu;
mod harness;
mod naive;
mod org;
mod scenario;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use org::{Org, Shape};
use scenario::{NAMES, Scenario};

/// The benchmark's knobs.
#[derive(Clone, Debug)]
struct Options {
    sizes: Vec<usize>,
    latency_ms: u64,
    concurrency: usize,
    fan_out: usize,
    users: usize,
    seed: u64,
    naive_max: usize,
    scenarios: Vec<String>,
    /// Write each scenario's desired state and org here instead of measuring, for profiling
    /// one command by hand (`territoryctl plan DIR/… --sandbox DIR/…/org.json`).
    dump: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            sizes: vec![100, 1_000, 5_000, 20_000],
            latency_ms: 50,
            concurrency: 10,
            fan_out: 10,
            users: 50,
            seed: 1,
            naive_max: 5_000,
            scenarios: NAMES.iter().map(|name| (*name).to_owned()).collect(),
            dump: None,
        }
    }
}

const USAGE: &str = "usage: cargo bench --bench scale -- [--sizes 100,1000,5000,20000] \
[--latency-ms 50] [--concurrency 10] [--fan-out 10] [--users 50] [--seed 1] \
[--naive-max 5000] [--scenarios plan-unchanged,plan-10pct,export,apply-create-all,apply-reparent,apply-delete-subtree,apply-delete-keep-children,plan-members,apply-members,plan-impact] \
[--dump DIR]";

fn parse(arguments: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options::default();
    let mut arguments = arguments.peekable();
    while let Some(flag) = arguments.next() {
        // `cargo bench` passes `--bench` to every benchmark binary.
        if flag == "--bench" {
            continue;
        }
        let value = arguments
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value\n{USAGE}"))?;
        let number = |value: &str| {
            value
                .replace('_', "")
                .parse::<usize>()
                .map_err(|_| format!("`{flag}` takes a whole number, not `{value}`\n{USAGE}"))
        };
        match flag.as_str() {
            "--sizes" => {
                options.sizes = value.split(',').map(number).collect::<Result<_, _>>()?;
            }
            "--latency-ms" => options.latency_ms = number(&value)? as u64,
            "--concurrency" => options.concurrency = number(&value)?.clamp(1, 25),
            "--fan-out" => options.fan_out = number(&value)?.max(1),
            "--users" => options.users = number(&value)?.max(1),
            "--seed" => options.seed = number(&value)? as u64,
            "--naive-max" => options.naive_max = number(&value)?,
            "--dump" => options.dump = Some(PathBuf::from(value)),
            "--scenarios" => {
                options.scenarios = value.split(',').map(str::to_owned).collect();
                if let Some(unknown) = options
                    .scenarios
                    .iter()
                    .find(|name| !NAMES.contains(&name.as_str()))
                {
                    return Err(format!(
                        "unknown scenario `{unknown}`; the scenarios are {}",
                        NAMES.join(", ")
                    ));
                }
            }
            _ => return Err(format!("unknown option `{flag}`\n{USAGE}")),
        }
    }
    if options.sizes.iter().any(|&size| size < 3) {
        return Err(
            "every size needs at least 3 territories (the root and two top-level ones)".into(),
        );
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Result<(), String> {
    if let Some(directory) = &options.dump {
        return dump(options, directory);
    }
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_territoryctl"));
    let scratch = std::env::temp_dir().join(format!("territoryctl-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|error| error.to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| error.to_string())?;
    if !Path::new(child::TIME).exists() {
        eprintln!(
            "note: {} is not installed: territoryctl's CPU and memory are not measured",
            child::TIME
        );
    }

    println!(
        "latency {} ms per request, concurrency limit {} (territoryctl `--concurrency {}`), fan-out {}, {} users, seed {}\n",
        options.latency_ms,
        options.concurrency,
        options.concurrency,
        options.fan_out,
        options.users,
        options.seed
    );
    println!(
        "| scenario | N | depth | requests | lower bound | wall s | ideal s | wall ÷ ideal | CPU s | peak MB | naive requests | naive wall s | requests saved ×| wall saved × |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let faults = harness::faults(options.latency_ms, options.concurrency);
    let mut cpu_rows = Vec::new();
    let mut impact_rows = Vec::new();
    for &size in &options.sizes {
        let org = generate(options, size);
        for name in &options.scenarios {
            let scenario = Scenario::build(name, &org).expect("names are checked");
            eprintln!("{name} at {size}…");
            let row = measure(
                options, &runtime, &binary, &org, &scenario, &faults, &scratch,
            )?;
            println!("{row}");
            if scenario.impact_records > 0 {
                eprintln!("{name} at {size}, no latency, with and without --impact…");
                impact_rows.push(
                    impact_row(options, &runtime, &binary, &org, &scratch)
                        .unwrap_or_else(|problem| format!("| {size} | failed: {problem} |||||||")),
                );
            }
        }
        eprintln!("plan + render at {size}, no latency…");
        cpu_rows.push(
            cpu_row(options, &runtime, &binary, &org, &scratch)
                .unwrap_or_else(|problem| format!("| {size} | failed: {problem} ||||||||")),
        );
    }
    println!(
        "\nPlan with no network latency (10% of territories changed): `plan::plan` + text rendering in-process on one thread, and the whole `territoryctl plan` command as a child process.\n"
    );
    println!(
        "| N | changes | plan + render CPU ms | µs per territory | peak extra MB | `plan` command CPU s | `plan` command peak MB | requests | lower bound |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for row in cpu_rows {
        println!("{row}");
    }
    if !impact_rows.is_empty() {
        println!(
            "\n`plan --impact Accounts` with no network latency ({} accounts per territory, every tenth territory's Accounts rule changed): the whole command's CPU with the preview and without it (the same org and files), and the difference per 10,000 records evaluated.\n",
            scenario::IMPACT_RECORDS_PER_TERRITORY
        );
        println!(
            "| N | records | requests | lower bound | of which record pages (ceil(records / 200)) | CPU s with `--impact` | CPU s without | CPU s per 10,000 records | peak MB with `--impact` |"
        );
        println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for row in impact_rows {
            println!("{row}");
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

/// The org of `size` territories in the shape the options give.
fn generate(options: &Options, size: usize) -> Org {
    Org::generate(Shape {
        territories: size,
        fan_out: options.fan_out,
        users: options.users,
        seed: options.seed,
    })
}

/// Writes `DIR/<size>/<scenario>/desired/` and `DIR/<size>/<scenario>/org.json` (a
/// simulator state file) for every size and scenario.
fn dump(options: &Options, directory: &Path) -> Result<(), String> {
    for &size in &options.sizes {
        let org = generate(options, size);
        for name in &options.scenarios {
            let scenario = Scenario::build(name, &org).expect("names are checked");
            let here = directory.join(size.to_string()).join(name);
            harness::write_desired(&scenario, &here)?;
            let state = serde_json::to_string(&scenario.live).map_err(|error| error.to_string())?;
            let path = here.join("org.json");
            std::fs::write(&path, state)
                .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
            eprintln!("{}", here.display());
        }
    }
    Ok(())
}

fn measure(
    options: &Options,
    runtime: &tokio::runtime::Runtime,
    binary: &Path,
    org: &Org,
    scenario: &Scenario,
    faults: &zoho_crm_sim::Faults,
    scratch: &Path,
) -> Result<String, String> {
    let measured = harness::territoryctl(
        runtime,
        binary,
        scenario,
        faults.clone(),
        options.concurrency,
        scratch,
    )?;
    let lower = scenario.read_lower_bound() + scenario.write_lower_bound();
    let ideal = Duration::from_millis(
        options.latency_ms * scenario.ideal_round_trips(options.concurrency) as u64,
    );
    let size = org.nodes.len();
    let head = format!("| {} | {size} | {} |", scenario.name, org.depth());
    if let Some(problem) = check(scenario, &measured) {
        return Ok(format!("{head} failed: {problem} |||||||||||"));
    }
    let requests = measured.counters.total;
    let (naive_requests, naive_wall, request_ratio, wall_ratio) = if scenario.impact_records > 0 {
        // The naive script does not preview impact.
        (
            "not run (impact)".to_owned(),
            String::new(),
            String::new(),
            String::new(),
        )
    } else if size <= options.naive_max {
        let (wall, counters) =
            harness::naive(runtime, org, scenario, faults.clone(), options.concurrency)?;
        (
            counters.total.to_string(),
            format!("{:.2}", wall.as_secs_f64()),
            format!("{:.1}", counters.total as f64 / requests.max(1) as f64),
            format!(
                "{:.1}",
                wall.as_secs_f64() / measured.run.wall.as_secs_f64().max(f64::EPSILON)
            ),
        )
    } else {
        let skipped = format!("not run (N > {})", options.naive_max);
        (skipped, String::new(), String::new(), String::new())
    };
    Ok(format!(
        "{head} {requests} ({} r + {} w) | {lower} | {:.2} | {:.2} | {} | {} | {} | {naive_requests} | {naive_wall} | {request_ratio} | {wall_ratio} |",
        measured.reads(),
        measured.counters.writes,
        measured.run.wall.as_secs_f64(),
        ideal.as_secs_f64(),
        ratio(measured.run.wall, ideal),
        measured.run.cpu_secs.map_or_else(na, seconds),
        measured.run.max_rss_kib.map_or_else(na, mib),
    ))
}

/// A figure that could not be measured.
fn na() -> String {
    "n/a".to_owned()
}

/// KiB as MiB, one decimal.
fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

/// Seconds, two decimals.
fn seconds(secs: f64) -> String {
    format!("{secs:.2}")
}

fn ratio(wall: Duration, ideal: Duration) -> String {
    if ideal.is_zero() {
        "n/a".to_owned()
    } else {
        format!("{:.2}", wall.as_secs_f64() / ideal.as_secs_f64())
    }
}

/// Why a run does not count: a failed command, or an org that did not end as asked.
fn check(scenario: &Scenario, measured: &harness::Measured) -> Option<String> {
    let run = &measured.run;
    if !run.success {
        let first = run
            .stderr
            .lines()
            .find(|line| !line.trim().is_empty())
            .unwrap_or("");
        return Some(format!("exit {:?}: {}", run.code, first.trim()));
    }
    if scenario.name == "plan-unchanged" && !run.stdout.contains("No changes.") {
        return Some("the plan of an unchanged org is not `No changes.`".into());
    }
    if scenario.impact_records > 0 && run.stdout.contains("partial") {
        return Some("the impact preview is partial".into());
    }
    let expected = harness::expected_after(scenario);
    if measured.territories_after != expected {
        return Some(format!(
            "the org has {} territories afterwards, not {expected}",
            measured.territories_after
        ));
    }
    None
}

fn cpu_row(
    options: &Options,
    runtime: &tokio::runtime::Runtime,
    binary: &Path,
    org: &Org,
    scratch: &Path,
) -> Result<String, String> {
    let scenario = Scenario::build("plan-10pct", org).expect("a known scenario");
    let cost = cpu::plan_and_render(runtime, &scenario, scratch)?;
    let command = harness::territoryctl(
        runtime,
        binary,
        &scenario,
        harness::faults(0, options.concurrency),
        options.concurrency,
        scratch,
    )?;
    let size = org.nodes.len();
    Ok(format!(
        "| {size} | {} | {:.1} | {:.2} | {} | {} | {} | {} | {} |",
        cost.changes,
        cost.cpu.as_secs_f64() * 1000.0,
        cost.cpu.as_secs_f64() * 1e6 / size as f64,
        cost.peak_extra_kib.map_or_else(na, mib),
        command.run.cpu_secs.map_or_else(na, seconds),
        command.run.max_rss_kib.map_or_else(na, mib),
        command.counters.total,
        scenario.read_lower_bound(),
    ))
}

/// `plan --impact Accounts` and the same plan without it, at no latency: requests, CPU,
/// and the CPU the preview adds per 10,000 records.
fn impact_row(
    options: &Options,
    runtime: &tokio::runtime::Runtime,
    binary: &Path,
    org: &Org,
    scratch: &Path,
) -> Result<String, String> {
    let scenario = Scenario::build("plan-impact", org).expect("a known scenario");
    let with = harness::territoryctl(
        runtime,
        binary,
        &scenario,
        harness::faults(0, options.concurrency),
        options.concurrency,
        scratch,
    )?;
    let mut plain = Scenario::build("plan-impact", org).expect("a known scenario");
    plain.impact_records = 0;
    let without = harness::territoryctl(
        runtime,
        binary,
        &plain,
        harness::faults(0, options.concurrency),
        options.concurrency,
        scratch,
    )?;
    if let Some(problem) = check(&scenario, &with).or_else(|| check(&plain, &without)) {
        return Err(problem);
    }
    let cpu = |measured: &harness::Measured| measured.run.cpu_secs;
    let per_10k = match (cpu(&with), cpu(&without)) {
        (Some(with), Some(without)) => format!(
            "{:.2}",
            (with - without).max(0.0) * 10_000.0 / scenario.impact_records as f64
        ),
        _ => na(),
    };
    Ok(format!(
        "| {} | {} | {} | {} | {} | {} | {} | {per_10k} | {} |",
        org.nodes.len(),
        scenario.impact_records,
        with.counters.total,
        scenario.read_lower_bound(),
        scenario.impact_pages(),
        cpu(&with).map_or_else(na, seconds),
        cpu(&without).map_or_else(na, seconds),
        with.run.max_rss_kib.map_or_else(na, mib),
    ))
}
