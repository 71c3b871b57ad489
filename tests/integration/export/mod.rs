//! `export`: the YAML written from a live org, snapshotted, and read back through
//! `config::load` to the same org.

mod acme;
mod command;
mod equivalence;
mod files;
mod fixture;
mod random;
mod random_simulator;
mod round_trip;
mod simulator;
mod snapshots;
mod support;
