//! territoryctl keeps a Zoho CRM organisation's territory hierarchy in git.
//!
//! Data flows one way:
//!
//! ```text
//! YAML --config--> Desired --+
//!                            +--> plan (pure) --> Plan --+--> render (text | markdown | json)
//! Zoho --zoho----> Live -----+                           +--> apply (executor over zoho)
//! ```
//!
//! [`app`] parses the command line and dispatches; [`commands`] holds one module per command,
//! each wiring these layers.

pub mod analysis;
pub mod annotate;
pub mod app;
pub mod apply;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod escape;
pub mod exit;
pub mod export;
pub mod impact;
pub mod membership;
pub mod model;
pub mod plan;
pub mod policy;
pub mod records;
pub mod render;
pub mod rules;
pub mod suggest;
pub mod zoho;
