//! The impact preview: the client's rule evaluator against the simulator's, on generated
//! orgs; `plan --impact` through the binary against what `apply --run-rules` then does.

mod evaluator;
mod generate;
mod moves;
mod plan;
