//! Reads retry through every injected fault kind; the request count shows the retries.

use territoryctl::zoho::ReadClient;
use zoho_crm_sim::Faults;

use super::harness::{LIST_TERRITORIES, Sim};

async fn read_through(faults: Faults) -> (Sim, ReadClient) {
    let mut sim = Sim::with_org().await;
    let client = sim.reader();
    sim.faults(faults);
    let mut succeeded = 0;
    for _ in 0..10 {
        let territories = sim.capture(client.territories().await.expect("reads retry"));
        assert_eq!(territories.len(), 1);
        succeeded += 1;
    }
    assert_eq!(succeeded, 10);
    (sim, client)
}

#[tokio::test]
async fn reads_retry_internal_errors() {
    let (sim, client) = read_through(Faults {
        seed: 7,
        error_rate: 0.4,
        ..Faults::default()
    })
    .await;
    let sent = sim.counters().get("GET", LIST_TERRITORIES);
    assert_eq!(sent, client.requests());
    assert!(
        sent > 10,
        "some of the {sent} requests must have been retries"
    );
}

#[tokio::test]
async fn reads_retry_dropped_connections() {
    let (sim, client) = read_through(Faults {
        seed: 12,
        drop_rate: 0.4,
        ..Faults::default()
    })
    .await;
    assert!(client.requests() > 10, "{} requests", client.requests());
    assert!(
        sim.captured().iter().any(|line| line.contains(" --- ")),
        "a dropped attempt is logged without a status"
    );
}

#[tokio::test]
async fn reads_retry_rate_limits() {
    let mut sim = Sim::with_org().await;
    let mut settings = sim.settings();
    settings.retry.max_attempts = 1000;
    let credentials = sim.full_token();
    let client = ReadClient::connect(settings, credentials).unwrap();
    // No credits left: every call is refused with 429 until the budget is reset.
    sim.faults(Faults {
        credits: Some(0),
        retry_after_secs: Some(0),
        ..Faults::default()
    });
    let reading = tokio::spawn({
        let client = client.clone();
        async move { client.territories().await.map(|t| t.len()) }
    });
    while !sim.captured().iter().any(|line| line.contains(" 429 ")) {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    sim.faults(Faults::default());
    assert_eq!(sim.capture(reading.await.unwrap()).unwrap(), 1);
    let refused = sim
        .captured()
        .iter()
        .filter(|line| line.contains(" 429 "))
        .count();
    assert!(refused >= 1);
    assert_eq!(
        client.requests(),
        refused as u64 + 1,
        "each 429 was retried until one passed"
    );
}

#[tokio::test]
async fn retries_are_bounded_with_a_clear_error() {
    let mut sim = Sim::with_org().await;
    let client = sim.reader();
    sim.faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    let error = client.territories().await.unwrap_err();
    let rendered = sim.capture_error(&error);
    assert!(rendered.contains("failed after 8 attempts"), "{rendered}");
    assert!(rendered.contains("zoho::gave-up"), "{rendered}");
    assert_eq!(client.requests(), 8);
}
