mod config;
mod export;
mod zoho;
