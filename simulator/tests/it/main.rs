//! The simulator's integration tests: each Zoho rule with the request that breaks it, faults
//! by counts, persistence, and the wire contract.

mod admin;
mod auth;
mod binary;
mod contract;
mod criteria;
mod delete;
mod examples;
mod faults;
mod fidelity;
mod harness;
mod membership;
mod persist;
mod read;
mod record_pages;
mod records;
mod run_rules;
mod sdk;
mod sdk_python;
mod territory_users;
mod users_fields;
mod write;
