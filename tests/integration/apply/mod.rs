//! `apply` against the simulator: the executor on hand-made plans, and the command end to end.

mod executor;
mod support;
