//! The naive baseline: what a script written straight against the API does. It reads every
//! territory by id (the ids it was given) plus the users, the org and the field metadata, and
//! sends one write per change, parents before children. It keeps as many requests in flight as
//! the concurrency limit allows, so only the number of requests differs from territoryctl.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::org::Org;
use super::scenario::{Scenario, Write};

const TERRITORIES: &str = "/crm/v8/settings/territories";

/// Runs the naive script for `scenario` against the simulator at `base` with `token`.
///
/// # Errors
/// A request that fails for another reason than the concurrency limit.
pub(crate) async fn run(
    scenario: &Scenario,
    org: &Org,
    base: &str,
    token: &str,
    concurrency: usize,
) -> Result<(), String> {
    // reqwest is built without a default TLS provider; the simulator is plain HTTP, but the
    // client still wants one installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = Client {
        http: reqwest::Client::new(),
        base: base.to_owned(),
        token: format!("Zoho-oauthtoken {token}"),
        gate: Arc::new(Semaphore::new(concurrency.max(1))),
    };
    let modules = ["Accounts", "Leads", "Deals"];
    let mut reads: Vec<String> = vec![
        "/crm/v8/users?type=ActiveUsers".to_owned(),
        "/crm/v8/org".to_owned(),
    ];
    for module in &modules[..scenario.field_modules.min(modules.len())] {
        reads.push(format!("/crm/v8/settings/fields?module={module}"));
    }
    for territory in &scenario.live.territories {
        reads.push(format!("{TERRITORIES}/{}", territory.id));
        // With membership, every territory's users as well.
        if scenario.members {
            reads.push(format!("{TERRITORIES}/{}/users?per_page=200", territory.id));
        }
    }
    let mut set = JoinSet::new();
    for path in reads {
        let client = client.clone();
        set.spawn(async move { client.send(reqwest::Method::GET, &path, None).await });
    }
    while let Some(joined) = set.join_next().await {
        joined.map_err(|error| error.to_string())??;
    }

    let mut ids: HashMap<usize, String> = scenario
        .live
        .territories
        .iter()
        .map(|territory| (Org::index_of(&territory.name), territory.id.clone()))
        .collect();
    for wave in &scenario.waves {
        let mut set = JoinSet::new();
        for write in wave {
            let client = client.clone();
            let (method, path, body, created) = request(write, org, &ids);
            set.spawn(async move {
                let answer = client.send(method, &path, Some(body)).await?;
                Ok::<_, String>((created, answer))
            });
        }
        while let Some(joined) = set.join_next().await {
            let (created, answer) = joined.map_err(|error| error.to_string())??;
            if let Some(index) = created {
                let id = answer["territories"][0]["details"]["id"]
                    .as_str()
                    .ok_or_else(|| format!("create answered without an id: {answer}"))?;
                ids.insert(index, id.to_owned());
            }
        }
    }
    // Membership changes: the user added, then the user removed, per changed territory.
    let changed = (1..org.nodes.len())
        .filter(|index| index % 10 == 0)
        .filter(|&index| org.members(index) != org.desired_members(index, &remember(index)))
        .take(scenario.member_changes);
    let mut set = JoinSet::new();
    for index in changed {
        let (live, wanted) = (
            org.members(index),
            org.desired_members(index, &remember(index)),
        );
        let id = ids.get(&index).cloned().unwrap_or_default();
        let added: Vec<String> = wanted
            .iter()
            .filter(|user| !live.contains(user))
            .map(|user| Org::user_id(*user))
            .collect();
        let removed: Vec<String> = live
            .iter()
            .filter(|user| !wanted.contains(user))
            .map(|user| Org::user_id(*user))
            .collect();
        let client = client.clone();
        set.spawn(async move {
            let users: Vec<Value> = added.iter().map(|id| json!({"id": id})).collect();
            client
                .send(
                    reqwest::Method::PUT,
                    &format!("{TERRITORIES}/{id}/users"),
                    Some(json!({"users": users})),
                )
                .await?;
            client
                .send(
                    reqwest::Method::DELETE,
                    &format!("{TERRITORIES}/{id}/users?ids={}", removed.join(",")),
                    None,
                )
                .await
        });
    }
    while let Some(joined) = set.join_next().await {
        joined.map_err(|error| error.to_string())??;
    }
    Ok(())
}

/// The edit that replaces the first member of `index` besides its manager.
fn remember(index: usize) -> super::org::Edit {
    super::org::Edit {
        members: true,
        remember: vec![index],
        ..super::org::Edit::default()
    }
}

fn request(
    write: &Write,
    org: &Org,
    ids: &HashMap<usize, String>,
) -> (reqwest::Method, String, Value, Option<usize>) {
    let id = |index: usize| ids.get(&index).cloned().unwrap_or_default();
    match *write {
        Write::Create(index) => {
            let node = &org.nodes[index];
            let manager = Org::user_id(node.manager);
            let body = json!({"territories": [{
                "name": node.name,
                "reporting_to": {"id": id(node.parent.unwrap_or(0))},
                "manager": {"id": manager},
                "permission_type": "read_write_delete",
                "description": format!("Generated territory {index}"),
                "account_rule_criteria": {"comparator": "equal", "field": {"api_name": "Billing_Country", "id": "4150868000000000013"}, "value": node.country},
                "lead_rule_criteria": {"comparator": "equal", "field": {"api_name": "Country", "id": "4150868000000000022"}, "value": node.country},
            }]});
            (
                reqwest::Method::POST,
                TERRITORIES.to_owned(),
                body,
                Some(index),
            )
        }
        Write::Reparent(index, parent) => (
            reqwest::Method::PUT,
            format!("{TERRITORIES}/{}", id(index)),
            json!({"territories": [{"permission_type": "read_write_delete", "reporting_to": {"id": id(parent)}}]}),
            None,
        ),
        Write::Delete(index) => (
            reqwest::Method::DELETE,
            format!(
                "{TERRITORIES}/{}?delete_previous_forecasts=false",
                id(index)
            ),
            Value::Null,
            None,
        ),
    }
}

#[derive(Clone)]
struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
    gate: Arc<Semaphore>,
}

impl Client {
    /// Sends one request, retrying (after a short pause) when the concurrency limit answers
    /// 429: the slot may not be free yet on the server when it is free here.
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let _permit = self
            .gate
            .acquire()
            .await
            .map_err(|error| error.to_string())?;
        loop {
            let mut request = self
                .http
                .request(method.clone(), format!("{}{path}", self.base))
                .header("Authorization", &self.token);
            if let Some(body) = body.as_ref().filter(|body| !body.is_null()) {
                request = request.json(body);
            }
            let response = request.send().await.map_err(|error| error.to_string())?;
            let status = response.status();
            if status.as_u16() == 429 {
                tokio::time::sleep(Duration::from_millis(5)).await;
                continue;
            }
            let text = response.text().await.map_err(|error| error.to_string())?;
            if !status.is_success() {
                return Err(format!("{method} {path} answered {status}: {text}"));
            }
            return Ok(if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).map_err(|error| error.to_string())?
            });
        }
    }
}
