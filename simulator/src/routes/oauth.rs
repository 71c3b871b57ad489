//! The accounts server's token endpoint: the refresh-token grant.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde_json::json;

use super::Call;
use crate::shared::Shared;
use crate::wire::Reply;

/// `POST /oauth/v2/token`. Parameters may come in the query, a urlencoded body or a multipart
/// body (the Node SDK sends multipart). Failures answer HTTP 200 with `{"error": ...}`, as
/// Zoho's accounts server does.
pub(crate) async fn token(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    call: Call,
) -> Reply {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let mut params = BTreeMap::new();
    for key in ["grant_type", "client_id", "client_secret", "refresh_token"] {
        if let Some(value) = call.query.get(key) {
            params.insert(key.to_owned(), value.to_owned());
        }
    }
    if let Some(boundary) = content_type.split("boundary=").nth(1) {
        params.extend(multipart(call.raw_body(), boundary.trim_matches('"')));
    } else if let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(call.raw_body())
    {
        params.extend(pairs);
    }
    let error = |code: &str| Reply::Json(StatusCode::OK, json!({ "error": code }));
    if params.get("grant_type").map(String::as_str) != Some("refresh_token") {
        return error("unsupported_grant_type");
    }
    let client = {
        let state = shared.state();
        state
            .oauth_clients
            .iter()
            .find(|c| params.get("client_id") == Some(&c.client_id))
            .cloned()
    };
    let Some(client) = client else {
        return error("invalid_client");
    };
    if params.get("client_secret") != Some(&client.client_secret) {
        return error("invalid_client");
    }
    if params.get("refresh_token") != Some(&client.refresh_token) {
        return error("invalid_code");
    }
    let access_token = shared.mint(&client.scopes);
    let lifetime = shared.token_lifetime().as_secs();
    // `api_domain` is the simulator itself, so SDKs that follow it stay here.
    Reply::ok(json!({
        "access_token": access_token,
        "scope": client.scopes.join(" "),
        "api_domain": shared.base_url(),
        "token_type": "Bearer",
        "expires_in": lifetime,
    }))
}

/// The text fields of a multipart/form-data body.
fn multipart(body: &[u8], boundary: &str) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    let mut fields = Vec::new();
    for part in text.split(delimiter.as_str()) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let Some(name) = head
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        else {
            continue;
        };
        let value = value.strip_suffix("\r\n").unwrap_or(value);
        fields.push((name.to_owned(), value.to_owned()));
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::multipart;

    #[test]
    fn reads_multipart_fields() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\nrefresh_token\r\n--XyZ\r\nContent-Disposition: form-data; name=\"client_id\"\r\n\r\nabc\r\n--XyZ--\r\n";
        let fields = multipart(body.as_bytes(), "XyZ");
        assert_eq!(
            fields,
            vec![
                ("grant_type".to_owned(), "refresh_token".to_owned()),
                ("client_id".to_owned(), "abc".to_owned())
            ]
        );
    }
}
