//! The Zoho CRM client: everything `plan`, `apply`, `validate --online` and `export` know of
//! Zoho comes through here.
//!
//! [`Settings`] says where (data centre, environment, domains) and how hard (concurrency,
//! retries); [`Credentials`] come from the environment. [`ReadClient`] only reads, so a command
//! holding one cannot write; [`WriteClient`] adds the writes, which are never done twice.
//! [`load_live`] builds the model's [`Live`](crate::model::Live), which `config::online` checks a
//! state against it. [`wire`] types mirror Zoho's JSON and are this layer's own.

mod auth;
mod connect;
mod convert;
mod credentials;
mod error;
mod http;
mod jobs;
mod load;
mod members;
mod read;
mod record_pages;
mod rules;
mod sandbox;
mod secret;
mod settings;
mod unreachable;
mod wire;
mod write;

pub use connect::{ConnectOptions, Connection};
pub use credentials::{
    ACCESS_TOKEN_VAR, CLIENT_ID_VAR, CLIENT_SECRET_VAR, Credentials, REFRESH_TOKEN_VAR,
};
pub use error::{ALL_SCOPES, RemoteError};
pub use jobs::{JobState, ScheduledJob, WaitPolicy, Waited};
pub use load::{Preload, load_live, load_live_after, load_whole_org, read_members};
pub use members::{
    InactiveUser, MAX_IDS_CHARS, Membership, MembershipRead, ReadCosts, ReadStrategy,
    USERS_PER_CALL, count_pages, ids_parts, member_hint, read_costs,
};
pub use read::{PER_PAGE, RECORD_IDS_PER_REQUEST, ReadClient, TerritoryJob};
pub use record_pages::{PAGE_REACH, PageCursor, PagedRecord, RecordPage};
pub use rules::{RUN_RULES_MAX_TERRITORIES, RuleJob, RunRules};
pub use sandbox::Sandbox;
pub use secret::Secret;
pub use settings::{
    DEFAULT_CONCURRENCY, DataCentre, Environment, HttpsProxy, RequestLog, RequestLogger,
    RetryPolicy, Settings, checked_url,
};
pub use write::{
    ItemError, ItemOutcome, MAX_BATCH, NewTerritory, RecordTerritories, TerritoryChange, Transfer,
    WriteClient,
};
