mod config;
mod zoho;
