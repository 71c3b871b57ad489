//! From connection options (flags) and the environment to a ready [`Connection`].

use std::path::PathBuf;

use reqwest::Url;

use super::credentials::Credentials;
use super::error::RemoteError;
use super::read::ReadClient;
use super::sandbox::Sandbox;
use super::secret::Secret;
use super::settings::{DataCentre, Environment, HttpsProxy, RequestLogger, Settings, checked_url};
use super::write::WriteClient;

/// What the user asked for, before the environment and defaults are applied.
#[derive(Clone, Default)]
pub struct ConnectOptions {
    /// `None` means the US data centre (and that `--dc` was not given).
    pub data_centre: Option<DataCentre>,
    pub environment: Environment,
    pub api_domain: Option<String>,
    pub accounts_url: Option<String>,
    /// Start the simulator from this state file instead of reaching Zoho.
    pub sandbox: Option<PathBuf>,
    pub sandbox_persist: bool,
    pub concurrency: Option<usize>,
    pub logger: Option<RequestLogger>,
}

/// Settings and credentials, resolved; with the in-process simulator when one was asked for,
/// which lives as long as the connection.
pub struct Connection {
    pub settings: Settings,
    credentials: Credentials,
    sandbox: Option<Sandbox>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("settings", &self.settings)
            .field("sandbox", &self.sandbox.is_some())
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// Resolves `options` and the environment (read through `var`) into a connection. With
    /// `--sandbox`, starts the simulator on a loopback port and uses its token; the environment's
    /// credentials are not read then.
    ///
    /// # Errors
    /// Bad or insecure URLs, missing credentials, a simulator state file that does not load.
    pub async fn open(
        options: ConnectOptions,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, RemoteError> {
        let data_centre = options.data_centre.unwrap_or(DataCentre::Us);
        // The flags win over the environment (`sandbox serve` prints these two variables).
        let api_domain = options
            .api_domain
            .clone()
            .map(|url| ("--api-domain", url))
            .or_else(|| non_empty(&var, "ZOHO_API_DOMAIN").map(|url| ("ZOHO_API_DOMAIN", url)));
        let accounts_url = options
            .accounts_url
            .clone()
            .map(|url| ("--accounts-url", url))
            .or_else(|| non_empty(&var, "ZOHO_ACCOUNTS_URL").map(|url| ("ZOHO_ACCOUNTS_URL", url)));
        if options.sandbox.is_some() {
            // Both name a place to connect to; picking one silently would hide a mistake.
            let other = if options.api_domain.is_some() {
                Some("--api-domain")
            } else if options.accounts_url.is_some() {
                Some("--accounts-url")
            } else if options.data_centre.is_some() {
                Some("--dc")
            } else {
                None
            };
            if let Some(flag) = other {
                return Err(RemoteError::SimulatorAndZoho { flag });
            }
        }
        let (mut settings, credentials, sandbox) = match &options.sandbox {
            Some(path) => {
                let sandbox = Sandbox::start(path, options.sandbox_persist).await?;
                let base = parse_url("--simulator", &sandbox.base_url())?;
                let token_url = parse_url(
                    "--simulator",
                    &format!("{}/oauth/v2/token", sandbox.base_url()),
                )?;
                let settings = Settings::for_url(base, token_url)?;
                let credentials = Credentials::AccessToken(Secret::new(sandbox.access_token()));
                (settings, credentials, Some(sandbox))
            }
            None => {
                let mut settings = Settings::for_data_centre(data_centre, options.environment);
                if let Some((source, api_domain)) = &api_domain {
                    settings.api_domain = checked_url(parse_url(source, api_domain)?)?;
                    // An explicit API domain is the only one: token responses cannot move it,
                    // and messages stop blaming the data centre.
                    settings.data_centre = None;
                }
                if let Some((source, accounts_url)) = &accounts_url {
                    settings.token_url = checked_url(parse_url(source, accounts_url)?)?;
                }
                (settings, Credentials::from_env(&var)?, None)
            }
        };
        if let Some(concurrency) = options.concurrency {
            settings.concurrency = concurrency.max(1);
        }
        settings.logger = options.logger;
        settings.https_proxy = HttpsProxy::from_env(&var);
        Ok(Self {
            settings,
            credentials,
            sandbox,
        })
    }

    /// A client that can only read (plan, validate --online, export).
    ///
    /// # Errors
    /// HTTP client setup failures.
    pub fn read_client(&self) -> Result<ReadClient, RemoteError> {
        ReadClient::connect(self.settings.clone(), self.credentials.clone())
    }

    /// A client that can also write (apply, records assign/remove).
    ///
    /// # Errors
    /// HTTP client setup failures.
    pub fn write_client(&self) -> Result<WriteClient, RemoteError> {
        WriteClient::connect(self.settings.clone(), self.credentials.clone())
    }

    /// The in-process simulator, when `--sandbox` started one.
    #[must_use]
    pub fn sandbox(&self) -> Option<&Sandbox> {
        self.sandbox.as_ref()
    }
}

/// An environment variable's value, unless unset or empty (`VAR=` in a CI file means unset).
fn non_empty(var: &impl Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    var(name).filter(|value| !value.trim().is_empty())
}

fn parse_url(flag: &'static str, text: &str) -> Result<Url, RemoteError> {
    Url::parse(text).map_err(|error| RemoteError::BadUrl {
        flag,
        url: text.to_owned(),
        cause: error.to_string(),
    })
}
