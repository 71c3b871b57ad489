//! The Zoho client against the simulator on 127.0.0.1: paging, retries, writes that must not
//! happen twice, token refresh, scopes, and secrets that must never show.

mod auth;
mod cli;
mod harness;
mod jobs;
mod load;
mod members;
mod proxy;
mod retry;
mod secrets;
mod unreachable;
mod writes;
