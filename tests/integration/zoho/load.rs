//! Loading the live org: paging, users, fields, records, criteria conversion.

use std::collections::BTreeMap;

use reqwest::Url;
use territoryctl::model::{
    AssignedHow, Comparator, Criteria, Desired, DesiredTerritory, Module, Permission, Rule,
    RuleModule, RuleValue, Rules, Scalar, Unmanaged,
};
use territoryctl::zoho::{Credentials, ReadClient, RemoteError, Secret, Settings, load_live};
use zoho_crm_sim::State;
use zoho_crm_sim::state::{Field, Record, RecordTerritory};

use super::harness::{LIST_TERRITORIES, Sim, add_territories};

fn desired(rules: Rules, assignments: &[(Module, &str)]) -> Desired {
    let mut by_module: BTreeMap<Module, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (module, id) in assignments {
        by_module
            .entry(*module)
            .or_default()
            .insert((*id).to_owned(), vec!["Territory 0000".to_owned()]);
    }
    Desired {
        root: "Acme Corp".into(),
        root_origin: None,
        unmanaged: Unmanaged::Report,
        territories: vec![DesiredTerritory {
            fields: territoryctl::model::Fields {
                rules,
                ..territoryctl::model::Fields::new(
                    "Territory 0000",
                    "Acme Corp".into(),
                    Permission::ReadWriteDelete,
                )
            },
            previously: Vec::new(),
            origins: Default::default(),
        }],
        assignments: by_module,
    }
}

fn field(id: &str, api_name: &str, data_type: &str) -> Field {
    Field {
        id: id.into(),
        api_name: api_name.into(),
        field_label: api_name.replace('_', " "),
        data_type: data_type.into(),
        pick_list_values: Vec::new(),
        custom_field: false,
        length: None,
    }
}

#[tokio::test]
async fn paging_over_450_territories_takes_three_list_requests() {
    let mut state = State::new_org("Acme Corp");
    state.limits.territories = 1000;
    add_territories(&mut state, 449);
    let mut sim = Sim::start(state).await;
    let client = sim.reader();

    let live = sim.capture(
        load_live(&client, &desired(Rules::default(), &[]))
            .await
            .unwrap(),
    );

    assert_eq!(live.territories.len(), 450);
    assert_eq!(sim.counters().get("GET", LIST_TERRITORIES), 3);
    assert_eq!(live.root().unwrap().name, "Acme Corp");
    assert_eq!(live.users.len(), 1);
    assert_eq!(live.org.as_ref().unwrap().name, "Acme Corp");
    // Only the modules the desired rules name are read: none here.
    assert!(live.fields.is_empty());
    assert_eq!(
        sim.counters().get("GET", "/crm/{version}/settings/fields"),
        0
    );
    let ids: Vec<&str> = live.territories.iter().map(|t| t.id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_by_key(|id| (id.len(), *id));
    assert_eq!(ids, sorted, "territories are ordered by id");
}

#[tokio::test]
async fn exactly_two_hundred_territories_take_one_request() {
    let mut state = State::new_org("Acme Corp");
    add_territories(&mut state, 199);
    let mut sim = Sim::start(state).await;
    let client = sim.reader();
    let territories = sim.capture(client.territories().await.unwrap());
    assert_eq!(territories.len(), 200);
    assert_eq!(sim.counters().get("GET", LIST_TERRITORIES), 1);
}

#[tokio::test]
async fn fields_records_and_criteria_load_as_the_model() {
    let mut state = State::new_org("Acme Corp");
    add_territories(&mut state, 1);
    state.fields.insert(
        "Accounts".into(),
        vec![
            field("9000001", "Billing_Country", "text"),
            field("9000002", "Annual_Revenue", "currency"),
        ],
    );
    state
        .fields
        .insert("Deals".into(), vec![field("9000003", "Amount", "currency")]);
    let territory_id = state.territories[1].id.clone();
    state.territories[1].account_rule_criteria = Some(serde_json::json!({
        "group_operator": "AND",
        "group": [
            {"comparator": "equal", "field": {"api_name": "Billing_Country", "id": "9000001"}, "value": "Germany"},
            {"comparator": "greater_than", "field": {"api_name": "Annual_Revenue", "id": "9000002"}, "value": "1000"}
        ]
    }));
    state.territories[1].description = Some(String::new());
    state.records.insert(
        "Accounts".into(),
        vec![Record {
            id: "7000001".into(),
            fields: BTreeMap::new(),
            territories: vec![RecordTerritory {
                id: territory_id.clone(),
                assigned: "automatically".into(),
                assigned_by: None,
                assigned_time: "2024-07-09T20:50:29+00:00".into(),
            }],
            locked: false,
        }],
    );
    let mut sim = Sim::start(state).await;
    let client = sim.reader();
    let rules = Rules {
        accounts: Some(Criteria::Rule(Rule {
            field: "Billing_Country".into(),
            comparator: Comparator::Equal,
            value: RuleValue::One(Scalar::Text("France".into())),
        })),
        ..Rules::default()
    };

    let live = sim.capture(
        load_live(&client, &desired(rules, &[(Module::Accounts, "7000001")]))
            .await
            .unwrap(),
    );

    assert_eq!(
        live.fields.keys().copied().collect::<Vec<_>>(),
        [RuleModule::Accounts],
        "only the modules the rules name"
    );
    assert_eq!(live.fields[&RuleModule::Accounts].len(), 2);
    let territory = live.territory(&territory_id).unwrap();
    assert_eq!(territory.description, None, "\"\" is no description");
    let Some(Criteria::Group { items, .. }) = &territory.rules.accounts else {
        panic!("expected a group: {:?}", territory.rules.accounts);
    };
    assert_eq!(items.len(), 2);
    let record = &live.records[&Module::Accounts]["7000001"];
    assert_eq!(record.territories.len(), 1);
    assert_eq!(record.territories[0].how, AssignedHow::Automatically);
}

#[tokio::test]
async fn an_org_without_territory_management_is_explained() {
    let mut state = State::new_org("Acme Corp");
    state.flags.territories_enabled = false;
    let mut sim = Sim::start(state).await;
    let client = sim.reader();

    let error = load_live(&client, &desired(Rules::default(), &[]))
        .await
        .unwrap_err();

    let rendered = sim.capture_error(&error);
    assert!(
        matches!(error, RemoteError::FeatureNotEnabled { .. }),
        "{rendered}"
    );
    assert!(rendered.contains("zoho::feature-not-enabled"), "{rendered}");
    assert!(rendered.contains("Territory Management"), "{rendered}");
}

#[tokio::test]
async fn an_org_that_switched_territory_management_off_is_explained_as_disabled() {
    let mut state = State::new_org("Acme Corp");
    state.flags.territories_disabled = true;
    let mut sim = Sim::start(state).await;
    let client = sim.reader();

    let error = load_live(&client, &desired(Rules::default(), &[]))
        .await
        .unwrap_err();

    let rendered = sim.capture_error(&error);
    assert!(
        matches!(error, RemoteError::FeatureDisabled { .. }),
        "{rendered}"
    );
    assert!(rendered.contains("zoho::feature-disabled"), "{rendered}");
    assert!(rendered.contains("switches it back on"), "{rendered}");
}

#[tokio::test]
async fn independent_loads_stay_within_the_concurrency_bound() {
    let mut state = State::new_org("Acme Corp");
    add_territories(&mut state, 1);
    for module in ["Accounts", "Leads", "Deals"] {
        state
            .fields
            .insert(module.into(), vec![field("9000001", "Name", "text")]);
    }
    let mut sim = Sim::start(state).await;
    let mut settings = sim.settings();
    settings.concurrency = 2;
    let credentials = sim.full_token();
    let client = territoryctl::zoho::ReadClient::connect(settings, credentials).unwrap();
    // The simulator refuses a third request in flight with 429; slow answers make overlap
    // certain if the client allowed it.
    sim.faults(zoho_crm_sim::Faults {
        concurrency_limit: Some(2),
        latency_ms: 15,
        ..zoho_crm_sim::Faults::default()
    });
    let rule = |field: &str| {
        Some(Criteria::Rule(Rule {
            field: field.into(),
            comparator: Comparator::Equal,
            value: RuleValue::One(Scalar::Text("x".into())),
        }))
    };
    let rules = Rules {
        accounts: rule("Name"),
        leads: rule("Name"),
        deals: rule("Name"),
    };
    let assignments = [(Module::Accounts, "7000001"), (Module::Deals, "7000002")];

    let live = sim.capture(
        load_live(&client, &desired(rules, &assignments))
            .await
            .unwrap(),
    );

    assert_eq!(live.fields.len(), 3);
    // territories, users, org, three field lists, two record reads: eight requests, none refused.
    assert_eq!(client.requests(), 8, "{:#?}", sim.captured());
    assert!(!sim.captured().iter().any(|line| line.contains(" 429 ")));
}

/// A protocol edge case the simulator cannot produce: a page that promises more, followed by an
/// empty one. A tiny canned HTTP server on loopback answers it.
#[tokio::test]
async fn an_inconsistent_page_sequence_is_an_error_not_a_short_list() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
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
                let response = if head.contains("page=1&") {
                    let territories: Vec<String> = (0..200)
                        .map(|i| {
                            let parent = if i == 0 { "null".to_owned() } else { r#"{"id":"1000","name":"Root"}"#.to_owned() };
                            format!(r#"{{"id":"{}","name":"T{i}","reporting_to":{parent},"manager":null,"permission_type":"read_only","description":null}}"#, 1000 + i)
                        })
                        .collect();
                    let body = format!(
                        r#"{{"territories":[{}],"info":{{"per_page":200,"count":200,"page":1,"more_records":true}}}}"#,
                        territories.join(",")
                    );
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json;charset=UTF-8\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    )
                } else {
                    "HTTP/1.1 204 No Content\r\n\r\n".to_owned()
                };
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    let mut settings = territoryctl::zoho::Settings::for_url(
        reqwest::Url::parse(&base).unwrap(),
        reqwest::Url::parse(&format!("{base}/oauth/v2/token")).unwrap(),
    )
    .unwrap();
    settings.retry.base_delay = std::time::Duration::from_millis(1);
    let client = territoryctl::zoho::ReadClient::connect(
        settings,
        territoryctl::zoho::Credentials::AccessToken(territoryctl::zoho::Secret::new("t")),
    )
    .unwrap();

    let error = client.territories().await.unwrap_err();

    assert!(
        matches!(&error, RemoteError::InconsistentPages { problem } if problem.contains("page 2 was empty")),
        "{error}"
    );
    assert_eq!(client.requests(), 2);
}

#[tokio::test]
async fn assigned_records_are_read_a_hundred_at_a_time() {
    let mut state = State::new_org("Acme Corp");
    add_territories(&mut state, 1);
    let ids: Vec<String> = (0..150).map(|i| format!("{}", 7_000_000 + i)).collect();
    state.records.insert(
        "Accounts".into(),
        ids.iter()
            .map(|id| Record {
                id: id.clone(),
                fields: BTreeMap::new(),
                territories: Vec::new(),
                locked: false,
            })
            .collect(),
    );
    let mut sim = Sim::start(state).await;
    let client = sim.reader();
    let assignments: Vec<(Module, &str)> = ids
        .iter()
        .map(|id| (Module::Accounts, id.as_str()))
        .collect();

    let live = sim.capture(
        load_live(&client, &desired(Rules::default(), &assignments))
            .await
            .unwrap(),
    );

    assert_eq!(live.records[&Module::Accounts].len(), 150);
    assert_eq!(sim.counters().get("GET", "/crm/{version}/{module}"), 2);
}

/// An "API" on a loopback port that answers every request with a redirect to a sign-in page.
fn redirecting_api() -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0; 8192];
            let _ = stream.read(&mut buffer);
            let _ = stream.write_all(
                b"HTTP/1.1 302 Found\r\nLocation: https://accounts.zoho.example/signin?token=abc\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    });
    base
}

#[tokio::test]
async fn a_redirect_is_an_error_naming_its_target_not_an_empty_org() {
    let base = Url::parse(&redirecting_api()).unwrap();
    let settings = Settings::for_url(base.clone(), base.join("/oauth/v2/token").unwrap()).unwrap();
    let client = ReadClient::connect(
        settings,
        Credentials::AccessToken(Secret::new("1000.redirect-test-token")),
    )
    .unwrap();
    let error = client
        .territories()
        .await
        .expect_err("a redirect is not data");
    let RemoteError::Redirected {
        status, location, ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(*status, 302);
    assert_eq!(location, "https://accounts.zoho.example/signin");
    let rendered = format!("{:?}", miette::Report::new(error));
    assert!(rendered.contains("zoho::redirected"), "{rendered}");
    assert!(rendered.contains("--api-domain"), "{rendered}");
    assert!(!rendered.contains("redirect-test-token"), "{rendered}");
}
