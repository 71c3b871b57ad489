//! The record codes a correct client cannot provoke from the simulator (a user without
//! permission, a job already running, a request Zoho says is incomplete), answered by a
//! scripted Zoho on a loopback port in the shape of the seed pages, through the binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

/// Serves one territory (`East`, id 11) for name resolution, and `answer` (status, body) to
/// every other request; returns the base URL and the paths requested.
fn scripted(status: u16, body: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    scripted_with_jobs(status, body, "")
}

/// As [`scripted`], answering `get_feature_specific_info` with `jobs` (204 when empty).
fn scripted_with_jobs(
    status: u16,
    body: &'static str,
    jobs: &'static str,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("bound"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut request_body = vec![0; length];
            let _ = reader.read_exact(&mut request_body);
            let path = request_line
                .split(' ')
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            log.lock().unwrap().push(path.clone());
            let (code, reply) = if path.contains("/settings/territories") {
                (
                    200,
                    r#"{"territories":[{"id":"11","name":"East","reporting_to":null,"permission_type":"read_only"}],"info":{"per_page":200,"count":1,"page":1,"more_records":false}}"#,
                )
            } else if path.contains("fields=Territories") {
                // The records' current territories, read before an assign: none yet.
                (204, "")
            } else if path.contains("get_feature_specific_info") {
                (if jobs.is_empty() { 204 } else { 200 }, jobs)
            } else {
                (status, body)
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {code} X\r\ncontent-type: application/json;charset=UTF-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    (base, seen)
}

fn assign(base: &str, records: &[&str]) -> (i32, String) {
    assign_with(base, records, &[])
}

fn assign_with(base: &str, records: &[&str], extra: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_territoryctl"))
        .args(["records", "assign", "Accounts"])
        .args(records)
        .args(extra)
        .args([
            "--territory",
            "east",
            "--color",
            "never",
            "--api-domain",
            base,
        ])
        .arg("--accounts-url")
        .arg(format!("{base}/oauth/v2/token"))
        .env("ZOHO_ACCESS_TOKEN", "1000.scripted")
        .env_remove("ZOHO_REFRESH_TOKEN")
        .stdin(Stdio::null())
        .output()
        .expect("territoryctl runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn no_permission_says_the_token_user_may_not_change_the_record() {
    let (base, seen) = scripted(
        401,
        r#"{"data":[{"code":"NO_PERMISSION","details":{},"message":"User has no permission to add / remove the Territories","status":"error"},{"code":"SUCCESS","details":{"id":"2"},"message":"the territories data updated successfully","status":"success"}]}"#,
    );
    let (code, stdout) = assign(&base, &["1", "2"]);
    assert_eq!(code, 5, "{stdout}");
    assert!(stdout.contains("Accounts 1: failed: NO_PERMISSION: the user the token belongs to may not change the territories of this record; an administrator can grant the permission to update Accounts"), "{stdout}");
    assert!(stdout.contains("Accounts 2: assigned East"), "{stdout}");
    assert!(
        seen.lock()
            .unwrap()
            .iter()
            .any(|path| path == "/crm/v8/Accounts/actions/assign_territories")
    );
}

#[test]
fn authorization_failed_says_the_same_in_words() {
    let (base, _) = scripted(
        400,
        r#"{"code":"AUTHORIZATION_FAILED","details":{},"message":"User does not have sufficient privilege to update records","status":"error"}"#,
    );
    let (code, stdout) = assign(&base, &["1"]);
    assert_eq!(code, 5, "{stdout}");
    assert!(stdout.contains("Accounts 1: failed: AUTHORIZATION_FAILED: the user the token belongs to may not change the territories of this record"), "{stdout}");
}

#[test]
fn already_scheduled_says_to_wait_for_the_running_job() {
    let (base, _) = scripted(
        400,
        r#"{"code":"ALREADY_SCHEDULED","details":{"job_id":"4476574676432"},"message":"Previously scheduled action was not yet completed","status":"error"}"#,
    );
    let (code, stdout) = assign(&base, &["1", "2"]);
    assert_eq!(code, 5, "{stdout}");
    for record in ["1", "2"] {
        assert!(stdout.contains(&format!("Accounts {record}: failed: ALREADY_SCHEDULED: a territory job for this record is still running; wait for it to finish (see `--wait`) and run again")), "{stdout}");
    }
}

#[test]
fn already_used_names_the_territory_sent_twice() {
    let (base, _) = scripted(
        400,
        r#"{"data":[{"code":"ALREADY_USED","details":{"exists_in":{"json_path":"$.data[0].Territories[0].id"},"api_name":"id","json_path":"$.data[0].Territories[0].id"},"message":"duplicate territory id found","status":"error"}]}"#,
    );
    let (code, stdout) = assign(&base, &["1"]);
    assert_eq!(code, 5, "{stdout}");
    assert!(
        stdout.contains(
            "Accounts 1: failed: ALREADY_USED: the territory `East` was named twice for this record"
        ),
        "{stdout}"
    );
}

#[test]
fn mandatory_not_found_is_reported_as_a_territoryctl_bug() {
    let (base, _) = scripted(
        400,
        r#"{"data":[{"code":"MANDATORY_NOT_FOUND","details":{"api_name":"Territories","json_path":"$.data[0].Territories"},"message":"required field not found","status":"error"}]}"#,
    );
    let (code, stdout) = assign(&base, &["1"]);
    assert_eq!(code, 5, "{stdout}");
    assert!(stdout.contains("Accounts 1: failed: MANDATORY_NOT_FOUND: Zoho says the record id or the territories were missing from the request; this is a bug in territoryctl, please report it"), "{stdout}");
}

#[test]
fn invalid_request_method_fails_the_command_with_zohos_words() {
    let (base, _) = scripted(
        405,
        r#"{"code":"INVALID_REQUEST_METHOD","details":{},"message":"The http request method type is not a valid one","status":"error"}"#,
    );
    let (code, stdout) = assign(&base, &["1"]);
    assert_eq!(code, 5, "{stdout}");
    assert!(stdout.contains("Accounts 1: failed: INVALID_REQUEST_METHOD: Zoho refused it: The http request method type is not a valid one"), "{stdout}");
}

#[test]
fn a_job_still_running_when_the_wait_ends_is_not_confirmed() {
    let (base, seen) = scripted_with_jobs(
        202,
        r#"{"data":[{"code":"SCHEDULED","details":{"id":"1","job_id":"77"},"message":"Territory assignment process scheduled successfully","status":"success"}]}"#,
        r#"{"data":[{"id":"1","territory_scheduled_jobs":[{"job_id":"77","source":"manual_territory_assignment","status":"IN_PROGRESS"}]}]}"#,
    );
    // A timeout of zero: one poll, no pause.
    let (code, stdout) = assign_with(&base, &["1"], &["--wait", "--wait-timeout", "0"]);
    assert_eq!(code, 5, "{stdout}");
    assert!(
        stdout.contains(
            "Accounts 1: not confirmed: job 77 for East was still running when the wait ended"
        ),
        "{stdout}"
    );
    let polls = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|path| {
            path.contains("get_feature_specific_info?features=territory_scheduled_jobs&ids=1")
        })
        .count();
    assert_eq!(polls, 1);
}

#[test]
fn a_job_zoho_no_longer_lists_counts_as_done() {
    let (base, _) = scripted_with_jobs(
        202,
        r#"{"data":[{"code":"SCHEDULED","details":{"id":"1","job_id":"77"},"message":"Territory assignment process scheduled successfully","status":"success"}]}"#,
        "",
    );
    let (code, stdout) = assign_with(&base, &["1"], &["--wait"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("Accounts 1: assigned East (job 77 completed)"),
        "{stdout}"
    );
}
