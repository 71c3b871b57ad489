//! The one integration test binary: each module is one area, its snapshots beside it.

mod apply;
mod bench;
mod config;
mod export;
mod plan;
mod zoho;
