mod config;
mod zoho;
mod plan;
