//! `apply` against the simulator: the executor on hand-made plans, and the command end to end.

mod command;
mod converge;
mod executor;
mod saved;
pub(crate) mod support;
