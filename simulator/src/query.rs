//! Query strings as Zoho reads them: tolerant of a trailing `&` and of unencoded commas.

use std::collections::BTreeMap;

use crate::wire::{Outcome, errors};

/// The query parameters of a request (last value wins).
#[derive(Debug, Default)]
pub(crate) struct Query(BTreeMap<String, String>);

impl Query {
    pub(crate) fn parse(raw: Option<&str>) -> Query {
        let pairs: Vec<(String, String)> = raw
            .and_then(|raw| serde_urlencoded::from_str(raw).ok())
            .unwrap_or_default();
        Query(
            pairs
                .into_iter()
                .filter(|(key, _)| !key.is_empty())
                .collect(),
        )
    }

    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// A comma-separated list (`ids=1,2`), blanks dropped.
    pub(crate) fn list(&self, key: &str) -> Option<Vec<String>> {
        self.get(key).map(|value| {
            value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
    }

    /// `page` (default 1) and `per_page` (default and maximum `max`).
    pub(crate) fn paging(&self, max: usize) -> Result<Paging, Outcome> {
        self.paging_with_default(max, max)
    }

    /// `page` (default 1) and `per_page` (default `default`, at most `max`).
    pub(crate) fn paging_with_default(
        &self,
        default: usize,
        max: usize,
    ) -> Result<Paging, Outcome> {
        let page = self.number("page", 1, usize::MAX)?;
        let per_page = self.number("per_page", default.min(max), max)?;
        Ok(Paging { page, per_page })
    }

    fn number(&self, key: &str, default: usize, max: usize) -> Result<usize, Outcome> {
        match self.get(key) {
            None => Ok(default),
            // GUESS: Zoho's answer to an out-of-range page size is not documented; refusing it
            // is the safer choice (a client that relies on more than 200 learns it here).
            Some(value) => match value.parse::<usize>() {
                Ok(number) if (1..=max).contains(&number) => Ok(number),
                _ => Err(errors::invalid_param(key, "invalid data")),
            },
        }
    }

    /// A boolean parameter, if present. Either case: the official Python SDK sends Python's
    /// spelling (`False`, `True`), and Zoho's own SDKs must work.
    pub(crate) fn boolean(&self, key: &str) -> Result<Option<bool>, Outcome> {
        match self.get(key) {
            None => Ok(None),
            Some(value) if value.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(value) if value.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(errors::invalid_param(key, "invalid data")),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Paging {
    pub(crate) page: usize,
    pub(crate) per_page: usize,
}

impl Paging {
    /// The slice of `items` on this page and Zoho's `info` object; `None` when the page is empty.
    pub(crate) fn apply<T: Clone>(&self, items: &[T]) -> Option<(Vec<T>, serde_json::Value)> {
        let start = (self.page - 1).saturating_mul(self.per_page);
        if start >= items.len() {
            return None;
        }
        let end = (start + self.per_page).min(items.len());
        let page = items[start..end].to_vec();
        let info = serde_json::json!({
            "per_page": self.per_page,
            "count": page.len(),
            "page": self.page,
            "more_records": end < items.len(),
        });
        Some((page, info))
    }
}

#[cfg(test)]
mod tests {
    use super::Query;

    #[test]
    fn trailing_ampersand_and_commas() {
        let query = Query::parse(Some("ids=1,2&delete_previous_forecasts=false&"));
        assert_eq!(
            query.list("ids"),
            Some(vec!["1".to_owned(), "2".to_owned()])
        );
        assert_eq!(
            query.boolean("delete_previous_forecasts").ok(),
            Some(Some(false))
        );
    }
}
