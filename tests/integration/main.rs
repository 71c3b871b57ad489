mod apply;
mod config;
mod plan;
mod zoho;
