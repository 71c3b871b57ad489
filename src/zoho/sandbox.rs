//! The built-in Zoho CRM simulator, started in-process on a loopback port (`--sandbox`,
//! `sandbox serve`). Only starting and stopping it lives here: the client talks to it over
//! HTTP like to Zoho, and shares none of its code.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;

use super::error::RemoteError;

/// A running simulator; stops when dropped or [`Sandbox::shutdown`].
#[derive(Debug)]
pub struct Sandbox {
    server: zoho_crm_sim::Server,
}

impl Sandbox {
    /// Starts the simulator from a state file on `127.0.0.1` and a free port. The file is
    /// written back only with `persist`.
    ///
    /// # Errors
    /// [`RemoteError::Sandbox`] when the state file does not load or no port can be bound.
    pub async fn start(state: &Path, persist: bool) -> Result<Self, RemoteError> {
        Self::start_on(state, persist, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }

    /// As [`Sandbox::start`], on a given address.
    ///
    /// # Errors
    /// [`RemoteError::Sandbox`] when the state file does not load or `addr` cannot be bound.
    pub async fn start_on(
        state: &Path,
        persist: bool,
        addr: SocketAddr,
    ) -> Result<Self, RemoteError> {
        let simulator = zoho_crm_sim::Simulator::from_file(state, persist).map_err(|error| {
            RemoteError::Sandbox {
                cause: error.to_string(),
            }
        })?;
        let server = simulator
            .serve(addr)
            .await
            .map_err(|error| RemoteError::Sandbox {
                cause: format!("cannot listen on {addr}: {error}"),
            })?;
        Ok(Self { server })
    }

    /// `http://127.0.0.1:PORT`: API domain and accounts server at once.
    #[must_use]
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// A fresh access token with every scope territoryctl uses.
    #[must_use]
    pub fn access_token(&self) -> String {
        self.server.access_token()
    }

    /// Stops serving and closes every connection.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}
