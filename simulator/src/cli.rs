//! The `zoho-crm-sim` command line (declarations only; `main.rs` runs it).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::faults::Faults;

/// A Zoho CRM simulator for the territory APIs.
///
/// Serves /crm/v8/ (and v6, v7) territory, user, field and record endpoints plus the OAuth
/// token endpoint at /oauth/v2/token, with Zoho's rules, error codes and limits. Prints
/// `ZOHO_API_DOMAIN=...` and `ZOHO_ACCESS_TOKEN=...` lines on stdout once it listens, then
/// serves until interrupted. Test helpers live outside /crm/: GET /__admin/counters,
/// POST /__admin/counters/reset, GET|PUT /__admin/state, GET|PUT /__admin/faults,
/// POST /__admin/tokens.
#[derive(Debug, Parser)]
#[command(name = "zoho-crm-sim", version)]
pub struct Args {
    /// The org's state file (JSON, see simulator/README.md). Every change is written back to it
    /// atomically unless --read-only. Without it, a fresh in-memory org is served.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0", value_name = "HOST:PORT")]
    pub addr: SocketAddr,

    /// Serve the state file without ever writing to it (changes live in memory only).
    #[arg(long)]
    pub read_only: bool,

    /// Print one line per request on stderr (method, path, status, time; never tokens).
    #[arg(long)]
    pub log: bool,

    /// Lifetime of minted access tokens in seconds (overrides the state file's limit).
    #[arg(long, value_name = "SECS")]
    pub token_lifetime: Option<u64>,

    /// Register an OAuth client for the refresh-token grant and print ZOHO_REFRESH_TOKEN
    /// (needs --client-secret).
    #[arg(long, value_name = "ID", requires = "client_secret")]
    pub client_id: Option<String>,

    /// The secret of --client-id.
    #[arg(long, value_name = "SECRET", requires = "client_id")]
    pub client_secret: Option<String>,

    /// Seed for every random fault decision: same seed and requests, same faults.
    #[arg(long, default_value_t = 0, help_heading = "Faults")]
    pub seed: u64,

    /// Fixed latency added to every /crm/ request, in milliseconds.
    #[arg(long, default_value_t = 0, value_name = "MS", help_heading = "Faults")]
    pub latency_ms: u64,

    /// Random extra latency, up to this many milliseconds.
    #[arg(long, default_value_t = 0, value_name = "MS", help_heading = "Faults")]
    pub jitter_ms: u64,

    /// Requests in flight at once before 429 TOO_MANY_REQUESTS.
    #[arg(long, value_name = "N", help_heading = "Faults")]
    pub concurrency_limit: Option<usize>,

    /// API credits available; once spent, every call gets 429 TOO_MANY_REQUESTS.
    #[arg(long, value_name = "N", help_heading = "Faults")]
    pub credits: Option<u64>,

    /// Send `Retry-After: SECS` with 429 answers.
    #[arg(long, value_name = "SECS", help_heading = "Faults")]
    pub retry_after: Option<u64>,

    /// Fraction of requests answered 500 INTERNAL_ERROR (nothing applied).
    #[arg(long, default_value_t = 0.0, value_name = "RATE", value_parser = rate, help_heading = "Faults")]
    pub error_rate: f64,

    /// Fraction of connections closed without a response (nothing applied).
    #[arg(long, default_value_t = 0.0, value_name = "RATE", value_parser = rate, help_heading = "Faults")]
    pub drop_rate: f64,

    /// Fraction of batch items answered INTERNAL_ERROR (that item not applied).
    #[arg(long, default_value_t = 0.0, value_name = "RATE", value_parser = rate, help_heading = "Faults")]
    pub item_failure_rate: f64,

    /// Fraction of requests applied whose response is then lost (connection closed).
    #[arg(long, default_value_t = 0.0, value_name = "RATE", value_parser = rate, help_heading = "Faults")]
    pub lost_response_rate: f64,
}

fn rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!("`{text}` is not a rate between 0 and 1")),
    }
}

impl Args {
    /// The faults the flags ask for.
    pub fn faults(&self) -> Faults {
        Faults {
            seed: self.seed,
            latency_ms: self.latency_ms,
            jitter_ms: self.jitter_ms,
            concurrency_limit: self.concurrency_limit,
            credits: self.credits,
            retry_after_secs: self.retry_after,
            error_rate: self.error_rate,
            drop_rate: self.drop_rate,
            item_failure_rate: self.item_failure_rate,
            lost_response_rate: self.lost_response_rate,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Args;

    #[test]
    fn cli_is_well_formed() {
        Args::command().debug_assert();
    }
}
