mod config;
mod gitops;
