//! The simulator's own wire types for answers: Zoho's two envelopes and how they become HTTP.
//! Shares nothing with the territoryctl client on purpose.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};

/// Zoho's content type on every body (the official SDK parses a body only when one is set).
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// One `{code, details, message, status}` object: a per-item result (envelope B) or a
/// request-level error (envelope A).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Outcome {
    pub(crate) code: String,
    pub(crate) details: Value,
    pub(crate) message: String,
    pub(crate) status: &'static str,
    /// The HTTP status this outcome implies when it stands alone.
    #[serde(skip)]
    pub(crate) http: StatusCode,
}

impl Outcome {
    pub(crate) fn success(code: &str, details: Value, message: &str) -> Outcome {
        Outcome {
            code: code.to_owned(),
            details,
            message: message.to_owned(),
            status: "success",
            http: StatusCode::OK,
        }
    }

    pub(crate) fn error(code: &str, details: Value, message: &str) -> Outcome {
        Outcome {
            code: code.to_owned(),
            details,
            message: message.to_owned(),
            status: "error",
            http: StatusCode::BAD_REQUEST,
        }
    }

    pub(crate) fn with_http(mut self, http: StatusCode) -> Outcome {
        self.http = http;
        self
    }

    pub(crate) fn is_success(&self) -> bool {
        self.status == "success"
    }

    /// A request-level error answered with this outcome's HTTP status.
    pub(crate) fn into_reply(self) -> Reply {
        let http = self.http;
        Reply::Json(http, serde_json::to_value(self).unwrap_or(Value::Null))
    }
}

/// What a handler answers.
#[derive(Debug)]
pub(crate) enum Reply {
    Json(StatusCode, Value),
    /// A JSON body already written, for large answers built from borrowed state.
    Written(StatusCode, Vec<u8>),
    /// 204 with an empty body: Zoho's "nothing to show".
    NoContent,
}

impl Reply {
    pub(crate) fn ok(body: Value) -> Reply {
        Reply::Json(StatusCode::OK, body)
    }

    /// 200 with `body` serialized straight to JSON text, without a `Value` in between.
    pub(crate) fn ok_serialized(body: &impl serde::Serialize) -> Reply {
        match serde_json::to_vec(body) {
            Ok(bytes) => Reply::Written(StatusCode::OK, bytes),
            Err(error) => Reply::Json(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error": error.to_string()}),
            ),
        }
    }

    /// Per-item results under `key`, with the HTTP status Zoho derives from them: `success`
    /// when all succeed, 207 when mixed, and when all fail the items' own status if they agree
    /// (else 400).
    pub(crate) fn items(key: &str, results: Vec<Outcome>, success: StatusCode) -> Reply {
        let status = bulk_status(&results, success);
        Reply::Json(status, json!({ key: results }))
    }
}

/// The HTTP status of a batch answer.
pub(crate) fn bulk_status(results: &[Outcome], success: StatusCode) -> StatusCode {
    let successes = results.iter().filter(|r| r.is_success()).count();
    if successes == results.len() {
        // Scheduled items (202) win over plain success, as Zoho answers 202 when it offloads.
        if results.iter().any(|r| r.http == StatusCode::ACCEPTED) {
            return StatusCode::ACCEPTED;
        }
        return success;
    }
    if successes > 0 {
        return StatusCode::MULTI_STATUS;
    }
    let first = results.first().map_or(StatusCode::BAD_REQUEST, |r| r.http);
    if results.iter().all(|r| r.http == first) {
        first
    } else {
        StatusCode::BAD_REQUEST
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        match self {
            Reply::NoContent => StatusCode::NO_CONTENT.into_response(),
            Reply::Json(status, body) => json_response(status, &body),
            Reply::Written(status, bytes) => with_json_type((status, bytes).into_response()),
        }
    }
}

/// A JSON body with Zoho's content type.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    with_json_type((status, bytes).into_response())
}

fn with_json_type(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    response
}

/// Common request-level errors.
pub(crate) mod errors {
    use super::{Outcome, json};
    use axum::http::StatusCode;

    pub(crate) fn invalid_token() -> Outcome {
        Outcome::error("INVALID_TOKEN", json!({}), "invalid oauth token")
            .with_http(StatusCode::UNAUTHORIZED)
    }

    pub(crate) fn scope_mismatch() -> Outcome {
        Outcome::error(
            "OAUTH_SCOPE_MISMATCH",
            json!({}),
            "invalid oauth scope to access this URL",
        )
        .with_http(StatusCode::UNAUTHORIZED)
    }

    pub(crate) fn invalid_url() -> Outcome {
        // Message: GUESS from general Zoho usage (zoho-api.md section 4).
        Outcome::error(
            "INVALID_URL_PATTERN",
            json!({}),
            "Please check if the URL trying to access is a correct one",
        )
        .with_http(StatusCode::NOT_FOUND)
    }

    pub(crate) fn invalid_method() -> Outcome {
        Outcome::error(
            "INVALID_REQUEST_METHOD",
            json!({}),
            "The http request method type is not a valid one",
        )
        // The seed pages give HTTP 400 (not 405) for this code.
    }

    pub(crate) fn internal() -> Outcome {
        Outcome::error("INTERNAL_ERROR", json!({}), "Internal Server Error")
            .with_http(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub(crate) fn mandatory_missing(key: &str) -> Outcome {
        Outcome::error(
            "MANDATORY_NOT_FOUND",
            json!({"api_name": key, "json_path": format!("$.{key}")}),
            "required field not found",
        )
    }

    pub(crate) fn param_missing(param: &str) -> Outcome {
        Outcome::error(
            "REQUIRED_PARAM_MISSING",
            json!({"param_name": param}),
            "mandatory param missing",
        )
    }

    pub(crate) fn invalid_param(param: &str, message: &str) -> Outcome {
        Outcome::error("INVALID_DATA", json!({"param_name": param}), message)
    }

    pub(crate) fn invalid_request() -> Outcome {
        Outcome::error(
            "INVALID_REQUEST",
            json!({}),
            "unable to process your request. please verify whether you have entered proper method name, parameter and parameter values.",
        )
    }

    /// A body that is not JSON, or not an object. GUESS: Zoho's exact answer is not documented.
    pub(crate) fn invalid_body() -> Outcome {
        Outcome::error(
            "INVALID_DATA",
            json!({"expected_data_type": "jsonobject"}),
            "body",
        )
    }

    pub(crate) fn invalid_url_id(resource_path_index: usize, message: &str) -> Outcome {
        Outcome::error(
            "INVALID_DATA",
            json!({"resource_path_index": resource_path_index}),
            message,
        )
    }

    /// Territory management off, as territory writes, territory users and record assignment
    /// answer it: 403, as the Update Territories seed page documents. Of its two codes,
    /// `TERRITORY_DISABLED` ("the territory feature is disabled") is for an org that had the
    /// feature and switched it off, and `TERRITORY_NOT_ENABLED` for one that never enabled it
    /// (GUESS: the page gives both codes the same text; the messages are zoho-api.md 2.11's).
    pub(crate) fn territories_off(flags: &crate::state::Flags) -> Option<Outcome> {
        let (code, message) = if flags.territories_disabled {
            ("TERRITORY_DISABLED", "the territory feature is disabled")
        } else if !flags.territories_enabled {
            (
                "TERRITORY_NOT_ENABLED",
                "the territory feature is not enabled",
            )
        } else {
            return None;
        };
        Some(Outcome::error(code, json!({}), message).with_http(StatusCode::FORBIDDEN))
    }

    /// Territory management off, as territory reads answer it: 400 `FEATURE_NOT_ENABLED`
    /// (zoho-api.md section 4), with the catalog's message for each state.
    pub(crate) fn territories_off_for_read(flags: &crate::state::Flags) -> Option<Outcome> {
        let message = if flags.territories_disabled {
            "Territory Management is disabled"
        } else if !flags.territories_enabled {
            "Territory Management is not enabled"
        } else {
            return None;
        };
        Some(Outcome::error("FEATURE_NOT_ENABLED", json!({}), message))
    }

    pub(crate) fn too_many_requests() -> Outcome {
        // Envelope A; Zoho's details are unconfirmed (zoho-api.md section 6), so none are sent.
        Outcome::error(
            "TOO_MANY_REQUESTS",
            json!({}),
            "The number of API requests has exceeded the limit. Please try again later.",
        )
        .with_http(StatusCode::TOO_MANY_REQUESTS)
    }
}
