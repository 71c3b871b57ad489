//! The state every handler shares: the org, tokens, faults, counters and persistence.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use crate::auth::Tokens;
use crate::clock::Clock;
use crate::counters::Counters;
use crate::faults::{FaultEngine, Faults};
use crate::persist;
use crate::state::State;

/// Where request log lines go; the library never prints.
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

pub(crate) struct Shared {
    state: Mutex<State>,
    tokens: Mutex<Tokens>,
    faults: Mutex<FaultEngine>,
    counters: Mutex<Counters>,
    clock: Mutex<Clock>,
    persist_to: Option<PathBuf>,
    /// Overrides the state's `limits.access_token_lifetime_secs` without touching the file.
    pub(crate) token_lifetime: Option<Duration>,
    pub(crate) log: Option<LogSink>,
    pub(crate) base_url: OnceLock<String>,
}

// A poisoned lock only means a handler panicked mid-request; the data is still the best we have.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    pub(crate) fn new(
        state: State,
        faults: Faults,
        persist_to: Option<PathBuf>,
        log: Option<LogSink>,
    ) -> Shared {
        let mut state = state;
        state.reindex();
        Shared {
            state: Mutex::new(state),
            tokens: Mutex::new(Tokens::default()),
            faults: Mutex::new(FaultEngine::new(faults)),
            counters: Mutex::new(Counters::default()),
            clock: Mutex::new(Clock::default()),
            persist_to,
            token_lifetime: None,
            log,
            base_url: OnceLock::new(),
        }
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    pub(crate) fn tokens(&self) -> MutexGuard<'_, Tokens> {
        lock(&self.tokens)
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, FaultEngine> {
        lock(&self.faults)
    }

    pub(crate) fn counters(&self) -> MutexGuard<'_, Counters> {
        lock(&self.counters)
    }

    /// Unix seconds on the simulator's clock.
    pub(crate) fn now(&self) -> i64 {
        lock(&self.clock).now()
    }

    pub(crate) fn set_clock(&self, clock: Clock) {
        *lock(&self.clock) = clock;
    }

    pub(crate) fn base_url(&self) -> String {
        self.base_url.get().cloned().unwrap_or_default()
    }

    pub(crate) fn log(&self, line: &str) {
        if let Some(log) = &self.log {
            log(line);
        }
    }

    /// Writes the state back to its file, if the simulator persists. Called with the state
    /// lock held, so writes land in the order they were applied.
    pub(crate) fn commit(&self, state: &State) {
        if let Some(path) = &self.persist_to {
            if let Err(error) = persist::save(path, state) {
                self.log(&format!(
                    "error: could not write state to {}: {error}",
                    path.display()
                ));
            }
        }
    }

    /// Mints an access token for `scopes` with the configured lifetime.
    pub(crate) fn mint(&self, scopes: &[String]) -> String {
        let lifetime = self.token_lifetime();
        self.tokens().mint(scopes, lifetime)
    }

    /// How long minted tokens live: `--token-lifetime` if given, else the state's limit.
    pub(crate) fn token_lifetime(&self) -> Duration {
        self.token_lifetime
            .unwrap_or_else(|| Duration::from_secs(self.state().limits.access_token_lifetime_secs))
    }

    pub(crate) fn item_fails(&self) -> bool {
        self.faults().item_fails()
    }
}
