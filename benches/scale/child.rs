//! Runs the territoryctl binary as a child process under GNU `time`, so its CPU time and peak
//! memory are its own, apart from the simulator's (which runs inside the benchmark).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of territoryctl cost.
#[derive(Clone, Debug)]
pub(crate) struct Run {
    pub(crate) success: bool,
    pub(crate) code: Option<i32>,
    pub(crate) wall: Duration,
    /// User plus system CPU seconds (GNU time's resolution: 10 ms).
    pub(crate) cpu_secs: Option<f64>,
    /// Peak resident set size in KiB.
    pub(crate) max_rss_kib: Option<u64>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// GNU time, which reports a child's rusage (`wait4`) without any unsafe code here.
pub(crate) const TIME: &str = "/usr/bin/time";

/// Runs `binary args…` with the simulator's access token in the environment, measured by
/// [`TIME`] when it is installed (otherwise CPU and memory are `None`).
///
/// # Errors
/// The binary cannot be started.
pub(crate) fn run(
    binary: &Path,
    args: &[String],
    token: &str,
    scratch: &Path,
) -> Result<Run, String> {
    let report = scratch.join("time.txt");
    let timed = Path::new(TIME).exists();
    let mut command = if timed {
        let mut command = Command::new(TIME);
        command
            .arg("-f")
            .arg("%U %S %M")
            .arg("-o")
            .arg(&report)
            .arg(binary);
        command
    } else {
        Command::new(binary)
    };
    command
        .args(args)
        .env("ZOHO_ACCESS_TOKEN", token)
        .env("NO_COLOR", "1")
        .env_remove("ZOHO_CLIENT_ID")
        .env_remove("ZOHO_CLIENT_SECRET")
        .env_remove("ZOHO_REFRESH_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|error| format!("cannot run {}: {error}", binary.display()))?;
    let wall = started.elapsed();
    let (cpu_secs, max_rss_kib) = if timed {
        parse_time(&std::fs::read_to_string(&report).unwrap_or_default())
    } else {
        (None, None)
    };
    Ok(Run {
        success: output.status.success(),
        code: output.status.code(),
        wall,
        cpu_secs,
        max_rss_kib,
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// `user system maxrss` on the last line (GNU time puts "Command exited with non-zero
/// status" before it on failure).
fn parse_time(text: &str) -> (Option<f64>, Option<u64>) {
    let Some(line) = text.lines().last() else {
        return (None, None);
    };
    let parts: Vec<&str> = line.split_whitespace().collect();
    match parts.as_slice() {
        [user, system, rss] => {
            let cpu = user
                .parse::<f64>()
                .ok()
                .zip(system.parse::<f64>().ok())
                .map(|(user, system)| user + system);
            (cpu, rss.parse().ok())
        }
        _ => (None, None),
    }
}
