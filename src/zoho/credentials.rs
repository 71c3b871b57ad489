//! Credentials, from the environment only: never from flags, which land in shell history.

use super::error::RemoteError;
use super::secret::Secret;

pub const ACCESS_TOKEN_VAR: &str = "ZOHO_ACCESS_TOKEN";
pub const CLIENT_ID_VAR: &str = "ZOHO_CLIENT_ID";
pub const CLIENT_SECRET_VAR: &str = "ZOHO_CLIENT_SECRET";
pub const REFRESH_TOKEN_VAR: &str = "ZOHO_REFRESH_TOKEN";

/// How the client proves who it is.
#[derive(Clone, Debug)]
pub enum Credentials {
    /// A ready access token (`ZOHO_ACCESS_TOKEN`). It cannot be renewed: when it expires, the
    /// run fails with an explanation.
    AccessToken(Secret),
    /// The refresh-token grant: the client fetches access tokens itself, keeps them in memory
    /// only, and renews them before they expire.
    Refresh {
        client_id: String,
        client_secret: Secret,
        refresh_token: Secret,
    },
}

impl Credentials {
    /// Reads credentials through `var` (the process environment in `app`, a map in tests).
    /// A refresh-token triple wins over an access token when both are set, since it lasts.
    ///
    /// # Errors
    /// [`RemoteError::MissingCredentials`] naming what is missing.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Self, RemoteError> {
        let get = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        let client_id = get(CLIENT_ID_VAR);
        let client_secret = get(CLIENT_SECRET_VAR);
        let refresh_token = get(REFRESH_TOKEN_VAR);
        match (client_id, client_secret, refresh_token) {
            (Some(client_id), Some(client_secret), Some(refresh_token)) => {
                return Ok(Self::Refresh {
                    client_id: client_id.trim().to_owned(),
                    client_secret: Secret::new(client_secret.trim()),
                    refresh_token: Secret::new(refresh_token.trim()),
                });
            }
            (None, None, None) => {}
            (client_id, client_secret, refresh_token) => {
                if get(ACCESS_TOKEN_VAR).is_none() {
                    let missing = [
                        (CLIENT_ID_VAR, client_id.is_none()),
                        (CLIENT_SECRET_VAR, client_secret.is_none()),
                        (REFRESH_TOKEN_VAR, refresh_token.is_none()),
                    ]
                    .into_iter()
                    .filter(|(_, missing)| *missing)
                    .map(|(name, _)| name.to_owned())
                    .collect();
                    return Err(RemoteError::MissingCredentials { missing });
                }
            }
        }
        match get(ACCESS_TOKEN_VAR) {
            Some(token) => Ok(Self::AccessToken(Secret::new(token.trim()))),
            None => Err(RemoteError::MissingCredentials {
                missing: Vec::new(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = pairs
            .iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn access_token_alone() {
        let credentials = Credentials::from_env(env(&[(ACCESS_TOKEN_VAR, "1000.tok")])).unwrap();
        assert!(
            matches!(credentials, Credentials::AccessToken(token) if token.expose() == "1000.tok")
        );
    }

    #[test]
    fn refresh_triple_wins_and_is_redacted_in_debug() {
        let credentials = Credentials::from_env(env(&[
            (ACCESS_TOKEN_VAR, "1000.tok"),
            (CLIENT_ID_VAR, "1000.CLIENT"),
            (CLIENT_SECRET_VAR, "shh-client-secret"),
            (REFRESH_TOKEN_VAR, "1000.refresh-secret"),
        ]))
        .unwrap();
        let debug = format!("{credentials:?}");
        assert!(debug.contains("1000.CLIENT"));
        assert!(!debug.contains("shh-client-secret"));
        assert!(!debug.contains("refresh-secret"));
        assert!(matches!(credentials, Credentials::Refresh { .. }));
    }

    #[test]
    fn incomplete_triple_names_what_is_missing() {
        let error = Credentials::from_env(env(&[(CLIENT_ID_VAR, "1000.CLIENT")])).unwrap_err();
        match error {
            RemoteError::MissingCredentials { missing } => {
                assert_eq!(missing, vec![CLIENT_SECRET_VAR, REFRESH_TOKEN_VAR]);
            }
            other => panic!("unexpected {other}"),
        }
        let none = Credentials::from_env(env(&[(ACCESS_TOKEN_VAR, "  ")])).unwrap_err();
        assert!(matches!(none, RemoteError::MissingCredentials { missing } if missing.is_empty()));
    }
}
