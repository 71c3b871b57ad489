mod config;
mod export;
mod plan;
mod zoho;
