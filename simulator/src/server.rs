//! The simulator's public face: build a [`Simulator`], [`Simulator::serve`] it, and drive the
//! running [`Server`] from tests.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Extension;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};

use crate::auth::FULL_SCOPES;
use crate::counters::Counters;
use crate::faults::Faults;
use crate::gate::ConnectionKill;
use crate::persist::{self, LoadError};
use crate::shared::{LogSink, Shared};
use crate::state::{OAuthClient, State};

/// A simulator ready to serve: its initial state, faults and options.
pub struct Simulator {
    state: State,
    faults: Faults,
    persist_to: Option<PathBuf>,
    log: Option<LogSink>,
    token_lifetime: Option<std::time::Duration>,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("faults", &self.faults)
            .field("persist_to", &self.persist_to)
            .finish_non_exhaustive()
    }
}

impl Simulator {
    /// A simulator over an in-memory state (nothing is written anywhere).
    pub fn new(state: State, faults: Faults) -> Simulator {
        Simulator {
            state,
            faults,
            persist_to: None,
            log: None,
            token_lifetime: None,
        }
    }

    /// Loads a state file; with `persist`, every change is written back to it atomically.
    pub fn from_file(path: &Path, persist: bool) -> Result<Simulator, LoadError> {
        let state = persist::load(path)?;
        let mut simulator = Simulator::new(state, Faults::default());
        if persist {
            simulator.persist_to = Some(path.to_owned());
        }
        Ok(simulator)
    }

    pub fn with_faults(mut self, faults: Faults) -> Simulator {
        self.faults = faults;
        self
    }

    /// Sends one line per request to `sink` (method, path without query, status, time).
    pub fn with_log(mut self, sink: impl Fn(&str) + Send + Sync + 'static) -> Simulator {
        self.log = Some(Arc::new(sink));
        self
    }

    /// Mints access tokens with this lifetime instead of the state's
    /// `limits.access_token_lifetime_secs` (the state file is not changed).
    pub fn with_token_lifetime(mut self, lifetime: std::time::Duration) -> Simulator {
        self.token_lifetime = Some(lifetime);
        self
    }

    /// Binds `addr` and serves on the current tokio runtime until [`Server::shutdown`].
    pub async fn serve(self, addr: SocketAddr) -> std::io::Result<Server> {
        let listener = TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let mut shared = Shared::new(self.state, self.faults, self.persist_to, self.log);
        shared.token_lifetime = self.token_lifetime;
        let shared = Arc::new(shared);
        let base_url = format!("http://{local}");
        let _ = shared.base_url.set(base_url.clone());
        let stop = Arc::new(Notify::new());
        let router = crate::routes::router(shared.clone());
        let task = tokio::spawn(accept_loop(listener, router, stop.clone()));
        Ok(Server {
            shared,
            base_url,
            stop,
            task,
        })
    }
}

/// A running simulator.
pub struct Server {
    shared: Arc<Shared>,
    base_url: String,
    stop: Arc<Notify>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// `http://127.0.0.1:PORT`: the API domain and the accounts server at once.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// A freshly minted token with every scope territoryctl uses.
    pub fn access_token(&self) -> String {
        self.mint_token(FULL_SCOPES)
    }

    /// A freshly minted token with exactly these scopes.
    pub fn mint_token(&self, scopes: &[&str]) -> String {
        let scopes: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        self.shared.mint(&scopes)
    }

    /// Revokes every access token minted so far: the next request with one answers 401
    /// `INVALID_TOKEN`. OAuth clients and their refresh tokens stay valid, so a client that
    /// refreshes goes on (what tests of the refresh-on-`INVALID_TOKEN` path need).
    pub fn revoke_tokens(&self) {
        self.shared.tokens().revoke_all();
    }

    /// Registers an OAuth client with full scopes and returns its refresh token.
    pub fn add_client(&self, client_id: &str, client_secret: &str) -> String {
        let refresh_token = format!("1000.{:032x}", rand::random::<u128>());
        let client = OAuthClient {
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            refresh_token: refresh_token.clone(),
            scopes: FULL_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
        };
        self.update_state(|state| state.oauth_clients.push(client));
        refresh_token
    }

    pub fn counters(&self) -> Counters {
        self.shared.counters().clone()
    }

    pub fn reset_counters(&self) {
        *self.shared.counters() = Counters::default();
    }

    /// A snapshot of the org.
    pub fn state(&self) -> State {
        self.shared.state().clone()
    }

    /// Changes the org out of band (as a user in the Zoho UI would); persisted like any write.
    pub fn update_state(&self, change: impl FnOnce(&mut State)) {
        let mut state = self.shared.state();
        change(&mut state);
        state.reindex();
        self.shared.commit(&state);
    }

    /// Stops the simulator's clock at `unix_secs` (rule jobs and date literals read it).
    pub fn set_clock(&self, unix_secs: i64) {
        self.shared
            .set_clock(crate::clock::Clock::Manual(unix_secs));
    }

    /// Moves the simulator's clock on by `secs` (stopping it first if it ran with the system).
    pub fn advance_clock(&self, secs: i64) {
        let now = self.shared.now();
        self.shared
            .set_clock(crate::clock::Clock::Manual(now + secs));
    }

    /// Unix seconds on the simulator's clock.
    pub fn clock(&self) -> i64 {
        self.shared.now()
    }

    /// Replaces the faults; the random sequence restarts from the new seed.
    pub fn set_faults(&self, faults: Faults) {
        self.shared.faults().reset(faults);
    }

    /// Stops accepting and closes every connection.
    pub async fn shutdown(self) {
        self.stop.notify_one();
        let _ = self.task.await;
    }
}

// Connections are served by hand (not `axum::serve`) so that a fault can close one without a
// response, as a dropped connection or a lost response does in real life.
async fn accept_loop(listener: TcpListener, router: axum::Router, stop: Arc<Notify>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            () = stop.notified() => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let kill = ConnectionKill(Arc::new(Notify::new()));
                let service = TowerToHyperService::new(router.clone().layer(Extension(kill.clone())));
                connections.spawn(async move {
                    let connection = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service);
                    tokio::select! {
                        _ = connection => {}
                        () = kill.0.notified() => {}
                    }
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}
