//! The one integration test binary: each module is one area, its snapshots beside it.

mod apply;
mod bench;
mod cli;
mod config;
mod export;
mod gitops;
mod members;
mod plan;
mod records;
mod release;
mod rules;
mod version;
mod zoho;
