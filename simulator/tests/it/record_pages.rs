//! Paging of the record list as Zoho documents it: `page` up to the 2,000th record, then
//! `page_token` from `info.next_page_token`, 200 a page at most, `fields` required.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use zoho_crm_sim::state::{Record, State};

use crate::harness::Sim;

const T0: i64 = 1_770_000_000;

fn accounts(count: usize) -> impl FnOnce(&mut State) {
    move |state: &mut State| {
        let records = state.records.entry("Accounts".to_owned()).or_default();
        records.clear();
        for n in 0..count {
            records.push(Record {
                id: format!("9{n:08}"),
                fields: BTreeMap::from([
                    ("Account_Name".to_owned(), json!(format!("Account {n}"))),
                    ("Billing_Country".to_owned(), json!("Japan")),
                ]),
                territories: Vec::new(),
                locked: false,
            });
        }
    }
}

async fn sim(count: usize) -> Sim {
    let sim = Sim::with(accounts(count), Default::default()).await;
    sim.server.set_clock(T0);
    sim
}

fn ids(answer: &Value) -> Vec<String> {
    answer["data"]
        .as_array()
        .map(|data| {
            data.iter()
                .map(|r| r["id"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn pages_reach_2000_records_then_the_token_reads_the_rest_once_each() {
    let sim = sim(2_450).await;
    let mut seen = Vec::new();
    let mut token = None;
    for page in 1..=10 {
        let answer = sim
            .get(&format!(
                "/crm/v8/Accounts?fields=Account_Name&per_page=200&page={page}"
            ))
            .await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.body["info"]["count"], 200);
        assert_eq!(answer.body["info"]["page"], page);
        assert_eq!(answer.body["info"]["more_records"], true);
        seen.extend(ids(&answer.body));
        token = answer.body["info"]["next_page_token"]
            .as_str()
            .map(str::to_owned);
        assert!(answer.body["info"]["page_token_expiry"].is_string());
    }
    let beyond = sim
        .get("/crm/v8/Accounts?fields=Account_Name&per_page=200&page=11")
        .await;
    assert_eq!(beyond.status, 400);
    assert_eq!(beyond.code(), "DISCRETE_PAGINATION_LIMIT_EXCEEDED");

    let mut pages_by_token = 0;
    while let Some(current) = token.take() {
        let answer = sim
            .get(&format!(
                "/crm/v8/Accounts?fields=Account_Name&per_page=200&page_token={current}"
            ))
            .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        pages_by_token += 1;
        seen.extend(ids(&answer.body));
        token = answer.body["info"]["next_page_token"]
            .as_str()
            .map(str::to_owned);
        assert_eq!(
            answer.body["info"]["more_records"].as_bool(),
            Some(token.is_some())
        );
    }
    assert_eq!(pages_by_token, 3, "2,000 to 2,450 is three pages of 200");
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (2_450, 2_450));
}

#[tokio::test]
async fn a_page_ending_past_record_2000_is_refused_whatever_its_size() {
    let sim = sim(2_100).await;
    let within = sim
        .get("/crm/v8/Accounts?fields=Account_Name&per_page=100&page=20")
        .await;
    assert_eq!(within.status, 200);
    let past = sim
        .get("/crm/v8/Accounts?fields=Account_Name&per_page=150&page=14")
        .await;
    assert_eq!(past.code(), "DISCRETE_PAGINATION_LIMIT_EXCEEDED");
}

#[tokio::test]
async fn per_page_above_200_and_a_missing_fields_are_refused() {
    let sim = sim(10).await;
    let big = sim
        .get("/crm/v8/Accounts?fields=Account_Name&per_page=201")
        .await;
    assert_eq!((big.status, big.code()), (400, "INVALID_DATA"));
    assert_eq!(big.body["details"]["param_name"], "per_page");
    let no_fields = sim.get("/crm/v8/Accounts?per_page=200").await;
    assert_eq!(no_fields.code(), "REQUIRED_PARAM_MISSING");
    let all = sim.get("/crm/v8/Accounts?fields=Account_Name").await;
    assert_eq!(all.body["info"]["per_page"], 200);
    assert_eq!(all.body["info"]["more_records"], false);
    assert!(all.body["info"].get("next_page_token").is_none());
}

#[tokio::test]
async fn only_the_fields_asked_for_come_back() {
    let sim = sim(3).await;
    let answer = sim.get("/crm/v8/Accounts?fields=Billing_Country").await;
    let first = &answer.body["data"][0];
    assert_eq!(first["Billing_Country"], "Japan");
    assert!(first.get("Account_Name").is_none());
    assert!(first.get("Territories").is_none());
}

#[tokio::test]
async fn a_token_is_refused_with_page_after_expiry_for_another_module_or_forged() {
    let sim = sim(450).await;
    let first = sim
        .get("/crm/v8/Accounts?fields=Account_Name&per_page=200")
        .await;
    let token = first.body["info"]["next_page_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let with_page = sim
        .get(&format!(
            "/crm/v8/Accounts?fields=Account_Name&page=2&page_token={token}"
        ))
        .await;
    assert_eq!(with_page.body["details"]["param_name"], "page_token");
    let other_module = sim
        .get(&format!(
            "/crm/v8/Deals?fields=Deal_Name&page_token={token}"
        ))
        .await;
    assert_eq!(other_module.body["message"], "invalid page token");
    let forged = sim
        .get("/crm/v8/Accounts?fields=Account_Name&page_token=not-a-token")
        .await;
    assert_eq!(forged.body["message"], "invalid page token");
    let fresh = sim
        .get(&format!(
            "/crm/v8/Accounts?fields=Account_Name&page_token={token}"
        ))
        .await;
    assert_eq!(
        ids(&fresh.body).first().map(String::as_str),
        Some("900000200")
    );
    sim.server.advance_clock(86_400);
    let expired = sim
        .get(&format!(
            "/crm/v8/Accounts?fields=Account_Name&page_token={token}"
        ))
        .await;
    assert_eq!(
        (expired.status, expired.body["message"].as_str()),
        (400, Some("the page token has expired"))
    );
}
