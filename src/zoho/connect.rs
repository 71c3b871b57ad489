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
    /// `None` means the US data centre.
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
        let (mut settings, credentials, sandbox) = match &options.sandbox {
            Some(path) => {
                let sandbox = Sandbox::start(path, options.sandbox_persist).await?;
                let base = parse_url("--sandbox", &sandbox.base_url())?;
                let token_url = parse_url(
                    "--sandbox",
                    &format!("{}/oauth/v2/token", sandbox.base_url()),
                )?;
                let settings = Settings::for_url(base, token_url)?;
                let credentials = Credentials::AccessToken(Secret::new(sandbox.access_token()));
                (settings, credentials, Some(sandbox))
            }
            None => {
                let mut settings = Settings::for_data_centre(data_centre, options.environment);
                if let Some(api_domain) = &options.api_domain {
                    settings.api_domain = checked_url(parse_url("--api-domain", api_domain)?)?;
                    // An explicit API domain is the only one: token responses cannot move it,
                    // and messages stop blaming the data centre.
                    settings.data_centre = None;
                }
                if let Some(accounts_url) = &options.accounts_url {
                    settings.token_url = checked_url(parse_url("--accounts-url", accounts_url)?)?;
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

fn parse_url(flag: &'static str, text: &str) -> Result<Url, RemoteError> {
    Url::parse(text).map_err(|error| RemoteError::BadUrl {
        flag,
        url: text.to_owned(),
        cause: error.to_string(),
    })
}
