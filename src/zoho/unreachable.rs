//! Why a host could not be reached, in words that fit the failure, and whether trying again
//! can help (issue #21, point 10): a name that does not resolve, a port nothing listens on,
//! or a TLS handshake that fails will fail the same way a second later, so they are reported
//! at once, naming the host, instead of being retried six times and blamed on rate limits.

use std::error::Error as _;

/// The kind of transport failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The host name does not resolve.
    Dns,
    /// The host answered that nothing listens on the port.
    Refused,
    /// The TLS handshake failed: a certificate not trusted, or not TLS at all.
    Tls,
    /// No answer in time.
    Timeout,
    /// Anything else: the connection dropped, was reset, ...
    Other,
}

impl Failure {
    /// Classifies a `reqwest` error by its chain of causes.
    pub(crate) fn of(error: &reqwest::Error) -> Self {
        if error.is_timeout() {
            return Self::Timeout;
        }
        Self::of_chain(error.source())
    }

    /// Classifies the causes from `source` down.
    fn of_chain(mut source: Option<&(dyn std::error::Error + 'static)>) -> Self {
        let mut words = String::new();
        while let Some(inner) = source {
            if let Some(found) = Self::of_cause(inner, &mut words) {
                return found;
            }
            source = inner.source();
        }
        if words.contains("dns error") || words.contains("failed to lookup address") {
            Self::Dns
        } else if words.contains("connection refused") {
            Self::Refused
        } else if words.contains("certificate")
            || words.contains("tls")
            || words.contains("handshake")
        {
            Self::Tls
        } else {
            Self::Other
        }
    }

    /// One cause: an `io::Error` is looked into (its `source()` skips the error it wraps,
    /// which is where rustls's error sits), a rustls error is TLS; otherwise its words are
    /// kept for the checks by message.
    fn of_cause(cause: &(dyn std::error::Error + 'static), words: &mut String) -> Option<Self> {
        if cause.downcast_ref::<rustls::Error>().is_some() {
            return Some(Self::Tls);
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return Some(Self::Refused),
                std::io::ErrorKind::TimedOut => return Some(Self::Timeout),
                _ => {}
            }
            if let Some(inner) = io.get_ref() {
                return Self::of_cause(inner, words);
            }
        }
        words.push_str(&cause.to_string().to_lowercase());
        words.push('\n');
        None
    }

    /// Whether another attempt could succeed.
    pub(crate) fn is_worth_retrying(self) -> bool {
        matches!(self, Self::Timeout | Self::Other)
    }

    /// What to do, for `host` (`www.zohoapis.eu`, `127.0.0.1:8080`).
    pub(crate) fn hint(self, host: &str) -> String {
        match self {
            Self::Dns => format!(
                "the name `{host}` does not resolve (DNS): check the data centre (`--dc`) or \
                 `--api-domain`/`ZOHO_API_DOMAIN`, and that this machine can resolve names \
                 (network, VPN, proxy settings); not retried, it would fail the same way"
            ),
            Self::Refused => format!(
                "nothing accepts connections at `{host}`: a simulator started by \
                 `sandbox serve` may have stopped, or `--api-domain`/`ZOHO_API_DOMAIN` names \
                 the wrong host or port; not retried"
            ),
            Self::Tls => format!(
                "the TLS handshake with `{host}` failed: the address may not speak HTTPS (a \
                 local simulator is `http://`), or a proxy that intercepts TLS presents a \
                 certificate this machine does not trust; not retried"
            ),
            Self::Timeout => format!(
                "`{host}` did not answer in time: check the network and any proxy \
                 (`HTTPS_PROXY`, `NO_PROXY`); if Zoho is slow or rate-limits, run again later \
                 or lower `--concurrency`"
            ),
            Self::Other => format!(
                "the connection to `{host}` failed: check the network and any proxy, then run \
                 again"
            ),
        }
    }
}

/// `host` or `host:port` of a URL, for messages.
pub(crate) fn host_of(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or("(no host)");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cause with words and a cause of its own, as hyper-util's connect errors are.
    #[derive(Debug)]
    struct Cause(&'static str, Option<std::io::Error>);

    impl std::fmt::Display for Cause {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Cause {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_ref().map(|error| error as _)
        }
    }

    fn of(cause: Cause) -> Failure {
        Failure::of_chain(Some(&cause))
    }

    #[test]
    fn each_failure_is_told_by_its_causes() {
        let lookup = std::io::Error::other(
            "failed to lookup address information: Name or service not known",
        );
        assert_eq!(of(Cause("dns error", Some(lookup))), Failure::Dns);
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(
            of(Cause("tcp connect error", Some(refused))),
            Failure::Refused
        );
        // rustls's error two `io::Error`s deep, as hyper-rustls hands it over.
        let tls = std::io::Error::other(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
        ));
        assert_eq!(of(Cause("client error (Connect)", Some(tls))), Failure::Tls);
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert_eq!(of(Cause("connection error", Some(reset))), Failure::Other);
        assert!(!Failure::Dns.is_worth_retrying());
        assert!(!Failure::Refused.is_worth_retrying());
        assert!(!Failure::Tls.is_worth_retrying());
        assert!(Failure::Timeout.is_worth_retrying() && Failure::Other.is_worth_retrying());
        assert!(
            Failure::Dns
                .hint("www.zohoapis.eu")
                .contains("`www.zohoapis.eu` does not resolve")
        );
    }
}
