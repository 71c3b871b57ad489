//! A host that cannot be reached is named, with the hint that fits the failure, and what
//! another attempt cannot change is not retried (issue #21, point 10).

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn plan(api_domain: &str) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_territoryctl"))
        .args(["plan", "examples/acme/territories.yaml", "--color", "never"])
        // One request in flight, so that few reads start before the first failure ends the
        // command (a read waiting for the slot may still take it as the first one fails).
        .args(["--concurrency", "1"])
        .args(["--api-domain", api_domain])
        .env("ZOHO_ACCESS_TOKEN", "not-a-real-token")
        .env_remove("ZOHO_API_DOMAIN")
        .env_remove("NO_COLOR")
        .output()
        .expect("territoryctl runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_refused_connection_names_the_host_and_is_not_retried() {
    // A port of this machine that nothing listens on: bound, then closed.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let (code, stderr) = plan(&format!("http://127.0.0.1:{port}"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("zoho::unreachable"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "cannot reach `127.0.0.1:{port}`: could not connect"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "nothing accepts connections at `127.0.0.1:{port}`"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("rate-limit"), "{stderr}");
}

#[test]
fn a_failed_tls_handshake_names_the_host_and_is_tried_once_per_request() {
    // A server that answers a TLS hello with plain HTTP, counting connections.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&connections);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            counted.fetch_add(1, Ordering::SeqCst);
            let mut hello = [0_u8; 4096];
            let _ = stream.read(&mut hello);
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
        }
    });
    let (code, stderr) = plan(&format!("https://127.0.0.1:{port}"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("zoho::unreachable"), "{stderr}");
    assert!(
        stderr.contains(&format!("the TLS handshake with `127.0.0.1:{port}` failed")),
        "{stderr}"
    );
    // One request in flight (`--concurrency 1`): each read is tried once, and the command ends
    // after a read or two; retried, the first read alone would connect six times.
    let made = connections.load(Ordering::SeqCst);
    assert!((1..6).contains(&made), "{made} connections");
}
