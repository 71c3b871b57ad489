//! A Zoho CRM simulator for the territory APIs: the ground territoryctl's tests stand on.
//!
//! It answers the territory, user, field, record and OAuth endpoints the way Zoho CRM does
//! (zoho-api.md in the project's shared docs is the reference), with Zoho's limits, error codes
//! and failure modes, over an org held in a JSON state file. It shares no code with the
//! territoryctl client on purpose, so that one misunderstanding cannot hide on both sides.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let state = zoho_crm_sim::State::new_org("Acme Corp");
//! let sim = zoho_crm_sim::Simulator::new(state, zoho_crm_sim::Faults::default());
//! let server = sim.serve("127.0.0.1:0".parse()?).await?;
//! let (url, token) = (server.base_url(), server.access_token());
//! # let _ = (url, token);
//! server.shutdown().await;
//! # Ok(()) }
//! ```

mod auth;
pub mod cli;
mod clock;
mod counters;
mod faults;
mod gate;
mod persist;
mod query;
mod routes;
mod rule_run;
mod rules;
mod server;
mod shared;
pub mod state;
mod wire;

pub use auth::FULL_SCOPES;
pub use counters::Counters;
pub use faults::Faults;
pub use persist::LoadError;
pub use server::{Server, Simulator};
pub use shared::LogSink;
pub use state::State;
