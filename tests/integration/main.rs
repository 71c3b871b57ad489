//! The one integration test binary: each module is one area, its snapshots beside it.

mod config;
mod plan;
mod records;
mod zoho;
