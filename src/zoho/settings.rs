//! Where to connect and how: data centre, environment, domains, concurrency and retry bounds.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use super::error::RemoteError;

/// A Zoho data centre: each has its own accounts server and API domains, and an account lives
/// in exactly one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataCentre {
    Us,
    Eu,
    In,
    Au,
    Jp,
    Cn,
    Ca,
    Sa,
}

impl DataCentre {
    pub const ALL: [Self; 8] = [
        Self::Us,
        Self::Eu,
        Self::In,
        Self::Au,
        Self::Jp,
        Self::Cn,
        Self::Ca,
        Self::Sa,
    ];

    /// The name users type: `us`, `eu`, ...
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Us => "us",
            Self::Eu => "eu",
            Self::In => "in",
            Self::Au => "au",
            Self::Jp => "jp",
            Self::Cn => "cn",
            Self::Ca => "ca",
            Self::Sa => "sa",
        }
    }

    /// The top-level domain of the data centre's API hosts (`zohoapis.<tld>`).
    fn api_tld(self) -> &'static str {
        match self {
            Self::Us => "com",
            Self::Eu => "eu",
            Self::In => "in",
            Self::Au => "com.au",
            Self::Jp => "jp",
            Self::Cn => "com.cn",
            Self::Ca => "ca",
            Self::Sa => "sa",
        }
    }

    /// The accounts server's host (zoho-api.md section 5; Canada's is `zohocloud.ca`).
    fn accounts_host(self) -> &'static str {
        match self {
            Self::Us => "accounts.zoho.com",
            Self::Eu => "accounts.zoho.eu",
            Self::In => "accounts.zoho.in",
            Self::Au => "accounts.zoho.com.au",
            Self::Jp => "accounts.zoho.jp",
            Self::Cn => "accounts.zoho.com.cn",
            Self::Ca => "accounts.zohocloud.ca",
            Self::Sa => "accounts.zoho.sa",
        }
    }

    /// The API host of an environment: `www.`, `sandbox.` or `developer.zohoapis.<tld>`.
    #[must_use]
    pub fn api_host(self, environment: Environment) -> String {
        format!("{}.zohoapis.{}", environment.host_prefix(), self.api_tld())
    }

    /// The API base URL of an environment, e.g. `https://www.zohoapis.eu`.
    #[must_use]
    pub fn api_domain(self, environment: Environment) -> Url {
        Url::parse(&format!("https://{}", self.api_host(environment)))
            .expect("data centre hosts are valid URLs")
    }

    /// The OAuth token endpoint, e.g. `https://accounts.zoho.eu/oauth/v2/token`.
    #[must_use]
    pub fn token_url(self) -> Url {
        Url::parse(&format!("https://{}/oauth/v2/token", self.accounts_host()))
            .expect("data centre hosts are valid URLs")
    }
}

impl std::fmt::Display for DataCentre {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which of an account's orgs: the production org, or one of Zoho's own sandbox or developer
/// orgs (separate API hosts, same accounts server).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Environment {
    #[default]
    Production,
    Sandbox,
    Developer,
}

impl Environment {
    fn host_prefix(self) -> &'static str {
        match self {
            Self::Production => "www",
            Self::Sandbox => "sandbox",
            Self::Developer => "developer",
        }
    }
}

/// How hard to retry, and for how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// Time after which no new attempt starts.
    pub max_total: Duration,
    /// The first backoff; each further one doubles, with full jitter.
    pub base_delay: Duration,
    /// No single wait is longer, `Retry-After` included.
    pub max_delay: Duration,
    /// One attempt's limit, from connecting to the last byte of the response.
    pub request_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        // Zoho documents neither Retry-After nor its rate windows (zoho-api.md section 6), so
        // the waits grow to half a minute and the whole request gives up after two minutes.
        Self {
            max_attempts: 6,
            max_total: Duration::from_secs(120),
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// Receives one line per HTTP attempt (`-v`). Never given headers, bodies or secrets.
pub type RequestLogger = Arc<dyn Fn(&RequestLog) + Send + Sync>;

/// Requests in flight by default.
///
/// Zoho counts concurrent calls per app and org: Free 5, Standard 10, Professional 15,
/// Enterprise 20 (territories need Enterprise). Four leaves room under the lowest paid edition's
/// limit of 10 for the UI, integrations and a second run of this tool at the same time.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// Everything the client needs to know before it connects, resolved from flags and environment.
#[derive(Clone)]
pub struct Settings {
    /// Base URL of the API, without `/crm/v8`.
    pub api_domain: Url,
    /// The OAuth token endpoint for the refresh-token grant.
    pub token_url: Url,
    /// The data centre chosen, when one was (not with `--api-domain` or `--sandbox` alone).
    pub data_centre: Option<DataCentre>,
    pub environment: Environment,
    /// At most this many requests in flight.
    pub concurrency: usize,
    pub retry: RetryPolicy,
    /// A refreshed token is renewed this long before it expires.
    pub token_refresh_margin: Duration,
    pub logger: Option<RequestLogger>,
    /// The proxy for https requests, if the environment names one. Plain-http requests (to
    /// loopback only) never go through a proxy, whatever the environment says.
    pub https_proxy: Option<HttpsProxy>,
}

/// A proxy for https requests, from the environment: `HTTPS_PROXY` (or `https_proxy`), else
/// `ALL_PROXY` (or `all_proxy`); hosts listed in `NO_PROXY` (or `no_proxy`) are reached
/// directly. `HTTP_PROXY` is never read: the only plain-http requests go to loopback, and a
/// proxy would receive their tokens and secrets in the clear.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpsProxy {
    /// The proxy's URL; it may hold the proxy's own credentials, so it is never printed.
    pub url: String,
    /// The `NO_PROXY` list, as written.
    pub no_proxy: Option<String>,
}

impl std::fmt::Debug for HttpsProxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpsProxy")
            .field("no_proxy", &self.no_proxy)
            .finish_non_exhaustive()
    }
}

impl HttpsProxy {
    /// The proxy the environment (read through `var`) names for https, if any.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let first = |names: &[&str]| {
            names
                .iter()
                .find_map(|name| var(name).filter(|value| !value.trim().is_empty()))
        };
        let url = first(&["HTTPS_PROXY", "https_proxy"])
            .or_else(|| first(&["ALL_PROXY", "all_proxy"]))?;
        Some(Self {
            url,
            no_proxy: first(&["NO_PROXY", "no_proxy"]),
        })
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("api_domain", &self.api_domain.as_str())
            .field("token_url", &self.token_url.as_str())
            .field("data_centre", &self.data_centre)
            .field("environment", &self.environment)
            .field("concurrency", &self.concurrency)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// Settings for a data centre and environment, with default bounds.
    #[must_use]
    pub fn for_data_centre(data_centre: DataCentre, environment: Environment) -> Self {
        Self {
            api_domain: data_centre.api_domain(environment),
            token_url: data_centre.token_url(),
            data_centre: Some(data_centre),
            environment,
            concurrency: DEFAULT_CONCURRENCY,
            retry: RetryPolicy::default(),
            token_refresh_margin: REFRESH_MARGIN,
            logger: None,
            https_proxy: None,
        }
    }

    /// Settings for any base URL (`--api-domain`, the simulator), with its token endpoint.
    ///
    /// # Errors
    /// [`RemoteError::InsecureUrl`] for plain http to anything but loopback.
    pub fn for_url(api_domain: Url, token_url: Url) -> Result<Self, RemoteError> {
        let mut settings = Self::for_data_centre(DataCentre::Us, Environment::Production);
        settings.data_centre = None;
        settings.api_domain = checked_url(api_domain)?;
        settings.token_url = checked_url(token_url)?;
        Ok(settings)
    }

    /// Checks both URLs again: they are public fields, so they may have changed since.
    ///
    /// # Errors
    /// [`RemoteError::InsecureUrl`] for plain http to anything but loopback.
    pub fn check(&self) -> Result<(), RemoteError> {
        checked_url(self.api_domain.clone())?;
        checked_url(self.token_url.clone())?;
        Ok(())
    }

    /// Whether `api_domain` from a token response may replace the configured API domain: only
    /// when it is the configured one, or the production API host of the chosen data centre
    /// while production is the environment. Anything else (another data centre, a foreign
    /// host, production while a sandbox was asked for) is ignored, so a token response can
    /// never send requests and the token somewhere the user did not choose.
    #[must_use]
    pub fn accepts_api_domain(&self, offered: &Url) -> bool {
        if same_origin(offered, &self.api_domain) {
            return true;
        }
        match self.data_centre {
            Some(data_centre) => {
                offered.scheme() == "https"
                    && offered.port().is_none()
                    && offered.path().trim_end_matches('/').is_empty()
                    && offered.host_str() == Some(&data_centre.api_host(self.environment))
            }
            None => false,
        }
    }
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Accepts https anywhere and http only to a loopback host, so a token never crosses a network
/// in the clear.
///
/// # Errors
/// [`RemoteError::InsecureUrl`] otherwise.
pub fn checked_url(url: Url) -> Result<Url, RemoteError> {
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        _ => Err(RemoteError::InsecureUrl {
            url: url.to_string(),
        }),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// One line of the `-v` request log: never a header, a body or a query value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestLog {
    pub method: String,
    /// The URL path, e.g. `/crm/v8/settings/territories`.
    pub path: String,
    /// The HTTP status, or `None` when no response came.
    pub status: Option<u16>,
    pub elapsed_ms: u128,
    /// 1 for the first attempt.
    pub attempt: u32,
}

impl std::fmt::Display for RequestLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = self
            .status
            .map_or_else(|| "---".to_owned(), |status| status.to_string());
        write!(
            f,
            "{} {} {status} {}ms",
            self.method, self.path, self.elapsed_ms
        )?;
        if self.attempt > 1 {
            write!(f, " (attempt {})", self.attempt)?;
        }
        Ok(())
    }
}

/// Renew a refreshed token this long before Zoho says it expires (Zoho's tokens last an hour;
/// the official SDK renews 5 s ahead, which a slow request can overrun).
const REFRESH_MARGIN: Duration = Duration::from_secs(300);

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn only_an_https_proxy_is_read_from_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| (*value).to_owned())
            }
        };
        assert_eq!(
            HttpsProxy::from_env(env(&[
                ("HTTP_PROXY", "http://p:1"),
                ("http_proxy", "http://p:1")
            ])),
            None,
            "HTTP_PROXY is for plain http, which never goes through a proxy"
        );
        let proxy = HttpsProxy::from_env(env(&[
            ("ALL_PROXY", "http://all:1"),
            ("https_proxy", "http://secure:1"),
            ("NO_PROXY", "internal.example"),
        ]))
        .unwrap();
        assert_eq!(proxy.url, "http://secure:1");
        assert_eq!(proxy.no_proxy.as_deref(), Some("internal.example"));
        let proxy = HttpsProxy::from_env(env(&[("all_proxy", "http://user:pw@all:1")])).unwrap();
        assert_eq!(proxy.url, "http://user:pw@all:1");
        assert!(
            !format!("{proxy:?}").contains("pw"),
            "the proxy's credentials never print"
        );
    }

    #[test]
    fn every_data_centre_has_its_domains() {
        let eu = Settings::for_data_centre(DataCentre::Eu, Environment::Production);
        assert_eq!(eu.api_domain.as_str(), "https://www.zohoapis.eu/");
        assert_eq!(
            eu.token_url.as_str(),
            "https://accounts.zoho.eu/oauth/v2/token"
        );
        assert_eq!(
            DataCentre::Au.api_domain(Environment::Sandbox).as_str(),
            "https://sandbox.zohoapis.com.au/"
        );
        assert_eq!(
            DataCentre::Ca.token_url().as_str(),
            "https://accounts.zohocloud.ca/oauth/v2/token"
        );
        assert_eq!(
            DataCentre::Cn.api_domain(Environment::Developer).as_str(),
            "https://developer.zohoapis.com.cn/"
        );
        for data_centre in DataCentre::ALL {
            assert!(
                data_centre
                    .token_url()
                    .as_str()
                    .starts_with("https://accounts.zoho")
            );
        }
    }

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(checked_url(url("http://127.0.0.1:8080")).is_ok());
        assert!(checked_url(url("http://[::1]:8080")).is_ok());
        assert!(checked_url(url("http://localhost:1")).is_ok());
        assert!(checked_url(url("https://crm.example.com")).is_ok());
        let refused = checked_url(url("http://crm.example.com")).unwrap_err();
        assert!(matches!(refused, RemoteError::InsecureUrl { .. }));
        assert!(checked_url(url("http://10.0.0.1")).is_err());
        assert!(checked_url(url("ftp://127.0.0.1")).is_err());
    }

    #[test]
    fn token_api_domain_accepted_only_within_the_chosen_data_centre() {
        let eu = Settings::for_data_centre(DataCentre::Eu, Environment::Production);
        assert!(eu.accepts_api_domain(&url("https://www.zohoapis.eu")));
        assert!(!eu.accepts_api_domain(&url("https://www.zohoapis.com")));
        assert!(!eu.accepts_api_domain(&url("http://www.zohoapis.eu")));
        assert!(!eu.accepts_api_domain(&url("https://evil.example/")));
        assert!(!eu.accepts_api_domain(&url("https://www.zohoapis.eu.evil.example")));

        let sandbox = Settings::for_data_centre(DataCentre::Us, Environment::Sandbox);
        assert!(!sandbox.accepts_api_domain(&url("https://www.zohoapis.com")));
        assert!(sandbox.accepts_api_domain(&url("https://sandbox.zohoapis.com")));

        let local = Settings::for_url(
            url("http://127.0.0.1:4000"),
            url("http://127.0.0.1:4000/oauth/v2/token"),
        )
        .unwrap();
        assert!(local.accepts_api_domain(&url("http://127.0.0.1:4000")));
        assert!(!local.accepts_api_domain(&url("http://127.0.0.1:4001")));
        assert!(!local.accepts_api_domain(&url("https://www.zohoapis.com")));
    }
}
