//! Where access tokens come from: a static token, or the refresh-token grant, renewed before
//! expiry and once more when Zoho says INVALID_TOKEN.

use std::time::Duration;

use reqwest::Url;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::credentials::Credentials;
use super::error::RemoteError;
use super::secret::Secret;
use super::settings::{RequestLog, RequestLogger, Settings};
use super::wire;

/// A token handed to one request, with the generation it belongs to.
pub(crate) struct Lease {
    pub(crate) token: Secret,
    generation: u64,
}

/// A freshly fetched token may name the API domain to use.
pub(crate) struct Refreshed {
    pub(crate) api_domain: Option<Url>,
}

pub(crate) struct TokenSource {
    kind: Kind,
    current: Mutex<Option<Cached>>,
    refresh_margin: Duration,
    logger: Option<RequestLogger>,
}

enum Kind {
    Static(Secret),
    Refresh {
        client_id: String,
        client_secret: Secret,
        refresh_token: Secret,
        token_url: Url,
        data_centre: Option<String>,
    },
}

struct Cached {
    token: Secret,
    expires_at: Instant,
    generation: u64,
}

impl TokenSource {
    pub(crate) fn new(credentials: Credentials, settings: &Settings) -> Self {
        let kind = match credentials {
            Credentials::AccessToken(token) => Kind::Static(token),
            Credentials::Refresh {
                client_id,
                client_secret,
                refresh_token,
            } => Kind::Refresh {
                client_id,
                client_secret,
                refresh_token,
                token_url: settings.token_url.clone(),
                data_centre: settings.data_centre.map(|dc| dc.as_str().to_owned()),
            },
        };
        Self {
            kind,
            current: Mutex::new(None),
            refresh_margin: settings.token_refresh_margin,
            logger: settings.logger.clone(),
        }
    }

    /// Whether a rejected token can be replaced by a new one.
    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self.kind, Kind::Refresh { .. })
    }

    /// A token to send now: the cached one, or a new one when there is none or it is within
    /// the refresh margin of expiring. Concurrent callers wait for one refresh.
    pub(crate) async fn lease(
        &self,
        client: &reqwest::Client,
    ) -> Result<(Lease, Option<Refreshed>), RemoteError> {
        if let Kind::Static(token) = &self.kind {
            return Ok((
                Lease {
                    token: token.clone(),
                    generation: 0,
                },
                None,
            ));
        }
        let mut current = self.current.lock().await;
        if let Some(cached) = current.as_ref() {
            if cached.expires_at > Instant::now() + self.refresh_margin {
                return Ok((
                    Lease {
                        token: cached.token.clone(),
                        generation: cached.generation,
                    },
                    None,
                ));
            }
        }
        let generation = current.as_ref().map_or(1, |cached| cached.generation + 1);
        let (token, lifetime, api_domain) = self.refresh(client).await?;
        *current = Some(Cached {
            token: token.clone(),
            expires_at: Instant::now() + lifetime,
            generation,
        });
        Ok((Lease { token, generation }, Some(Refreshed { api_domain })))
    }

    /// Forgets the token of `lease` after Zoho rejected it, so the next lease refreshes. A token
    /// already replaced by another request is left alone.
    pub(crate) async fn reject(&self, lease: &Lease) {
        let mut current = self.current.lock().await;
        if current
            .as_ref()
            .is_some_and(|cached| cached.generation == lease.generation)
        {
            if let Some(cached) = current.as_mut() {
                // Expired now, but keep the generation so the next one counts on from it.
                cached.expires_at = Instant::now();
            }
        }
    }

    async fn refresh(
        &self,
        client: &reqwest::Client,
    ) -> Result<(Secret, Duration, Option<Url>), RemoteError> {
        let Kind::Refresh {
            client_id,
            client_secret,
            refresh_token,
            token_url,
            data_centre,
        } = &self.kind
        else {
            unreachable!("only refresh credentials refresh")
        };
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", client_id.as_str()),
            ("client_secret", client_secret.expose()),
            ("refresh_token", refresh_token.expose()),
        ];
        let unexpected = |status: u16, problem: String| RemoteError::UnexpectedResponse {
            method: "POST".into(),
            path: token_url.path().to_owned(),
            status,
            problem,
        };
        // The token grant is safe to repeat, so transport failures get a second chance.
        let mut attempt = 0;
        let response = loop {
            attempt += 1;
            let started = Instant::now();
            let sent = client.post(token_url.clone()).form(&form).send().await;
            if let Some(logger) = &self.logger {
                // The path only: the form with the secrets is never logged.
                logger(&RequestLog {
                    method: "POST".into(),
                    path: token_url.path().to_owned(),
                    status: sent
                        .as_ref()
                        .ok()
                        .map(|response| response.status().as_u16()),
                    elapsed_ms: started.elapsed().as_millis(),
                    attempt,
                });
            }
            match sent {
                Ok(response) if response.status().is_server_error() && attempt < 3 => {}
                Ok(response) => break response,
                Err(error)
                    if error.is_connect()
                        && !super::unreachable::Failure::of(&error).is_worth_retrying() =>
                {
                    let host = super::unreachable::host_of(token_url);
                    return Err(RemoteError::Unreachable {
                        method: "POST".into(),
                        path: token_url.path().to_owned(),
                        hint: super::unreachable::Failure::of(&error).hint(&host),
                        host,
                        cause: super::error::describe(&error),
                    });
                }
                Err(error) if attempt < 3 && (error.is_connect() || error.is_timeout()) => {}
                Err(error) => {
                    return Err(RemoteError::GaveUp {
                        method: "POST".into(),
                        path: token_url.to_string(),
                        attempts: attempt,
                        cause: super::error::describe(&error),
                    });
                }
            }
            tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
        };
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|error| unexpected(status, super::error::describe(&error)))?;
        let parsed: wire::TokenResponse = serde_json::from_slice(&body).map_err(|_| {
            unexpected(
                status,
                "the token endpoint did not answer with JSON; check --dc or --accounts-url".into(),
            )
        })?;
        let Some(token) = parsed.access_token else {
            return Err(RemoteError::RefreshRejected {
                token_url: token_url.to_string(),
                error: parsed
                    .error
                    .unwrap_or_else(|| format!("HTTP {status}, no access_token")),
                data_centre: data_centre.clone(),
            });
        };
        // Zoho's newer answer gives seconds in `expires_in`; the older one adds `expires_in_sec`
        // and gives milliseconds in `expires_in` (zoho-api.md section 5).
        let lifetime = match (parsed.expires_in_sec, parsed.expires_in) {
            (Some(seconds), _) => Duration::from_secs(seconds),
            (None, Some(seconds)) => Duration::from_secs(seconds),
            (None, None) => Duration::from_secs(3600),
        };
        let api_domain = parsed
            .api_domain
            .and_then(|domain| Url::parse(&domain).ok());
        Ok((Secret::new(token), lifetime, api_domain))
    }
}
