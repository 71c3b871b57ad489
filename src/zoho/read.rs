//! [`ReadClient`]: every read territoryctl makes, and no write.
//!
//! `plan`, `validate --online` and `export` hold only this type, so no code path from them can
//! change the org: the compiler checks it. [`WriteClient`](super::WriteClient) adds the writes.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::convert;
use super::credentials::Credentials;
use super::error::RemoteError;
use super::http::{Call, Http, Reply};
use super::settings::Settings;
use super::wire;
use crate::model::{FieldMeta, LiveRecord, LiveTerritory, Module, OrgInfo, User};

/// Zoho's page size for territories and users, the documented maximum.
pub const PER_PAGE: u32 = 200;
/// Record ids per `GET /{Module}?ids=` request, Zoho's maximum.
pub const RECORD_IDS_PER_REQUEST: usize = 100;

const INCLUDE_ALL_CRITERIA: &str = "account_rule_criteria,lead_rule_criteria,deal_rule_criteria";

/// A client that can only read. Cheap to clone: clones share the connection pool, the token,
/// the concurrency bound and the request count.
///
/// It has no writing method, so code holding one cannot change the org:
///
/// ```compile_fail
/// async fn plan(client: &territoryctl::zoho::ReadClient) {
///     let _ = client.create_territories(&[]).await;
/// }
/// ```
#[derive(Clone)]
pub struct ReadClient {
    // Visible to `write.rs` only: nothing outside this layer can reach the raw sender.
    pub(super) http: Arc<Http>,
}

impl std::fmt::Debug for ReadClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadClient")
            .field("api_domain", &self.http.api_domain().as_str())
            .finish_non_exhaustive()
    }
}

impl ReadClient {
    /// A read-only client. Connects lazily: nothing is sent until the first call.
    ///
    /// # Errors
    /// Insecure URLs and HTTP client setup failures.
    pub fn connect(settings: Settings, credentials: Credentials) -> Result<Self, RemoteError> {
        Ok(Self {
            http: Arc::new(Http::new(settings, credentials)?),
        })
    }

    /// API requests sent so far by this client and its clones, retries included.
    #[must_use]
    pub fn requests(&self) -> u64 {
        self.http.requests()
    }

    pub(super) async fn fetch<T: DeserializeOwned>(
        &self,
        call: &Call,
    ) -> Result<Option<T>, RemoteError> {
        let reply = self.http.send(call).await?;
        parse(call, reply)
    }

    /// Every territory, root included, with all three criteria, ordered by id. Pages are read
    /// in order until Zoho says there are no more: `ceil(n / 200)` requests for `n` territories.
    /// Page `n + 1` is asked for as soon as page `n` says it exists, before page `n` is
    /// converted, so that converting overlaps the next round trip.
    ///
    /// # Errors
    /// [`RemoteError::InconsistentPages`] when the pages do not add up (a page out of order,
    /// a count that disagrees, an id on two pages, an empty page where more were promised).
    pub async fn territories(&self) -> Result<Vec<LiveTerritory>, RemoteError> {
        let mut territories = Vec::new();
        let mut seen = BTreeSet::new();
        let mut next = Some(self.territory_page(1));
        let mut page = 1;
        while let Some(mut pending) = next.take() {
            let (call, reply) = pending.finish().await?;
            let promised = reply
                .body
                .as_ref()
                .and_then(|body| body.get("info")?.get("more_records")?.as_bool())
                == Some(true);
            if promised {
                next = Some(self.territory_page(page + 1));
            }
            let Some(list) = parse::<wire::TerritoryList>(&call, reply)? else {
                if page == 1 {
                    break;
                }
                return Err(RemoteError::InconsistentPages {
                    problem: format!(
                        "page {page} was empty although page {} promised more",
                        page - 1
                    ),
                });
            };
            let info = list.info.ok_or_else(|| RemoteError::InconsistentPages {
                problem: format!("page {page} came without paging `info`"),
            })?;
            check_page(page, &info, list.territories.len())?;
            for territory in list.territories {
                if !seen.insert(territory.id.clone()) {
                    return Err(RemoteError::InconsistentPages {
                        problem: format!("territory `{}` appeared on two pages", territory.name),
                    });
                }
                territories.push(
                    convert::territory(territory)
                        .map_err(|problem| unexpected(&call, 200, problem))?,
                );
            }
            page += 1;
        }
        territories.sort_by(|a, b| id_order(&a.id, &b.id));
        Ok(territories)
    }

    /// Starts reading one page of territories in its own task.
    fn territory_page(&self, page: u32) -> PendingPage {
        let call = Call::get("settings/territories")
            .query("page", page.to_string())
            .query("per_page", PER_PAGE.to_string())
            .query("include", INCLUDE_ALL_CRITERIA);
        let http = Arc::clone(&self.http);
        PendingPage(tokio::spawn(async move {
            let reply = http.send(&call).await;
            (call, reply)
        }))
    }

    /// One territory by id, with its criteria; `None` when Zoho has no such territory (204).
    ///
    /// # Errors
    /// Any failure of the request.
    pub async fn territory(&self, id: &str) -> Result<Option<LiveTerritory>, RemoteError> {
        let call =
            Call::get(format!("settings/territories/{id}")).query("include", INCLUDE_ALL_CRITERIA);
        let Some(list) = self.fetch::<wire::TerritoryList>(&call).await? else {
            return Ok(None);
        };
        list.territories
            .into_iter()
            .find(|territory| territory.id == id)
            .map(|territory| {
                convert::territory(territory).map_err(|problem| unexpected(&call, 200, problem))
            })
            .transpose()
    }

    /// The territories whose name equals `name` (Zoho compares case-insensitively).
    ///
    /// # Errors
    /// Any failure of the request.
    pub async fn territories_named(&self, name: &str) -> Result<Vec<LiveTerritory>, RemoteError> {
        let filter = serde_json::json!({
            "field": {"api_name": "name"},
            "comparator": "equal",
            "value": name,
        });
        let call = Call::get("settings/territories")
            .query("filters", filter.to_string())
            .query("include", INCLUDE_ALL_CRITERIA);
        let Some(list) = self.fetch::<wire::TerritoryList>(&call).await? else {
            return Ok(Vec::new());
        };
        list.territories
            .into_iter()
            .map(|territory| {
                convert::territory(territory).map_err(|problem| unexpected(&call, 200, problem))
            })
            .collect()
    }

    /// Every active user (paged), ordered by id. Users without an email are left out: they
    /// cannot be named as managers.
    ///
    /// # Errors
    /// Any failure of a request, or pages that do not add up.
    pub async fn active_users(&self) -> Result<Vec<User>, RemoteError> {
        let mut users = Vec::new();
        for page in 1.. {
            let call = Call::get("users")
                .query("type", "ActiveUsers")
                .query("page", page.to_string())
                .query("per_page", PER_PAGE.to_string());
            let Some(list) = self.fetch::<wire::UserList>(&call).await? else {
                break;
            };
            let count = list.users.len();
            users.extend(list.users.into_iter().filter_map(convert::user));
            match list.info {
                Some(info) => {
                    check_page(page, &info, count)?;
                    if !info.more_records {
                        break;
                    }
                }
                None => break,
            }
        }
        users.sort_by(|a, b| id_order(&a.id, &b.id));
        users.dedup_by(|a, b| a.id == b.id);
        Ok(users)
    }

    /// The field metadata of a module.
    ///
    /// # Errors
    /// Any failure of the request.
    pub async fn fields(&self, module: Module) -> Result<Vec<FieldMeta>, RemoteError> {
        let call = Call::get("settings/fields").query("module", module.api_name());
        let list = self.fetch::<wire::FieldList>(&call).await?;
        Ok(list
            .map(|list| list.fields.into_iter().map(convert::field).collect())
            .unwrap_or_default())
    }

    /// Records of a module with their territories, any number of ids: asked for
    /// [`RECORD_IDS_PER_REQUEST`] at a time, one request after another. Ids Zoho does not know
    /// are simply absent from the answer.
    ///
    /// # Errors
    /// The first failure of a request.
    pub async fn records(
        &self,
        module: Module,
        ids: &[String],
    ) -> Result<Vec<LiveRecord>, RemoteError> {
        let mut found = Vec::new();
        for chunk in ids.chunks(RECORD_IDS_PER_REQUEST) {
            // The list-records API requires `fields` (v8); Territories is the one we need.
            let call = Call::get(module.api_name())
                .query("ids", chunk.join(","))
                .query("fields", "Territories");
            let list = self.fetch::<wire::RecordList>(&call).await?;
            found.extend(
                list.into_iter()
                    .flat_map(|list| list.data.into_iter().map(convert::record)),
            );
        }
        Ok(found)
    }

    /// The scheduled territory jobs of any number of records
    /// (`get_feature_specific_info?features=territory_scheduled_jobs`), asked for
    /// [`RECORD_IDS_PER_REQUEST`] at a time. Records without a job are absent; Zoho answers 204
    /// when none has one.
    ///
    /// # Errors
    /// The first failure of a request.
    pub async fn territory_jobs(
        &self,
        module: Module,
        ids: &[String],
    ) -> Result<Vec<TerritoryJob>, RemoteError> {
        let mut found = Vec::new();
        for chunk in ids.chunks(RECORD_IDS_PER_REQUEST) {
            let call = Call::get(format!(
                "{}/actions/get_feature_specific_info",
                module.api_name()
            ))
            .query("features", "territory_scheduled_jobs")
            .query("ids", chunk.join(","));
            let Some(list) = self.fetch::<wire::FeatureInfoList>(&call).await? else {
                continue;
            };
            for record in list.data {
                let record_id = record.id;
                found.extend(
                    record
                        .territory_scheduled_jobs
                        .into_iter()
                        .map(|job| TerritoryJob {
                            record_id: record_id.clone(),
                            job_id: job.job_id,
                            source: job.source,
                            status: job.status,
                        }),
                );
            }
        }
        Ok(found)
    }

    /// The org (`GET /org`).
    ///
    /// # Errors
    /// Any failure of the request.
    pub async fn org(&self) -> Result<Option<OrgInfo>, RemoteError> {
        let call = Call::get("org");
        let list = self.fetch::<wire::OrgList>(&call).await?;
        Ok(list
            .and_then(|list| list.org.into_iter().next())
            .map(convert::org))
    }
}

/// A scheduled territory job of a record, as `get_feature_specific_info` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TerritoryJob {
    pub record_id: String,
    pub job_id: String,
    /// `creation`, `update`, `manual_territory_assignment` or `manual_territory_removal`.
    pub source: Option<String>,
    /// `SCHEDULED`, `IN_PROGRESS`, `COMPLETED` or `FAILED` when Zoho says; Zoho documents only
    /// `job_id` and `source`, so a job may come without one (zoho-api.md, uncertainty 6).
    pub status: Option<String>,
}

pub(super) fn check_page(page: u32, info: &wire::Info, items: usize) -> Result<(), RemoteError> {
    let problem = if info.page != page {
        Some(format!("asked for page {page}, got page {}", info.page))
    } else if usize::try_from(info.count).ok() != Some(items) {
        Some(format!(
            "page {page} says {} items but holds {items}",
            info.count
        ))
    } else if items > info.per_page as usize {
        Some(format!(
            "page {page} holds {items} items, more than its size {}",
            info.per_page
        ))
    } else if info.more_records && items < info.per_page as usize {
        Some(format!(
            "page {page} is short ({items} items) but says more follow"
        ))
    } else {
        None
    };
    problem.map_or(Ok(()), |problem| {
        Err(RemoteError::InconsistentPages { problem })
    })
}

/// A page being read; dropped unfinished (an error on the page before), its request stops.
struct PendingPage(tokio::task::JoinHandle<(Call, Result<Reply, RemoteError>)>);

impl PendingPage {
    async fn finish(&mut self) -> Result<(Call, Reply), RemoteError> {
        // The task only awaits the client, which does not panic, and only `Drop` aborts it.
        let (call, reply) = (&mut self.0)
            .await
            .expect("a page task neither panics nor is aborted while awaited");
        Ok((call, reply?))
    }
}

impl Drop for PendingPage {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Orders ids numerically (they are 64-bit numbers as text), then as text.
pub(crate) fn id_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn parse<T: DeserializeOwned>(call: &Call, reply: Reply) -> Result<Option<T>, RemoteError> {
    let Some(body) = reply.body else {
        return Ok(None);
    };
    serde_json::from_value(body)
        .map(Some)
        .map_err(|error| unexpected(call, reply.status.as_u16(), error.to_string()))
}

pub(crate) fn unexpected(call: &Call, status: u16, problem: String) -> RemoteError {
    RemoteError::UnexpectedResponse {
        method: call.method.to_string(),
        path: format!("/crm/v8/{}", call.path),
        status,
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(page: u32, count: u32, more_records: bool) -> wire::Info {
        wire::Info {
            per_page: 200,
            count,
            page,
            more_records,
        }
    }

    #[test]
    fn pages_must_add_up() {
        assert!(check_page(1, &info(1, 200, true), 200).is_ok());
        assert!(check_page(3, &info(3, 50, false), 50).is_ok());
        assert!(check_page(2, &info(1, 200, true), 200).is_err());
        assert!(check_page(1, &info(1, 199, false), 200).is_err());
        assert!(check_page(1, &info(1, 150, true), 150).is_err());
    }

    #[test]
    fn ids_order_numerically() {
        let mut ids = vec!["100", "99", "1000", "101"];
        ids.sort_by(|a, b| id_order(a, b));
        assert_eq!(ids, ["99", "100", "101", "1000"]);
    }
}
