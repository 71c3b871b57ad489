//! The `zoho-crm-sim` binary: its stdout lines work as given, it writes the state back, and
//! `--help` documents every flag.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use zoho_crm_sim::State;

use crate::harness::org;

#[test]
fn help_documents_every_flag() {
    let output = Command::new(env!("CARGO_BIN_EXE_zoho-crm-sim"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--state",
        "--addr",
        "--read-only",
        "--log",
        "--token-lifetime",
        "--client-id",
        "--client-secret",
        "--seed",
        "--latency-ms",
        "--jitter-ms",
        "--concurrency-limit",
        "--credits",
        "--retry-after",
        "--error-rate",
        "--drop-rate",
        "--item-failure-rate",
        "--lost-response-rate",
    ] {
        assert!(help.contains(flag), "--help does not mention {flag}");
    }
}

#[test]
fn bad_rates_are_refused_with_a_reason() {
    let output = Command::new(env!("CARGO_BIN_EXE_zoho-crm-sim"))
        .args(["--error-rate", "2"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("not a rate between 0 and 1"), "{stderr}");
}

#[tokio::test]
async fn prints_a_working_domain_and_token_and_persists() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("org.json");
    std::fs::write(&path, serde_json::to_string(&org()).unwrap()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_zoho-crm-sim"))
        .args(["--addr", "127.0.0.1:0", "--state"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut value = |key: &str| {
        let line = lines.next().unwrap().unwrap();
        line.strip_prefix(&format!("{key}="))
            .unwrap_or_else(|| panic!("{line}"))
            .to_owned()
    };
    let domain = value("ZOHO_API_DOMAIN");
    assert_eq!(
        value("ZOHO_ACCOUNTS_URL"),
        format!("{domain}/oauth/v2/token")
    );
    let token = value("ZOHO_ACCESS_TOKEN");
    let response = reqwest::Client::new()
        .put(format!("{domain}/crm/v8/settings/territories"))
        .header("Authorization", format!("Zoho-oauthtoken {token}"))
        .body(r#"{"territories":[{"id":"5725767000000500001","name":"Renamed"}]}"#)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, 200);
    let saved: State = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved.root().unwrap().name, "Renamed");
}

/// Starts the binary with `args` and reads its `KEY=value` lines (`count` of them).
fn start(args: &[&str], count: usize) -> (std::process::Child, Vec<(String, String)>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zoho-crm-sim"))
        .args(["--addr", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let pairs = (0..count)
        .map(|_| {
            let line = lines.next().unwrap().unwrap();
            let (key, value) = line.split_once('=').unwrap();
            (key.to_owned(), value.to_owned())
        })
        .collect();
    (child, pairs)
}

async fn org_status(domain: &str, token: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{domain}/crm/v8/org"))
        .header("Authorization", format!("Zoho-oauthtoken {token}"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn token_lifetime_sets_when_tokens_expire() {
    let value = |pairs: &[(String, String)], key: &str| {
        pairs.iter().find(|(k, _)| k == key).unwrap().1.clone()
    };
    // A lifetime of 0 s: the printed token has expired when it is first used.
    let (mut expired, pairs) = start(&["--token-lifetime", "0"], 3);
    let status = org_status(
        &value(&pairs, "ZOHO_API_DOMAIN"),
        &value(&pairs, "ZOHO_ACCESS_TOKEN"),
    )
    .await;
    let _ = expired.kill();
    let _ = expired.wait();
    assert_eq!(status, 401, "a token with a lifetime of 0 s is expired");

    // Without the flag the state's hour applies: the same request succeeds.
    let (mut fresh, pairs) = start(&[], 3);
    let status = org_status(
        &value(&pairs, "ZOHO_API_DOMAIN"),
        &value(&pairs, "ZOHO_ACCESS_TOKEN"),
    )
    .await;
    let _ = fresh.kill();
    let _ = fresh.wait();
    assert_eq!(status, 200);

    // The token endpoint says the same lifetime in `expires_in`.
    let (mut refreshing, pairs) = start(
        &[
            "--token-lifetime",
            "7",
            "--client-id",
            "c",
            "--client-secret",
            "s",
        ],
        4,
    );
    let domain = value(&pairs, "ZOHO_API_DOMAIN");
    let refresh = value(&pairs, "ZOHO_REFRESH_TOKEN");
    let body: serde_json::Value = reqwest::Client::new()
        .post(format!("{domain}/oauth/v2/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!(
            "grant_type=refresh_token&client_id=c&client_secret=s&refresh_token={refresh}"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let status = org_status(&domain, body["access_token"].as_str().unwrap()).await;
    let _ = refreshing.kill();
    let _ = refreshing.wait();
    assert_eq!(body["expires_in"], 7, "{body}");
    assert_eq!(status, 200, "a 7 s token works at once");
}
