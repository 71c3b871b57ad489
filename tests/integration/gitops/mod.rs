//! The GitOps loop's support in the tool and its example CI files: GitHub annotations from
//! `validate`, the workflows linted by actionlint, and every command they run existing.

mod actionlint;
mod annotations;
mod plan_check;
mod pr_comment;
mod the_loop;
mod workflow_commands;
