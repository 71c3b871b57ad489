//! Reading a module's records page by page (Get Records), for the impact preview: `page` for
//! the first 2,000 records, then `page_token` from `info.next_page_token`, 200 a page, asking
//! only for the fields named.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::error::RemoteError;
use super::http::Call;
use super::read::{PER_PAGE, ReadClient};
use crate::model::{AssignedHow, Module};

/// Records `page` reaches; Zoho answers beyond them only to `page_token`.
pub const PAGE_REACH: u32 = 2_000;

/// Where the next page starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageCursor {
    Number(u32),
    Token(String),
}

/// One record of a page: its field values (only those asked for) and its territories.
#[derive(Clone, Debug, PartialEq)]
pub struct PagedRecord {
    pub id: String,
    pub fields: BTreeMap<String, Value>,
    /// `(territory id, how it was assigned)`.
    pub territories: Vec<(String, AssignedHow)>,
}

/// One page and where the next starts (`None`: this was the last).
#[derive(Clone, Debug, PartialEq)]
pub struct RecordPage {
    pub records: Vec<PagedRecord>,
    pub next: Option<PageCursor>,
}

#[derive(Deserialize)]
struct PageWire {
    #[serde(default)]
    data: Vec<serde_json::Map<String, Value>>,
    info: Option<InfoWire>,
}

#[derive(Deserialize)]
struct InfoWire {
    #[serde(default)]
    more_records: bool,
    #[serde(default)]
    next_page_token: Option<String>,
}

impl ReadClient {
    /// One page of `module`'s records with `fields` (and `Territories`), 200 a page.
    ///
    /// # Errors
    /// Any failure of the request; [`RemoteError::InconsistentPages`] when Zoho says there
    /// are more records past the 2,000th but gives no token to reach them.
    pub async fn record_page(
        &self,
        module: Module,
        fields: &[String],
        cursor: &PageCursor,
    ) -> Result<RecordPage, RemoteError> {
        let mut names: Vec<&str> = fields.iter().map(String::as_str).collect();
        names.push("Territories");
        names.sort_unstable();
        names.dedup();
        let call = Call::get(module.api_name())
            .query("fields", names.join(","))
            .query("per_page", PER_PAGE.to_string());
        let call = match cursor {
            PageCursor::Number(page) => call.query("page", page.to_string()),
            PageCursor::Token(token) => call.query("page_token", token.clone()),
        };
        let Some(page) = self.fetch::<PageWire>(&call).await? else {
            return Ok(RecordPage {
                records: Vec::new(),
                next: None,
            });
        };
        let more = page.info.as_ref().is_some_and(|info| info.more_records);
        let token = page.info.and_then(|info| info.next_page_token);
        let next = match (more, cursor) {
            (false, _) => None,
            (true, PageCursor::Number(number)) if (number + 1) * PER_PAGE <= PAGE_REACH => {
                Some(PageCursor::Number(number + 1))
            }
            (true, _) => Some(PageCursor::Token(token.ok_or_else(|| {
                RemoteError::InconsistentPages {
                    problem: format!(
                        "{module} has more records past the page read, but no `next_page_token`"
                    ),
                }
            })?)),
        };
        let records = page.data.into_iter().filter_map(record).collect();
        Ok(RecordPage { records, next })
    }
}

fn record(mut object: serde_json::Map<String, Value>) -> Option<PagedRecord> {
    let id = match object.remove("id")? {
        Value::String(id) => id,
        Value::Number(id) => id.to_string(),
        _ => return None,
    };
    let territories = match object.remove("Territories") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| {
                let id = item.get("id")?.as_str()?.to_owned();
                let how = match item.get("$assigned").and_then(Value::as_str) {
                    Some(how) if how.eq_ignore_ascii_case("manually") => AssignedHow::Manually,
                    _ => AssignedHow::Automatically,
                };
                Some((id, how))
            })
            .collect(),
        _ => Vec::new(),
    };
    Some(PagedRecord {
        id,
        fields: object.into_iter().collect(),
        territories,
    })
}
