mod config;
mod export;
