//! Proxies: a plain-http (loopback) API is never reached through one, whatever the
//! environment says, so a proxy never sees a token or a client secret in the clear.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};

use zoho_crm_sim::State;

use super::harness::{LIST_TERRITORIES, Sim, TOKEN};

/// A "proxy" on a loopback port that records every connection and what it was sent, and
/// answers 502 so that a client which does use it fails instead of waiting.
struct RecordingProxy {
    url: String,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl RecordingProxy {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let received: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
        let sink = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut buffer = vec![0; 64 * 1024];
                let read = stream.read(&mut buffer).unwrap_or(0);
                buffer.truncate(read);
                sink.lock().unwrap().push(buffer);
                let _ = stream.write_all(
                    b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        });
        Self { url, received }
    }

    fn connections(&self) -> Vec<String> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_http_api_is_never_reached_through_a_proxy() {
    let sim = Sim::start(State::new_org("Acme Corp")).await;
    let client_secret = "proxy-test-client-secret-93e1";
    let refresh_token = sim.server().add_client("1000.PROXYTEST", client_secret);
    let proxy = RecordingProxy::start();
    let dir = tempfile::tempdir().unwrap();
    let desired = dir.path().join("territories.yaml");
    std::fs::write(
        &desired,
        "version: 1\nroot: Acme Corp\nterritories:\n  - name: East\n    parent: Acme Corp\n",
    )
    .unwrap();
    let base = sim.base_url();

    let output = {
        let proxy_url = proxy.url.clone();
        let refresh_token = refresh_token.clone();
        tokio::task::spawn_blocking(move || {
            let mut command = Command::new(env!("CARGO_BIN_EXE_territoryctl"));
            command
                .arg("plan")
                .arg(&desired)
                .args(["--color", "never", "--api-domain", &base, "--accounts-url"])
                .arg(format!("{base}/oauth/v2/token"))
                .env_remove("ZOHO_ACCESS_TOKEN")
                .env("ZOHO_CLIENT_ID", "1000.PROXYTEST")
                .env("ZOHO_CLIENT_SECRET", client_secret)
                .env("ZOHO_REFRESH_TOKEN", &refresh_token)
                .env_remove("NO_PROXY")
                .env_remove("no_proxy");
            for variable in [
                "HTTP_PROXY",
                "http_proxy",
                "HTTPS_PROXY",
                "https_proxy",
                "ALL_PROXY",
                "all_proxy",
            ] {
                command.env(variable, &proxy_url);
            }
            command.output().expect("territoryctl runs")
        })
        .await
        .unwrap()
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);

    let connections = proxy.connections();
    for connection in &connections {
        for secret in [client_secret, refresh_token.as_str()] {
            assert!(
                !connection.contains(secret),
                "the proxy received a secret in the clear"
            );
        }
    }
    assert!(
        connections.is_empty(),
        "the proxy got {} connection(s), the first starting {:?}",
        connections.len(),
        connections[0].lines().next()
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "the plan ran straight against the API\nstdout: {stdout}\nstderr: {stderr}"
    );
    assert!(stdout.contains("East"), "{stdout}");
    assert_eq!(sim.counters().get("POST", TOKEN), 1);
    assert_eq!(sim.counters().get("GET", LIST_TERRITORIES), 1);
}
