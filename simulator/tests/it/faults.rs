//! Fault injection, observed by counts and outcomes (never by time).

use reqwest::Method;
use serde_json::{Value, json};
use zoho_crm_sim::Faults;

use crate::harness::{ROOT, Sim, territory};

const PATH: &str = "/crm/v8/settings/territories";

async fn statuses(seed: u64) -> Vec<u16> {
    let sim = Sim::with(
        |_| {},
        Faults {
            seed,
            error_rate: 0.5,
            ..Faults::default()
        },
    )
    .await;
    let mut statuses = Vec::new();
    for _ in 0..20 {
        statuses.push(sim.get(PATH).await.status);
    }
    statuses
}

#[tokio::test]
async fn faults_are_reproducible_by_seed() {
    let first = statuses(42).await;
    assert_eq!(first, statuses(42).await);
    assert!(first.contains(&500) && first.contains(&200), "{first:?}");
    assert_ne!(first, statuses(7).await);
}

#[tokio::test]
async fn internal_error_applies_nothing() {
    let sim = Sim::with(
        |_| {},
        Faults {
            error_rate: 1.0,
            ..Faults::default()
        },
    )
    .await;
    let answer = sim
        .post(
            PATH,
            json!({"territories": [territory("A", ROOT, json!({}))]}),
        )
        .await;
    assert_eq!((answer.status, answer.code()), (500, "INTERNAL_ERROR"));
    assert!(sim.territory("A").is_none());
}

#[tokio::test]
async fn dropped_connection_applies_nothing() {
    let sim = Sim::with(
        |_| {},
        Faults {
            drop_rate: 1.0,
            ..Faults::default()
        },
    )
    .await;
    let body = json!({"territories": [territory("A", ROOT, json!({}))]});
    let result = sim
        .try_call_as(Some(&sim.token.clone()), Method::POST, PATH, Some(body))
        .await;
    assert!(result.is_err(), "the connection closes without a response");
    assert!(sim.territory("A").is_none());
}

#[tokio::test]
async fn lost_response_applies_the_write() {
    let sim = Sim::with(
        |_| {},
        Faults {
            lost_response_rate: 1.0,
            ..Faults::default()
        },
    )
    .await;
    let body = json!({"territories": [territory("A", ROOT, json!({}))]});
    let result = sim
        .try_call_as(Some(&sim.token.clone()), Method::POST, PATH, Some(body))
        .await;
    assert!(result.is_err(), "the response is lost");
    assert!(sim.territory("A").is_some(), "but the write happened");
}

#[tokio::test]
async fn item_failures_inside_a_batch() {
    let sim = Sim::with(
        |_| {},
        Faults {
            item_failure_rate: 1.0,
            ..Faults::default()
        },
    )
    .await;
    let answer = sim
        .post(PATH, json!({"territories": [territory("A", ROOT, json!({})), territory("B", ROOT, json!({}))]}))
        .await;
    assert_eq!(
        answer.codes("territories"),
        ["INTERNAL_ERROR", "INTERNAL_ERROR"]
    );
    assert!(sim.territory("A").is_none());
    sim.server.set_faults(Faults {
        seed: 3,
        item_failure_rate: 0.5,
        ..Faults::default()
    });
    let names: Vec<Value> = (0..10)
        .map(|i| territory(&format!("T{i}"), ROOT, json!({})))
        .collect();
    let mixed = sim.post(PATH, json!({"territories": names})).await;
    let codes = mixed.codes("territories");
    assert!(
        codes.contains(&"SUCCESS") && codes.contains(&"INTERNAL_ERROR"),
        "{codes:?}"
    );
    assert_eq!(mixed.status, 207);
}

#[tokio::test]
async fn credit_budget_answers_429_with_retry_after() {
    let sim = Sim::with(
        |_| {},
        Faults {
            credits: Some(2),
            retry_after_secs: Some(7),
            ..Faults::default()
        },
    )
    .await;
    assert_eq!(sim.get(PATH).await.status, 200);
    assert_eq!(sim.get(PATH).await.status, 200);
    let response = crate::harness::http_client()
        .get(sim.url(PATH))
        .header("Authorization", format!("Zoho-oauthtoken {}", sim.token))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    assert_eq!(response.headers()["retry-after"], "7");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "TOO_MANY_REQUESTS");
}

#[tokio::test]
async fn concurrency_limit_answers_429() {
    // The latency keeps the first request in flight while the second arrives.
    let sim = Sim::with(
        |_| {},
        Faults {
            concurrency_limit: Some(1),
            latency_ms: 400,
            ..Faults::default()
        },
    )
    .await;
    let (a, b) = tokio::join!(sim.get(PATH), sim.get(PATH));
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 429]);
}

#[tokio::test]
async fn counters_per_route_and_method() {
    let sim = Sim::start().await;
    sim.get(PATH).await;
    sim.get(&format!("{PATH}?page=1")).await;
    sim.get(&format!("{PATH}/{ROOT}")).await;
    sim.post(
        PATH,
        json!({"territories": [territory("A", ROOT, json!({}))]}),
    )
    .await;
    let counters = sim.server.counters();
    assert_eq!(
        counters.get("GET", "/crm/{version}/settings/territories"),
        2
    );
    assert_eq!(
        counters.get("GET", "/crm/{version}/settings/territories/{id}"),
        1
    );
    assert_eq!(
        counters.get("POST", "/crm/{version}/settings/territories"),
        1
    );
    assert_eq!((counters.total, counters.writes), (4, 1));
    let admin: Value = reqwest::get(sim.url("/__admin/counters"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(admin["total"], 4, "admin calls are not counted");
    crate::harness::http_client()
        .post(sim.url("/__admin/counters/reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(sim.server.counters().total, 0);
}

#[tokio::test]
async fn faults_can_be_set_over_http() {
    let sim = Sim::start().await;
    let response = crate::harness::http_client()
        .put(sim.url("/__admin/faults"))
        .body(json!({"error_rate": 1.0}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(sim.get(PATH).await.status, 500);
}

#[tokio::test]
async fn dropped_requests_leave_the_concurrency_count() {
    let sim = Sim::with(
        |_| {},
        Faults {
            drop_rate: 1.0,
            concurrency_limit: Some(1),
            ..Faults::default()
        },
    )
    .await;
    for _ in 0..3 {
        let result = sim
            .try_call_as(Some(&sim.token.clone()), Method::GET, PATH, None)
            .await;
        assert!(result.is_err());
    }
    sim.server.set_faults(Faults {
        concurrency_limit: Some(1),
        ..Faults::default()
    });
    assert_eq!(sim.get(PATH).await.status, 200);
}

#[tokio::test]
async fn log_lines_never_carry_tokens() {
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = lines.clone();
    let server = zoho_crm_sim::Simulator::new(crate::harness::org(), Faults::default())
        .with_log(move |line| sink.lock().unwrap().push(line.to_owned()))
        .serve("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let refresh = server.add_client("client", "secret");
    let token = server.access_token();
    let client = reqwest::Client::new();
    client
        .get(format!("{}{PATH}?page=1", server.base_url()))
        .header("Authorization", format!("Zoho-oauthtoken {token}"))
        .send()
        .await
        .unwrap();
    client
        .post(format!(
            "{}/oauth/v2/token?grant_type=refresh_token&client_id=client&client_secret=secret&refresh_token={refresh}",
            server.base_url()
        ))
        .send()
        .await
        .unwrap();
    let lines = lines.lock().unwrap().clone();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("GET /crm/v8/settings/territories -> 200"),
        "{lines:?}"
    );
    for line in &lines {
        assert!(
            !line.contains(&token) && !line.contains(&refresh) && !line.contains("secret"),
            "{line}"
        );
    }
}
