//! The HTTP layer: one reqwest client over rustls, the auth header, a bound on requests in
//! flight, retries with backoff, request counting and `-v` log lines.

use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderValue, LOCATION, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use serde_json::Value;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use super::auth::TokenSource;
use super::credentials::Credentials;
use super::error::describe;
use super::error::{RemoteError, scope_for};
use super::settings::{RequestLog, RetryPolicy, Settings};
use super::wire;

/// The API version in every path.
const API_PREFIX: &str = "crm/v8/";

/// Whether a request changes the org, which decides how failures are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Effect {
    /// Safe to repeat.
    Read,
    /// Repeated only when it provably never reached Zoho (connect error, 429); otherwise an
    /// unclear outcome is [`RemoteError::Unconfirmed`] for the caller to check.
    Write,
}

/// One API call, relative to `/crm/v8/`.
#[derive(Clone, Debug)]
pub(crate) struct Call {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<Value>,
    pub(crate) effect: Effect,
}

impl Call {
    pub(crate) fn get(path: impl Into<String>) -> Self {
        Self {
            method: Method::GET,
            path: path.into(),
            query: Vec::new(),
            body: None,
            effect: Effect::Read,
        }
    }

    pub(crate) fn write(method: Method, path: impl Into<String>, body: Option<Value>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body,
            effect: Effect::Write,
        }
    }

    pub(crate) fn query(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.query.push((key, value.into()));
        self
    }
}

/// A response that is not a top-level error: its status and JSON body (`None` for 204).
#[derive(Clone, Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) body: Option<Value>,
}

/// What one attempt came to.
enum Attempt {
    Done(Reply),
    /// Worth another attempt, after at least `wait`.
    Retry {
        cause: String,
        wait: Option<Duration>,
    },
    /// The token was refused.
    InvalidToken,
    Fail(RemoteError),
}

pub(crate) struct Http {
    client: reqwest::Client,
    api_domain: RwLock<Url>,
    auth: TokenSource,
    permits: Semaphore,
    settings: Settings,
    requests: AtomicU64,
}

impl Http {
    pub(crate) fn new(settings: Settings, credentials: Credentials) -> Result<Self, RemoteError> {
        settings.check()?;
        let mut builder = reqwest::Client::builder()
            // reqwest would otherwise read HTTP_PROXY and ALL_PROXY for plain-http requests,
            // and a proxy would receive the token (and, for a refresh, the client secret) of
            // a loopback API in the clear (issue #14). Only https goes through a proxy.
            .no_proxy();
        if let Some(proxy) = &settings.https_proxy {
            let proxy = reqwest::Proxy::https(proxy.url.as_str())
                .map_err(|_| RemoteError::ClientSetup {
                    cause: "HTTPS_PROXY (or ALL_PROXY) is not a valid proxy URL".into(),
                })?
                .no_proxy(
                    proxy
                        .no_proxy
                        .as_deref()
                        .and_then(reqwest::NoProxy::from_string),
                );
            builder = builder.proxy(proxy);
        }
        let client = builder
            .tls_backend_preconfigured(tls_config())
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("territoryctl/", env!("CARGO_PKG_VERSION")))
            // Redirects could carry the Authorization header to another host.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| RemoteError::ClientSetup {
                cause: describe(&error),
            })?;
        Ok(Self {
            client,
            api_domain: RwLock::new(settings.api_domain.clone()),
            auth: TokenSource::new(credentials, &settings),
            permits: Semaphore::new(settings.concurrency.max(1)),
            settings,
            requests: AtomicU64::new(0),
        })
    }

    /// HTTP requests sent to the API so far (attempts, retries included; token calls excluded).
    pub(crate) fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    pub(crate) fn api_domain(&self) -> Url {
        self.api_domain.read().expect("never poisoned").clone()
    }

    /// Sends `call`, retrying as its [`Effect`] allows, and returns the reply, or the error
    /// Zoho gave at the top level (envelope A).
    pub(crate) async fn send(&self, call: &Call) -> Result<Reply, RemoteError> {
        let policy = self.settings.retry;
        let deadline = Instant::now() + policy.max_total;
        let mut attempt = 0;
        let mut token_rejected_once = false;
        loop {
            attempt += 1;
            match self.attempt(call, attempt).await? {
                Attempt::Done(reply) => return Ok(reply),
                Attempt::Fail(error) => return Err(error),
                Attempt::InvalidToken => {
                    if token_rejected_once || !self.auth.can_refresh() {
                        return Err(RemoteError::InvalidToken {
                            api_domain: self.api_domain().to_string(),
                            can_refresh: self.auth.can_refresh(),
                            data_centre: self.settings.data_centre.map(|dc| dc.to_string()),
                        });
                    }
                    token_rejected_once = true;
                    // A refused token is not a failed attempt: one more is owed.
                    attempt -= 1;
                }
                Attempt::Retry { cause, wait } => {
                    let delay = backoff(&policy, attempt, wait);
                    if attempt >= policy.max_attempts || Instant::now() + delay > deadline {
                        return Err(RemoteError::GaveUp {
                            method: call.method.to_string(),
                            // With the host: which server kept failing is the first question.
                            path: format!(
                                "{}{}",
                                super::unreachable::host_of(&self.api_domain()),
                                self.url_path(call)
                            ),
                            attempts: attempt,
                            cause,
                        });
                    }
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }

    fn url_path(&self, call: &Call) -> String {
        format!("/{API_PREFIX}{}", call.path)
    }

    async fn attempt(&self, call: &Call, attempt: u32) -> Result<Attempt, RemoteError> {
        let (lease, refreshed) = self.auth.lease(&self.client).await?;
        if let Some(domain) = refreshed.and_then(|refreshed| refreshed.api_domain) {
            if self.settings.accepts_api_domain(&domain) {
                *self.api_domain.write().expect("never poisoned") = domain;
            }
        }
        let mut url = self
            .api_domain()
            .join(&format!("{API_PREFIX}{}", call.path))
            .map_err(|error| RemoteError::ClientSetup {
                cause: format!("bad API path `{}`: {error}", call.path),
            })?;
        if !call.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&call.query);
        }
        let mut authorization =
            HeaderValue::from_str(&format!("Zoho-oauthtoken {}", lease.token.expose())).map_err(
                |_| RemoteError::ClientSetup {
                    cause: "the access token contains characters not allowed in a header".into(),
                },
            )?;
        authorization.set_sensitive(true);
        let mut request = self
            .client
            .request(call.method.clone(), url)
            .header(AUTHORIZATION, authorization)
            .timeout(self.settings.retry.request_timeout);
        if let Some(body) = &call.body {
            request = request.json(body);
        }

        let permit = self.permits.acquire().await.expect("never closed");
        self.requests.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        let outcome = match request.send().await {
            Ok(response) => {
                let status = response.status();
                let retry_after = retry_after(response.headers().get(RETRY_AFTER));
                let location = response
                    .headers()
                    .get(LOCATION)
                    .and_then(|value| value.to_str().ok())
                    .map(|target| redirect_target(response.url(), target));
                response
                    .bytes()
                    .await
                    .map(|bytes| (status, retry_after, location, bytes))
            }
            Err(error) => Err(error),
        };
        drop(permit);
        self.log(RequestLog {
            method: call.method.to_string(),
            path: self.url_path(call),
            status: outcome.as_ref().ok().map(|(status, ..)| status.as_u16()),
            elapsed_ms: started.elapsed().as_millis(),
            attempt,
        });

        let (status, retry_after, location, bytes) = match outcome {
            Ok(parts) => parts,
            // A name that does not resolve, a refused port, a failed handshake: the next
            // attempt would fail the same way.
            Err(error)
                if error.is_connect()
                    && !super::unreachable::Failure::of(&error).is_worth_retrying() =>
            {
                let host = super::unreachable::host_of(&self.api_domain());
                return Ok(Attempt::Fail(RemoteError::Unreachable {
                    method: call.method.to_string(),
                    path: self.url_path(call),
                    hint: super::unreachable::Failure::of(&error).hint(&host),
                    host,
                    cause: describe(&error),
                }));
            }
            // Nothing was sent before the connection existed, so even a write may go again.
            Err(error) if error.is_connect() => {
                return Ok(Attempt::Retry {
                    cause: describe(&error),
                    wait: None,
                });
            }
            Err(error) => {
                return Ok(self.unclear(call, describe(&error)));
            }
        };
        // Redirects are not followed (they could take the token elsewhere), and a redirect's
        // empty body must not read as an org without territories.
        if status.is_redirection() {
            return Ok(Attempt::Fail(RemoteError::Redirected {
                method: call.method.to_string(),
                path: self.url_path(call),
                status: status.as_u16(),
                location: location.unwrap_or_else(|| "nowhere (no Location header)".into()),
                api_domain: self.api_domain().to_string(),
            }));
        }
        let body = if bytes.is_empty() {
            None
        } else {
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(body) => Some(body),
                Err(_) if status.is_server_error() => None,
                Err(_) => {
                    return Ok(Attempt::Fail(RemoteError::UnexpectedResponse {
                        method: call.method.to_string(),
                        path: self.url_path(call),
                        status: status.as_u16(),
                        problem: "the body is not JSON".into(),
                    }));
                }
            }
        };
        let top_level = body.as_ref().and_then(top_level_error);
        let code = top_level.as_ref().map(|error| error.code.as_str());
        if status == StatusCode::TOO_MANY_REQUESTS {
            // Zoho refused the call before doing anything: safe to repeat, even a write.
            return Ok(Attempt::Retry {
                cause: "Zoho answered 429 TOO_MANY_REQUESTS".into(),
                wait: retry_after.or_else(|| body.as_ref().and_then(retry_after_detail)),
            });
        }
        if status.is_server_error() {
            return Ok(self.unclear(call, format!("Zoho answered HTTP {}", status.as_u16())));
        }
        match (status.as_u16(), code) {
            (401, Some("INVALID_TOKEN" | "AUTHENTICATION_FAILURE")) => {
                self.auth.reject(&lease).await;
                return Ok(Attempt::InvalidToken);
            }
            (_, Some("OAUTH_SCOPE_MISMATCH")) => {
                return Ok(Attempt::Fail(RemoteError::ScopeMismatch {
                    method: call.method.to_string(),
                    path: self.url_path(call),
                    needed: scope_for(call.method.as_str(), &call.path),
                }));
            }
            (_, Some("FEATURE_NOT_ENABLED" | "TERRITORY_NOT_ENABLED" | "TERRITORY_DISABLED")) => {
                let code = code.unwrap_or_default().to_owned();
                let message = top_level.map(|error| error.message).unwrap_or_default();
                return Ok(Attempt::Fail(feature_off(code, message)));
            }
            _ => {}
        }
        if let Some(error) = top_level {
            return Ok(Attempt::Fail(RemoteError::Api {
                method: call.method.to_string(),
                path: self.url_path(call),
                status: status.as_u16(),
                code: error.code,
                message: error.message,
            }));
        }
        Ok(Attempt::Done(Reply { status, body }))
    }

    /// A request that may have reached Zoho failed without a clear answer: reads go again,
    /// writes are handed back for checking.
    fn unclear(&self, call: &Call, cause: String) -> Attempt {
        match call.effect {
            Effect::Read => Attempt::Retry { cause, wait: None },
            Effect::Write => Attempt::Fail(RemoteError::Unconfirmed {
                method: call.method.to_string(),
                path: self.url_path(call),
                cause,
            }),
        }
    }

    fn log(&self, line: RequestLog) {
        if let Some(logger) = &self.settings.logger {
            logger(&line);
        }
    }
}

/// The client's TLS: rustls with the ring provider and the Mozilla roots compiled in
/// (webpki-roots), so no system certificate store or network is needed to set it up, and the
/// same roots are trusted on every machine.
fn tls_config() -> rustls::ClientConfig {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("ring supports the default protocol versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    config
}

/// Where a redirect points, resolved against the request's URL, without its query, fragment
/// or user info (which could carry a secret), and with hidden characters escaped.
fn redirect_target(from: &Url, target: &str) -> String {
    match from.join(target) {
        Ok(mut url) => {
            url.set_query(None);
            url.set_fragment(None);
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.to_string()
        }
        Err(_) => {
            crate::escape::terminal(target.split(['?', '#']).next().unwrap_or("")).into_owned()
        }
    }
}

/// A top-level error body (envelope A): an object with `code` and `status: "error"`.
/// Territory management off, told apart as Zoho tells it: `TERRITORY_DISABLED` (or a
/// `FEATURE_NOT_ENABLED` whose message says "disabled") for an org that switched it off, the
/// other codes for one that never enabled it.
fn feature_off(code: String, message: String) -> RemoteError {
    if code == "TERRITORY_DISABLED" || message.to_ascii_lowercase().contains("disabled") {
        RemoteError::FeatureDisabled { code, message }
    } else {
        RemoteError::FeatureNotEnabled { code, message }
    }
}

fn top_level_error(body: &Value) -> Option<wire::TopLevelError> {
    let object = body.as_object()?;
    if object.get("status").and_then(Value::as_str) != Some("error") || !object.contains_key("code")
    {
        return None;
    }
    serde_json::from_value(body.clone()).ok()
}

fn retry_after(header: Option<&HeaderValue>) -> Option<Duration> {
    let seconds: u64 = header?.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(seconds))
}

/// Zoho's one 429 sample puts `retry_after` (seconds) in `details`.
fn retry_after_detail(body: &Value) -> Option<Duration> {
    body.pointer("/details/retry_after")?
        .as_u64()
        .map(Duration::from_secs)
}

/// The wait before attempt `attempt + 1`: exponential with full jitter, at least `floor`
/// (`Retry-After`), never more than the policy's maximum delay.
fn backoff(policy: &RetryPolicy, attempt: u32, floor: Option<Duration>) -> Duration {
    let exponent = attempt.saturating_sub(1).min(16);
    let ceiling = policy
        .base_delay
        .saturating_mul(1 << exponent)
        .min(policy.max_delay);
    let jittered = ceiling.mul_f64(fastrand::f64());
    jittered
        .max(floor.unwrap_or_default())
        .min(policy.max_delay)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_honours_retry_after() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            ..RetryPolicy::default()
        };
        for _ in 0..100 {
            assert!(backoff(&policy, 1, None) <= Duration::from_millis(100));
            assert!(backoff(&policy, 3, None) <= Duration::from_millis(400));
            assert!(backoff(&policy, 30, None) <= Duration::from_secs(2));
            assert!(backoff(&policy, 1, Some(Duration::from_secs(1))) >= Duration::from_secs(1));
            assert_eq!(
                backoff(&policy, 1, Some(Duration::from_secs(60))),
                Duration::from_secs(2)
            );
        }
    }

    #[test]
    fn top_level_errors_are_told_from_item_results() {
        let top: Value = serde_json::from_str(
            r#"{"code":"FEATURE_NOT_ENABLED","details":{},"message":"Territory Management is not enabled","status":"error"}"#,
        )
        .unwrap();
        assert_eq!(top_level_error(&top).unwrap().code, "FEATURE_NOT_ENABLED");
        let items: Value = serde_json::from_str(
            r#"{"territories":[{"code":"DUPLICATE_DATA","details":{},"message":"x","status":"error"}]}"#,
        )
        .unwrap();
        assert!(top_level_error(&items).is_none());
    }

    #[test]
    fn territory_management_off_is_told_apart_by_code_and_message() {
        let off = |code: &str, message: &str| feature_off(code.into(), message.into());
        assert!(matches!(
            off(
                "TERRITORY_NOT_ENABLED",
                "the territory feature is not enabled"
            ),
            RemoteError::FeatureNotEnabled { .. }
        ));
        assert!(matches!(
            off("FEATURE_NOT_ENABLED", "Territory Management is not enabled"),
            RemoteError::FeatureNotEnabled { .. }
        ));
        assert!(matches!(
            off("TERRITORY_DISABLED", "the territory feature is disabled"),
            RemoteError::FeatureDisabled { .. }
        ));
        assert!(matches!(
            off("FEATURE_NOT_ENABLED", "Territory Management is disabled"),
            RemoteError::FeatureDisabled { .. }
        ));
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        assert_eq!(
            retry_after(Some(&HeaderValue::from_static("7"))),
            Some(Duration::from_secs(7))
        );
        assert_eq!(retry_after(Some(&HeaderValue::from_static("soon"))), None);
        let body: Value = serde_json::from_str(r#"{"details":{"retry_after":3}}"#).unwrap();
        assert_eq!(retry_after_detail(&body), Some(Duration::from_secs(3)));
    }

    #[test]
    fn log_lines_show_no_query_or_header() {
        let line = RequestLog {
            method: "GET".into(),
            path: "/crm/v8/settings/territories".into(),
            status: Some(200),
            elapsed_ms: 12,
            attempt: 2,
        };
        assert_eq!(
            line.to_string(),
            "GET /crm/v8/settings/territories 200 12ms (attempt 2)"
        );
    }
}
