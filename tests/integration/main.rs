mod config;
mod export;
mod zoho;
mod plan;
