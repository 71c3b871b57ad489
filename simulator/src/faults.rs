//! Fault injection: latency, throttling and failures, reproducible from a seed.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

/// What can go wrong, and how often. Rates are probabilities in `0.0..=1.0`; the same seed
/// and the same sequence of requests give the same faults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Faults {
    pub seed: u64,
    /// Added to every `/crm/` request.
    pub latency_ms: u64,
    /// Up to this much more, uniformly drawn per request.
    pub jitter_ms: u64,
    /// Requests in flight at once; the next one gets 429 TOO_MANY_REQUESTS.
    pub concurrency_limit: Option<usize>,
    /// API credits for the simulator's lifetime; once spent every call gets 429.
    pub credits: Option<u64>,
    /// Seconds to put in a `Retry-After` header on 429 (none when unset, as Zoho sends none).
    pub retry_after_secs: Option<u64>,
    /// Rate of 500 INTERNAL_ERROR answers (nothing applied).
    pub error_rate: f64,
    /// Rate of connections closed without a response (nothing applied).
    pub drop_rate: f64,
    /// Rate of per-item INTERNAL_ERROR results inside batch writes (that item not applied).
    pub item_failure_rate: f64,
    /// Rate of requests applied whose response is then lost (connection closed).
    pub lost_response_rate: f64,
}

/// What happens to one request, drawn up front.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fate {
    Serve,
    InternalError,
    Drop,
    LoseResponse,
}

#[derive(Debug)]
pub(crate) struct FaultEngine {
    pub(crate) faults: Faults,
    rng: StdRng,
    in_flight: usize,
    credits_used: u64,
}

impl FaultEngine {
    pub(crate) fn new(faults: Faults) -> FaultEngine {
        let rng = StdRng::seed_from_u64(faults.seed);
        FaultEngine {
            faults,
            rng,
            in_flight: 0,
            credits_used: 0,
        }
    }

    /// Replaces the faults and restarts the random sequence and the credit count.
    pub(crate) fn reset(&mut self, faults: Faults) {
        let in_flight = self.in_flight;
        *self = FaultEngine::new(faults);
        self.in_flight = in_flight;
    }

    /// Draws a request's latency and fate. Always draws the same number of values, so one
    /// request's fate does not shift the next one's.
    pub(crate) fn draw(&mut self) -> (Duration, Fate) {
        let jitter_draw: f64 = self.rng.random();
        let error_draw: f64 = self.rng.random();
        let drop_draw: f64 = self.rng.random();
        let lost_draw: f64 = self.rng.random();
        let jitter = (self.faults.jitter_ms as f64 * jitter_draw) as u64;
        let latency = Duration::from_millis(self.faults.latency_ms + jitter);
        let fate = if error_draw < self.faults.error_rate {
            Fate::InternalError
        } else if drop_draw < self.faults.drop_rate {
            Fate::Drop
        } else if lost_draw < self.faults.lost_response_rate {
            Fate::LoseResponse
        } else {
            Fate::Serve
        };
        (latency, fate)
    }

    /// Whether the next item of a batch fails.
    pub(crate) fn item_fails(&mut self) -> bool {
        let draw: f64 = self.rng.random();
        draw < self.faults.item_failure_rate
    }

    /// Admits a request under the concurrency limit and the credit budget; `false` means 429.
    pub(crate) fn admit(&mut self) -> bool {
        if self
            .faults
            .concurrency_limit
            .is_some_and(|limit| self.in_flight >= limit)
        {
            return false;
        }
        if self
            .faults
            .credits
            .is_some_and(|credits| self.credits_used >= credits)
        {
            return false;
        }
        self.in_flight += 1;
        self.credits_used += 1;
        true
    }

    pub(crate) fn leave(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::{Fate, FaultEngine, Faults};

    #[test]
    fn same_seed_same_fates() {
        let faults = Faults {
            seed: 7,
            error_rate: 0.3,
            drop_rate: 0.3,
            ..Faults::default()
        };
        let run = |faults: &Faults| {
            let mut engine = FaultEngine::new(faults.clone());
            (0..50).map(|_| engine.draw().1).collect::<Vec<_>>()
        };
        let first = run(&faults);
        assert_eq!(first, run(&faults));
        assert!(first.contains(&Fate::InternalError));
        assert!(first.contains(&Fate::Serve));
    }

    #[test]
    fn admission_limits() {
        let mut engine = FaultEngine::new(Faults {
            concurrency_limit: Some(1),
            credits: Some(2),
            ..Faults::default()
        });
        assert!(engine.admit());
        assert!(
            !engine.admit(),
            "second concurrent request is over the limit"
        );
        engine.leave();
        assert!(engine.admit());
        engine.leave();
        assert!(!engine.admit(), "credits are spent");
    }
}
