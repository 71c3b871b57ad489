//! [`WriteClient`]: the reads plus every write, each returning one outcome per item in request
//! order, and never doing a write twice.
//!
//! A write is repeated only when it provably never reached Zoho (a connect error, a 429). When
//! the outcome is unclear (a timeout, a dropped connection after sending, a 5xx), the client
//! reads the affected objects again and reports, per item, what it finds: done, not applied, or
//! unknown. The apply executor calls these methods; batches are at most ten items, as Zoho
//! documents.

use std::ops::Deref;

use reqwest::Method;
use serde_json::Value;

use super::convert::criteria_to_wire;
use super::credentials::Credentials;
use super::error::RemoteError;
use super::http::Call;
use super::read::{ReadClient, unexpected};
use super::settings::Settings;
use super::wire;
use crate::model::{self, Attribute, ById, Fields, LiveTerritory, Module, Patch, Permission};

/// Items per create, update, delete or transfer call, and records per assign or remove call.
pub const MAX_BATCH: usize = 10;

/// A territory to create: its fields by id. Fields without a value (no manager, no
/// description, no rule) are left out of the request.
pub type NewTerritory = Fields<ById>;

/// A partial update of one territory: the values it sets (a `None` value clears the key).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TerritoryChange {
    pub id: String,
    pub set: Patch<ById>,
    /// The territory's permission as it is, sent only because Zoho requires `permission_type`
    /// in every update item: not a change, so reading back never counts it as applied.
    pub unchanged_permission: Option<Permission>,
}

/// A territory to delete after moving its children (and records) to `transfer_to_id`, which
/// Zoho's doc pages make mandatory; a territory without children is deleted with
/// [`WriteClient::delete_territories`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer {
    pub id: String,
    pub transfer_to_id: String,
}

/// One record and territories to assign to it or remove from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordTerritories {
    pub record_id: String,
    pub territory_ids: Vec<String>,
}

/// What became of one item of a batch.
#[derive(Clone, Debug, PartialEq)]
pub enum ItemOutcome {
    /// Applied. `id` is the object's id (the new id for a create); `job_id` is set when Zoho
    /// scheduled the work (202 SCHEDULED) instead of doing it at once.
    Done { id: String, job_id: Option<String> },
    /// Refused by Zoho, or found not applied after an unclear failure (code `NOT_APPLIED`).
    Failed(ItemError),
    /// The request failed without a clear answer and reading back could not tell.
    Unknown { reason: String },
}

/// Zoho's per-item error: code, message and details as sent.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemError {
    pub code: String,
    pub message: String,
    pub details: serde_json::Map<String, Value>,
}

impl ItemError {
    fn not_applied(cause: &str) -> Self {
        Self {
            code: "NOT_APPLIED".into(),
            message: format!(
                "the request failed ({cause}) and reading back shows it was not applied"
            ),
            details: serde_json::Map::new(),
        }
    }
}

/// A client that reads and writes. Derefs to [`ReadClient`] for the reads.
///
/// The same call that does not compile on a [`ReadClient`] does here:
///
/// ```no_run
/// async fn apply(client: &territoryctl::zoho::WriteClient) {
///     let _ = client.create_territories(&[]).await;
///     let _ = client.territories().await;
/// }
/// ```
#[derive(Clone, Debug)]
pub struct WriteClient {
    read: ReadClient,
}

impl Deref for WriteClient {
    type Target = ReadClient;

    fn deref(&self) -> &ReadClient {
        &self.read
    }
}

impl WriteClient {
    /// A client that may write. Connects lazily.
    ///
    /// # Errors
    /// Insecure URLs and HTTP client setup failures.
    pub fn connect(settings: Settings, credentials: Credentials) -> Result<Self, RemoteError> {
        Ok(Self {
            read: ReadClient::connect(settings, credentials)?,
        })
    }

    /// Creates up to ten territories; parents must exist already.
    ///
    /// # Errors
    /// Request-level failures (auth, scope, feature, exhausted retries). Per-item failures are
    /// [`ItemOutcome::Failed`].
    pub async fn create_territories(
        &self,
        items: &[NewTerritory],
    ) -> Result<Vec<ItemOutcome>, RemoteError> {
        check_batch(items.len())?;
        let body = wire::TerritoriesBody {
            territories: items.iter().map(create_item).collect(),
        };
        let call = Call::write(Method::POST, "settings/territories", Some(to_value(&body)));
        match self.send_items(&call, "territories", items.len()).await {
            Err(RemoteError::Unconfirmed { cause, .. }) => {
                let mut outcomes = Vec::new();
                for item in items {
                    outcomes.push(self.verify_create(item, &cause).await);
                }
                Ok(outcomes)
            }
            other => other,
        }
    }

    /// Updates up to ten territories, each only in the keys it names.
    ///
    /// # Errors
    /// As [`WriteClient::create_territories`].
    pub async fn update_territories(
        &self,
        items: &[TerritoryChange],
    ) -> Result<Vec<ItemOutcome>, RemoteError> {
        check_batch(items.len())?;
        let body = wire::TerritoriesBody {
            territories: items.iter().map(update_item).collect(),
        };
        let call = Call::write(Method::PUT, "settings/territories", Some(to_value(&body)));
        match self.send_items(&call, "territories", items.len()).await {
            Err(RemoteError::Unconfirmed { cause, .. }) => {
                let mut outcomes = Vec::new();
                for item in items {
                    outcomes.push(self.verify_update(item, &cause).await);
                }
                Ok(outcomes)
            }
            other => other,
        }
    }

    /// Deletes up to ten territories that have no children.
    ///
    /// # Errors
    /// As [`WriteClient::create_territories`].
    pub async fn delete_territories(
        &self,
        ids: &[String],
        delete_previous_forecasts: bool,
    ) -> Result<Vec<ItemOutcome>, RemoteError> {
        check_batch(ids.len())?;
        // Zoho's v8 page calls `delete_previous_forecasts` mandatory: always send it.
        let call = Call::write(Method::DELETE, "settings/territories", None)
            .query("ids", ids.join(","))
            .query(
                "delete_previous_forecasts",
                delete_previous_forecasts.to_string(),
            );
        match self.send_items(&call, "territories", ids.len()).await {
            Err(RemoteError::Unconfirmed { cause, .. }) => Ok(self.verify_gone(ids, &cause).await),
            other => other,
        }
    }

    /// Deletes up to ten territories, moving their children to `transfer_to_id` first.
    ///
    /// # Errors
    /// As [`WriteClient::create_territories`].
    pub async fn transfer_and_delete(
        &self,
        items: &[Transfer],
        delete_previous_forecasts: bool,
    ) -> Result<Vec<ItemOutcome>, RemoteError> {
        check_batch(items.len())?;
        let body = wire::TerritoriesBody {
            territories: items
                .iter()
                .map(|item| wire::TransferItem {
                    id: item.id.clone(),
                    transfer_to_id: item.transfer_to_id.clone(),
                    delete_previous_forecasts,
                })
                .collect(),
        };
        let call = Call::write(
            Method::POST,
            "settings/territories/actions/transfer_and_delete",
            Some(to_value(&body)),
        );
        match self.send_items(&call, "territories", items.len()).await {
            Err(RemoteError::Unconfirmed { cause, .. }) => {
                let ids: Vec<String> = items.iter().map(|item| item.id.clone()).collect();
                Ok(self.verify_gone(&ids, &cause).await)
            }
            other => other,
        }
    }

    /// Assigns territories to up to ten records of a module.
    ///
    /// # Errors
    /// As [`WriteClient::create_territories`].
    pub async fn assign_territories(
        &self,
        module: Module,
        items: &[RecordTerritories],
    ) -> Result<Vec<ItemOutcome>, RemoteError> {
        self.record_territories(module, items, Assignment::Assign)
            .await
    }

    /// Removes territories from up to ten records of a module.
    ///
    /// # Errors
    /// As [`WriteClient::create_territories`].
    pub async fn remove_territories(
        &self,
        module: Module,
        items: &[RecordTerritories],
    ) -> Result<Vec<ItemOutcome>, RemoteError> {
        self.record_territories(module, items, Assignment::Remove)
            .await
    }

    /// Assigns territories to one record through the single-record endpoint
    /// (`/{Module}/{id}/actions/assign_territories`).
    ///
    /// # Errors
    /// As [`WriteClient::create_territories`]; an unknown record id is a request-level
    /// [`RemoteError::Api`] (`INVALID_DATA`) on this endpoint.
    pub async fn assign_territories_to_record(
        &self,
        module: Module,
        item: &RecordTerritories,
    ) -> Result<ItemOutcome, RemoteError> {
        self.record_territories_one(module, item, Assignment::Assign)
            .await
    }

    /// Removes territories from one record through the single-record endpoint
    /// (`/{Module}/{id}/actions/remove_territories`).
    ///
    /// # Errors
    /// As [`WriteClient::assign_territories_to_record`].
    pub async fn remove_territories_from_record(
        &self,
        module: Module,
        item: &RecordTerritories,
    ) -> Result<ItemOutcome, RemoteError> {
        self.record_territories_one(module, item, Assignment::Remove)
            .await
    }

    async fn record_territories_one(
        &self,
        module: Module,
        item: &RecordTerritories,
        action: Assignment,
    ) -> Result<ItemOutcome, RemoteError> {
        let path = format!(
            "{}/{}/actions/{}",
            module.api_name(),
            item.record_id,
            action.path()
        );
        let items = std::slice::from_ref(item);
        let mut outcomes = self.send_records(module, items, action, path).await?;
        Ok(outcomes.pop().unwrap_or_else(|| ItemOutcome::Unknown {
            reason: "Zoho answered without a result for the record".into(),
        }))
    }

    async fn record_territories(
        &self,
        module: Module,
        items: &[RecordTerritories],
        action: Assignment,
    ) -> Result<Vec<ItemOutcome>, RemoteError> {
        let path = format!("{}/actions/{}", module.api_name(), action.path());
        self.send_records(module, items, action, path).await
    }

    async fn send_records(
        &self,
        module: Module,
        items: &[RecordTerritories],
        action: Assignment,
        path: String,
    ) -> Result<Vec<ItemOutcome>, RemoteError> {
        check_batch(items.len())?;
        let body = wire::RecordTerritoriesBody {
            data: items
                .iter()
                .map(|item| wire::RecordTerritoriesItem {
                    id: item.record_id.clone(),
                    territories: item
                        .territory_ids
                        .iter()
                        .map(|id| wire::IdRef { id: id.clone() })
                        .collect(),
                })
                .collect(),
        };
        let call = Call::write(Method::POST, path, Some(to_value(&body)));
        match self.send_items(&call, "data", items.len()).await {
            Err(RemoteError::Unconfirmed { cause, .. }) => {
                Ok(self.verify_records(module, items, action, &cause).await)
            }
            other => other,
        }
    }

    /// Sends a batch and reads its per-item results, in request order.
    async fn send_items(
        &self,
        call: &Call,
        key: &str,
        count: usize,
    ) -> Result<Vec<ItemOutcome>, RemoteError> {
        let reply = self.http.send(call).await?;
        let status = reply.status.as_u16();
        let results: Vec<wire::ActionResult> = reply
            .body
            .and_then(|mut body| body.get_mut(key).map(Value::take))
            .map(serde_json::from_value)
            .transpose()
            .map_err(|error| unexpected(call, status, error.to_string()))?
            .ok_or_else(|| unexpected(call, status, format!("no `{key}` results")))?;
        if results.len() != count {
            return Err(unexpected(
                call,
                status,
                format!("{} results for {count} items", results.len()),
            ));
        }
        Ok(results.into_iter().map(outcome).collect())
    }

    async fn verify_create(&self, item: &NewTerritory, cause: &str) -> ItemOutcome {
        match self.territories_named(&item.name).await {
            Ok(found) => match found
                .into_iter()
                .find(|territory| territory.parent.as_deref() == Some(item.parent.as_str()))
            {
                Some(territory) => ItemOutcome::Done {
                    id: territory.id,
                    job_id: None,
                },
                None => ItemOutcome::Failed(ItemError::not_applied(cause)),
            },
            Err(error) => unknown(cause, &error),
        }
    }

    async fn verify_update(&self, item: &TerritoryChange, cause: &str) -> ItemOutcome {
        match self.territory(&item.id).await {
            Ok(Some(live)) => {
                let (matched, total) = change_applied(item, &live);
                if matched == total {
                    ItemOutcome::Done {
                        id: item.id.clone(),
                        job_id: None,
                    }
                } else if matched == 0 {
                    ItemOutcome::Failed(ItemError::not_applied(cause))
                } else {
                    ItemOutcome::Unknown {
                        reason: format!(
                            "the request failed ({cause}); reading back shows {matched} of {total} changes"
                        ),
                    }
                }
            }
            Ok(None) => ItemOutcome::Unknown {
                reason: format!("the request failed ({cause}) and the territory is gone"),
            },
            Err(error) => unknown(cause, &error),
        }
    }

    async fn verify_gone(&self, ids: &[String], cause: &str) -> Vec<ItemOutcome> {
        let mut outcomes = Vec::new();
        for id in ids {
            outcomes.push(match self.territory(id).await {
                Ok(None) => ItemOutcome::Done {
                    id: id.clone(),
                    job_id: None,
                },
                Ok(Some(_)) => ItemOutcome::Failed(ItemError::not_applied(cause)),
                Err(error) => unknown(cause, &error),
            });
        }
        outcomes
    }

    async fn verify_records(
        &self,
        module: Module,
        items: &[RecordTerritories],
        action: Assignment,
        cause: &str,
    ) -> Vec<ItemOutcome> {
        let ids: Vec<String> = items.iter().map(|item| item.record_id.clone()).collect();
        let records = match self.records(module, &ids).await {
            Ok(records) => records,
            Err(error) => return items.iter().map(|_| unknown(cause, &error)).collect(),
        };
        items
            .iter()
            .map(|item| {
                let Some(record) = records.iter().find(|record| record.id == item.record_id) else {
                    return ItemOutcome::Unknown {
                        reason: format!(
                            "the request failed ({cause}) and the record is not readable"
                        ),
                    };
                };
                let present = item
                    .territory_ids
                    .iter()
                    .filter(|id| {
                        record
                            .territories
                            .iter()
                            .any(|territory| &territory.id == *id)
                    })
                    .count();
                let wanted = match action {
                    Assignment::Assign => item.territory_ids.len(),
                    Assignment::Remove => 0,
                };
                let untouched = match action {
                    Assignment::Assign => 0,
                    Assignment::Remove => item.territory_ids.len(),
                };
                if present == wanted {
                    ItemOutcome::Done {
                        id: item.record_id.clone(),
                        job_id: None,
                    }
                } else if present == untouched {
                    ItemOutcome::Failed(ItemError::not_applied(cause))
                } else {
                    ItemOutcome::Unknown {
                        reason: format!("the request failed ({cause}) and was applied in part"),
                    }
                }
            })
            .collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Assignment {
    Assign,
    Remove,
}

impl Assignment {
    fn path(self) -> &'static str {
        match self {
            Self::Assign => "assign_territories",
            Self::Remove => "remove_territories",
        }
    }
}

fn check_batch(items: usize) -> Result<(), RemoteError> {
    if items > MAX_BATCH {
        return Err(RemoteError::BatchTooLarge {
            items,
            max: MAX_BATCH,
        });
    }
    Ok(())
}

fn to_value(body: &impl serde::Serialize) -> Value {
    serde_json::to_value(body).expect("request bodies always serialise")
}

fn unknown(cause: &str, error: &RemoteError) -> ItemOutcome {
    ItemOutcome::Unknown {
        reason: format!("the request failed ({cause}) and reading back failed too ({error})"),
    }
}

fn outcome(result: wire::ActionResult) -> ItemOutcome {
    let detail = |key: &str| {
        result.details.get(key).and_then(|value| match value {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(number.to_string()),
            _ => None,
        })
    };
    if result.status == "success" {
        ItemOutcome::Done {
            id: detail("id").unwrap_or_default(),
            job_id: detail("job_id"),
        }
    } else {
        ItemOutcome::Failed(ItemError {
            code: result.code,
            message: result.message,
            details: result.details,
        })
    }
}

/// One attribute's key and value in a territory's `POST`/`PUT` body; `null` clears.
fn wire_entry(value: &model::Value<ById>) -> (&'static str, serde_json::Value) {
    let id = |id: &String| serde_json::json!({ "id": id });
    match value {
        model::Value::Name(name) => ("name", name.as_str().into()),
        model::Value::Parent(parent) => ("reporting_to", id(parent)),
        model::Value::Manager(manager) => ("manager", manager.as_ref().map_or(Value::Null, id)),
        model::Value::Permission(permission) => ("permission_type", permission.as_str().into()),
        model::Value::Description(description) => ("description", description.clone().into()),
        model::Value::Rules(module, criteria) => (
            module.wire_key(),
            criteria.as_ref().map_or(Value::Null, |criteria| {
                to_value(&criteria_to_wire(criteria))
            }),
        ),
        // Not in `Attribute::IN_BODY`: users go through their own calls (`zoho/members.rs`),
        // in the shape those take.
        model::Value::Users(users) => (
            "users",
            users
                .as_ref()
                .map_or(Value::Null, |users| users.iter().map(id).collect()),
        ),
    }
}

/// One item of `POST /settings/territories`: every attribute in the body that has a value.
fn create_item(item: &NewTerritory) -> Value {
    let mut body = serde_json::Map::new();
    for attribute in Attribute::IN_BODY {
        let (key, value) = wire_entry(&item.get(attribute));
        if !value.is_null() {
            body.insert(key.to_owned(), value);
        }
    }
    Value::Object(body)
}

/// One item of `PUT /settings/territories`: `id` plus only the keys that change, and
/// `permission_type`, which Zoho requires in every item.
fn update_item(item: &TerritoryChange) -> Value {
    let mut body = serde_json::Map::new();
    body.insert("id".to_owned(), item.id.as_str().into());
    for attribute in Attribute::IN_BODY {
        let value = item.set.iter().find(|value| value.attribute() == attribute);
        let value = match (value, attribute, item.unchanged_permission) {
            (Some(value), ..) => value.clone(),
            (None, Attribute::Permission, Some(permission)) => model::Value::Permission(permission),
            (None, ..) => continue,
        };
        let (key, value) = wire_entry(&value);
        body.insert(key.to_owned(), value);
    }
    Value::Object(body)
}

/// Whether the live territory shows the value a change sent: the plan's own equality, so what
/// it would not show as a change, the write has made.
fn applied(sent: &model::Value<ById>, live: &LiveTerritory) -> bool {
    let by_plan = sent.map::<crate::plan::ByPlan, std::convert::Infallible>(
        |parent| {
            Ok(crate::plan::TerritoryRef::Existing {
                id: parent.clone(),
                name: String::new(),
            })
        },
        |user| {
            Ok(crate::plan::Manager {
                id: user.clone(),
                email: None,
                name: None,
            })
        },
    );
    let Ok(by_plan) = by_plan;
    crate::plan::holds(live, &by_plan)
}

/// How many of a change's keys the live territory shows, of how many the change sets. Only the
/// keys meant to change count: a key sent with its current value (`unchanged_permission`)
/// matches whether or not the write was applied, so it would make a write that did nothing
/// look half done.
fn change_applied(change: &TerritoryChange, live: &LiveTerritory) -> (usize, usize) {
    let matched = change
        .set
        .iter()
        .filter(|value| applied(value, live))
        .count();
    (matched, change.set.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Comparator, Criteria, Rule, RuleModule, RuleValue, Scalar};

    #[test]
    fn results_keep_request_order_and_codes() {
        let results: Vec<wire::ActionResult> = serde_json::from_str(
            r#"[{"code":"SUCCESS","details":{"id":"11"},"message":"Territory Created Successfully","status":"success"},
                {"code":"DUPLICATE_DATA","details":{"api_name":"name","json_path":"$.territories[1].name"},"message":"Given Territory name already exists","status":"error"},
                {"code":"SCHEDULED","details":{"id":"5","job_id":"77"},"message":"scheduled","status":"success"}]"#,
        )
        .unwrap();
        let outcomes: Vec<_> = results.into_iter().map(outcome).collect();
        assert_eq!(
            outcomes[0],
            ItemOutcome::Done {
                id: "11".into(),
                job_id: None
            }
        );
        let ItemOutcome::Failed(error) = &outcomes[1] else {
            panic!("{:?}", outcomes[1])
        };
        assert_eq!(error.code, "DUPLICATE_DATA");
        assert_eq!(
            outcomes[2],
            ItemOutcome::Done {
                id: "5".into(),
                job_id: Some("77".into())
            }
        );
    }

    #[test]
    fn a_change_is_applied_when_live_shows_every_key() {
        let rule = Criteria::Rule(Rule {
            field: "Annual_Revenue".into(),
            comparator: Comparator::GreaterThan,
            value: RuleValue::One(Scalar::Number("1000".into())),
        });
        let change = TerritoryChange {
            id: "7".into(),
            set: vec![
                model::Value::Permission(Permission::ReadOnly),
                model::Value::Description(None),
                model::Value::Rules(RuleModule::Accounts, Some(rule)),
            ],
            ..TerritoryChange::default()
        };
        let mut live = LiveTerritory {
            id: "7".into(),
            fields: crate::model::Fields::new("T", Some("1".into()), Permission::ReadOnly),
            modified_time: None,
        };
        assert_eq!(change_applied(&change, &live), (2, 3));
        // Zoho echoes the number as text: still the same rule.
        live.rules.accounts = Some(Criteria::Rule(Rule {
            field: "Annual_Revenue".into(),
            comparator: Comparator::GreaterThan,
            value: RuleValue::One(Scalar::Text("1000".into())),
        }));
        assert_eq!(change_applied(&change, &live), (3, 3));
    }

    #[test]
    fn a_permission_sent_only_because_zoho_requires_it_is_not_a_change() {
        let change = TerritoryChange {
            id: "7".into(),
            set: vec![model::Value::Parent("9".into())],
            unchanged_permission: Some(Permission::ReadOnly),
        };
        let live = LiveTerritory {
            id: "7".into(),
            fields: crate::model::Fields::new("T", Some("1".into()), Permission::ReadOnly),
            modified_time: None,
        };
        assert_eq!(
            change_applied(&change, &live),
            (0, 1),
            "nothing of the move applied"
        );
        assert_eq!(
            update_item(&change),
            serde_json::json!({"id": "7", "reporting_to": {"id": "9"}, "permission_type": "read_only"})
        );
    }

    #[test]
    fn update_sends_only_changed_keys_and_null_clears() {
        let change = TerritoryChange {
            id: "1".into(),
            set: vec![
                model::Value::Manager(None),
                model::Value::Rules(RuleModule::Leads, None),
                model::Value::Rules(
                    RuleModule::Deals,
                    Some(Criteria::Rule(Rule {
                        field: "Amount".into(),
                        comparator: Comparator::GreaterThan,
                        value: RuleValue::One(Scalar::Text("100".into())),
                    })),
                ),
            ],
            unchanged_permission: Some(Permission::ReadOnly),
        };
        assert_eq!(
            serde_json::to_string(&update_item(&change)).unwrap(),
            r#"{"deal_rule_criteria":{"comparator":"greater_than","field":{"api_name":"Amount"},"value":"100"},"id":"1","lead_rule_criteria":null,"manager":null,"permission_type":"read_only"}"#
        );
    }

    #[test]
    fn create_leaves_out_what_it_does_not_set() {
        let item = NewTerritory::new("East", "1".into(), Permission::ReadWriteDelete);
        assert_eq!(
            create_item(&item),
            serde_json::json!({"name": "East", "reporting_to": {"id": "1"}, "permission_type": "read_write_delete"})
        );
    }

    #[test]
    fn batches_are_at_most_ten() {
        assert!(check_batch(10).is_ok());
        assert!(matches!(
            check_batch(11),
            Err(RemoteError::BatchTooLarge { items: 11, max: 10 })
        ));
    }
}
