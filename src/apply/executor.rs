//! Runs a plan against Zoho: waves in order, each wave's batches concurrently within the
//! concurrency bound, ids of new territories fed into the requests that refer to them.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

use super::cancel::Cancel;
use super::dependants::{Prerequisite, blocked_by, prerequisites};
use super::outcome::{Failure, Outcome};
use super::progress::{BatchDone, Progress};
use crate::model::Module;
use crate::plan::{Action, Change, FieldChange, Operation, TerritoryRef, Wave};
use crate::zoho::{
    ItemOutcome, NewTerritory, RecordTerritories, RemoteError, TerritoryChange, Transfer,
    WriteClient,
};

/// How the executor behaves.
#[derive(Clone, Debug)]
pub struct Options {
    /// Batches of one wave in flight at once (the client has its own bound as well).
    pub concurrency: usize,
    /// Sent with every delete: whether the forecasts of deleted territories go too.
    pub delete_previous_forecasts: bool,
    /// How often an item known not to be applied is sent again in the same run (Zoho's
    /// per-item `INTERNAL_ERROR`, or the client's read-back finding it `NOT_APPLIED`).
    pub resends: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            concurrency: crate::zoho::DEFAULT_CONCURRENCY,
            delete_previous_forecasts: true,
            resends: 2,
        }
    }
}

/// What an execution did: an outcome for every change of the plan, and its cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Execution {
    pub outcomes: BTreeMap<String, Outcome>,
    /// HTTP requests sent, retries and read-backs included.
    pub requests: u64,
    /// Batch requests sent, resends included (the client's own retries are not counted).
    pub batches: usize,
    pub elapsed: Duration,
    /// Ctrl-C stopped the run before every batch was launched.
    pub interrupted: bool,
}

pub(crate) const INTERRUPTED: &str = "apply was interrupted before it was sent";

/// Why the creates after Zoho's org-wide territory limit are not sent: each would only come
/// back as the same `LIMIT_EXCEEDED`.
const ORG_LIMIT: &str = "the org reached Zoho's territory limit (LIMIT_EXCEEDED on an earlier \
     create), so it was not sent; delete territories or ask Zoho support to raise the limit, then \
     apply again";

/// Applies `changes` through `client`, following `schedule` (both from one [`Plan`]).
///
/// Never fails as a whole: a request that fails fails its items, which the report shows, and
/// the changes that depend on a failed one are skipped with the reason.
///
/// [`Plan`]: crate::plan::Plan
pub async fn execute(
    client: &WriteClient,
    changes: &[Change],
    schedule: &[Wave],
    options: &Options,
    progress: &mut dyn Progress,
    cancel: &Cancel,
) -> Execution {
    let started = Instant::now();
    let requests_before = client.requests();
    let by_key: BTreeMap<&str, &Change> = changes
        .iter()
        .map(|change| (change.key.as_str(), change))
        .collect();
    let needs = prerequisites(changes);
    let mut run = Run {
        outcomes: BTreeMap::new(),
        created: BTreeMap::new(),
        batches: 0,
        org_limit_reached: false,
    };
    let semaphore = Arc::new(Semaphore::new(options.concurrency.max(1)));

    for wave in schedule {
        if cancel.is_cancelled() {
            for key in wave.batches.iter().flat_map(|batch| &batch.changes) {
                run.skip(key, INTERRUPTED);
            }
            continue;
        }
        progress.wave_started(wave.number, schedule.len(), wave.batches.len());
        // A task hands its permit back with its answer, so that a permit frees only once the
        // answer is here: the next batch is prepared knowing every answer before it.
        let mut in_flight: JoinSet<(Sent, OwnedSemaphorePermit)> = JoinSet::new();
        let mut finished: Vec<Sent> = Vec::new();
        for batch in &wave.batches {
            let kind = batch.operation;
            // Waiting for a permit is waiting for an answer, looked at now, so that an
            // org-wide refusal stops the batches not yet sent.
            while semaphore.available_permits() == 0 {
                let Some(joined) = in_flight.join_next().await else {
                    break;
                };
                let (sent, _permit) = joined.expect("a batch task panicked");
                run.note_org_limit(sent.1, &sent.3);
                finished.push(sent);
            }
            let Some(permit) = acquire(&semaphore, cancel).await else {
                for key in &batch.changes {
                    run.skip(key, INTERRUPTED);
                }
                continue;
            };
            let Some(request) = run.prepare(kind, &batch.changes, &by_key, &needs) else {
                progress.batch_done(&BatchDone {
                    wave: wave.number,
                    kind,
                    sent: 0,
                    succeeded: 0,
                    failed: 0,
                });
                continue;
            };
            run.launch(&mut in_flight, client, options, permit, request, 0);
        }
        loop {
            let sent = match finished.pop() {
                Some(sent) => sent,
                // A batch task only awaits the client, which does not panic; if it ever did,
                // the panic is a bug worth surfacing rather than a result to report.
                None => match in_flight.join_next().await {
                    Some(joined) => joined.expect("a batch task panicked").0,
                    None => break,
                },
            };
            let (keys, kind, attempt, result) = sent;
            run.note_org_limit(kind, &result);
            let done = run.record(wave.number, kind, &keys, result);
            progress.batch_done(&done);
            if attempt >= options.resends {
                continue;
            }
            let again: Vec<String> = keys
                .into_iter()
                .filter(|key| run.outcomes.get(key).is_some_and(not_applied))
                .collect();
            if again.is_empty() {
                continue;
            }
            let Some(request) = run.prepare(kind, &again, &by_key, &needs) else {
                continue;
            };
            // Cancelled: the items keep their failure, which says what to do.
            if let Some(permit) = acquire(&semaphore, cancel).await {
                run.launch(
                    &mut in_flight,
                    client,
                    options,
                    permit,
                    request,
                    attempt + 1,
                );
            }
        }
        progress.wave_finished(wave.number);
    }

    // Changes in no batch: moves carried out by a `transfer_and_delete`, which succeed or not
    // with it.
    for change in changes {
        if run.outcomes.contains_key(&change.key) {
            continue;
        }
        let outcome = match carried_by(change) {
            None => Outcome::Skipped {
                because: "no batch of the plan carries it".into(),
            },
            Some((delete_key, name)) => match run.outcomes.get(delete_key) {
                Some(outcome) if outcome.succeeded() => Outcome::Done { id: None },
                _ => Outcome::Skipped {
                    because: format!("the deletion of `{name}`, which moves it, was not done"),
                },
            },
        };
        run.outcomes.insert(change.key.clone(), outcome);
    }

    Execution {
        outcomes: run.outcomes,
        requests: client.requests().saturating_sub(requests_before),
        batches: run.batches,
        elapsed: started.elapsed(),
        interrupted: cancel.is_cancelled(),
    }
}

/// A permit to launch one batch, or `None` once cancelled.
async fn acquire(semaphore: &Arc<Semaphore>, cancel: &Cancel) -> Option<OwnedSemaphorePermit> {
    tokio::select! {
        biased;
        () = cancel.cancelled() => None,
        permit = semaphore.clone().acquire_owned() => permit.ok(),
    }
}

/// Whether an item is known not to have been applied, so that sending it again cannot apply
/// it twice: Zoho's per-item internal error, or the client's read-back after an unclear
/// failure.
fn not_applied(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Failed(failure)
        if matches!(failure.code.as_str(), "NOT_APPLIED" | "INTERNAL_ERROR" | "INTERNAL_SERVER_ERROR"))
}

/// A batch's keys, call, attempt (0 for the first send) and result.
type Sent = (
    Vec<String>,
    Operation,
    usize,
    Result<Vec<ItemOutcome>, RemoteError>,
);

/// The delete change whose transfer moves `change`, and the deleted territory's name.
fn carried_by(change: &Change) -> Option<(&str, &str)> {
    let Action::Update(update) = &change.action else {
        return None;
    };
    update.fields.iter().find_map(|field| match field {
        FieldChange::Parent {
            old,
            by_transfer_of: Some(delete),
            ..
        } => Some((delete.as_str(), old.name())),
        _ => None,
    })
}

/// The state of one execution between batches.
struct Run {
    outcomes: BTreeMap<String, Outcome>,
    /// Ids of the territories created so far, by the key of the change that created them.
    created: BTreeMap<String, String>,
    batches: usize,
    /// Zoho answered the org-wide territory limit to a create: no more creates are sent.
    org_limit_reached: bool,
}

/// A batch ready to send: the keys of the changes it carries, in request order.
struct Prepared {
    kind: Operation,
    keys: Vec<String>,
    body: Body,
}

impl Run {
    /// Sends a prepared batch in its own task, holding `permit` until it is answered.
    fn launch(
        &mut self,
        in_flight: &mut JoinSet<(Sent, OwnedSemaphorePermit)>,
        client: &WriteClient,
        options: &Options,
        permit: OwnedSemaphorePermit,
        request: Prepared,
        attempt: usize,
    ) {
        self.batches += 1;
        let client = client.clone();
        let forecasts = options.delete_previous_forecasts;
        let Prepared { kind, keys, body } = request;
        in_flight.spawn(async move {
            let result = body.send(&client, forecasts).await;
            ((keys, kind, attempt, result), permit)
        });
    }

    /// Notes Zoho's org-wide territory limit in a create's answer: `LIMIT_EXCEEDED` without
    /// `limit_due_to` (which names a criteria group when the limit is rules per criteria).
    fn note_org_limit(&mut self, kind: Operation, result: &Result<Vec<ItemOutcome>, RemoteError>) {
        if kind != Operation::Create {
            return;
        }
        let org_limit =
            |code: &str, details: Option<&serde_json::Map<String, serde_json::Value>>| {
                code == "LIMIT_EXCEEDED"
                    && details.is_none_or(|details| !details.contains_key("limit_due_to"))
            };
        self.org_limit_reached |= match result {
            Ok(items) => items.iter().any(|item| {
                matches!(item, ItemOutcome::Failed(error) if org_limit(&error.code, Some(&error.details)))
            }),
            Err(RemoteError::Api { code, .. }) => org_limit(code, None),
            Err(_) => false,
        };
    }

    fn skip(&mut self, key: &str, because: &str) {
        self.outcomes.insert(
            key.to_owned(),
            Outcome::Skipped {
                because: because.to_owned(),
            },
        );
    }

    /// Drops the changes of `batch` that cannot go (recording why) and builds the request for
    /// the rest; `None` when nothing is left to send.
    fn prepare(
        &mut self,
        kind: Operation,
        batch: &[String],
        by_key: &BTreeMap<&str, &Change>,
        needs: &BTreeMap<String, Vec<Prerequisite>>,
    ) -> Option<Prepared> {
        let mut keys = Vec::new();
        let mut body = Body::empty(kind);
        for key in batch {
            let Some(change) = by_key.get(key.as_str()) else {
                // Only a hand-edited plan file names a change it does not hold.
                continue;
            };
            // The users of a territory whose own create or update failed stay unsent; the
            // change keeps that failure.
            if matches!(kind, Operation::AddUsers | Operation::RemoveUsers)
                && self
                    .outcomes
                    .get(key)
                    .is_some_and(|outcome| !outcome.succeeded())
            {
                continue;
            }
            if let Some(because) = needs
                .get(key)
                .and_then(|needs| blocked_by(needs, &self.outcomes))
            {
                self.skip(key, &because);
                continue;
            }
            if kind == Operation::Create && self.org_limit_reached {
                // A resend of an item already refused keeps Zoho's own answer.
                if !self.outcomes.contains_key(key) {
                    self.skip(key, ORG_LIMIT);
                }
                continue;
            }
            match body.push(change, &self.created) {
                Ok(()) => keys.push(key.clone()),
                Err(because) => self.skip(key, &because),
            }
        }
        (!keys.is_empty()).then_some(Prepared { kind, keys, body })
    }

    /// Records a batch's per-item outcomes (or its failure as a whole) for its changes.
    fn record(
        &mut self,
        wave: usize,
        kind: Operation,
        keys: &[String],
        result: Result<Vec<ItemOutcome>, RemoteError>,
    ) -> BatchDone {
        let outcomes: Vec<Outcome> = match result {
            Ok(items) => items
                .into_iter()
                .map(|item| match item {
                    // A refused user: Zoho's code, and what to do about a member.
                    ItemOutcome::Failed(error)
                        if matches!(kind, Operation::AddUsers | Operation::RemoveUsers) =>
                    {
                        Outcome::Failed(Failure {
                            hint: crate::zoho::member_hint(&error.code, &error.details).to_owned(),
                            code: error.code,
                            message: error.message,
                        })
                    }
                    item => outcome(item),
                })
                .collect(),
            Err(error) => {
                let failure = Failure::new(error_code(&error), error.to_string());
                keys.iter()
                    .map(|_| Outcome::Failed(failure.clone()))
                    .collect()
            }
        };
        let mut done = BatchDone {
            wave,
            kind,
            sent: keys.len(),
            succeeded: 0,
            failed: 0,
        };
        for (key, mut outcome) in keys.iter().zip(outcomes) {
            // Only a create's id is news; the others echo the id the plan already shows.
            if kind != Operation::Create
                && let Outcome::Done { id } = &mut outcome
            {
                *id = None;
            }
            if outcome.succeeded() {
                done.succeeded += 1;
            } else {
                done.failed += 1;
            }
            if kind == Operation::Create
                && let Outcome::Done { id: Some(id) } = &outcome
            {
                self.created.insert(key.clone(), id.clone());
            }
            // The users of a territory follow its own create or update: done, they leave that
            // change's outcome (a create's new id) as it is.
            if matches!(kind, Operation::AddUsers | Operation::RemoveUsers)
                && outcome.succeeded()
                && self.outcomes.contains_key(key)
            {
                continue;
            }
            self.outcomes.insert(key.clone(), outcome);
        }
        done
    }
}

fn outcome(item: ItemOutcome) -> Outcome {
    match item {
        ItemOutcome::Done {
            job_id: Some(job_id),
            ..
        } => Outcome::Scheduled {
            job_id,
            state: None,
        },
        ItemOutcome::Done { id, job_id: None } => Outcome::Done {
            id: (!id.is_empty()).then_some(id),
        },
        ItemOutcome::Failed(error) => Outcome::Failed(Failure::new(error.code, error.message)),
        ItemOutcome::Unknown { reason } => Outcome::Unknown { reason },
    }
}

/// Zoho's code for an API refusal, territoryctl's diagnostic code otherwise.
fn error_code(error: &RemoteError) -> String {
    match error {
        RemoteError::Api { code, .. } => code.clone(),
        other => miette::Diagnostic::code(other)
            .map_or_else(|| "zoho::error".to_owned(), |code| code.to_string()),
    }
}

/// The items of one request, in the client's types.
enum Body {
    Create(Vec<NewTerritory>),
    Update(Vec<TerritoryChange>),
    Delete(Vec<String>),
    Transfer(Vec<Transfer>),
    Remove(Module, Vec<RecordTerritories>),
    Assign(Module, Vec<RecordTerritories>),
    /// One territory's users added (`true`) or removed (by id, with how the plan shows each).
    Members(bool, Option<Members>),
}

/// The users of one territory to add and to remove.
struct Members {
    territory: String,
    add: Vec<(String, String)>,
    remove: Vec<(String, String)>,
}

impl Body {
    fn empty(kind: Operation) -> Self {
        match kind {
            Operation::Create => Self::Create(Vec::new()),
            Operation::Update => Self::Update(Vec::new()),
            Operation::Delete => Self::Delete(Vec::new()),
            Operation::TransferAndDelete => Self::Transfer(Vec::new()),
            Operation::RemoveTerritories(module) => Self::Remove(module, Vec::new()),
            Operation::AssignTerritories(module) => Self::Assign(module, Vec::new()),
            Operation::AddUsers => Self::Members(true, None),
            Operation::RemoveUsers => Self::Members(false, None),
        }
    }

    /// Adds `change`, with territories created earlier in this run substituted by their ids.
    /// The error is the reason the change cannot be sent.
    fn push(&mut self, change: &Change, created: &BTreeMap<String, String>) -> Result<(), String> {
        let resolve = |territory: &TerritoryRef| -> Result<String, String> {
            match territory {
                TerritoryRef::Existing { id, .. } => Ok(id.clone()),
                TerritoryRef::AfterApply { change, name } => created
                    .get(change)
                    .cloned()
                    .ok_or_else(|| format!("`{name}` has no id yet: it was not created")),
            }
        };
        match (self, &change.action) {
            (Self::Create(items), Action::Create(create)) => {
                items.push(create.map(&resolve, |manager| Ok(manager.id.clone()))?);
            }
            (Self::Update(items), Action::Update(update)) => {
                let mut item = TerritoryChange {
                    id: update.id.clone(),
                    // Zoho requires `permission_type` in every update item, changed or not;
                    // a `FieldChange::Permission` below makes it a change.
                    unchanged_permission: update.permission,
                    ..TerritoryChange::default()
                };
                for field in &update.fields {
                    // The transfer_and_delete of the old parent moves it; no `PUT` may. The
                    // users have their own batch (`Operation::Members`).
                    if matches!(
                        field,
                        FieldChange::Parent {
                            by_transfer_of: Some(_),
                            ..
                        } | FieldChange::Users { .. }
                    ) {
                        continue;
                    }
                    item.set.push(
                        field
                            .new_value()
                            .map(&resolve, |manager| Ok(manager.id.clone()))?,
                    );
                }
                items.push(item);
            }
            (Self::Delete(ids), Action::Delete(delete)) => ids.push(delete.id.clone()),
            (Self::Transfer(items), Action::Delete(delete)) => {
                let target = delete.transfer_to.as_ref().ok_or(
                    "a transfer_and_delete without a target (a bug in territoryctl)".to_owned(),
                )?;
                items.push(Transfer {
                    id: delete.id.clone(),
                    transfer_to_id: resolve(target)?,
                });
            }
            (Self::Remove(_, items), Action::Remove(records))
            | (Self::Assign(_, items), Action::Assign(records)) => {
                items.push(RecordTerritories {
                    record_id: records.record_id.clone(),
                    territory_ids: records
                        .territories
                        .iter()
                        .map(&resolve)
                        .collect::<Result<_, _>>()?,
                });
            }
            (Self::Members(adds, slot @ None), Action::Create(_) | Action::Update(_)) => {
                let territory = match &change.action {
                    Action::Update(update) => update.id.clone(),
                    _ => created.get(&change.key).cloned().ok_or_else(|| {
                        format!("`{}` has no id yet: it was not created", change.title())
                    })?,
                };
                let (added, removed) = crate::plan::member_change(change);
                let pairs = |users: Vec<&crate::plan::Manager>| {
                    users
                        .into_iter()
                        .map(|user| (user.id.clone(), user.label()))
                        .collect()
                };
                *slot = Some(Members {
                    territory,
                    add: if *adds { pairs(added) } else { Vec::new() },
                    remove: if *adds { Vec::new() } else { pairs(removed) },
                });
            }
            _ => return Err("it does not fit its batch's request (a bug in territoryctl)".into()),
        }
        Ok(())
    }

    async fn send(
        self,
        client: &WriteClient,
        delete_previous_forecasts: bool,
    ) -> Result<Vec<ItemOutcome>, RemoteError> {
        match self {
            Self::Create(items) => client.create_territories(&items).await,
            Self::Update(items) => client.update_territories(&items).await,
            Self::Delete(ids) => {
                client
                    .delete_territories(&ids, delete_previous_forecasts)
                    .await
            }
            Self::Transfer(items) => {
                client
                    .transfer_and_delete(&items, delete_previous_forecasts)
                    .await
            }
            Self::Remove(module, items) => client.remove_territories(module, &items).await,
            Self::Assign(module, items) => client.assign_territories(module, &items).await,
            Self::Members(_, None) => Ok(Vec::new()),
            Self::Members(_, Some(members)) => Ok(vec![send_members(client, members).await?]),
        }
    }
}

/// One territory's users added (the new manager among them, set by the update before) or
/// removed, as one outcome: done when every user is, else the first refusal, named by the
/// user, with what to do about it in its message.
async fn send_members(client: &WriteClient, members: Members) -> Result<ItemOutcome, RemoteError> {
    let ids =
        |users: &[(String, String)]| users.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>();
    let mut outcomes = Vec::new();
    if !members.add.is_empty() {
        let added = client
            .add_users(&members.territory, &ids(&members.add))
            .await?;
        outcomes.extend(added.into_iter().zip(&members.add));
    }
    if !members.remove.is_empty() {
        let removed = client
            .remove_users(&members.territory, &ids(&members.remove))
            .await?;
        outcomes.extend(removed.into_iter().zip(&members.remove));
    }
    let mut unknown = None;
    for (outcome, (_, label)) in outcomes {
        match outcome {
            ItemOutcome::Done { .. } => {}
            ItemOutcome::Failed(mut error) => {
                error.message = format!("user {label}: {}", error.message);
                return Ok(ItemOutcome::Failed(error));
            }
            ItemOutcome::Unknown { reason } => {
                unknown.get_or_insert(format!("user {label}: {reason}"));
            }
        }
    }
    Ok(match unknown {
        Some(reason) => ItemOutcome::Unknown { reason },
        None => ItemOutcome::Done {
            id: members.territory,
            job_id: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Permission;
    use crate::plan::Update;
    use crate::zoho::ItemError;

    fn failed(code: &str) -> Outcome {
        Outcome::Failed(Failure {
            code: code.to_owned(),
            message: String::new(),
            hint: String::new(),
        })
    }

    #[test]
    fn a_request_that_failed_as_a_whole_is_coded_by_zoho_or_by_territoryctl() {
        let refused = RemoteError::Api {
            method: "POST".to_owned(),
            path: "/crm/v8/settings/territories".to_owned(),
            status: 400,
            code: "INVALID_DATA".to_owned(),
            message: "invalid".to_owned(),
        };
        assert_eq!(error_code(&refused), "INVALID_DATA");
        let unsafe_url = RemoteError::InsecureUrl {
            url: "http://example.com".to_owned(),
        };
        assert_eq!(error_code(&unsafe_url), "zoho::insecure-url");
    }

    #[test]
    fn only_an_item_known_not_applied_is_sent_again() {
        for code in ["NOT_APPLIED", "INTERNAL_ERROR", "INTERNAL_SERVER_ERROR"] {
            assert!(not_applied(&failed(code)), "{code}");
        }
        assert!(!not_applied(&failed("DUPLICATE_DATA")));
        assert!(!not_applied(&Outcome::Done { id: None }));
        assert!(!not_applied(&Outcome::Unknown {
            reason: "timed out".to_owned()
        }));
    }

    #[test]
    fn a_move_by_transfer_is_carried_by_its_deletion() {
        let parent = |by_transfer_of: Option<&str>| Change {
            key: "update:5".to_owned(),
            wave: 1,
            depth: 2,
            path: Vec::new(),
            action: Action::Update(Update {
                id: "5".to_owned(),
                name: "B1".to_owned(),
                fields: vec![
                    FieldChange::Permission {
                        old: Permission::ReadOnly,
                        new: Permission::ReadWriteDelete,
                    },
                    FieldChange::Parent {
                        old: TerritoryRef::Existing {
                            id: "4".to_owned(),
                            name: "B".to_owned(),
                        },
                        new: TerritoryRef::Existing {
                            id: "1".to_owned(),
                            name: "Org".to_owned(),
                        },
                        by_transfer_of: by_transfer_of.map(str::to_owned),
                    },
                ],
                permission: Some(Permission::ReadWriteDelete),
            }),
        };
        assert_eq!(
            carried_by(&parent(Some("delete:4"))),
            Some(("delete:4", "B"))
        );
        assert_eq!(carried_by(&parent(None)), None, "a move by PUT");
    }

    #[test]
    fn only_the_org_wide_territory_limit_on_a_create_stops_creates() {
        let limit = |kind: Operation, result: Result<Vec<ItemOutcome>, RemoteError>| {
            let mut run = Run {
                outcomes: BTreeMap::new(),
                created: BTreeMap::new(),
                batches: 0,
                org_limit_reached: false,
            };
            run.note_org_limit(kind, &result);
            run.org_limit_reached
        };
        let item = |code: &str, details: &[&str]| {
            Ok(vec![
                ItemOutcome::Done {
                    id: "1".to_owned(),
                    job_id: None,
                },
                ItemOutcome::Failed(ItemError {
                    code: code.to_owned(),
                    message: String::new(),
                    details: details
                        .iter()
                        .map(|key| ((*key).to_owned(), serde_json::Value::Null))
                        .collect(),
                }),
            ])
        };
        let api = |code: &str| {
            Err(RemoteError::Api {
                method: "POST".to_owned(),
                path: "/settings/territories".to_owned(),
                status: 400,
                code: code.to_owned(),
                message: String::new(),
            })
        };
        assert!(limit(Operation::Create, item("LIMIT_EXCEEDED", &[])));
        assert!(limit(Operation::Create, api("LIMIT_EXCEEDED")));
        // Rules per criteria group, not territories per org.
        assert!(!limit(
            Operation::Create,
            item("LIMIT_EXCEEDED", &["limit_due_to"])
        ));
        assert!(!limit(Operation::Create, item("DUPLICATE_DATA", &[])));
        assert!(!limit(Operation::Create, api("INVALID_DATA")));
        assert!(!limit(Operation::Update, item("LIMIT_EXCEEDED", &[])));
        assert!(!limit(Operation::Update, api("LIMIT_EXCEEDED")));
    }
}
