//! The one job waiter against a scripted Zoho on loopback that answers
//! `territory_scheduled_jobs` as Zoho documents it: `job_id` and `source`, no status (the
//! simulator always sends one, so only a scripted server shows these answers).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use territoryctl::apply::{self, Outcome, Wait};
use territoryctl::model::Module;
use territoryctl::zoho::{
    Credentials, JobState, ReadClient, ScheduledJob, Secret, Settings, WaitPolicy,
};

/// Serves the poll answers in `script` in turn (the last one again once they run out; an empty
/// one is a 204), and counts the polls.
async fn scripted(script: Vec<&'static str>) -> (ReadClient, Arc<Mutex<usize>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let polls = Arc::new(Mutex::new(0));
    let counter = polls.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let counter = counter.clone();
            let script = script.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 4096];
                while !request.windows(4).any(|window| window == b"\r\n\r\n") {
                    let Ok(read) = socket.read(&mut buffer).await else {
                        return;
                    };
                    if read == 0 {
                        return;
                    }
                    request.extend_from_slice(&buffer[..read]);
                }
                let head = String::from_utf8_lossy(&request).into_owned();
                assert!(
                    head.contains("get_feature_specific_info?features=territory_scheduled_jobs"),
                    "{head}"
                );
                let body = {
                    let mut polls = counter.lock().unwrap();
                    let body = script[(*polls).min(script.len() - 1)];
                    *polls += 1;
                    body
                };
                let response = if body.is_empty() {
                    "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n".to_owned()
                } else {
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json;charset=UTF-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                };
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    let mut settings = Settings::for_url(
        reqwest::Url::parse(&base).unwrap(),
        reqwest::Url::parse(&format!("{base}/oauth/v2/token")).unwrap(),
    )
    .unwrap();
    settings.retry.base_delay = Duration::from_millis(1);
    let client = ReadClient::connect(settings, Credentials::AccessToken(Secret::new("t"))).unwrap();
    (client, polls)
}

/// Listed for record 1 as Zoho documents it: no status.
const LISTED_WITHOUT_STATUS: &str = r#"{"data":[{"id":"1","territory_scheduled_jobs":[{"job_id":"77","source":"manual_territory_assignment"}]}]}"#;

fn job() -> ScheduledJob {
    ScheduledJob {
        module: Module::Accounts,
        record_id: "1".into(),
        job_id: "77".into(),
    }
}

fn policy(timeout: Duration) -> WaitPolicy {
    WaitPolicy {
        timeout,
        first_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(5),
    }
}

#[tokio::test]
async fn a_job_listed_without_a_status_is_still_pending() {
    let (client, polls) = scripted(vec![LISTED_WITHOUT_STATUS]).await;
    let waited = client.wait_for_jobs(&[job()], policy(Duration::ZERO)).await;
    assert!(waited.error.is_none(), "{:?}", waited.error);
    assert_eq!(waited.states, [JobState::Pending(None)]);
    assert_eq!(*polls.lock().unwrap(), 1, "a timeout of zero polls once");
}

#[tokio::test]
async fn a_job_no_longer_listed_has_completed() {
    // Listed twice without a status, then gone (204): done on the third poll, not before.
    let (client, polls) = scripted(vec![LISTED_WITHOUT_STATUS, LISTED_WITHOUT_STATUS, ""]).await;
    let waited = client
        .wait_for_jobs(&[job()], policy(Duration::from_secs(30)))
        .await;
    assert!(waited.error.is_none(), "{:?}", waited.error);
    assert_eq!(waited.states, [JobState::Completed]);
    assert_eq!(*polls.lock().unwrap(), 3);
}

#[tokio::test]
async fn a_status_when_zoho_sends_one_is_believed() {
    let (client, _) = scripted(vec![
        r#"{"data":[{"id":"1","territory_scheduled_jobs":[{"job_id":"77","source":"manual_territory_assignment","status":"IN_PROGRESS"}]}]}"#,
        r#"{"data":[{"id":"1","territory_scheduled_jobs":[{"job_id":"77","source":"manual_territory_assignment","status":"FAILED"}]}]}"#,
    ])
    .await;
    let waited = client
        .wait_for_jobs(&[job()], policy(Duration::from_secs(30)))
        .await;
    assert_eq!(waited.states, [JobState::Failed]);
}

/// `apply --wait` follows the same rule: a job Zoho stops listing is done (it used to wait for
/// it until the timeout, while `records --wait` called it done).
#[tokio::test]
async fn apply_counts_a_job_no_longer_listed_as_completed() {
    use territoryctl::plan::{Action, Change, RecordTerritories};
    let (client, polls) = scripted(vec![LISTED_WITHOUT_STATUS, ""]).await;
    let change = Change {
        key: "assign:Accounts:1".into(),
        wave: 0,
        depth: 0,
        path: Vec::new(),
        action: Action::Assign(RecordTerritories {
            module: Module::Accounts,
            record_id: "1".into(),
            territories: Vec::new(),
            automatic: Vec::new(),
        }),
    };
    let mut outcomes = BTreeMap::from([(
        change.key.clone(),
        Outcome::Scheduled {
            job_id: "77".into(),
            state: None,
        },
    )]);
    apply::wait_for_jobs(
        &client,
        std::slice::from_ref(&change),
        &mut outcomes,
        &Wait {
            timeout: Duration::from_secs(30),
            interval: Duration::from_millis(5),
        },
    )
    .await;
    assert_eq!(
        outcomes[&change.key],
        Outcome::Scheduled {
            job_id: "77".into(),
            state: Some("COMPLETED".into())
        }
    );
    assert_eq!(*polls.lock().unwrap(), 2);
}
