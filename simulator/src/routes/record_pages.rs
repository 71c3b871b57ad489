//! Paging of the record list (Get Records) as Zoho documents it: `page` reaches the first 2,000
//! records only, and `page_token` (from `info.next_page_token`) continues beyond them, up to
//! 100,000 records.
//!
//! Sources: Zoho's "Kaizen #60 Get Records, Search Records, Query and Bulk Read APIs" (200 a
//! call; `page` up to 2,000 records; "for more than 2000 and up to a maximum of 100,000
//! records, use the page_token parameter", taken from `next_page_token`; `page_token` cannot
//! be combined with `page`), the Get Records page (`per_page` default and maximum 200, `fields`
//! mandatory) and the v8 record OAS (`Info` has `next_page_token`, `previous_page_token` and
//! `page_token_expiry`).

use serde_json::{Value, json};

use crate::clock;
use crate::query::Query;
use crate::wire::{Outcome, errors};

/// Records `page` can reach; beyond them only `page_token` goes.
pub(crate) const PAGE_REACH: usize = 2_000;
/// Records a chain of page tokens can reach.
pub(crate) const TOKEN_REACH: usize = 100_000;
/// GUESS: how long a page token lives. The sources name `page_token_expiry` but give no
/// figure; a day, on the simulator's clock.
pub(crate) const TOKEN_LIFETIME_SECS: i64 = 86_400;

/// Where a list request starts and how many it takes.
#[derive(Debug, PartialEq)]
pub(crate) struct Window {
    start: usize,
    per_page: usize,
    /// `Some(page)` when asked by page number (echoed in `info.page`).
    page: Option<usize>,
}

/// Reads `page`, `per_page` and `page_token` of a list request for `module`.
pub(crate) fn window(query: &Query, module: &str, max: usize, now: i64) -> Result<Window, Outcome> {
    let paging = query.paging(max)?;
    let Some(token) = query.get("page_token") else {
        let start = (paging.page - 1).saturating_mul(paging.per_page);
        // GUESS: the code and message of a page past the 2,000th record are not in the sources
        // read; this is the code Zoho's API answers with (as reported by its users), refusing
        // any page that ends past record 2,000.
        if paging.page.saturating_mul(paging.per_page) > PAGE_REACH {
            return Err(Outcome::error(
                "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
                json!({"limit": PAGE_REACH}),
                "cannot fetch more than 2000 records with the page param; use page_token",
            ));
        }
        return Ok(Window {
            start,
            per_page: paging.per_page,
            page: Some(paging.page),
        });
    };
    // The docs: "You cannot use the page_token parameter with the page parameter." GUESS: the
    // answer is INVALID_DATA on `page_token`, as for other refused parameters.
    if query.get("page").is_some() {
        return Err(errors::invalid_param(
            "page_token",
            "page_token cannot be used with the page param",
        ));
    }
    let decoded = decode(token).filter(|t| t.module == module);
    let Some(decoded) = decoded else {
        // GUESS: an unreadable token, or one of another module, is INVALID_DATA on the param.
        return Err(errors::invalid_param("page_token", "invalid page token"));
    };
    if now >= decoded.expires {
        // GUESS: Zoho's answer to an expired token is not in the sources read.
        return Err(errors::invalid_param(
            "page_token",
            "the page token has expired",
        ));
    }
    Ok(Window {
        start: decoded.offset,
        per_page: paging.per_page,
        page: None,
    })
}

impl Window {
    /// The slice of `items` this window covers and Zoho's `info`; `None` when it is empty.
    pub(crate) fn apply<T: Clone>(
        &self,
        items: &[T],
        module: &str,
        now: i64,
        offset: &str,
    ) -> Option<(Vec<T>, Value)> {
        let reach = items.len().min(TOKEN_REACH);
        if self.start >= reach {
            return None;
        }
        let end = (self.start + self.per_page).min(reach);
        let page = items[self.start..end].to_vec();
        let more = end < items.len();
        let mut info = json!({
            "per_page": self.per_page,
            "count": page.len(),
            // GUESS: a page reached by token reports the page number it would have had.
            "page": self.page.unwrap_or(self.start / self.per_page + 1),
            "more_records": more,
        });
        // GUESS: every page with more records after it carries a token (the Kaizen example
        // shows one on the page of records 1801-2000); none past the 100,000th record.
        if more && end < TOKEN_REACH {
            let expires = now + TOKEN_LIFETIME_SECS;
            info["next_page_token"] = json!(encode(module, end, expires));
            info["page_token_expiry"] = json!(clock::format_unix(expires, offset));
        }
        Some((page, info))
    }
}

struct Token {
    module: String,
    offset: usize,
    expires: i64,
}

// An opaque token for the client: hex of `module|offset|expires`. Stateless, so it survives a
// restart of the simulator as long as the records stay.
fn encode(module: &str, offset: usize, expires: i64) -> String {
    format!("{module}|{offset}|{expires}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode(token: &str) -> Option<Token> {
    if token.len() % 2 != 0 || !token.is_ascii() {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..token.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&token[i..i + 2], 16).ok())
        .collect();
    let text = String::from_utf8(bytes?).ok()?;
    let mut parts = text.split('|');
    let token = Token {
        module: parts.next()?.to_owned(),
        offset: parts.next()?.parse().ok()?,
        expires: parts.next()?.parse().ok()?,
    };
    parts.next().is_none().then_some(token)
}

#[cfg(test)]
mod tests {
    use super::{decode, encode};

    #[test]
    fn a_token_reads_back_and_garbage_does_not() {
        let token = decode(&encode("Accounts", 2000, 99)).unwrap();
        assert_eq!(
            (token.module.as_str(), token.offset, token.expires),
            ("Accounts", 2000, 99)
        );
        assert!(decode("zz").is_none());
        assert!(decode("abc").is_none());
        assert!(decode(&encode("Accounts|x", 1, 1)).is_none());
    }
}
