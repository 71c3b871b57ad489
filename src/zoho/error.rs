//! What can go wrong talking to Zoho, each with a stable code and a line saying what to do.
//!
//! No variant carries a secret: tokens and client secrets are [`Secret`](super::Secret)s and
//! never reach an error, and transport causes are rendered without their URL.

use miette::Diagnostic;
use thiserror::Error;

/// Every scope territoryctl uses, as one string to paste into Zoho's API console.
pub const ALL_SCOPES: &str = "ZohoCRM.settings.territories.ALL,ZohoCRM.users.READ,ZohoCRM.settings.fields.READ,ZohoCRM.modules.READ,ZohoCRM.modules.UPDATE,ZohoCRM.org.READ";

/// An error of the Zoho layer.
#[derive(Debug, Diagnostic, Error)]
pub enum RemoteError {
    #[error("no Zoho credentials in the environment{}", missing_list(.missing))]
    #[diagnostic(
        code("zoho::missing-credentials"),
        help(
            "set ZOHO_ACCESS_TOKEN, or ZOHO_CLIENT_ID + ZOHO_CLIENT_SECRET + ZOHO_REFRESH_TOKEN \
             (credentials are read from the environment only); or try the simulator with \
             `--simulator examples/acme/org.json`"
        )
    )]
    MissingCredentials { missing: Vec<String> },

    #[error("refusing plain http to `{url}`: tokens would cross the network unencrypted")]
    #[diagnostic(
        code("zoho::insecure-url"),
        help(
            "use an https:// URL; plain http is allowed only to a loopback address (127.0.0.1, ::1, localhost)"
        )
    )]
    InsecureUrl { url: String },

    #[error("{flag} `{url}` is not a valid URL: {cause}")]
    #[diagnostic(
        code("zoho::bad-url"),
        help("give a full URL such as `https://www.zohoapis.eu`")
    )]
    BadUrl {
        flag: &'static str,
        url: String,
        cause: String,
    },

    #[error("cannot start the simulator: {cause}")]
    #[diagnostic(
        code("zoho::sandbox"),
        help("`--simulator` takes a simulator state file such as examples/acme/org.json")
    )]
    Sandbox { cause: String },

    #[error("`--simulator` and `{flag}` both say where to connect")]
    #[diagnostic(
        code("zoho::simulator-and-zoho"),
        help(
            "`--simulator FILE` runs against the built-in simulator, on no Zoho host: drop \
             `{flag}`; or drop `--simulator` to reach Zoho (for a simulator started by \
             `sandbox serve`, use `--api-domain` or `ZOHO_API_DOMAIN`)"
        )
    )]
    SimulatorAndZoho { flag: &'static str },

    #[error("cannot set up the HTTP client: {cause}")]
    #[diagnostic(code("zoho::client-setup"))]
    ClientSetup { cause: String },

    #[error("Zoho's accounts server at `{token_url}` refused the refresh token ({error})")]
    #[diagnostic(code("zoho::wrong-credentials"), help("{}", refresh_help(.error, .data_centre.as_deref())))]
    RefreshRejected {
        token_url: String,
        /// Zoho's `error` value: `invalid_code`, `invalid_client`, ...
        error: String,
        data_centre: Option<String>,
    },

    #[error("Zoho rejected the access token for {api_domain} (INVALID_TOKEN)")]
    #[diagnostic(code("zoho::wrong-credentials"), help("{}", invalid_token_help(*.can_refresh, .data_centre.as_deref())))]
    InvalidToken {
        api_domain: String,
        can_refresh: bool,
        data_centre: Option<String>,
    },

    #[error("the token may not {method} {path} (OAUTH_SCOPE_MISMATCH)")]
    #[diagnostic(
        code("zoho::scope-mismatch"),
        help(
            "generate a token with the scope {needed}; everything territoryctl uses is: {ALL_SCOPES}"
        )
    )]
    ScopeMismatch {
        method: String,
        path: String,
        needed: &'static str,
    },

    /// The org never enabled territory management: `TERRITORY_NOT_ENABLED` (403, the seed
    /// pages) or `FEATURE_NOT_ENABLED` (400, reads) with a "not enabled" message.
    #[error("territory management is not enabled in this Zoho org ({code}: {message})")]
    #[diagnostic(
        code("zoho::feature-not-enabled"),
        help(
            "an administrator enables it in Zoho CRM under Setup > Users and Control > Territory \
             Management; it needs the Enterprise edition or above"
        )
    )]
    FeatureNotEnabled { code: String, message: String },

    /// The org had territory management and switched it off: `TERRITORY_DISABLED` (403), or
    /// `FEATURE_NOT_ENABLED` with a "disabled" message.
    #[error("territory management has been disabled in this Zoho org ({code}: {message})")]
    #[diagnostic(
        code("zoho::feature-disabled"),
        help(
            "it was enabled once and has been switched off; an administrator switches it back \
             on in Zoho CRM under Setup > Users and Control > Territory Management before \
             territoryctl can read or change territories"
        )
    )]
    FeatureDisabled { code: String, message: String },

    #[error("Zoho refused {method} {path} with HTTP {status} {code}: {message}")]
    #[diagnostic(code("zoho::api-error"))]
    Api {
        method: String,
        path: String,
        status: u16,
        code: String,
        message: String,
    },

    #[error("{method} {path} failed after {attempts} attempts: {cause}")]
    #[diagnostic(
        code("zoho::gave-up"),
        help(
            "Zoho or the network kept failing; run again later, or lower --concurrency if Zoho rate-limits (HTTP 429)"
        )
    )]
    GaveUp {
        method: String,
        path: String,
        attempts: u32,
        cause: String,
    },

    /// The host could not be reached in a way another attempt would not change (a name that
    /// does not resolve, a refused connection, a failed TLS handshake): reported at once.
    #[error("{method} {path}: cannot reach `{host}`: {cause}")]
    #[diagnostic(code("zoho::unreachable"), help("{hint}"))]
    Unreachable {
        method: String,
        path: String,
        /// `host` or `host:port`.
        host: String,
        cause: String,
        /// What to do, for this kind of failure.
        hint: String,
    },

    /// A write was sent, but whether Zoho applied it is unknown (timeout, dropped connection,
    /// 5xx). The write layer answers this by reading the objects again.
    #[error("{method} {path} may or may not have been applied: {cause}")]
    #[diagnostic(
        code("zoho::unconfirmed-write"),
        help("run `territoryctl plan` to see what the org looks like now")
    )]
    Unconfirmed {
        method: String,
        path: String,
        cause: String,
    },

    #[error(
        "{method} {path} was answered with a redirect (HTTP {status}) to `{location}` instead of data"
    )]
    #[diagnostic(
        code("zoho::redirected"),
        help(
            "territoryctl does not follow redirects (they could carry the token elsewhere). Check \
             that the API domain `{api_domain}` is the Zoho API host of the org's data centre \
             (`--dc`, `--environment`, `--api-domain`, such as https://www.zohoapis.eu), not a \
             web, accounts or proxy address; a redirect to a sign-in page means it is not the API"
        )
    )]
    Redirected {
        method: String,
        path: String,
        status: u16,
        location: String,
        api_domain: String,
    },

    #[error("Zoho answered {method} {path} (HTTP {status}) with something unexpected: {problem}")]
    #[diagnostic(code("zoho::unexpected-response"))]
    UnexpectedResponse {
        method: String,
        path: String,
        status: u16,
        problem: String,
    },

    #[error("the territory list changed while it was being read: {problem}")]
    #[diagnostic(
        code("zoho::inconsistent-pages"),
        help("someone edited territories during the run; run the command again")
    )]
    InconsistentPages { problem: String },

    #[error("the org's territories are not a tree: {problem}")]
    #[diagnostic(code("zoho::bad-hierarchy"))]
    BadHierarchy { problem: String },

    #[error("a batch of {items} items is larger than Zoho's limit of {max}")]
    #[diagnostic(code("zoho::batch-too-large"))]
    BatchTooLarge { items: usize, max: usize },
}

fn missing_list(missing: &[String]) -> String {
    if missing.is_empty() {
        String::new()
    } else {
        format!(" (missing {})", missing.join(", "))
    }
}

fn refresh_help(error: &str, data_centre: Option<&str>) -> String {
    let than = data_centre.map_or_else(String::new, |dc| format!(" than `{dc}`"));
    match error {
        "invalid_client" => format!(
            "ZOHO_CLIENT_ID or ZOHO_CLIENT_SECRET is wrong, or the client was registered in \
             another data centre{than}: check --dc"
        ),
        _ => format!(
            "ZOHO_REFRESH_TOKEN is wrong, revoked, or from another data centre{than}: check \
             --dc, or generate a new refresh token"
        ),
    }
}

fn invalid_token_help(can_refresh: bool, data_centre: Option<&str>) -> String {
    let dc = data_centre.map_or_else(String::new, |dc| format!(" (now `{dc}`)"));
    if can_refresh {
        format!(
            "a freshly refreshed token was refused too: the account may be in another data \
             centre; check --dc{dc} and --environment"
        )
    } else {
        format!(
            "ZOHO_ACCESS_TOKEN is wrong or expired (they last one hour), or belongs to another \
             data centre; check --dc{dc}, or use ZOHO_CLIENT_ID + ZOHO_CLIENT_SECRET + \
             ZOHO_REFRESH_TOKEN so tokens are renewed"
        )
    }
}

/// The scope a call needs, from its method and path (relative to `/crm/v8/`).
#[must_use]
pub(crate) fn scope_for(method: &str, path: &str) -> &'static str {
    let path = path.trim_start_matches('/');
    if path.starts_with("settings/territories") {
        // Running rules needs UPDATE by the OAS; ALL is what an apply token holds anyway.
        if path.contains("transfer_and_delete") || path.contains("run_rules") {
            return "ZohoCRM.settings.territories.ALL";
        }
        return match method {
            "GET" => "ZohoCRM.settings.territories.READ",
            "POST" => "ZohoCRM.settings.territories.CREATE",
            "PUT" => "ZohoCRM.settings.territories.UPDATE",
            "DELETE" => "ZohoCRM.settings.territories.DELETE",
            _ => "ZohoCRM.settings.territories.ALL",
        };
    }
    if path.starts_with("settings/fields") {
        return "ZohoCRM.settings.fields.READ";
    }
    if path.starts_with("users") {
        return "ZohoCRM.users.READ";
    }
    if path.starts_with("org") {
        return "ZohoCRM.org.READ";
    }
    if method == "GET" {
        "ZohoCRM.modules.READ"
    } else {
        "ZohoCRM.modules.UPDATE"
    }
}

/// A transport error in words, without its URL (which would be noise, and must never carry a
/// secret).
pub(crate) fn describe(error: &reqwest::Error) -> String {
    use std::error::Error as _;
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "the response broke off"
    } else {
        "the connection failed"
    };
    let mut cause = String::new();
    let mut source = error.source();
    while let Some(inner) = source {
        cause = inner.to_string();
        source = inner.source();
    }
    if cause.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind} ({cause})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_follow_the_call() {
        assert_eq!(
            scope_for("GET", "settings/territories"),
            "ZohoCRM.settings.territories.READ"
        );
        assert_eq!(
            scope_for("POST", "settings/territories"),
            "ZohoCRM.settings.territories.CREATE"
        );
        assert_eq!(
            scope_for("POST", "settings/territories/actions/transfer_and_delete"),
            "ZohoCRM.settings.territories.ALL"
        );
        assert_eq!(
            scope_for("POST", "Accounts/actions/assign_territories"),
            "ZohoCRM.modules.UPDATE"
        );
        assert_eq!(scope_for("GET", "Accounts"), "ZohoCRM.modules.READ");
        assert_eq!(scope_for("GET", "users"), "ZohoCRM.users.READ");
    }

    #[test]
    fn refresh_help_names_the_data_centre() {
        let error = RemoteError::RefreshRejected {
            token_url: "https://accounts.zoho.eu/oauth/v2/token".into(),
            error: "invalid_code".into(),
            data_centre: Some("eu".into()),
        };
        let help = miette::Diagnostic::help(&error).unwrap().to_string();
        assert!(help.contains("ZOHO_REFRESH_TOKEN is wrong"), "{help}");
        assert!(help.contains("another data centre than `eu`"), "{help}");
    }
}
