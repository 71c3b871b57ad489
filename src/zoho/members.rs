//! Territory membership on the wire: who belongs to which territory, read in the fewest
//! requests, and users added to and removed from a territory (zoho-api.md 2.10, 2.11, 2.14).
//!
//! Reading every territory's users would cost one request per territory. Instead
//! `associated_users_count` (paged) says which territories have users at all; then either the
//! users of only the territories that have some and whose membership is managed are read
//! ([`ReadStrategy::ByTerritory`]), or the territories of every active user
//! ([`ReadStrategy::ByUser`]), whichever [`read_costs`] says is fewer requests.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use super::error::RemoteError;
use super::http::Call;
use super::read::{PER_PAGE, ReadClient, check_page, unexpected};
use super::wire::{self, ActionResult};
use super::write::{ItemError, ItemOutcome, WriteClient};

/// Users per `PUT /settings/territories/{id}/users`, Zoho's limit per call (zoho-api.md 2.14).
pub const USERS_PER_CALL: usize = 100;
/// The longest `ids` of a `DELETE /settings/territories/{id}/users` (OAS: 500 characters).
pub const MAX_IDS_CHARS: usize = 500;

/// Who is in which territory: territory id to the ids of its users. Only territories read are
/// present; a territory read and found empty maps to an empty set.
pub type Membership = BTreeMap<String, BTreeSet<String>>;

/// How to read the membership.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadStrategy {
    /// `GET /settings/territories/{id}/users` for each managed territory that has users.
    ByTerritory,
    /// `GET /users/{id}/territories` for each active user.
    ByUser,
}

/// The requests each way of reading would take, after the `associated_users_count` pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadCosts {
    /// Exact: a page of 200 per 200 users of each managed territory that has users.
    pub by_territory: u64,
    /// One request per active user; exact when at most 200 territories have users, otherwise
    /// at most that plus a page per 200 memberships (a user in more than 200 territories needs
    /// more than one page).
    pub by_user: u64,
}

impl ReadCosts {
    /// The cheaper way; by territory on a tie, since its cost is exact.
    #[must_use]
    pub fn cheaper(self) -> ReadStrategy {
        if self.by_user < self.by_territory {
            ReadStrategy::ByUser
        } else {
            ReadStrategy::ByTerritory
        }
    }

    /// The requests of the cheaper way.
    #[must_use]
    pub fn least(self) -> u64 {
        self.by_territory.min(self.by_user)
    }
}

/// What reading the membership of `managed` territories costs each way, from the counts
/// `associated_users_count` gave (territory id to its number of users) and the number of
/// active users.
#[must_use]
pub fn read_costs(
    counts: &BTreeMap<String, u32>,
    managed: &BTreeSet<String>,
    active_users: usize,
) -> ReadCosts {
    let by_territory = counts
        .iter()
        .filter(|(id, count)| **count > 0 && managed.contains(*id))
        .map(|(_, count)| u64::from(*count).div_ceil(u64::from(PER_PAGE)))
        .sum();
    // A user in k territories takes ceil(k / 200) pages (one, a 204, for none): the pages
    // beyond the first are at most one per 200 memberships, and none when no user can be in
    // more than 200 territories.
    let per_page = u64::from(PER_PAGE);
    let memberships: u64 = counts.values().map(|count| u64::from(*count)).sum();
    let with_users = counts.values().filter(|count| **count > 0).count() as u64;
    let users = active_users as u64;
    let extra_pages =
        (memberships / per_page).min(users * (with_users.saturating_sub(1) / per_page));
    let by_user = if managed.is_empty() {
        0
    } else {
        users + extra_pages
    };
    ReadCosts {
        by_territory,
        by_user,
    }
}

/// The `associated_users_count` pages needed for `territories_with_users` territories (at
/// least one: the first page, or the 204, says there are none).
#[must_use]
pub fn count_pages(territories_with_users: usize) -> u64 {
    (territories_with_users as u64)
        .div_ceil(u64::from(PER_PAGE))
        .max(1)
}

/// A membership read, and how.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MembershipRead {
    pub members: Membership,
    /// Email of every member Zoho named with one (inactive and deleted members included, which
    /// the active users do not list).
    pub emails: BTreeMap<String, String>,
    /// `None` when nothing needed reading beyond the counts.
    pub strategy: Option<ReadStrategy>,
}

#[derive(Debug, Deserialize)]
struct CountList {
    #[serde(default)]
    associated_users_count: Vec<CountItem>,
    #[serde(default)]
    info: Option<wire::Info>,
}

#[derive(Debug, Deserialize)]
struct CountItem {
    // The OAS types `count` as an integer, the SDK as a string: take either.
    #[serde(deserialize_with = "number_or_text")]
    count: u32,
    territory: IdOnly,
}

#[derive(Debug, Deserialize)]
struct IdOnly {
    #[serde(deserialize_with = "id_text")]
    id: String,
}

#[derive(Debug, Deserialize)]
struct MemberList {
    #[serde(default)]
    users: Vec<MemberUser>,
    #[serde(default)]
    info: Option<wire::Info>,
}

#[derive(Debug, Deserialize)]
struct MemberUser {
    #[serde(deserialize_with = "id_text")]
    id: String,
    #[serde(default)]
    email: Option<String>,
}

/// `GET /users/{id}/territories`: capitalised keys except `id` (zoho-api.md 2.11).
#[derive(Debug, Deserialize)]
struct UserTerritoryList {
    #[serde(default)]
    territories: Vec<IdOnly>,
    #[serde(default)]
    info: Option<wire::Info>,
}

fn id_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::String(text) => Ok(text),
        Value::Number(number) => Ok(number.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected an id, got {other}"
        ))),
    }
}

fn number_or_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::Number(number) => number
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| serde::de::Error::custom(format!("a count of {number}"))),
        Value::String(text) => text
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("a count of `{text}`"))),
        other => Err(serde::de::Error::custom(format!(
            "expected a count, got {other}"
        ))),
    }
}

pub use crate::model::InactiveUser;

impl ReadClient {
    /// Every user of the org that is not active, with an email (`GET /users?type=AllUsers`,
    /// paged): what `validate --online` reads, only when some email is not an active user's,
    /// to say whether that user is inactive or deleted.
    ///
    /// # Errors
    /// Any failure of a request, or pages that do not add up.
    pub async fn users_not_active(&self) -> Result<Vec<InactiveUser>, RemoteError> {
        let mut users = Vec::new();
        for page in 1.. {
            let call = Call::get("users")
                .query("type", "AllUsers")
                .query("page", page.to_string())
                .query("per_page", PER_PAGE.to_string());
            let Some(list) = self.fetch::<wire::UserList>(&call).await? else {
                break;
            };
            let items = list.users.len();
            users.extend(list.users.into_iter().filter_map(|user| {
                let status = user.status.filter(|status| status != "active")?;
                let email = user.email.filter(|email| !email.is_empty())?;
                Some(InactiveUser {
                    id: user.id,
                    email,
                    status,
                })
            }));
            let Some(info) = list.info else { break };
            check_page(page, &info, items)?;
            if !info.more_records {
                break;
            }
        }
        Ok(users)
    }

    /// How many users each territory has (`associated_users_count`, paged): territories
    /// without users are absent.
    ///
    /// # Errors
    /// Any failure of a request, or pages that do not add up.
    pub async fn member_counts(&self) -> Result<BTreeMap<String, u32>, RemoteError> {
        let mut counts = BTreeMap::new();
        for page in 1.. {
            let call = Call::get("settings/territories/actions/associated_users_count")
                .query("page", page.to_string())
                .query("per_page", PER_PAGE.to_string());
            let Some(list) = self.fetch::<CountList>(&call).await? else {
                break;
            };
            let items = list.associated_users_count.len();
            for item in list.associated_users_count {
                counts.insert(item.territory.id, item.count);
            }
            let Some(info) = list.info else { break };
            check_page(page, &info, items)?;
            if !info.more_records {
                break;
            }
        }
        Ok(counts)
    }

    /// The users of one territory (paged), with their emails where Zoho gives them.
    ///
    /// # Errors
    /// Any failure of a request, or pages that do not add up.
    pub async fn territory_users(
        &self,
        territory_id: &str,
    ) -> Result<Vec<(String, Option<String>)>, RemoteError> {
        let mut users = Vec::new();
        for page in 1.. {
            // GUESS: the call documents no paging parameters and its example pages at 20;
            // ask for 200 and follow `more_records` whatever page size comes back.
            let call = Call::get(format!("settings/territories/{territory_id}/users"))
                .query("page", page.to_string())
                .query("per_page", PER_PAGE.to_string());
            let Some(list) = self.fetch::<MemberList>(&call).await? else {
                break;
            };
            let items = list.users.len();
            users.extend(list.users.into_iter().map(|user| (user.id, user.email)));
            let Some(info) = list.info else { break };
            check_page(page, &info, items)?;
            if !info.more_records {
                break;
            }
        }
        Ok(users)
    }

    /// The territories one user belongs to (paged), by id.
    ///
    /// # Errors
    /// Any failure of a request, or pages that do not add up.
    pub async fn user_territories(&self, user_id: &str) -> Result<Vec<String>, RemoteError> {
        let mut territories = Vec::new();
        for page in 1.. {
            let call = Call::get(format!("users/{user_id}/territories"))
                .query("page", page.to_string())
                .query("per_page", PER_PAGE.to_string());
            let Some(list) = self.fetch::<UserTerritoryList>(&call).await? else {
                break;
            };
            let items = list.territories.len();
            territories.extend(list.territories.into_iter().map(|territory| territory.id));
            let Some(info) = list.info else { break };
            check_page(page, &info, items)?;
            if !info.more_records {
                break;
            }
        }
        Ok(territories)
    }

    /// The users of every territory in `managed` (territory ids), read the cheaper way: no
    /// request at all when `managed` is empty; else the counts, then by territory or by user
    /// (`active_users`: the ids of the org's active users). By user, a territory whose count
    /// is higher than the active users found in it has inactive or deleted members too, and is
    /// read again by territory, so that none is missed.
    ///
    /// # Errors
    /// The first failure of any request.
    pub async fn memberships(
        &self,
        managed: &BTreeSet<String>,
        active_users: &[String],
    ) -> Result<MembershipRead, RemoteError> {
        if managed.is_empty() {
            return Ok(MembershipRead::default());
        }
        let counts = self.member_counts().await?;
        let mut read = MembershipRead::default();
        for id in managed {
            read.members.insert(id.clone(), BTreeSet::new());
        }
        let with_users: BTreeSet<String> = counts
            .iter()
            .filter(|(id, count)| **count > 0 && managed.contains(*id))
            .map(|(id, _)| id.clone())
            .collect();
        if with_users.is_empty() {
            return Ok(read);
        }
        let strategy = read_costs(&counts, managed, active_users.len()).cheaper();
        read.strategy = Some(strategy);
        let by_territory = match strategy {
            ReadStrategy::ByTerritory => with_users,
            ReadStrategy::ByUser => {
                let mut tasks = JoinSet::new();
                for user in active_users {
                    let (client, user) = (self.clone(), user.clone());
                    tasks.spawn(async move {
                        let territories = client.user_territories(&user).await;
                        (user, territories)
                    });
                }
                while let Some(joined) = tasks.join_next().await {
                    let (user, territories) = joined.expect("membership reads do not panic");
                    for territory in territories? {
                        if let Some(members) = read.members.get_mut(&territory) {
                            members.insert(user.clone());
                        }
                    }
                }
                with_users
                    .into_iter()
                    .filter(|id| {
                        let found = read.members.get(id).map_or(0, BTreeSet::len);
                        counts.get(id).is_some_and(|count| *count as usize > found)
                    })
                    .collect()
            }
        };
        let mut tasks = JoinSet::new();
        for territory in by_territory {
            let client = self.clone();
            tasks.spawn(async move {
                let users = client.territory_users(&territory).await;
                (territory, users)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let (territory, users) = joined.expect("membership reads do not panic");
            let members = read.members.entry(territory).or_default();
            for (user, email) in users? {
                if let Some(email) = email.filter(|email| !email.is_empty()) {
                    read.emails.insert(user.clone(), email);
                }
                members.insert(user);
            }
        }
        Ok(read)
    }
}

/// Splits user ids for `DELETE …/users?ids=`: each part joined with commas is at most
/// `max_chars` long and holds at most [`USERS_PER_CALL`] ids. An id longer than `max_chars`
/// goes alone (Zoho then refuses it, rather than the client dropping it).
#[must_use]
pub fn ids_parts(ids: &[String], max_chars: usize) -> Vec<Vec<String>> {
    let mut parts: Vec<Vec<String>> = Vec::new();
    let mut length = 0;
    for id in ids {
        match parts.last_mut() {
            Some(part) if length + 1 + id.len() <= max_chars && part.len() < USERS_PER_CALL => {
                length += 1 + id.len();
                part.push(id.clone());
            }
            _ => {
                length = id.len();
                parts.push(vec![id.clone()]);
            }
        }
    }
    parts
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Add,
    Remove,
}

impl WriteClient {
    /// Adds users to a territory, [`USERS_PER_CALL`] a request, and answers per user, in
    /// order: a user who is a member already (`DUPLICATE_DATA`) counts as done, since that is
    /// what was asked for. A request whose outcome is unclear is read back.
    ///
    /// # Errors
    /// Request-level failures (auth, scope, the feature off, exhausted retries, an unknown
    /// territory). Refused users are [`ItemOutcome::Failed`].
    pub async fn add_users(
        &self,
        territory_id: &str,
        user_ids: &[String],
    ) -> Result<Vec<ItemOutcome>, RemoteError> {
        let mut outcomes = Vec::with_capacity(user_ids.len());
        for part in user_ids.chunks(USERS_PER_CALL) {
            let users: Vec<Value> = part.iter().map(|id| json!({ "id": id })).collect();
            let call = Call::write(
                Method::PUT,
                format!("settings/territories/{territory_id}/users"),
                Some(json!({ "users": users })),
            );
            outcomes.extend(
                self.send_members(&call, territory_id, part, Direction::Add)
                    .await?,
            );
        }
        Ok(outcomes)
    }

    /// Removes users from a territory, the ids split so that each `ids` is at most
    /// [`MAX_IDS_CHARS`] long, and answers per user, in order: a user who is not a member
    /// (any more) counts as done. Zoho refuses to remove a territory's manager: change the
    /// manager first.
    ///
    /// # Errors
    /// As [`WriteClient::add_users`].
    pub async fn remove_users(
        &self,
        territory_id: &str,
        user_ids: &[String],
    ) -> Result<Vec<ItemOutcome>, RemoteError> {
        let mut outcomes = Vec::with_capacity(user_ids.len());
        for part in ids_parts(user_ids, MAX_IDS_CHARS) {
            let call = Call::write(
                Method::DELETE,
                format!("settings/territories/{territory_id}/users"),
                None,
            )
            .query("ids", part.join(","));
            outcomes.extend(
                self.send_members(&call, territory_id, &part, Direction::Remove)
                    .await?,
            );
        }
        Ok(outcomes)
    }

    async fn send_members(
        &self,
        call: &Call,
        territory_id: &str,
        user_ids: &[String],
        direction: Direction,
    ) -> Result<Vec<ItemOutcome>, RemoteError> {
        let reply = match self.http.send(call).await {
            Ok(reply) => reply,
            Err(RemoteError::Unconfirmed { cause, .. }) => {
                return Ok(self
                    .verify_members(territory_id, user_ids, direction, &cause)
                    .await);
            }
            Err(error) => return Err(error),
        };
        let status = reply.status.as_u16();
        let results =
            member_results(reply.body).map_err(|problem| unexpected(call, status, problem))?;
        if results.len() != user_ids.len() {
            return Err(unexpected(
                call,
                status,
                format!("{} results for {} users", results.len(), user_ids.len()),
            ));
        }
        Ok(results
            .into_iter()
            .zip(user_ids)
            .map(|(result, user)| member_outcome(result, user, direction))
            .collect())
    }

    async fn verify_members(
        &self,
        territory_id: &str,
        user_ids: &[String],
        direction: Direction,
        cause: &str,
    ) -> Vec<ItemOutcome> {
        let members: BTreeSet<String> = match self.territory_users(territory_id).await {
            Ok(users) => users.into_iter().map(|(id, _)| id).collect(),
            Err(error) => {
                return user_ids
                    .iter()
                    .map(|_| ItemOutcome::Unknown {
                        reason: format!(
                            "the request failed ({cause}) and reading the territory's users failed too ({error})"
                        ),
                    })
                    .collect();
            }
        };
        user_ids
            .iter()
            .map(|user| {
                let member = members.contains(user);
                if member == (direction == Direction::Add) {
                    ItemOutcome::Done {
                        id: user.clone(),
                        job_id: None,
                    }
                } else {
                    ItemOutcome::Failed(ItemError {
                        code: "NOT_APPLIED".into(),
                        message: format!(
                            "the request failed ({cause}) and reading back shows it was not applied"
                        ),
                        details: serde_json::Map::new(),
                    })
                }
            })
            .collect()
    }
}

/// The per-user results of a territory-users write: a flat `users` array, or the nested
/// `users: [[...]]` Zoho documents for DELETE (zoho-api.md 2.11), flattened.
fn member_results(body: Option<Value>) -> Result<Vec<ActionResult>, String> {
    let Some(Value::Array(items)) =
        body.and_then(|mut body| body.get_mut("users").map(Value::take))
    else {
        return Err("no `users` results".to_owned());
    };
    let flat: Vec<Value> = items
        .into_iter()
        .flat_map(|item| match item {
            Value::Array(inner) => inner,
            other => vec![other],
        })
        .collect();
    serde_json::from_value(Value::Array(flat)).map_err(|error| error.to_string())
}

fn member_outcome(result: ActionResult, user: &str, direction: Direction) -> ItemOutcome {
    let done = result.status == "success"
        || (direction == Direction::Add && result.code == "DUPLICATE_DATA")
        || (direction == Direction::Remove
            && result.code == "INVALID_DATA"
            && result.message.to_ascii_lowercase().contains("not a member"));
    if done {
        ItemOutcome::Done {
            id: user.to_owned(),
            job_id: None,
        }
    } else {
        ItemOutcome::Failed(ItemError {
            code: result.code,
            message: result.message,
            details: result.details,
        })
    }
}

/// What to do about a user Zoho refused to add to or remove from a territory, from its code
/// and details (zoho-api.md 2.11).
#[must_use]
pub fn member_hint(code: &str, details: &serde_json::Map<String, Value>) -> &'static str {
    match (code, details.get("owner_status").and_then(Value::as_str)) {
        ("INVALID_DATA", Some("deleted")) => {
            "the user is deleted in Zoho: remove them from `users:`"
        }
        ("INVALID_DATA", Some(_)) => {
            "the user is not active in Zoho: activate them, or remove them from `users:`"
        }
        ("INVALID_DATA", None) => {
            "Zoho does not know this user id: run `territoryctl validate --online` to check the emails"
        }
        ("LIMIT_EXCEEDED", _) => {
            "the territory has as many users as Zoho allows: list fewer users, or ask Zoho support to raise the limit"
        }
        ("NOT_ALLOWED", _) => {
            "Zoho refuses to remove a territory's manager from its users: change the manager first, then apply again"
        }
        ("NOT_APPLIED", _) => {
            "a transient failure; run `territoryctl apply` again to retry what remains"
        }
        _ => "run `territoryctl plan` to see the territory's users now, then apply again",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(items: &[(&str, u32)]) -> BTreeMap<String, u32> {
        items
            .iter()
            .map(|(id, count)| ((*id).to_owned(), *count))
            .collect()
    }

    fn set(ids: &[&str]) -> BTreeSet<String> {
        ids.iter().map(|id| (*id).to_owned()).collect()
    }

    #[test]
    fn few_managed_territories_are_read_by_territory() {
        let costs = read_costs(
            &counts(&[("1", 3), ("2", 250), ("3", 1)]),
            &set(&["1", "2"]),
            50,
        );
        // 1 page for territory 1, 2 pages for 250 users; territory 3 is not managed.
        assert_eq!(costs.by_territory, 3);
        // Three territories with users: nobody needs a second page.
        assert_eq!(costs.by_user, 50);
        assert_eq!(costs.cheaper(), ReadStrategy::ByTerritory);
        assert_eq!(costs.least(), 3);
    }

    #[test]
    fn many_managed_territories_and_few_users_are_read_by_user() {
        let many: Vec<(String, u32)> = (0..300).map(|i| (i.to_string(), 2)).collect();
        let counts: BTreeMap<String, u32> = many.into_iter().collect();
        let managed: BTreeSet<String> = counts.keys().cloned().collect();
        let costs = read_costs(&counts, &managed, 20);
        assert_eq!(costs.by_territory, 300);
        // 20 users, 600 memberships over 300 territories: at most 3 more pages.
        assert_eq!(costs.by_user, 23);
        assert_eq!(costs.cheaper(), ReadStrategy::ByUser);
        // With at most 200 territories holding users, no user needs a second page.
        let few: BTreeMap<String, u32> = (0..200).map(|i| (i.to_string(), 150)).collect();
        let managed: BTreeSet<String> = few.keys().cloned().collect();
        assert_eq!(read_costs(&few, &managed, 20).by_user, 20);
        assert_eq!(costs.cheaper(), ReadStrategy::ByUser);
    }

    #[test]
    fn a_tie_and_nothing_managed() {
        let costs = read_costs(&counts(&[("1", 1), ("2", 1)]), &set(&["1", "2"]), 2);
        assert_eq!((costs.by_territory, costs.by_user), (2, 2));
        assert_eq!(costs.cheaper(), ReadStrategy::ByTerritory);
        let none = read_costs(&counts(&[("1", 1)]), &BTreeSet::new(), 2);
        assert_eq!(none.least(), 0);
        // Territories without users cost nothing either way.
        assert_eq!(read_costs(&counts(&[]), &set(&["1"]), 5).by_territory, 0);
    }

    #[test]
    fn count_pages_are_at_least_one() {
        assert_eq!(count_pages(0), 1);
        assert_eq!(count_pages(200), 1);
        assert_eq!(count_pages(201), 2);
    }

    #[test]
    fn ids_parts_respect_the_length_and_the_count() {
        let ids: Vec<String> = (0..60).map(|i| format!("57257670000{i:08}")).collect();
        let parts = ids_parts(&ids, MAX_IDS_CHARS);
        // 19 digits and a comma: 25 ids make 499 characters.
        assert_eq!(parts.iter().map(Vec::len).collect::<Vec<_>>(), [25, 25, 10]);
        assert!(
            parts
                .iter()
                .all(|part| part.join(",").len() <= MAX_IDS_CHARS)
        );
        assert_eq!(parts.concat(), ids);
        let short: Vec<String> = (0..250).map(|i| i.to_string()).collect();
        assert!(
            ids_parts(&short, MAX_IDS_CHARS)
                .iter()
                .all(|part| part.len() <= USERS_PER_CALL)
        );
        assert!(ids_parts(&[], MAX_IDS_CHARS).is_empty());
    }

    fn result(code: &str, status: &str, message: &str) -> ActionResult {
        ActionResult {
            code: code.into(),
            details: serde_json::Map::new(),
            message: message.into(),
            status: status.into(),
        }
    }

    #[test]
    fn a_member_already_is_done_and_a_refusal_keeps_zohos_code() {
        let already = result(
            "DUPLICATE_DATA",
            "error",
            "Given user id already exists for that record",
        );
        assert!(matches!(
            member_outcome(already, "7", Direction::Add),
            ItemOutcome::Done { ref id, .. } if id == "7"
        ));
        let gone = result(
            "INVALID_DATA",
            "error",
            "Given user is not a member of this territory.",
        );
        assert!(matches!(
            member_outcome(gone, "7", Direction::Remove),
            ItemOutcome::Done { .. }
        ));
        let manager = result("NOT_ALLOWED", "error", "The manager cannot be removed");
        let ItemOutcome::Failed(error) = member_outcome(manager, "7", Direction::Remove) else {
            panic!("the manager's removal is refused");
        };
        assert_eq!(error.code, "NOT_ALLOWED");
        assert!(member_hint(&error.code, &error.details).contains("change the manager first"));
        let duplicate_on_remove = result("DUPLICATE_DATA", "error", "x");
        assert!(matches!(
            member_outcome(duplicate_on_remove, "7", Direction::Remove),
            ItemOutcome::Failed(_)
        ));
    }

    #[test]
    fn nested_and_flat_delete_answers_read_alike() {
        let item =
            json!({"code": "SUCCESS", "details": {"id": "1"}, "message": "m", "status": "success"});
        let flat = member_results(Some(json!({"users": [item, item]}))).unwrap();
        let nested = member_results(Some(json!({"users": [[item, item]]}))).unwrap();
        assert_eq!(flat.len(), 2);
        assert_eq!(nested.len(), 2);
        assert!(member_results(None).is_err());
    }

    #[test]
    fn hints_follow_the_owner_status() {
        let deleted: serde_json::Map<String, Value> =
            serde_json::from_value(json!({"owner_status": "deleted"})).unwrap();
        assert!(member_hint("INVALID_DATA", &deleted).contains("deleted"));
        let inactive: serde_json::Map<String, Value> =
            serde_json::from_value(json!({"owner_status": "inactive"})).unwrap();
        assert!(member_hint("INVALID_DATA", &inactive).contains("activate"));
        assert!(member_hint("LIMIT_EXCEEDED", &serde_json::Map::new()).contains("fewer users"));
    }
}
