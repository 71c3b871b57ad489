//! The one integration test binary: each module is one area, its snapshots beside it.

mod analysis;
mod apply;
mod bench;
mod cli;
mod config;
mod export;
mod gitops;
mod impact;
mod members;
mod plan;
mod policy;
mod records;
mod release;
mod rules;
mod version;
mod zoho;
