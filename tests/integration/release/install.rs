//! scripts/install.sh (the setup action's and the GitLab template's installer) against a fake
//! GitHub release served on 127.0.0.1: a good asset is installed and runs, a bad checksum
//! installs nothing, a missing asset falls back to `cargo install` (a stub here), a network
//! error fails without falling back. Nothing leaves the machine.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

const TAG: &str = "v0.1.0";
const LINUX: &str = "x86_64-unknown-linux-musl";

/// What the fake release answers for a path under /releases/.
#[derive(Clone)]
enum Answer {
    Body(Vec<u8>),
    /// Read the request, then close the connection without a response.
    Hang,
}

/// An HTTP server on 127.0.0.1, port 0: the files of a release, 404 for anything else.
struct Release {
    base_url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Release {
    fn serve(files: BTreeMap<String, Answer>) -> Release {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let base_url = format!(
            "http://{}/releases",
            listener.local_addr().expect("an address")
        );
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|window| window == b"\r\n\r\n") {
                    match stream.read(&mut buffer) {
                        Ok(0) | Err(_) => break,
                        Ok(read) => request.extend_from_slice(&buffer[..read]),
                    }
                }
                let request = String::from_utf8_lossy(&request);
                let path = request.split(' ').nth(1).unwrap_or("").to_owned();
                seen.lock().expect("not poisoned").push(path.clone());
                let name = path.strip_prefix("/releases/").unwrap_or("");
                let response = match files.get(name) {
                    Some(Answer::Hang) => continue,
                    Some(Answer::Body(body)) => (200, body.clone()),
                    None => (404, b"Not Found".to_vec()),
                };
                let head = format!(
                    "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    response.0,
                    response.1.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&response.1);
            }
        });
        Release { base_url, requests }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("not poisoned").clone()
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn write_executable(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write a script");
    let status = Command::new("chmod")
        .arg("755")
        .arg(path)
        .status()
        .expect("chmod");
    assert!(status.success());
}

/// A program that answers `--version` like territoryctl 0.1.0 (or another version).
fn fake_binary(version: &str) -> String {
    format!("#!/bin/sh\necho 'territoryctl {version} (commit 5f95444c1a2b)'\n")
}

/// A release archive laid out as the release workflow builds it.
fn archive(dir: &Path, target: &str, version: &str) -> (String, Vec<u8>) {
    let name = format!("territoryctl-{TAG}-{target}");
    let inside = dir.join("archive").join(&name);
    std::fs::create_dir_all(&inside).expect("mkdir");
    write_executable(&inside.join("territoryctl"), &fake_binary(version));
    write_executable(
        &inside.join("zoho-crm-sim"),
        "#!/bin/sh\necho zoho-crm-sim\n",
    );
    let file = dir.join(format!("{name}.tar.gz"));
    let status = Command::new("tar")
        .arg("-czf")
        .arg(&file)
        .arg("-C")
        .arg(dir.join("archive"))
        .arg(&name)
        .status()
        .expect("tar runs");
    assert!(status.success());
    (
        format!("{name}.tar.gz"),
        std::fs::read(&file).expect("read the archive"),
    )
}

/// A release of TAG with the Linux x86_64 archive: its files, by name under /releases/.
fn release_files(dir: &Path, version: &str) -> BTreeMap<String, Answer> {
    let (name, bytes) = archive(dir, LINUX, version);
    let sums = format!(
        "{}  territoryctl-{TAG}-x86_64-apple-darwin.tar.gz\n{}  {name}\n",
        sha256_hex(b"another archive"),
        sha256_hex(&bytes)
    );
    BTreeMap::from([
        (format!("{TAG}/SHA256SUMS"), Answer::Body(sums.into_bytes())),
        (format!("{TAG}/{name}"), Answer::Body(bytes)),
    ])
}

struct Run {
    output: Output,
    root: PathBuf,
    cargo_log: PathBuf,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    fn last_message(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr)
            .lines()
            .last()
            .unwrap_or("")
            .to_owned()
    }

    fn installed(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.root.join("bin"))
            .map(|entries| {
                entries
                    .map(|entry| {
                        entry
                            .expect("an entry")
                            .file_name()
                            .into_string()
                            .expect("UTF-8")
                    })
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// The arguments the cargo stub was called with, if it was.
    fn cargo_arguments(&self) -> Option<Vec<String>> {
        let text = std::fs::read_to_string(&self.cargo_log).ok()?;
        Some(text.lines().map(str::to_owned).collect())
    }
}

/// Runs scripts/install.sh for TAG against `base_url`, with a cargo stub that records its
/// arguments and installs a fake territoryctl 0.1.0, and `uname` answering `uname` when given.
fn install(dir: &Path, base_url: &str, target: Option<&str>, uname: Option<(&str, &str)>) -> Run {
    let root = dir.join("root");
    let stubs = dir.join("stubs");
    std::fs::create_dir_all(&stubs).expect("mkdir");
    let cargo_log = dir.join("cargo-arguments");
    write_executable(
        &stubs.join("cargo-stub"),
        &format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n\
             while [ $# -gt 0 ]; do [ \"$1\" = --root ] && root=$2; shift; done\n\
             mkdir -p \"$root/bin\"\n\
             printf '%s' \"$FAKE_BINARY\" > \"$root/bin/territoryctl\"\n\
             chmod 755 \"$root/bin/territoryctl\"\n",
            cargo_log.display()
        ),
    );
    let mut path = std::env::var_os("PATH").unwrap_or_default();
    if let Some((os, machine)) = uname {
        write_executable(
            &stubs.join("uname"),
            &format!("#!/bin/sh\ncase \"$1\" in -s) echo {os} ;; -m) echo {machine} ;; esac\n"),
        );
        let mut with_stubs = stubs.clone().into_os_string();
        with_stubs.push(":");
        with_stubs.push(&path);
        path = with_stubs;
    }
    let mut command = Command::new("sh");
    command
        .arg("scripts/install.sh")
        .env("PATH", path)
        .env("HOME", dir)
        .env("TERRITORYCTL_VERSION", TAG)
        .env("TERRITORYCTL_REPOSITORY", "example/territoryctl")
        .env("TERRITORYCTL_BASE_URL", base_url)
        .env("TERRITORYCTL_GIT_URL", "https://git.invalid/territoryctl")
        .env("TERRITORYCTL_INSTALL_ROOT", &root)
        .env("TERRITORYCTL_CARGO", stubs.join("cargo-stub"))
        .env("FAKE_BINARY", fake_binary("0.1.0"))
        .env_remove("TERRITORYCTL_TARGET")
        .env_remove("GITHUB_ACTION_PATH");
    if let Some(target) = target {
        command.env("TERRITORYCTL_TARGET", target);
    }
    let output = command.output().expect("sh runs");
    Run {
        output,
        root,
        cargo_log,
    }
}

fn linux_asset() -> String {
    format!("/releases/{TAG}/territoryctl-{TAG}-{LINUX}.tar.gz")
}

fn sums() -> String {
    format!("/releases/{TAG}/SHA256SUMS")
}

#[test]
fn a_good_asset_is_checked_installed_and_its_version_printed() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let release = Release::serve(release_files(dir.path(), "0.1.0"));
    let run = install(dir.path(), &release.base_url, Some(LINUX), None);
    assert_eq!(run.code(), Some(0), "{:?}", run.output);
    assert_eq!(run.stdout(), "territoryctl 0.1.0 (commit 5f95444c1a2b)\n");
    assert_eq!(
        run.last_message(),
        format!(
            "territoryctl install: installed {TAG} (release asset territoryctl-{TAG}-{LINUX}.tar.gz, SHA-256 checked) into {}/bin",
            run.root.display()
        )
    );
    assert_eq!(run.installed(), ["territoryctl", "zoho-crm-sim"]);
    let installed = Command::new(run.root.join("bin/territoryctl"))
        .arg("--version")
        .output()
        .expect("the installed binary runs");
    assert_eq!(
        String::from_utf8_lossy(&installed.stdout),
        "territoryctl 0.1.0 (commit 5f95444c1a2b)\n"
    );
    assert_eq!(release.requests(), [sums(), linux_asset()]);
    assert_eq!(run.cargo_arguments(), None);
}

#[test]
fn the_platform_picks_the_asset() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let release = Release::serve(release_files(dir.path(), "0.1.0"));
    // uname says Linux x86_64: the musl archive.
    let run = install(
        dir.path(),
        &release.base_url,
        None,
        Some(("Linux", "x86_64")),
    );
    assert_eq!(run.code(), Some(0), "{:?}", run.output);
    assert_eq!(release.requests(), [sums(), linux_asset()]);

    // Apple silicon: the aarch64 macOS archive, which this release does not have.
    let other = tempfile::tempdir().expect("a temporary directory");
    let release = Release::serve(release_files(other.path(), "0.1.0"));
    let run = install(
        other.path(),
        &release.base_url,
        None,
        Some(("Darwin", "arm64")),
    );
    assert_eq!(run.code(), Some(0), "{:?}", run.output);
    assert_eq!(release.requests(), [sums()]);
    assert!(
        String::from_utf8_lossy(&run.output.stderr).contains(&format!(
            "release {TAG} has no territoryctl-{TAG}-aarch64-apple-darwin.tar.gz; building"
        )),
        "{:?}",
        run.output
    );
}

#[test]
fn a_bad_checksum_installs_nothing_and_does_not_fall_back() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut files = release_files(dir.path(), "0.1.0");
    let name = format!("{TAG}/territoryctl-{TAG}-{LINUX}.tar.gz");
    let Some(Answer::Body(bytes)) = files.get(&name).cloned() else {
        panic!("the archive is served")
    };
    let mut tampered = bytes.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 0xff;
    files.insert(name, Answer::Body(tampered.clone()));
    let release = Release::serve(files);
    let run = install(dir.path(), &release.base_url, Some(LINUX), None);
    assert_eq!(run.code(), Some(2), "{:?}", run.output);
    assert_eq!(
        run.last_message(),
        format!(
            "territoryctl install: error: territoryctl-{TAG}-{LINUX}.tar.gz does not match SHA256SUMS (expected {}, got {}): not installed",
            sha256_hex(&bytes),
            sha256_hex(&tampered)
        )
    );
    assert_eq!(run.stdout(), "");
    assert_eq!(run.installed(), Vec::<String>::new());
    assert_eq!(run.cargo_arguments(), None);
}

#[test]
fn a_missing_asset_falls_back_to_cargo_install_of_the_tag() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let release = Release::serve(release_files(dir.path(), "0.1.0"));
    let run = install(
        dir.path(),
        &release.base_url,
        Some("riscv64gc-unknown-linux-gnu"),
        None,
    );
    assert_eq!(run.code(), Some(0), "{:?}", run.output);
    let root = run.root.display().to_string();
    assert_eq!(
        run.cargo_arguments().expect("cargo was called"),
        [
            "install",
            "--locked",
            "--root",
            root.as_str(),
            "--git",
            "https://git.invalid/territoryctl",
            "--tag",
            TAG,
            "territoryctl"
        ]
    );
    assert_eq!(run.stdout(), "territoryctl 0.1.0 (commit 5f95444c1a2b)\n");
    assert_eq!(
        run.last_message(),
        format!(
            "territoryctl install: installed {TAG} (built from source with cargo) into {root}/bin"
        )
    );
    assert_eq!(run.installed(), ["territoryctl"]);
    // SHA256SUMS was read, and had no line for the target: no archive was asked for.
    assert_eq!(release.requests(), [sums()]);
}

#[test]
fn a_release_without_binaries_falls_back_and_a_machine_without_an_asset_asks_for_nothing() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let release = Release::serve(BTreeMap::new());
    let run = install(dir.path(), &release.base_url, Some(LINUX), None);
    assert_eq!(run.code(), Some(0), "{:?}", run.output);
    assert!(run.cargo_arguments().is_some());
    assert!(
        String::from_utf8_lossy(&run.output.stderr).contains(&format!(
            "release {TAG} has no SHA256SUMS (no binaries were published for it); building"
        )),
        "{:?}",
        run.output
    );
    assert_eq!(release.requests(), [sums()]);

    let other = tempfile::tempdir().expect("a temporary directory");
    let release = Release::serve(BTreeMap::new());
    let run = install(
        other.path(),
        &release.base_url,
        None,
        Some(("Linux", "riscv64")),
    );
    assert_eq!(run.code(), Some(0), "{:?}", run.output);
    assert!(run.cargo_arguments().is_some());
    assert_eq!(release.requests(), Vec::<String>::new());
}

#[test]
fn a_network_error_fails_without_installing_or_falling_back() {
    // The connection drops while the archive is asked for.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut files = release_files(dir.path(), "0.1.0");
    files.insert(
        format!("{TAG}/territoryctl-{TAG}-{LINUX}.tar.gz"),
        Answer::Hang,
    );
    let release = Release::serve(files);
    let run = install(dir.path(), &release.base_url, Some(LINUX), None);
    assert_eq!(run.code(), Some(1), "{:?}", run.output);
    let message = run.last_message();
    assert!(
        message.starts_with(&format!(
            "territoryctl install: error: cannot download {}{}: curl: (52)",
            release.base_url.trim_end_matches("/releases"),
            linux_asset()
        )),
        "{message}"
    );
    assert_eq!(run.installed(), Vec::<String>::new());
    assert_eq!(run.cargo_arguments(), None);

    // Nothing listens: the first download fails.
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = closed.local_addr().expect("an address");
    drop(closed);
    let other = tempfile::tempdir().expect("a temporary directory");
    let run = install(
        other.path(),
        &format!("http://{address}/releases"),
        Some(LINUX),
        None,
    );
    assert_eq!(run.code(), Some(1), "{:?}", run.output);
    assert!(
        run.last_message().starts_with(&format!(
            "territoryctl install: error: cannot download http://{address}/releases/{TAG}/SHA256SUMS: curl: (7)"
        )),
        "{}",
        run.last_message()
    );
    assert_eq!(run.installed(), Vec::<String>::new());
    assert_eq!(run.cargo_arguments(), None);
}

#[test]
fn a_binary_of_another_version_is_refused() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let release = Release::serve(release_files(dir.path(), "0.2.0"));
    let run = install(dir.path(), &release.base_url, Some(LINUX), None);
    assert_eq!(run.code(), Some(1), "{:?}", run.output);
    assert_eq!(
        run.last_message(),
        "territoryctl install: error: the installed binary says 'territoryctl 0.2.0 (commit 5f95444c1a2b)', not version 0.1.0"
    );
}

#[test]
fn usage_errors_say_what_to_set() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let output = Command::new("sh")
        .arg("scripts/install.sh")
        .env("HOME", dir.path())
        .env_remove("TERRITORYCTL_VERSION")
        .output()
        .expect("sh runs");
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "territoryctl install: error: TERRITORYCTL_VERSION is not set: name a release tag, e.g. v0.1.0\n"
    );

    let output = Command::new("sh")
        .arg("scripts/install.sh")
        .env("HOME", dir.path())
        .env("TERRITORYCTL_VERSION", "latest")
        .output()
        .expect("sh runs");
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "territoryctl install: error: TERRITORYCTL_VERSION must be a release tag such as v0.1.0, not 'latest'\n"
    );

    // In the setup action, the repository comes from the action's checkout path.
    let output = Command::new("sh")
        .arg("scripts/install.sh")
        .env("HOME", dir.path())
        .env("TERRITORYCTL_VERSION", "0.1.0")
        .env_remove("TERRITORYCTL_REPOSITORY")
        .env_remove("TERRITORYCTL_BASE_URL")
        .env_remove("TERRITORYCTL_GIT_URL")
        .env_remove("GITHUB_ACTION_PATH")
        .output()
        .expect("sh runs");
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "territoryctl install: error: TERRITORYCTL_REPOSITORY is not set: name the repository territoryctl is released from, OWNER/NAME\n"
    );
}

#[test]
fn in_the_setup_action_the_repository_comes_from_the_action_path() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // No release is reachable at github.com from a test: stop at the first download by
    // pointing uname at a platform without an asset and cargo at a stub, then read what
    // cargo was asked to build.
    let stubs = dir.path().join("stubs");
    std::fs::create_dir_all(&stubs).expect("mkdir");
    let log = dir.path().join("cargo-arguments");
    write_executable(
        &stubs.join("cargo-stub"),
        &format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\nexit 1\n",
            log.display()
        ),
    );
    write_executable(
        &stubs.join("uname"),
        "#!/bin/sh\ncase \"$1\" in -s) echo Plan9 ;; -m) echo mips ;; esac\n",
    );
    let mut path = stubs.clone().into_os_string();
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    // Linux and macOS runners, and Windows, whose path has backslashes.
    for action_path in [
        "/home/runner/work/_actions/acme-tools/territoryctl/v0.1.0",
        "D:\\a\\_actions\\acme-tools\\territoryctl\\v0.1.0",
    ] {
        let _ = std::fs::remove_file(&log);
        let output = Command::new("sh")
            .arg("scripts/install.sh")
            .env("HOME", dir.path())
            .env("TERRITORYCTL_VERSION", "v0.1.0")
            .env("TERRITORYCTL_TARGET", "")
            .env("TERRITORYCTL_CARGO", stubs.join("cargo-stub"))
            .env("TERRITORYCTL_INSTALL_ROOT", dir.path().join("root"))
            .env_remove("TERRITORYCTL_REPOSITORY")
            .env_remove("TERRITORYCTL_BASE_URL")
            .env_remove("TERRITORYCTL_GIT_URL")
            .env("GITHUB_ACTION_PATH", action_path)
            // A platform without an asset, so that nothing is downloaded.
            .env("PATH", &path)
            .output()
            .expect("sh runs");
        assert_eq!(output.status.code(), Some(4), "{output:?}");
        let arguments = std::fs::read_to_string(&log).expect("cargo was called");
        assert!(
            arguments
                .contains("--git\nhttps://github.com/acme-tools/territoryctl\n--tag\nv0.1.0\n"),
            "{arguments}"
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
        stderr.lines().last(),
        Some(
            format!(
                "territoryctl install: error: {} install --locked --git https://github.com/acme-tools/territoryctl --tag v0.1.0 failed",
                stubs.join("cargo-stub").display()
            )
            .as_str()
        ),
        "{stderr}"
    );
    }
}
